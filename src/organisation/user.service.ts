import { staleVersion } from '../common/http/concurrency';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { UserRole } from '../auth/roles';
import { AuditService } from '../audit/audit.service';
import { ProblemError, RequestValidationError, type FieldError } from '../common/errors/problem.error';
import { toPage, type Page, instantCursor } from '../common/http/pagination';
import { AuthService } from '../auth/auth.service';
import { hashSecret } from '../auth/password';
import { emptyPatchError, isEmptyChange } from '../common/sql';
import {
  toUserResponse,
  type CreateUserRequest,
  type UpdateUserRequest,
  type UserListQuery,
  type UserResponse,
} from './user.dto';
import { UserRepository, type UserRow } from './user.repository';
import { auditEvent, type WriteContext } from '../audit/write-context';

/** Where a user belongs: an adviser to an office, a coordinator to a network, an admin to neither. */
interface Scope {
  officeId: string | null;
  networkId: string | null;
}

@Injectable()
export class UserService {
  constructor(
    private readonly repository: UserRepository,
    private readonly audit: AuditService,
    private readonly auth: AuthService,
  ) {}

  async create(request: CreateUserRequest, context: WriteContext): Promise<UserResponse> {
    const email = request.email.toLowerCase();
    const scope = resolveScope(request.role, request);
    const passwordHash = await hashSecret(request.password);
    return this.repository.transaction(async (manager) => {
      if (await this.repository.emailTaken(email, manager)) {
        throw new ProblemError('conflict', 'A user with this e-mail address exists.');
      }
      await this.checkScopeExists(request, manager);
      const row = await this.repository.insert(
        { email, displayName: request.displayName, role: request.role, ...scope, passwordHash },
        manager,
      );
      await this.audit.record(auditEvent(context, 'user.create', 'user', row.id), manager);
      return toUserResponse(row);
    });
  }

  async list(query: UserListQuery): Promise<Page<UserResponse>> {
    const rows = await this.repository.list(
      { role: query.role, officeId: query.officeId, networkId: query.networkId, active: query.active },
      instantCursor(query.cursor),
      query.limit,
    );
    return toPage(rows, query.limit, (row) => ({ sortKey: row.createdAt, id: row.id }), toUserResponse);
  }

  async get(id: string): Promise<UserResponse> {
    const row = await this.repository.findById(id);
    if (!row) {
      throw notFound();
    }
    return toUserResponse(row);
  }

  /**
   * Records one audit event per kind of change: `user.deactivate` / `user.reactivate` when the active
   * state flips, `user.set-password` for a new password, `user.update` for name, role, office or network.
   */
  async update(
    id: string,
    request: UpdateUserRequest,
    expectedVersion: number,
    context: WriteContext,
  ): Promise<UserResponse> {
    if (isEmptyChange({ ...request })) {
      throw emptyPatchError();
    }
    const passwordHash = request.password === undefined ? undefined : await hashSecret(request.password);
    return this.repository.transaction(async (manager) => {
      const current = await this.repository.findForUpdate(id, manager);
      if (!current) {
        throw notFound();
      }
      if (current.version !== expectedVersion) {
        throw staleVersion(current.version);
      }
      const role = request.role ?? current.role;
      const rescoped =
        request.role !== undefined || request.officeId !== undefined || request.networkId !== undefined;
      const scope = rescoped ? resolveScope(role, request, current) : undefined;
      if (id === context.actor.id && (request.active === false || role !== current.role)) {
        throw new ProblemError(
          'unprocessable',
          'You cannot deactivate your own account or change your own role; ask another administrator.',
        );
      }
      await this.checkScopeExists(request, manager);
      const row = await this.repository.update(
        id,
        {
          displayName: request.displayName,
          role: request.role,
          officeId: scope?.officeId,
          networkId: scope?.networkId,
          passwordHash,
          active: request.active,
        },
        expectedVersion,
        manager,
      );
      if (!row) {
        throw notFound();
      }
      if (passwordHash !== undefined || request.active === false) {
        await this.auth.revokeSessionsOf(row.id, manager);
      }
      for (const action of auditActions(request, current, row)) {
        await this.audit.record(auditEvent(context, action, 'user', row.id), manager);
      }
      return toUserResponse(row);
    });
  }

  /** An office or network named in the request must exist (422 otherwise). */
  private async checkScopeExists(
    requested: { officeId?: string; networkId?: string },
    manager: EntityManager,
  ): Promise<void> {
    if (
      requested.officeId !== undefined &&
      !(await this.repository.officeExists(requested.officeId, manager))
    ) {
      throw new ProblemError('unprocessable', 'officeId: no office with this id.');
    }
    if (
      requested.networkId !== undefined &&
      !(await this.repository.networkExists(requested.networkId, manager))
    ) {
      throw new ProblemError('unprocessable', 'networkId: no network with this id.');
    }
  }
}

/**
 * The office and network of a user with this role: the requested ones, else the current ones where
 * the role keeps them. Exactly what the role needs; a member it does not use is refused (400).
 */
export function resolveScope(
  role: UserRole,
  requested: { officeId?: string; networkId?: string },
  current?: Pick<UserRow, 'role' | 'officeId' | 'networkId'>,
): Scope {
  const errors: FieldError[] = [];
  const officeId = requested.officeId ?? (current?.role === 'ADVISER' ? current.officeId : null);
  const networkId = requested.networkId ?? (current?.role === 'COORDINATOR' ? current.networkId : null);
  const refuse = (member: 'officeId' | 'networkId', why: string) => {
    if (requested[member] !== undefined) {
      errors.push({ pointer: `#/${member}`, detail: `is not allowed for the role ${role} (${why})` });
    }
  };
  let scope: Scope;
  switch (role) {
    case 'ADVISER':
      if (officeId === null) {
        errors.push({ pointer: '#/officeId', detail: 'is required for the role ADVISER' });
      }
      refuse('networkId', 'an adviser belongs to the network of its office');
      scope = { officeId, networkId: null };
      break;
    case 'COORDINATOR':
      if (networkId === null) {
        errors.push({ pointer: '#/networkId', detail: 'is required for the role COORDINATOR' });
      }
      refuse('officeId', 'a coordinator belongs to a network, not to an office');
      scope = { officeId: null, networkId };
      break;
    case 'ADMIN':
      refuse('officeId', 'an administrator belongs to no office');
      refuse('networkId', 'an administrator belongs to no network');
      scope = { officeId: null, networkId: null };
      break;
  }
  if (errors.length > 0) {
    throw new RequestValidationError(errors);
  }
  return scope;
}

function auditActions(request: UpdateUserRequest, before: UserRow, after: UserRow): string[] {
  const actions: string[] = [];
  if (before.active && !after.active) {
    actions.push('user.deactivate');
  } else if (!before.active && after.active) {
    actions.push('user.reactivate');
  }
  if (request.password !== undefined) {
    actions.push('user.set-password');
  }
  const profileChanged = [request.displayName, request.role, request.officeId, request.networkId].some(
    (value) => value !== undefined,
  );
  if (profileChanged || actions.length === 0) {
    actions.push('user.update');
  }
  return actions;
}

function notFound(): ProblemError {
  return new ProblemError('notFound', 'No user with this id.');
}
