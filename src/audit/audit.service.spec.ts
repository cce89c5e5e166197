import type { ClsService } from 'nestjs-cls';
import type { Db } from '../common/database/db';
import { RequestValidationError } from '../common/errors/problem.error';
import { encodeCursor } from '../common/http/pagination';
import type { AuditEventQuery } from './audit.dto';
import type { AuditEventRow, AuditRepository } from './audit.repository';
import { AuditService, microseconds } from './audit.service';

function row(id: string, occurredAt: string): AuditEventRow {
  return {
    id,
    occurredAt,
    actorKind: 'user',
    actorId: null,
    role: null,
    officeId: null,
    networkId: null,
    partnerId: null,
    apiClientId: null,
    action: 'auth.sign-in',
    resourceType: 'user',
    resourceId: null,
    clientId: null,
    requestId: null,
    outcome: 'SUCCESS',
  };
}

function setup(rows: AuditEventRow[] = []) {
  const repository = {
    list: jest.fn().mockResolvedValue(rows),
    insert: jest.fn().mockResolvedValue(undefined),
  };
  return {
    repository,
    service: new AuditService(
      repository as unknown as AuditRepository,
      {} as unknown as Db,
      { isActive: () => false } as unknown as ClsService,
    ),
  };
}

const query = (values: Partial<AuditEventQuery>): AuditEventQuery => ({ limit: 50, ...values });

describe('microseconds', () => {
  it('compares instants exactly, across offsets and below a millisecond', () => {
    expect(microseconds('2026-01-01T00:00:00.000002Z')).toBe(microseconds('2026-01-01T00:00:00Z') + 2n);
    expect(microseconds('2026-01-01T01:00:00+01:00')).toBe(microseconds('2026-01-01T00:00:00Z'));
    expect(microseconds('2026-01-01T00:00:00.123456Z') - microseconds('2026-01-01T00:00:00.1Z')).toBe(
      23_456n,
    );
  });
});

describe('AuditService.list', () => {
  it('passes the filters and the decoded cursor to the repository', async () => {
    const { service, repository } = setup();
    const cursor = encodeCursor({
      sortKey: '2026-01-01T00:00:00.000001Z',
      id: '0b6f3c1e-8a42-4d5e-9f17-6c2a8e4b1d90',
    });
    await service.list(query({ limit: 10, cursor, action: 'user.create', from: '2025-01-01T00:00:00Z' }));
    expect(repository.list).toHaveBeenCalledWith(
      expect.objectContaining({ action: 'user.create', from: '2025-01-01T00:00:00Z', actorId: undefined }),
      { sortKey: '2026-01-01T00:00:00.000001Z', id: '0b6f3c1e-8a42-4d5e-9f17-6c2a8e4b1d90' },
      10,
    );
  });

  it('answers a next cursor from the last row of a full page only', async () => {
    const rows = [row('a', '2026-01-03T00:00:00.000000Z'), row('b', '2026-01-02T00:00:00.000000Z')];
    const full = await setup([...rows, row('c', '2026-01-01T00:00:00.000000Z')]).service.list(
      query({ limit: 2 }),
    );
    expect(full.items.map((item) => item.id)).toEqual(['a', 'b']);
    expect(full.nextCursor).toBe(encodeCursor({ sortKey: '2026-01-02T00:00:00.000000Z', id: 'b' }));
    expect((await setup(rows).service.list(query({ limit: 2 }))).nextCursor).toBeNull();
  });

  it.each([
    ['from after to', { from: '2026-01-01T00:00:00.000002Z', to: '2026-01-01T00:00:00.000001Z' }],
    ['a cursor with a sort key that is not an instant', { cursor: encodeCursor({ sortKey: 'x', id: 'y' }) }],
  ])('refuses %s before querying', async (_name, values) => {
    const { service, repository } = setup();
    await expect(service.list(query(values))).rejects.toBeInstanceOf(RequestValidationError);
    expect(repository.list).not.toHaveBeenCalled();
  });
});

describe('AuditService.record', () => {
  it('records a system action without an actor', async () => {
    const { service, repository } = setup();
    await service.record({ actor: 'system', action: 'user.create', resourceType: 'user', resourceId: 'u1' });
    expect(repository.insert).toHaveBeenCalledWith([
      expect.objectContaining({ actorKind: 'system', actorId: null, role: null, outcome: 'SUCCESS' }),
    ]);
  });

  it('records an unauthenticated attempt as anonymous', async () => {
    const { service, repository } = setup();
    await service.record({ actor: null, action: 'auth.sign-in', resourceType: 'user', outcome: 'FAILURE' });
    expect(repository.insert).toHaveBeenCalledWith([
      expect.objectContaining({ actorKind: 'anonymous', actorId: null, outcome: 'FAILURE' }),
    ]);
  });
});
