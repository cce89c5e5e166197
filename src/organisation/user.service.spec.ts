import { RequestValidationError } from '../common/errors/problem.error';
import { resolveScope } from './user.service';

const OFFICE = 'a7d9e2f4-1c3b-4e5a-8f6d-9b0c2e4a6d81';
const NETWORK = 'c5e8a1b3-7d2f-4a6c-9e0b-3f1d5a7c9e24';
const OTHER = '5d1c4b0e-2f55-4a5e-9d0e-8b1a3f2c7e61';

function errorsOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(RequestValidationError);
    return (error as RequestValidationError).errors;
  }
  throw new Error('expected a validation error');
}

describe('resolveScope', () => {
  it('gives each role exactly the scope it needs on create', () => {
    expect(resolveScope('ADVISER', { officeId: OFFICE })).toEqual({ officeId: OFFICE, networkId: null });
    expect(resolveScope('COORDINATOR', { networkId: NETWORK })).toEqual({
      officeId: null,
      networkId: NETWORK,
    });
    expect(resolveScope('ADMIN', {})).toEqual({ officeId: null, networkId: null });
  });

  it('requires the member the role needs and refuses the ones it does not use', () => {
    expect(errorsOf(() => resolveScope('ADVISER', {}))).toEqual([
      { pointer: '#/officeId', detail: 'is required for the role ADVISER' },
    ]);
    expect(errorsOf(() => resolveScope('COORDINATOR', { officeId: OFFICE }))).toEqual([
      { pointer: '#/networkId', detail: 'is required for the role COORDINATOR' },
      {
        pointer: '#/officeId',
        detail:
          'is not allowed for the role COORDINATOR (a coordinator belongs to a network, not to an office)',
      },
    ]);
    expect(errorsOf(() => resolveScope('ADMIN', { officeId: OFFICE, networkId: NETWORK }))).toHaveLength(2);
    expect(errorsOf(() => resolveScope('ADVISER', { officeId: OFFICE, networkId: NETWORK }))).toEqual([
      expect.objectContaining({ pointer: '#/networkId' }),
    ]);
  });

  it('keeps the current office or network while the role keeps it, and drops it otherwise', () => {
    const adviser = { role: 'ADVISER' as const, officeId: OFFICE, networkId: NETWORK };
    expect(resolveScope('ADVISER', {}, adviser)).toEqual({ officeId: OFFICE, networkId: null });
    expect(resolveScope('ADVISER', { officeId: OTHER }, adviser)).toEqual({
      officeId: OTHER,
      networkId: null,
    });
    // The adviser's (derived) network is not a coordinator's network: becoming coordinator needs one.
    expect(errorsOf(() => resolveScope('COORDINATOR', {}, adviser))).toEqual([
      expect.objectContaining({ pointer: '#/networkId' }),
    ]);
    expect(resolveScope('COORDINATOR', { networkId: OTHER }, adviser)).toEqual({
      officeId: null,
      networkId: OTHER,
    });
    const coordinator = { role: 'COORDINATOR' as const, officeId: null, networkId: NETWORK };
    expect(resolveScope('COORDINATOR', {}, coordinator)).toEqual({ officeId: null, networkId: NETWORK });
    expect(resolveScope('ADMIN', {}, coordinator)).toEqual({ officeId: null, networkId: null });
  });
});
