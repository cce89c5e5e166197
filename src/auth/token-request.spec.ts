import { OAuthError } from './oauth.error';
import { parseTokenRequest } from './token-request';

function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

function errorOf(run: () => unknown): OAuthError {
  try {
    run();
  } catch (error) {
    if (error instanceof OAuthError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected an OAuthError');
}

describe('parseTokenRequest', () => {
  it('reads each grant', () => {
    expect(
      parseTokenRequest({ grant_type: 'password', username: 'a@b.de', password: 'p' }, undefined),
    ).toEqual({
      grantType: 'password',
      username: 'a@b.de',
      password: 'p',
    });
    expect(parseTokenRequest({ grant_type: 'refresh_token', refresh_token: 'r' }, undefined)).toEqual({
      grantType: 'refresh_token',
      refreshToken: 'r',
    });
    expect(
      parseTokenRequest({ grant_type: 'client_credentials', client_id: 'c', client_secret: 's' }, undefined),
    ).toEqual({ grantType: 'client_credentials', clientId: 'c', clientSecret: 's', viaBasicAuth: false });
  });

  it('prefers HTTP Basic client credentials and decodes them', () => {
    expect(parseTokenRequest({ grant_type: 'client_credentials' }, basic('pc_a:b', 's e/c'))).toEqual({
      grantType: 'client_credentials',
      clientId: 'pc_a:b',
      clientSecret: 's e/c',
      viaBasicAuth: true,
    });
  });

  it('answers invalid_request for Basic credentials that are not correctly percent-encoded', () => {
    for (const raw of ['pc_a%zz:secret', 'pc_a:secret%', 'pc_a:%E0%A4%A']) {
      const header = `Basic ${Buffer.from(raw).toString('base64')}`;
      expect(errorOf(() => parseTokenRequest({ grant_type: 'client_credentials' }, header)).code).toBe(
        'invalid_request',
      );
    }
  });

  it.each([
    [[], 'invalid_request'],
    ['grant_type=password', 'invalid_request'],
    [{}, 'invalid_request'],
    [{ grant_type: 'password', username: 'a' }, 'invalid_request'],
    [{ grant_type: 'password', username: 'a', password: 42 }, 'invalid_request'],
    [{ grant_type: 'password', username: 'a', password: 'x'.repeat(2000) }, 'invalid_request'],
    [{ grant_type: 'authorization_code', code: 'x' }, 'unsupported_grant_type'],
  ])('refuses %p with %s', (body, code) => {
    expect(errorOf(() => parseTokenRequest(body, undefined)).code).toBe(code);
  });
});
