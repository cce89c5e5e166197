import { createSecretKey } from 'node:crypto';
import { loadConfig } from '../config/config';
import type { Actor } from './actor';
import { TokenService } from './token.service';

const ADVISER: Actor = {
  kind: 'user',
  id: '0b6f3c1e-8a42-4d5e-9f17-6c2a8e4b1d90',
  role: 'ADVISER',
  officeId: '5d1e2a4b-7c3f-4e8a-9b6d-1f2e3a4b5c6d',
  networkId: null,
  partnerId: null,
  apiClientId: null,
};

describe('TokenService.verifyAccessToken', () => {
  const config = loadConfig({ ACCESS_TOKEN_TTL_SECONDS: '900' });
  const tokens = new TokenService(createSecretKey(Buffer.alloc(32, 3)), config);
  const otherKey = new TokenService(createSecretKey(Buffer.alloc(32, 4)), config);

  afterEach(() => jest.useRealTimers());

  it('accepts its own token again and again, with the same claims', () => {
    const token = tokens.issueAccessToken(ADVISER, 'f0e1d2c3-b4a5-4697-8899-aabbccddeeff');
    const first = tokens.verifyAccessToken(token);
    expect(first).toEqual({ claims: expect.objectContaining({ sub: ADVISER.id, role: 'ADVISER' }) });
    expect(tokens.verifyAccessToken(token)).toEqual(first);
  });

  it('refuses a remembered token once it has expired', () => {
    jest.useFakeTimers({ now: new Date('2026-12-06T10:00:00Z') });
    const token = tokens.issueAccessToken(ADVISER, 'f0e1d2c3-b4a5-4697-8899-aabbccddeeff');
    expect(tokens.verifyAccessToken(token)).toHaveProperty('claims');
    jest.setSystemTime(new Date('2026-12-06T10:14:59Z'));
    expect(tokens.verifyAccessToken(token)).toHaveProperty('claims');
    jest.setSystemTime(new Date('2026-12-06T10:15:00Z'));
    expect(tokens.verifyAccessToken(token)).toEqual({ refused: 'A valid access token is required.' });
  });

  it('refuses a token signed with another key or altered, even beside a remembered one', () => {
    const token = tokens.issueAccessToken(ADVISER, 'f0e1d2c3-b4a5-4697-8899-aabbccddeeff');
    expect(tokens.verifyAccessToken(token)).toHaveProperty('claims');
    const [head, body, signature] = token.split('.');
    const forged = otherKey.issueAccessToken(
      { ...ADVISER, role: 'ADMIN' },
      'f0e1d2c3-b4a5-4697-8899-aabbccddeeff',
    );
    const altered = `${head}.${body}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(tokens.verifyAccessToken(forged)).toHaveProperty('refused');
    expect(tokens.verifyAccessToken(altered)).toHaveProperty('refused');
    expect(tokens.verifyAccessToken(token)).toHaveProperty('claims');
  });
});
