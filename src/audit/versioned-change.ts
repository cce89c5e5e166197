import { Injectable } from '@nestjs/common';
import { Db } from '../common/database/db';
import type { ProblemError } from '../common/errors/problem.error';
import { staleVersion } from '../common/http/concurrency';
import { AuditService, type AuditRecord } from './audit.service';

export interface VersionedChangeSpec<Current extends { version: number }, Result> {
  /** The current row in the caller's scope, locked (`FOR UPDATE`); `undefined` when there is none. */
  load: () => Promise<Current | undefined>;
  notFound: () => ProblemError;
  /** The version from `If-Match`. */
  expectedVersion: number;
  /** Checks the rules against the current row and writes the change (history rows included). */
  apply: (current: Current) => Promise<Result>;
  /** The audit event(s) of the change. */
  audit: (result: Result, current: Current) => AuditRecord | AuditRecord[];
}

/**
 * The one sequence of every change to a versioned record: load in scope and lock → 404 → version
 * check → 412 with the current ETag → apply → audit event. Runs in the caller's transaction (the
 * service method is `@Transactional()`), so the change and its audit event commit together.
 */
@Injectable()
export class VersionedChanges {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
  ) {}

  async apply<Current extends { version: number }, Result>(
    change: VersionedChangeSpec<Current, Result>,
  ): Promise<Result> {
    if (!this.db.inTransaction()) {
      throw new Error(
        'A versioned change must run inside a transaction (@Transactional() on the service method).',
      );
    }
    const current = await change.load();
    if (!current) {
      throw change.notFound();
    }
    if (current.version !== change.expectedVersion) {
      throw staleVersion(current.version);
    }
    const result = await change.apply(current);
    const events = change.audit(result, current);
    await this.audit.recordAll(Array.isArray(events) ? events : [events]);
    return result;
  }
}
