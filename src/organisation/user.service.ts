import { Transactional } from '@nestjs-cls/transactional';
import { Injectable } from '@nestjs/common';
import type { UserRole } from '../auth/roles';
import { AuditService } from '../audit/audit.service';
import { VersionedChanges } from '../audit/versioned-change';
import { notFoundOrStale } from '../common/http/concurrency';
import { ProblemError, RequestValidationError, type FieldError } from '../common/errors/problem.error';
import { toPage, type Page, instantCursor } from '../common/http/pagination';
import { AuthService } from '../auth/auth.service';
import { hashSecret } from '../auth/password';
import { emptyPatchError, isEmptyChange } from '../common/sql';
import { Clock } from '../common/time/clock';
import {
  toUserResponse,
  type CreateUserRequest,
  type UpdateUserRequest,
  type UserListQuery,
  type UserResponse,
} from './user.dto';
import { UserRepository, type NewUser, type UserRow } from './user.repository';
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
    private readonly changes: VersionedChanges,
    private readonly clock: Clock,
  ) {}

  async create(request: CreateUserRequest, context: WriteContext): Promise<UserResponse> {
    const email = request.email.toLowerCase();
    const scope = resolveScope(request.role, request);
    const passwordHash = await hashSecret(request.password);
    return this.insert(
      request,
      {
        email,
        displayName: request.displayName,
        role: request.role,
        ...scope,
        passwordHash,
        // The administrator knows this password: it only serves the person to set their own.
        passwordChangeRequired: true,
        passwordSetByAdminAt: this.clock.now().toISOString(),
      },
      context,
    );
  }

  /** The transaction of a create, after the (slow) password hash. */
  @Transactional()
  private async insert(
    request: CreateUserRequest,
    user: NewUser,
    context: WriteContext,
  ): Promise<UserResponse> {
    if (await this.repository.emailTaken(user.email)) {
      throw new ProblemError('conflict', 'A user with this e-mail address exists.');
    }
    await this.checkScopeExists(request);
    const row = await this.repository.insert(user);
    await this.audit.record(auditEvent(context, 'user.create', 'user', row.id));
    return toUserResponse(row);
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
    return this.change(id, request, passwordHash, expectedVersion, context);
  }

  /** The transaction of an update, after the (slow) password hash. */
  @Transactional()
  private async change(
    id: string,
    request: UpdateUserRequest,
    passwordHash: string | undefined,
    expectedVersion: number,
    context: WriteContext,
  ): Promise<UserResponse> {
    const row = await this.changes.apply({
      load: () => this.repository.findForUpdate(id),
      notFound,
      expectedVersion,
      apply: async (current) => {
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
        await this.checkScopeExists(request);
        const updated = await this.repository.update(
          id,
          {
            displayName: request.displayName,
            role: request.role,
            officeId: scope?.officeId,
            networkId: scope?.networkId,
            passwordHash,
            ...(passwordHash === undefined ? {} : this.passwordSetBy(context, id)),
            active: request.active,
          },
          expectedVersion,
        );
        if (!updated) {
          throw notFoundOrStale(current, notFound);
        }
        if (passwordHash !== undefined || request.active === false) {
          await this.auth.revokeSessionsOf(updated.id);
        }
        // One event per kind of change: all but the last here, the last one by VersionedChanges.
        for (const action of auditActions(request, current, updated).slice(0, -1)) {
          await this.audit.record(auditEvent(context, action, 'user', updated.id));
        }
        return updated;
      },
      audit: (updated, current) =>
        auditEvent(context, auditActions(request, current, updated).at(-1)!, 'user', updated.id),
    });
    return toUserResponse(row);
  }

  /**
   * A password an administrator sets for someone else is one-time: until the person sets their own,
   * the account can do nothing else (and `GET /auth/me` tells them when it was set). An administrator
   * setting their own password knows it anyway.
   */
  private passwordSetBy(
    context: WriteContext,
    userId: string,
  ): Pick<NewUser, 'passwordChangeRequired'> & Partial<Pick<NewUser, 'passwordSetByAdminAt'>> {
    return userId === context.actor.id
      ? { passwordChangeRequired: false }
      : { passwordChangeRequired: true, passwordSetByAdminAt: this.clock.now().toISOString() };
  }

  /** An office or network named in the request must exist (422 otherwise). */
  private async checkScopeExists(requested: { officeId?: string; networkId?: string }): Promise<void> {
    if (requested.officeId !== undefined && !(await this.repository.officeExists(requested.officeId))) {
      throw new ProblemError('unprocessable', 'officeId: no office with this id.');
    }
    if (requested.networkId !== undefined && !(await this.repository.networkExists(requested.networkId))) {
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
