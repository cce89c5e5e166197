import { Injectable, Logger } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { AuditService } from '../audit/audit.service';
import { auditEvent, type WriteContext } from '../audit/write-context';
import { ClientActivitySources } from '../clients/client-activity';
import { ClientPrivacyService } from '../clients/client-privacy.service';
import { RequestValidationError } from '../common/errors/problem.error';
import {
  decodeCursor,
  instantCursor,
  isCursorId,
  toPage,
  type CursorKey,
  type Page,
} from '../common/http/pagination';
import { isCalendarDate } from '../common/http/validate.decorators';
import { Clock } from '../common/time/clock';
import type { AppConfig } from '../config/config';
import { InjectConfig } from '../config/config.module';
import {
  toDueClientResponse,
  toRetentionRunResponse,
  type DueClientResponse,
  type RetentionPreviewQuery,
  type RetentionRunQuery,
  type RetentionRunResponse,
} from './retention.dto';
import { RetentionRepository, type DueQuery } from './retention.repository';

/**
 * The retention rule (Art. 5(1)(e) GDPR): a client nobody has served for RETENTION_YEARS (no
 * activity in any `ClientActivitySource` since — for a client with cases, the closing of the last
 * one is such an activity) and whom no source holds (an open case …) is erased through the Art. 17
 * erasure, with the system as the actor.
 */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger(RetentionService.name);

  constructor(
    private readonly repository: RetentionRepository,
    private readonly sources: ClientActivitySources,
    private readonly privacy: ClientPrivacyService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /**
   * The clients due today, ordered by the day they became due. Administrators see every office; a
   * coordinator the offices of their network. Ids and dates only.
   */
  async preview(query: RetentionPreviewQuery, context: WriteContext): Promise<Page<DueClientResponse>> {
    const { actor } = context;
    const after = dueCursor(query.cursor);
    await this.audit.record({
      actor,
      action: 'retention.preview',
      resourceType: 'retention',
      requestId: context.requestId,
    });
    if (actor.role !== 'ADMIN' && actor.networkId === null) {
      return { items: [], nextCursor: null };
    }
    const rows = await this.repository.due({
      ...this.rule(),
      networkId: actor.role === 'ADMIN' ? undefined : (actor.networkId ?? undefined),
      after,
      limit: query.limit + 1,
    });
    return toPage(
      rows,
      query.limit,
      (row) => ({ sortKey: row.dueOn, id: row.clientId }),
      toDueClientResponse,
    );
  }

  /**
   * Erases every client due today, each in a transaction of its own (a failure leaves that client for
   * the next run and does not stop the others). Safe to run twice at once: a client is locked and checked
   * again before it is erased, and an erased client is never due.
   */
  async run(trigger: 'SCHEDULE' | 'MANUAL', context?: WriteContext): Promise<RetentionRunResponse> {
    const rule = this.rule();
    const runId = await this.repository.startRun(trigger, context?.actor.id ?? null, rule.today);
    const due = await this.repository.due(rule);
    let erased = 0;
    let failed = 0;
    for (const client of due) {
      try {
        if (await this.eraseIfStillDue(client.clientId, runId, rule)) {
          erased += 1;
        }
      } catch (error) {
        failed += 1;
        this.logger.error(
          { err: error, clientId: client.clientId, runId },
          'Retention could not erase a client',
        );
      }
    }
    const run = await this.repository.finishRun(runId, erased, failed);
    if (context) {
      await this.audit.record(auditEvent(context, 'retention.run', 'retention-run', runId));
    }
    this.logger.log({ runId, trigger, due: due.length, erased, failed }, 'Retention run finished');
    return toRetentionRunResponse(run);
  }

  async runs(query: RetentionRunQuery): Promise<Page<RetentionRunResponse>> {
    const rows = await this.repository.runs(instantCursor(query.cursor), query.limit);
    return toPage(
      rows,
      query.limit,
      (row) => ({ sortKey: row.startedAt, id: row.id }),
      toRetentionRunResponse,
    );
  }

  /** Locks the client, checks the rule again (activity may have come in since), erases it. */
  @Transactional()
  private async eraseIfStillDue(clientId: string, runId: string, rule: DueQuery): Promise<boolean> {
    const client = await this.repository.lockClient(clientId);
    if (!client || (await this.repository.due({ ...rule, clientId })).length === 0) {
      return false;
    }
    await this.privacy.eraseAsSystem(clientId, client.officeId, client.version, runId);
    return true;
  }

  private rule(): DueQuery {
    return {
      sources: this.sources.all(),
      timeZone: this.clock.timeZone,
      years: this.config.retention.years,
      today: this.clock.today(),
    };
  }
}

/** The preview's cursor: (due day, client id), checked so that a forged one answers 400. */
function dueCursor(cursor: string | undefined): CursorKey | undefined {
  const key = decodeCursor(cursor);
  if (key && !(isCalendarDate(key.sortKey) && isCursorId(key.id))) {
    throw new RequestValidationError([
      { pointer: '#/cursor', detail: 'must be a nextCursor value from a previous page' },
    ]);
  }
  return key;
}
