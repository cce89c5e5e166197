import { Injectable } from '@nestjs/common';
import { Db } from '../common/database/db';
import {
  createdAtKeyset,
  keysetAfter,
  orderAndLimit,
  type RowOf,
  type ValuesOf,
  historyPage,
} from '../common/database/table';
import { utcInstant, type CursorKey } from '../common/http/pagination';
import { SqlParameters } from '../common/sql';
import { EnrolmentHistoryEntity } from './enrolment-history.entity';
import { EnrolmentEntity } from './enrolment.entity';

/** An enrolment with its place on the waiting list (`null` unless WARTELISTE), computed when read. */
export type EnrolmentRow = RowOf<EnrolmentEntity> & { waitlistPosition: number | null };

export type EnrolmentValues = ValuesOf<
  EnrolmentEntity,
  'id' | 'offerId' | 'clientId' | 'officeId' | 'queuedAt' | 'version' | 'createdAt' | 'updatedAt'
>;

export type EnrolmentHistoryRow = RowOf<EnrolmentHistoryEntity>;

export type NewEnrolmentHistoryEntry = Omit<EnrolmentHistoryRow, 'id' | 'recordedAt'>;

export interface EnrolmentListFilter {
  clientId?: string;
  offerId?: string;
  status?: string;
}

/** What an offer's coordinator sees of an enrolment: no name, no free text, a pseudonym of the client. */
export interface OfferEnrolmentRow {
  id: string;
  clientPseudonym: string;
  officeId: string;
  status: string;
  waitlistPosition: number | null;
  confirmedOn: string | null;
  startedOn: string | null;
  endedOn: string | null;
  createdAt: string;
  /** The queue order (the list's keyset). */
  queuedAt: string;
}

export interface EnrolmentTimelineRow {
  id: string;
  enrolmentId: string;
  offerId: string;
  fromStatus: string | null;
  toStatus: string;
  occurredOn: string;
  promoted: boolean;
  recordedAt: string;
}

/**
 * The waiting-list position: 1 + the enrolments of the same offer waiting longer. `(queued_at, id)` is
 * the queue order; the index on (offer_id, status, queued_at, id) answers it as a range count.
 */
const POSITION = (alias: string) => `CASE WHEN ${alias}.status = 'WARTELISTE' THEN (
    SELECT count(*)::int FROM enrolments w
     WHERE w.offer_id = ${alias}.offer_id AND w.status = 'WARTELISTE'
       AND (w.queued_at, w.id) <= (${alias}.queued_at, ${alias}.id)) END AS "waitlistPosition"`;

/**
 * All SQL on enrolments and their history. Adviser queries are scoped by the caller's office (an
 * argument), so an enrolment of another office is simply not found.
 */
@Injectable()
export class EnrolmentRepository {
  constructor(private readonly db: Db) {}

  private get table() {
    return this.db.table(EnrolmentEntity);
  }

  private get historyTable() {
    return this.db.table(EnrolmentHistoryEntity);
  }

  private get columns(): string {
    return `${this.table.columns('e')}, ${POSITION('e')}`;
  }

  async insert(
    offerId: string,
    clientId: string,
    officeId: string,
    values: EnrolmentValues,
  ): Promise<string> {
    const parameters = new SqlParameters();
    const statement = this.table.insert({ ...values, offerId, clientId, officeId }, parameters, 'id');
    return (await this.db.row<{ id: string }>(statement, parameters.values))!.id;
  }

  async find(id: string): Promise<EnrolmentRow | undefined> {
    return this.db.row<EnrolmentRow>(`SELECT ${this.columns} FROM enrolments e WHERE e.id = $1`, [id]);
  }

  async findInOffice(id: string, officeId: string): Promise<EnrolmentRow | undefined> {
    return this.db.row<EnrolmentRow>(
      `SELECT ${this.columns} FROM enrolments e WHERE e.id = $1 AND e.office_id = $2`,
      [id, officeId],
    );
  }

  /** Locks the enrolment (of this office) until the transaction ends. */
  async lockInOffice(id: string, officeId: string): Promise<EnrolmentRow | undefined> {
    return this.db.row<EnrolmentRow>(
      `SELECT ${this.columns} FROM enrolments e WHERE e.id = $1 AND e.office_id = $2 FOR UPDATE OF e`,
      [id, officeId],
    );
  }

  /** The client's live enrolment in the offer, if any (the unique index allows one). */
  async liveOf(offerId: string, clientId: string): Promise<{ id: string; status: string } | undefined> {
    return this.db.row<{ id: string; status: string }>(
      `SELECT id, status FROM enrolments
        WHERE offer_id = $1 AND client_id = $2 AND status IN ('WARTELISTE', 'ZUGESAGT', 'LAUFEND')`,
      [offerId, clientId],
    );
  }

  async update(id: string, changes: EnrolmentValues, expectedVersion: number): Promise<boolean> {
    const parameters = new SqlParameters();
    const statement = this.table.versionedUpdate(changes, { id }, expectedVersion, parameters, 'id');
    return (await this.db.row(statement, parameters.values)) !== undefined;
  }

  /**
   * The oldest waiting enrolments of the offer, locked, at most `count`. Called with the offer row
   * locked, so nobody joins or leaves the waiting list meanwhile.
   */
  async oldestWaiting(offerId: string, count: number): Promise<{ id: string; clientId: string }[]> {
    return this.db.rows<{ id: string; clientId: string }>(
      `SELECT id, client_id AS "clientId" FROM enrolments
        WHERE offer_id = $1 AND status = 'WARTELISTE'
        ORDER BY queued_at, id LIMIT $2 FOR UPDATE`,
      [offerId, count],
    );
  }

  /** A waiting enrolment gets its seat; the trigger moves it from `waitlisted` to `seats_taken`. */
  async promote(id: string, confirmedOn: string): Promise<void> {
    await this.db.run(
      `UPDATE enrolments SET status = 'ZUGESAGT', confirmed_on = $2, version = version + 1, updated_at = now()
        WHERE id = $1 AND status = 'WARTELISTE'`,
      [id, confirmedOn],
    );
  }

  /** Newest first, keyset on (created_at, id); fetches `limit + 1` rows. */
  async list(
    officeId: string,
    filter: EnrolmentListFilter,
    before: CursorKey | undefined,
    limit: number,
  ): Promise<EnrolmentRow[]> {
    const parameters = new SqlParameters();
    const conditions = [`e.office_id = ${parameters.bind(officeId)}`];
    if (filter.clientId !== undefined) {
      conditions.push(`e.client_id = ${parameters.bind(filter.clientId)}`);
    }
    if (filter.offerId !== undefined) {
      conditions.push(`e.offer_id = ${parameters.bind(filter.offerId)}`);
    }
    if (filter.status !== undefined) {
      conditions.push(`e.status = ${parameters.bind(filter.status)}`);
    }
    if (before) {
      conditions.push(createdAtKeyset(before, 'DESC', parameters, 'e'));
    }
    return this.db.rows<EnrolmentRow>(
      `SELECT ${this.columns} FROM enrolments e WHERE ${conditions.join(' AND ')}
        ${orderAndLimit(['e.created_at', 'e.id'], 'DESC', limit, parameters)}`,
      parameters.values,
    );
  }

  /**
   * The offer's enrolments for its coordinator, in queue order (keyset on queued_at, id). The client
   * appears only as a pseudonym: a hash of offer and client, stable within the offer and not linkable
   * across offers or to the client's record.
   */
  async ofOffer(offerId: string, after: CursorKey | undefined, limit: number): Promise<OfferEnrolmentRow[]> {
    const parameters = new SqlParameters();
    const conditions = [`e.offer_id = ${parameters.bind(offerId)}`];
    if (after) {
      conditions.push(
        keysetAfter(
          [
            { expression: 'e.queued_at', value: after.sortKey, type: 'timestamptz' },
            { expression: 'e.id', value: after.id, type: 'uuid' },
          ],
          'ASC',
          parameters,
        ),
      );
    }
    return this.db.rows<OfferEnrolmentRow>(
      `SELECT e.id, left(encode(sha256(convert_to(e.offer_id::text || ':' || e.client_id::text, 'UTF8')), 'hex'), 16)
                AS "clientPseudonym",
              e.office_id AS "officeId", e.status, ${POSITION('e')},
              to_char(e.confirmed_on, 'YYYY-MM-DD') AS "confirmedOn",
              to_char(e.started_on, 'YYYY-MM-DD') AS "startedOn",
              to_char(e.ended_on, 'YYYY-MM-DD') AS "endedOn",
              ${utcInstant('e.created_at')} AS "createdAt", ${utcInstant('e.queued_at')} AS "queuedAt"
         FROM enrolments e WHERE ${conditions.join(' AND ')}
        ${orderAndLimit(['e.queued_at', 'e.id'], 'ASC', limit, parameters)}`,
      parameters.values,
    );
  }

  /** The recognition case, if it is one of this office's: its client and status. */
  async caseInOffice(
    caseId: string,
    officeId: string,
  ): Promise<{ clientId: string; status: string } | undefined> {
    return this.db.row<{ clientId: string; status: string }>(
      'SELECT client_id AS "clientId", status FROM recognition_cases WHERE id = $1 AND office_id = $2',
      [caseId, officeId],
    );
  }

  /** The successfully completed enrolments linked to these recognition cases, oldest first. */
  async completedFor(caseIds: string[]): Promise<{ id: string; recognitionCaseId: string }[]> {
    return this.db.rows<{ id: string; recognitionCaseId: string }>(
      `SELECT id, recognition_case_id AS "recognitionCaseId" FROM enrolments
        WHERE recognition_case_id = ANY($1::uuid[]) AND status = 'ABGESCHLOSSEN_ERFOLGREICH'
        ORDER BY ended_on, created_at, id`,
      [caseIds],
    );
  }

  async insertHistory(entry: NewEnrolmentHistoryEntry): Promise<void> {
    const parameters = new SqlParameters();
    await this.db.run(this.historyTable.insert(entry, parameters, 'id'), parameters.values);
  }

  async latestEventOn(enrolmentId: string): Promise<string | null> {
    const row = await this.db.row<{ latest: string | null }>(
      `SELECT to_char(max(occurred_on), 'YYYY-MM-DD') AS latest FROM enrolment_history WHERE enrolment_id = $1`,
      [enrolmentId],
    );
    return row?.latest ?? null;
  }

  /** Oldest first, keyset on (recorded_at, id); fetches `limit + 1` rows. */
  async history(
    enrolmentId: string,
    after: CursorKey | undefined,
    limit: number,
  ): Promise<EnrolmentHistoryRow[]> {
    const page = historyPage(this.historyTable, 'enrolment_id', enrolmentId, after, limit);
    return this.db.rows<EnrolmentHistoryRow>(page.text, page.values);
  }

  /** Every enrolment of the client, oldest first (Art. 15 export). */
  async allOf(clientId: string): Promise<EnrolmentRow[]> {
    return this.db.rows<EnrolmentRow>(
      `SELECT ${this.columns} FROM enrolments e WHERE e.client_id = $1 ORDER BY e.created_at, e.id`,
      [clientId],
    );
  }

  async historyOfClient(clientId: string): Promise<EnrolmentHistoryRow[]> {
    return this.db.rows<EnrolmentHistoryRow>(
      `SELECT ${this.historyTable.columns()} FROM enrolment_history
        WHERE enrolment_id IN (SELECT id FROM enrolments WHERE client_id = $1)
        ORDER BY recorded_at, id`,
      [clientId],
    );
  }

  /**
   * Art. 17: removes the free texts (reasons, notes) for good; status, dates and the offer stay for
   * the statistics. The status is not touched, so the seat counters stay as they are.
   */
  async eraseFreeTexts(clientId: string): Promise<number> {
    const enrolments = await this.db.run(
      `UPDATE enrolments SET notes = NULL, reason = NULL, version = version + 1, updated_at = now()
        WHERE client_id = $1`,
      [clientId],
    );
    const history = await this.db.run(
      `UPDATE enrolment_history SET reason = NULL
        WHERE reason IS NOT NULL AND enrolment_id IN (SELECT id FROM enrolments WHERE client_id = $1)`,
      [clientId],
    );
    return enrolments + history;
  }

  async timelineOf(clientId: string): Promise<EnrolmentTimelineRow[]> {
    return this.db.rows<EnrolmentTimelineRow>(
      `SELECT h.id, h.enrolment_id AS "enrolmentId", e.offer_id AS "offerId", h.from_status AS "fromStatus",
              h.to_status AS "toStatus", to_char(h.occurred_on, 'YYYY-MM-DD') AS "occurredOn",
              coalesce((h.payload->>'promoted')::boolean, false) AS promoted,
              ${utcInstant('h.recorded_at')} AS "recordedAt"
         FROM enrolment_history h JOIN enrolments e ON e.id = h.enrolment_id
        WHERE e.client_id = $1
        ORDER BY h.recorded_at, h.id`,
      [clientId],
    );
  }
}
