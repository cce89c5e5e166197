import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { utcInstant, type CursorKey } from '../common/http/pagination';
import { assignments, SqlParameters } from '../common/sql';

/** A case as the queries return it (raw row, camelCase aliases; no entity hydration). */
export interface RecognitionCaseRow {
  id: string;
  clientId: string;
  officeId: string;
  qualificationId: string | null;
  kldb: string;
  occupationTitle: string;
  regulated: boolean;
  legalBasis: string;
  procedureKind: string;
  authorityPartnerId: string | null;
  fastTrack: boolean;
  appliedFromAbroad: boolean;
  followUpOf: string | null;
  feesEur: number | null;
  funding: string[];
  status: string;
  outcome: string | null;
  submittedOn: string | null;
  documentsRequestedOn: string | null;
  documentsCompleteOn: string | null;
  decidedOn: string | null;
  firstDecidedOn: string | null;
  appealFiledOn: string | null;
  extendedUntil: string | null;
  suspendedDays: number;
  suspendedSince: string | null;
  receiptConfirmationDueOn: string | null;
  decisionDueOn: string | null;
  processingDays: number | null;
  euQualification: boolean;
  notes: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** The columns a case is created or changed with. */
export interface RecognitionCaseValues {
  qualificationId?: string | null;
  kldb?: string;
  occupationTitle?: string;
  regulated?: boolean;
  legalBasis?: string;
  procedureKind?: string;
  authorityPartnerId?: string | null;
  fastTrack?: boolean;
  appliedFromAbroad?: boolean;
  followUpOf?: string | null;
  feesEur?: number | null;
  funding?: string[];
  status?: string;
  outcome?: string | null;
  submittedOn?: string | null;
  documentsRequestedOn?: string | null;
  documentsCompleteOn?: string | null;
  decidedOn?: string | null;
  firstDecidedOn?: string | null;
  appealFiledOn?: string | null;
  extendedUntil?: string | null;
  suspendedDays?: number;
  suspendedSince?: string | null;
  receiptConfirmationDueOn?: string | null;
  decisionDueOn?: string | null;
  processingDays?: number | null;
  euQualification?: boolean;
  notes?: string | null;
}

const VALUE_COLUMNS: { [K in keyof RecognitionCaseValues]-?: string } = {
  qualificationId: 'qualification_id',
  kldb: 'kldb',
  occupationTitle: 'occupation_title',
  regulated: 'regulated',
  legalBasis: 'legal_basis',
  procedureKind: 'procedure_kind',
  authorityPartnerId: 'authority_partner_id',
  fastTrack: 'fast_track',
  appliedFromAbroad: 'applied_from_abroad',
  followUpOf: 'follow_up_of',
  feesEur: 'fees_eur',
  funding: 'funding',
  status: 'status',
  outcome: 'outcome',
  submittedOn: 'submitted_on',
  documentsRequestedOn: 'documents_requested_on',
  documentsCompleteOn: 'documents_complete_on',
  decidedOn: 'decided_on',
  firstDecidedOn: 'first_decided_on',
  appealFiledOn: 'appeal_filed_on',
  extendedUntil: 'extended_until',
  suspendedDays: 'suspended_days',
  suspendedSince: 'suspended_since',
  receiptConfirmationDueOn: 'receipt_confirmation_due_on',
  decisionDueOn: 'decision_due_on',
  processingDays: 'processing_days',
  euQualification: 'eu_qualification',
  notes: 'notes',
};

const day = (column: string) => `to_char(${column}, 'YYYY-MM-DD')`;

const COLUMNS = `id, client_id AS "clientId", office_id AS "officeId", qualification_id AS "qualificationId",
  kldb, occupation_title AS "occupationTitle", regulated, legal_basis AS "legalBasis",
  procedure_kind AS "procedureKind", authority_partner_id AS "authorityPartnerId", fast_track AS "fastTrack",
  applied_from_abroad AS "appliedFromAbroad", follow_up_of AS "followUpOf", fees_eur::float8 AS "feesEur",
  funding, status, outcome, ${day('submitted_on')} AS "submittedOn",
  ${day('documents_requested_on')} AS "documentsRequestedOn", ${day('documents_complete_on')} AS "documentsCompleteOn",
  ${day('decided_on')} AS "decidedOn", ${day('first_decided_on')} AS "firstDecidedOn",
  ${day('appeal_filed_on')} AS "appealFiledOn", ${day('extended_until')} AS "extendedUntil",
  suspended_days AS "suspendedDays", ${day('suspended_since')} AS "suspendedSince",
  ${day('receipt_confirmation_due_on')} AS "receiptConfirmationDueOn", ${day('decision_due_on')} AS "decisionDueOn",
  processing_days AS "processingDays", eu_qualification AS "euQualification", notes, version,
  ${utcInstant('created_at')} AS "createdAt", ${utcInstant('updated_at')} AS "updatedAt"`;

export interface DifferenceRow {
  id: string;
  caseId: string;
  description: string | null;
  compensationOptions: string[];
}

export interface NewDifference {
  description: string | null;
  compensationOptions: string[];
}

export interface HistoryRow {
  id: string;
  caseId: string;
  fromStatus: string | null;
  toStatus: string;
  occurredOn: string;
  actorId: string;
  actorRole: string;
  payload: Record<string, unknown>;
  note: string | null;
  recordedAt: string;
}

export interface NewHistoryEntry {
  caseId: string;
  fromStatus: string | null;
  toStatus: string;
  occurredOn: string;
  actorId: string;
  actorRole: string;
  payload: Record<string, unknown>;
  note: string | null;
}

const HISTORY_COLUMNS = `id, case_id AS "caseId", from_status AS "fromStatus", to_status AS "toStatus",
  ${day('occurred_on')} AS "occurredOn", actor_id AS "actorId", actor_role AS "actorRole", payload, note,
  ${utcInstant('recorded_at')} AS "recordedAt"`;

/** What the client's timeline shows of a history row: codes and dates only. */
export interface HistoryTimelineRow {
  id: string;
  caseId: string;
  fromStatus: string | null;
  toStatus: string;
  occurredOn: string;
  outcome: string | null;
  extendedUntil: string | null;
  recordedAt: string;
}

export interface CaseListFilter {
  status?: string;
  clientId?: string;
  overdue?: boolean;
  dueBefore?: string;
  kldbPrefix?: string;
  regulated?: boolean;
}

/** A predecessor named by `followUpOf`, as far as the rules need it. */
export interface PredecessorRow {
  clientId: string;
  status: string;
}

/**
 * All SQL on recognition cases, their history and substantial differences. Every query of a case is
 * scoped by the caller's office (an argument), so a case of another office is simply not found.
 */
@Injectable()
export class RecognitionCaseRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async insert(
    clientId: string,
    officeId: string,
    values: RecognitionCaseValues,
    manager: EntityManager,
  ): Promise<RecognitionCaseRow> {
    const parameters = new SqlParameters();
    const keys = (Object.keys(VALUE_COLUMNS) as (keyof RecognitionCaseValues)[]).filter(
      (key) => values[key] !== undefined,
    );
    const columns = ['client_id', 'office_id', ...keys.map((key) => VALUE_COLUMNS[key])];
    const placeholders = [clientId, officeId, ...keys.map((key) => values[key])].map((value) =>
      parameters.bind(value),
    );
    const rows: RecognitionCaseRow[] = await manager.query(
      `INSERT INTO recognition_cases (${columns.join(', ')}) VALUES (${placeholders.join(', ')})
       RETURNING ${COLUMNS}`,
      parameters.values,
    );
    return rows[0];
  }

  async findInOffice(
    id: string,
    officeId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<RecognitionCaseRow | undefined> {
    const rows: RecognitionCaseRow[] = await manager.query(
      `SELECT ${COLUMNS} FROM recognition_cases WHERE id = $1 AND office_id = $2`,
      [id, officeId],
    );
    return rows[0];
  }

  /** Locks the case (of this office) until the transaction ends: changes to one case queue up. */
  async lockInOffice(
    id: string,
    officeId: string,
    manager: EntityManager,
  ): Promise<RecognitionCaseRow | undefined> {
    const rows: RecognitionCaseRow[] = await manager.query(
      `SELECT ${COLUMNS} FROM recognition_cases WHERE id = $1 AND office_id = $2 FOR UPDATE`,
      [id, officeId],
    );
    return rows[0];
  }

  /**
   * Newest first, keyset on (created_at, id); fetches `limit + 1` rows. The deadline filters name the
   * status as a literal so that the planner can use the partial index on cases under examination.
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
      conditions.push(`status = 'IN_PRUEFUNG' AND decision_due_on < ${parameters.bind(today)}::date`);
    } else if (filter.overdue === false) {
      conditions.push(
        `(status <> 'IN_PRUEFUNG' OR decision_due_on IS NULL OR decision_due_on >= ${parameters.bind(today)}::date)`,
      );
    }
    if (filter.dueBefore !== undefined) {
      conditions.push(
        `status = 'IN_PRUEFUNG' AND decision_due_on < ${parameters.bind(filter.dueBefore)}::date`,
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
      conditions.push(
        `(created_at, id) < (${parameters.bind(before.sortKey)}::timestamptz, ${parameters.bind(before.id)}::uuid)`,
      );
    }
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM recognition_cases WHERE ${conditions.join(' AND ')}
        ORDER BY created_at DESC, id DESC LIMIT ${parameters.bind(limit + 1)}`,
      parameters.values,
    );
  }

  /** Applies the changes and increments the version, if the version is still the expected one. */
  async update(
    id: string,
    changes: RecognitionCaseValues,
    expectedVersion: number,
    manager: EntityManager,
  ): Promise<RecognitionCaseRow | undefined> {
    const parameters = new SqlParameters();
    const sets = assignments(changes, VALUE_COLUMNS, parameters);
    const [rows]: [RecognitionCaseRow[], number] = await manager.query(
      `UPDATE recognition_cases SET ${[...sets, 'version = version + 1', 'updated_at = now()'].join(', ')}
        WHERE id = ${parameters.bind(id)} AND version = ${parameters.bind(expectedVersion)}
        RETURNING ${COLUMNS}`,
      parameters.values,
    );
    return rows[0];
  }

  /** The substantial differences of these cases, in the order they were recorded. */
  async differencesOf(
    caseIds: string[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<DifferenceRow[]> {
    if (caseIds.length === 0) {
      return [];
    }
    return manager.query(
      `SELECT id, case_id AS "caseId", description, compensation_options AS "compensationOptions"
         FROM substantial_differences WHERE case_id = ANY($1::uuid[]) ORDER BY created_at, id`,
      [caseIds],
    );
  }

  /** A new decision states the differences anew: the earlier decision's list is replaced. */
  async replaceDifferences(
    caseId: string,
    differences: NewDifference[],
    manager: EntityManager,
  ): Promise<void> {
    await manager.query('DELETE FROM substantial_differences WHERE case_id = $1', [caseId]);
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
    await manager.query(
      `INSERT INTO substantial_differences (case_id, description, compensation_options, created_at)
       VALUES ${rows.join(', ')}`,
      parameters.values,
    );
  }

  async insertHistory(entry: NewHistoryEntry, manager: EntityManager): Promise<HistoryRow> {
    const rows: HistoryRow[] = await manager.query(
      `INSERT INTO recognition_case_history
              (case_id, from_status, to_status, occurred_on, actor_id, actor_role, payload, note)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8)
       RETURNING ${HISTORY_COLUMNS}`,
      [
        entry.caseId,
        entry.fromStatus,
        entry.toStatus,
        entry.occurredOn,
        entry.actorId,
        entry.actorRole,
        JSON.stringify(entry.payload),
        entry.note,
      ],
    );
    return rows[0];
  }

  /**
   * The date of the case's latest transition or extension. The row recording the creation does not
   * count: a case may be recorded after it was filed, and its transitions are then back-dated.
   */
  async latestEventOn(caseId: string, manager: EntityManager): Promise<string | null> {
    const rows: { latest: string | null }[] = await manager.query(
      `SELECT to_char(max(occurred_on), 'YYYY-MM-DD') AS latest
         FROM recognition_case_history WHERE case_id = $1 AND from_status IS NOT NULL`,
      [caseId],
    );
    return rows[0]?.latest ?? null;
  }

  /** Oldest first, keyset on (recorded_at, id); fetches `limit + 1` rows. */
  async history(caseId: string, after: CursorKey | undefined, limit: number): Promise<HistoryRow[]> {
    const parameters = new SqlParameters();
    const conditions = [`case_id = ${parameters.bind(caseId)}`];
    if (after) {
      conditions.push(
        `(recorded_at, id) > (${parameters.bind(after.sortKey)}::timestamptz, ${parameters.bind(after.id)}::uuid)`,
      );
    }
    return this.dataSource.query(
      `SELECT ${HISTORY_COLUMNS} FROM recognition_case_history WHERE ${conditions.join(' AND ')}
        ORDER BY recorded_at, id LIMIT ${parameters.bind(limit + 1)}`,
      parameters.values,
    );
  }

  /** The country of a qualification of this client; `undefined` when the client has no such qualification. */
  async qualificationCountry(
    clientId: string,
    qualificationId: string,
    manager: EntityManager,
  ): Promise<string | undefined> {
    const rows: { country: string }[] = await manager.query(
      'SELECT country FROM client_qualifications WHERE id = $1 AND client_id = $2',
      [qualificationId, clientId],
    );
    return rows[0]?.country;
  }

  async partnerExists(partnerId: string, manager: EntityManager): Promise<boolean> {
    const rows: unknown[] = await manager.query('SELECT 1 FROM partners WHERE id = $1', [partnerId]);
    return rows.length > 0;
  }

  async findPredecessor(
    id: string,
    officeId: string,
    manager: EntityManager,
  ): Promise<PredecessorRow | undefined> {
    const rows: PredecessorRow[] = await manager.query(
      'SELECT client_id AS "clientId", status FROM recognition_cases WHERE id = $1 AND office_id = $2',
      [id, officeId],
    );
    return rows[0];
  }

  /** Every case of the client, oldest first (Art. 15 export). */
  async allOf(clientId: string, manager: EntityManager): Promise<RecognitionCaseRow[]> {
    return manager.query(
      `SELECT ${COLUMNS} FROM recognition_cases WHERE client_id = $1 ORDER BY created_at, id`,
      [clientId],
    );
  }

  /** The complete history of the client's cases, oldest first (Art. 15 export). */
  async historyOfClient(clientId: string, manager: EntityManager): Promise<HistoryRow[]> {
    return manager.query(
      `SELECT ${HISTORY_COLUMNS} FROM recognition_case_history
        WHERE case_id IN (SELECT id FROM recognition_cases WHERE client_id = $1)
        ORDER BY recorded_at, id`,
      [clientId],
    );
  }

  /**
   * Art. 17: removes the free texts for good (case notes, transition notes, descriptions of the
   * differences); codes, dates and figures stay for the statistics. Answers the rows changed.
   */
  async eraseFreeTexts(clientId: string, manager: EntityManager): Promise<number> {
    const [, cases]: [unknown, number] = await manager.query(
      `UPDATE recognition_cases SET notes = NULL, version = version + 1, updated_at = now()
        WHERE client_id = $1`,
      [clientId],
    );
    const [, history]: [unknown, number] = await manager.query(
      `UPDATE recognition_case_history SET note = NULL
        WHERE note IS NOT NULL AND case_id IN (SELECT id FROM recognition_cases WHERE client_id = $1)`,
      [clientId],
    );
    const [, differences]: [unknown, number] = await manager.query(
      `UPDATE substantial_differences SET description = NULL
        WHERE description IS NOT NULL AND case_id IN (SELECT id FROM recognition_cases WHERE client_id = $1)`,
      [clientId],
    );
    return cases + history + differences;
  }

  async timelineOf(clientId: string, manager: EntityManager): Promise<HistoryTimelineRow[]> {
    return manager.query(
      `SELECT h.id, h.case_id AS "caseId", h.from_status AS "fromStatus", h.to_status AS "toStatus",
              ${day('h.occurred_on')} AS "occurredOn", h.payload->>'outcome' AS outcome,
              h.payload->>'extendedUntil' AS "extendedUntil", ${utcInstant('h.recorded_at')} AS "recordedAt"
         FROM recognition_case_history h JOIN recognition_cases c ON c.id = h.case_id
        WHERE c.client_id = $1
        ORDER BY h.recorded_at, h.id`,
      [clientId],
    );
  }
}
