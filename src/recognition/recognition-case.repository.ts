import { Injectable } from '@nestjs/common';
import { Db } from '../common/database/db';
import {
  createdAtKeyset,
  orderAndLimit,
  type RowOf,
  type ValuesOf,
  historyPage,
} from '../common/database/table';
import { utcInstant, type CursorKey } from '../common/http/pagination';
import { SqlParameters } from '../common/sql';
import { RecognitionCaseHistoryEntity } from './recognition-case-history.entity';
import { RecognitionCaseEntity } from './recognition-case.entity';
import type { RecordedStep } from './deadlines';
import { SubstantialDifferenceEntity } from './substantial-difference.entity';

/** A case as the queries return it (raw row, camelCase aliases; no entity hydration). */
export type RecognitionCaseRow = RowOf<RecognitionCaseEntity>;

/** The columns a case is created or changed with. */
export type RecognitionCaseValues = ValuesOf<
  RecognitionCaseEntity,
  'id' | 'clientId' | 'officeId' | 'version' | 'createdAt' | 'updatedAt'
>;

export type DifferenceRow = Omit<RowOf<SubstantialDifferenceEntity>, 'createdAt'>;

export type NewDifference = Pick<DifferenceRow, 'description' | 'compensationOptions'>;

export type HistoryRow = RowOf<RecognitionCaseHistoryEntity>;

export type NewHistoryEntry = Omit<HistoryRow, 'id' | 'recordedAt'>;

/** What the client's timeline shows of a history row: codes and dates only. */
export interface HistoryTimelineRow {
  id: string;
  caseId: string;
  fromStatus: string | null;
  toStatus: string;
  occurredOn: string;
  outcome: string | null;
  extendedUntil: string | null;
  receiptConfirmedOn: string | null;
  appealWithdrawn: boolean;
  recordedAt: string;
}

export interface CaseListFilter {
  status?: string;
  clientId?: string;
  overdue?: boolean;
  dueBefore?: string;
  receiptConfirmationOverdue?: boolean;
  kldbPrefix?: string;
  regulated?: boolean;
}

/** A predecessor named by `followUpOf`, as far as the rules need it. */
export interface PredecessorRow {
  clientId: string;
  status: string;
  outcome: string | null;
  kldb: string;
}

/** The decision period runs (or is suspended after it expired) in these states; literal for the partial index. */
const EXAMINED = `status IN ('IN_PRUEFUNG', 'GEHEMMT')`;

/**
 * All SQL on recognition cases, their history and substantial differences. Every query of a case is
 * scoped by the caller's office (an argument), so a case of another office is simply not found.
 */
@Injectable()
export class RecognitionCaseRepository {
  constructor(private readonly db: Db) {}

  private get table() {
    return this.db.table(RecognitionCaseEntity);
  }

  private get historyTable() {
    return this.db.table(RecognitionCaseHistoryEntity);
  }

  private get columns(): string {
    return this.table.columns();
  }

  async insert(
    clientId: string,
    officeId: string,
    values: RecognitionCaseValues,
  ): Promise<RecognitionCaseRow> {
    const parameters = new SqlParameters();
    const statement = this.table.insert({ ...values, clientId, officeId }, parameters);
    return (await this.db.row<RecognitionCaseRow>(statement, parameters.values))!;
  }

  async findInOffice(id: string, officeId: string): Promise<RecognitionCaseRow | undefined> {
    return this.db.row<RecognitionCaseRow>(
      `SELECT ${this.columns} FROM recognition_cases WHERE id = $1 AND office_id = $2`,
      [id, officeId],
    );
  }

  /** Locks the case (of this office) until the transaction ends: changes to one case queue up. */
  async lockInOffice(id: string, officeId: string): Promise<RecognitionCaseRow | undefined> {
    return this.db.row<RecognitionCaseRow>(
      `SELECT ${this.columns} FROM recognition_cases WHERE id = $1 AND office_id = $2 FOR UPDATE`,
      [id, officeId],
    );
  }

  /**
   * Newest first, keyset on (created_at, id); fetches `limit + 1` rows. The deadline filters name the
   * states as literals so that the planner can use the partial index on cases under examination (a
   * case suspended after its period expired keeps its due date and stays overdue).
   */
  async list(
    officeId: string,
    filter: CaseListFilter,
    today: string,
    before: CursorKey | undefined,
    limit: number,
  ): Promise<RecognitionCaseRow[]> {
    const parameters = new SqlParameters();
    const conditions = [`office_id = ${parameters.bind(officeId)}`];
    if (filter.status !== undefined) {
      conditions.push(`status = ${parameters.bind(filter.status)}`);
    }
    if (filter.clientId !== undefined) {
      conditions.push(`client_id = ${parameters.bind(filter.clientId)}`);
    }
    if (filter.overdue === true) {
      conditions.push(`${EXAMINED} AND decision_due_on < ${parameters.bind(today)}::date`);
    } else if (filter.overdue === false) {
      conditions.push(
        `(NOT ${EXAMINED} OR decision_due_on IS NULL OR decision_due_on >= ${parameters.bind(today)}::date)`,
      );
    }
    if (filter.dueBefore !== undefined) {
      conditions.push(`${EXAMINED} AND decision_due_on < ${parameters.bind(filter.dueBefore)}::date`);
    }
    if (filter.receiptConfirmationOverdue === true) {
      conditions.push(
        `status IN ('BEANTRAGT', 'UNVOLLSTAENDIG') AND receipt_confirmed_on IS NULL ` +
          `AND receipt_confirmation_due_on < ${parameters.bind(today)}::date`,
      );
    }
    if (filter.kldbPrefix !== undefined) {
      // Digits only (validated), so no LIKE wildcard can come from the request.
      conditions.push(`kldb LIKE ${parameters.bind(`${filter.kldbPrefix}%`)}`);
    }
    if (filter.regulated !== undefined) {
      conditions.push(`regulated = ${parameters.bind(filter.regulated)}`);
    }
    if (before) {
      conditions.push(createdAtKeyset(before, 'DESC', parameters));
    }
    return this.db.rows<RecognitionCaseRow>(
      `SELECT ${this.columns} FROM recognition_cases WHERE ${conditions.join(' AND ')}
        ${orderAndLimit(['created_at', 'id'], 'DESC', limit, parameters)}`,
      parameters.values,
    );
  }

  /** Applies the changes and increments the version, if the version is still the expected one. */
  async update(
    id: string,
    changes: RecognitionCaseValues,
    expectedVersion: number,
  ): Promise<RecognitionCaseRow | undefined> {
    const parameters = new SqlParameters();
    const statement = this.table.versionedUpdate(changes, { id }, expectedVersion, parameters);
    return this.db.row<RecognitionCaseRow>(statement, parameters.values);
  }

  /** The substantial differences of these cases, in the order they were recorded. */
  async differencesOf(caseIds: string[]): Promise<DifferenceRow[]> {
    if (caseIds.length === 0) {
      return [];
    }
    return this.db.rows<DifferenceRow>(
      `SELECT ${this.db.table(SubstantialDifferenceEntity).columns(undefined, ['createdAt'])}
         FROM substantial_differences WHERE case_id = ANY($1::uuid[]) ORDER BY created_at, id`,
      [caseIds],
    );
  }

  /** A new decision states the differences anew: the earlier decision's list is replaced. */
  async replaceDifferences(caseId: string, differences: NewDifference[]): Promise<void> {
    await this.db.run('DELETE FROM substantial_differences WHERE case_id = $1', [caseId]);
    if (differences.length === 0) {
      return;
    }
    // One statement; clock_timestamp() per row keeps the request's order in created_at.
    const parameters = new SqlParameters();
    const caseParameter = parameters.bind(caseId);
    const rows = differences.map(
      (difference) =>
        `(${caseParameter}, ${parameters.bind(difference.description)}, ` +
        `${parameters.bind(difference.compensationOptions)}::text[], clock_timestamp())`,
    );
    await this.db.run(
      `INSERT INTO substantial_differences (case_id, description, compensation_options, created_at)
       VALUES ${rows.join(', ')}`,
      parameters.values,
      { prepared: false },
    );
  }

  async insertHistory(entry: NewHistoryEntry): Promise<HistoryRow> {
    const parameters = new SqlParameters();
    const statement = this.historyTable.insert(entry, parameters);
    return (await this.db.row<HistoryRow>(statement, parameters.values))!;
  }

  /**
   * The date of the case's latest transition or extension. The row recording the creation does not
   * count: a case may be recorded after it was filed, and its transitions are then back-dated.
   */
  async latestEventOn(caseId: string): Promise<string | null> {
    const row = await this.db.row<{ latest: string | null }>(
      `SELECT to_char(max(occurred_on), 'YYYY-MM-DD') AS latest
         FROM recognition_case_history WHERE case_id = $1 AND from_status IS NOT NULL`,
      [caseId],
    );
    return row?.latest ?? null;
  }

  /** The case's steps in the order they were recorded, as far as the decision period looks at them. */
  async periodSteps(caseId: string): Promise<RecordedStep[]> {
    return this.db.rows<{
      fromStatus: string | null;
      toStatus: string;
      occurredOn: string;
      extendedUntil: string | null;
    }>(
      `SELECT from_status AS "fromStatus", to_status AS "toStatus", to_char(occurred_on, 'YYYY-MM-DD') AS "occurredOn",
              payload->>'extendedUntil' AS "extendedUntil"
         FROM recognition_case_history WHERE case_id = $1 ORDER BY recorded_at, id`,
      [caseId],
    );
  }

  /** Oldest first, keyset on (recorded_at, id); fetches `limit + 1` rows. */
  async history(caseId: string, after: CursorKey | undefined, limit: number): Promise<HistoryRow[]> {
    const page = historyPage(this.historyTable, 'case_id', caseId, after, limit);
    return this.db.rows<HistoryRow>(page.text, page.values);
  }

  async findPredecessor(id: string, officeId: string): Promise<PredecessorRow | undefined> {
    return this.db.row<PredecessorRow>(
      `SELECT client_id AS "clientId", status, outcome, kldb FROM recognition_cases
        WHERE id = $1 AND office_id = $2`,
      [id, officeId],
    );
  }

  /** Every case of the client, oldest first (Art. 15 export). */
  async allOf(clientId: string): Promise<RecognitionCaseRow[]> {
    return this.db.rows<RecognitionCaseRow>(
      `SELECT ${this.columns} FROM recognition_cases WHERE client_id = $1 ORDER BY created_at, id`,
      [clientId],
    );
  }

  /** The complete history of the client's cases, oldest first (Art. 15 export). */
  async historyOfClient(clientId: string): Promise<HistoryRow[]> {
    return this.db.rows<HistoryRow>(
      `SELECT ${this.historyTable.columns()} FROM recognition_case_history
        WHERE case_id IN (SELECT id FROM recognition_cases WHERE client_id = $1)
        ORDER BY recorded_at, id`,
      [clientId],
    );
  }

  /**
   * Art. 17: removes the free texts for good (case notes, transition notes, descriptions of the
   * differences); codes, dates and figures stay for the statistics. Answers the rows changed.
   */
  async eraseFreeTexts(clientId: string): Promise<number> {
    const cases = await this.db.run(
      `UPDATE recognition_cases SET notes = NULL, version = version + 1, updated_at = now()
        WHERE client_id = $1`,
      [clientId],
    );
    const history = await this.db.run(
      `UPDATE recognition_case_history SET note = NULL
        WHERE note IS NOT NULL AND case_id IN (SELECT id FROM recognition_cases WHERE client_id = $1)`,
      [clientId],
    );
    const differences = await this.db.run(
      `UPDATE substantial_differences SET description = NULL
        WHERE description IS NOT NULL AND case_id IN (SELECT id FROM recognition_cases WHERE client_id = $1)`,
      [clientId],
    );
    return cases + history + differences;
  }

  async timelineOf(clientId: string): Promise<HistoryTimelineRow[]> {
    return this.db.rows<HistoryTimelineRow>(
      `SELECT h.id, h.case_id AS "caseId", h.from_status AS "fromStatus", h.to_status AS "toStatus",
              to_char(h.occurred_on, 'YYYY-MM-DD') AS "occurredOn", h.payload->>'outcome' AS outcome,
              h.payload->>'extendedUntil' AS "extendedUntil", h.payload->>'receiptConfirmedOn' AS "receiptConfirmedOn",
              coalesce((h.payload->>'appealWithdrawn')::boolean, false) AS "appealWithdrawn",
              ${utcInstant('h.recorded_at')} AS "recordedAt"
         FROM recognition_case_history h JOIN recognition_cases c ON c.id = h.case_id
        WHERE c.client_id = $1
        ORDER BY h.recorded_at, h.id`,
      [clientId],
    );
  }
}
