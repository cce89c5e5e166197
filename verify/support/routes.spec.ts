import { loadRouteRules, pathFor, tenantOf, UnmappedRouteError, type ObjectScope } from './routes';
import type { Fixtures } from './fixtures';

const scope = {
  office: { officeId: 'o1', clientIds: ['c1', 'c2'], consentId: 'k1', spareUserId: 'u1' },
  network: { networkId: 'n1', offerId: 'f1' },
  partner: { partnerId: 'p1', spareApiClientId: 'a1' },
} as unknown as ObjectScope;
const fixtures = {} as Fixtures;

describe('route rules and paths', () => {
  it('reads every route of the permission table with the roles that may call it', () => {
    const rules = loadRouteRules();
    const token = rules.find((rule) => rule.path === '/api/v1/auth/token');
    expect(token).toMatchObject({ method: 'POST', public: true });
    const clients = rules.find((rule) => rule.method === 'GET' && rule.path === '/api/v1/clients/{id}');
    expect(clients?.requires).toEqual(['client.read']);
    expect([...(clients?.roles ?? [])]).toEqual(['ADVISER']);
  });

  it('fills path parameters with the objects of a scope, by the collection in front of them', () => {
    expect(pathFor('GET', '/api/v1/clients/{clientId}/consents/{id}', scope, fixtures)).toBe(
      '/api/v1/clients/c1/consents/k1',
    );
    expect(pathFor('PATCH', '/api/v1/users/{id}', scope, fixtures)).toBe('/api/v1/users/u1');
    expect(pathFor('DELETE', '/api/v1/partners/{id}/api-clients/{clientId}', scope, fixtures)).toBe(
      '/api/v1/partners/p1/api-clients/a1',
    );
  });

  it('fails naming the route when a path names an object it has no fixture for', () => {
    expect(() => pathFor('GET', '/api/v1/widgets/{id}', scope, fixtures)).toThrow(UnmappedRouteError);
    expect(() => pathFor('GET', '/api/v1/widgets/{id}', scope, fixtures)).toThrow(
      'GET /api/v1/widgets/{id}: no fixture object for {id} after /widgets/',
    );
  });

  it('knows whose objects a route names', () => {
    expect(tenantOf('/api/v1/clients/{clientId}/consents/{id}')).toBe('office');
    expect(tenantOf('/api/v1/qualification-offers/{id}/enrolments')).toBe('network');
    expect(tenantOf('/api/v1/networks/{id}')).toBe('none');
    expect(tenantOf('/api/v1/clients')).toBe('none');
  });
});
