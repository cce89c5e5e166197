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
import { ReferralHistoryEntity } from './referral-history.entity';
import { OPEN_REFERRAL_STATUSES } from './referral-state-machine';
import { ReferralEntity } from './referral.entity';

/** A referral with the names of its partner and office (for the responses). */
export type ReferralRow = RowOf<ReferralEntity> & {
  partnerName: string;
  partnerType: string;
  officeName: string;
};

export type ReferralValues = ValuesOf<
  ReferralEntity,
  'id' | 'clientId' | 'officeId' | 'partnerId' | 'changeXid' | 'version' | 'createdAt' | 'updatedAt'
>;

export type ReferralHistoryRow = RowOf<ReferralHistoryEntity>;

export type NewReferralHistoryEntry = Omit<ReferralHistoryRow, 'id' | 'recordedAt'>;

export interface ReferralListFilter {
  status?: string;
  partnerId?: string;
  clientId?: string;
  /** `true`: still GESENDET after the answer-by date; `false`: the others. */
  overdue?: boolean;
  today: string;
}

export interface PartnerSyncFilter {
  status?: string;
  updatedSince?: string;
}

/** The partner sync's position: the transaction id of the change and the referral id. */
export interface SyncPosition {
  xid: string;
  id: string;
}

export interface ReferralTimelineRow {
  id: string;
  referralId: string;
  partnerId: string;
  fromStatus: string | null;
  toStatus: string;
  occurredOn: string;
  recordedAt: string;
}

export interface ReferralRecipientRow {
  referralId: string;
  partnerId: string;
  partnerName: string;
  sentOn: string;
  dataCategories: string[];
}

const OPEN = `(${OPEN_REFERRAL_STATUSES.map((status) => `'${status}'`).join(', ')})`;

/**
 * All SQL on referrals and their history. Adviser queries are scoped by the caller's office and
 * partner queries by the caller's partner (arguments), so a referral outside the scope is simply not
 * found. The client's consents and record, and the linked case, are read through the clients and
 * recognition modules' services; the only other tables joined are partners and offices, for their names.
 */
@Injectable()
export class ReferralRepository {
  constructor(private readonly db: Db) {}

  private get table() {
    return this.db.table(ReferralEntity);
  }

  private get historyTable() {
    return this.db.table(ReferralHistoryEntity);
  }

  private get columns(): string {
    return `${this.table.columns('r')}, p.name AS "partnerName", p.type AS "partnerType", o.name AS "officeName"`;
  }

  private readonly from =
    'referrals r JOIN partners p ON p.id = r.partner_id JOIN offices o ON o.id = r.office_id';

  async insert(
    clientId: string,
    officeId: string,
    partnerId: string,
    values: ReferralValues,
  ): Promise<string> {
    const parameters = new SqlParameters();
    const statement = this.table.insert({ ...values, clientId, officeId, partnerId }, parameters, 'id');
    return (await this.db.row<{ id: string }>(statement, parameters.values))!.id;
  }

  async find(id: string): Promise<ReferralRow | undefined> {
    return this.db.row<ReferralRow>(`SELECT ${this.columns} FROM ${this.from} WHERE r.id = $1`, [id]);
  }

  async findInOffice(id: string, officeId: string): Promise<ReferralRow | undefined> {
    return this.db.row<ReferralRow>(
      `SELECT ${this.columns} FROM ${this.from} WHERE r.id = $1 AND r.office_id = $2`,
      [id, officeId],
    );
  }

  async findForPartner(id: string, partnerId: string): Promise<ReferralRow | undefined> {
    return this.db.row<ReferralRow>(
      `SELECT ${this.columns} FROM ${this.from} WHERE r.id = $1 AND r.partner_id = $2`,
      [id, partnerId],
    );
  }

  /** Locks the referral (in this scope) until the transaction ends. */
  async lock(id: string, scope: { officeId?: string; partnerId?: string }): Promise<ReferralRow | undefined> {
    const parameters = new SqlParameters();
    const conditions = [`r.id = ${parameters.bind(id)}`];
    if (scope.officeId !== undefined) {
      conditions.push(`r.office_id = ${parameters.bind(scope.officeId)}`);
    }
    if (scope.partnerId !== undefined) {
      conditions.push(`r.partner_id = ${parameters.bind(scope.partnerId)}`);
    }
    return this.db.row<ReferralRow>(
      `SELECT ${this.columns} FROM ${this.from} WHERE ${conditions.join(' AND ')} FOR UPDATE OF r`,
      parameters.values,
    );
  }

  async update(id: string, changes: ReferralValues, expectedVersion: number): Promise<boolean> {
    const parameters = new SqlParameters();
    const statement = this.table.versionedUpdate(changes, { id }, expectedVersion, parameters, 'id');
    return (await this.db.row(statement, parameters.values)) !== undefined;
  }

  /** Newest first, keyset on (created_at, id); fetches `limit + 1` rows. */
  async list(
    officeId: string,
    filter: ReferralListFilter,
    before: CursorKey | undefined,
    limit: number,
  ): Promise<ReferralRow[]> {
    const parameters = new SqlParameters();
    const conditions = [`r.office_id = ${parameters.bind(officeId)}`];
    if (filter.status !== undefined) {
      conditions.push(`r.status = ${parameters.bind(filter.status)}`);
    }
    if (filter.partnerId !== undefined) {
      conditions.push(`r.partner_id = ${parameters.bind(filter.partnerId)}`);
    }
    if (filter.clientId !== undefined) {
      conditions.push(`r.client_id = ${parameters.bind(filter.clientId)}`);
    }
    if (filter.overdue !== undefined) {
      const overdue = `(r.status = 'GESENDET' AND r.due_by < ${parameters.bind(filter.today)}::date)`;
      conditions.push(filter.overdue ? overdue : `NOT ${overdue}`);
    }
    if (before) {
      conditions.push(createdAtKeyset(before, 'DESC', parameters, 'r'));
    }
    return this.db.rows<ReferralRow>(
      `SELECT ${this.columns} FROM ${this.from} WHERE ${conditions.join(' AND ')}
        ${orderAndLimit(['r.created_at', 'r.id'], 'DESC', limit, parameters)}`,
      parameters.values,
    );
  }

  /**
   * The partner's referrals changed after `after`, in the order of their changes: (change_xid, id).
   * Only rows whose transaction id is below the xmin of this statement's snapshot are returned:
   * every transaction with a smaller id has ended, and every transaction still running or starting
   * later has an id ≥ xmin, so no change can ever appear behind a position already handed out.
   * Rows of transactions still running are held back until they end. Fetches `limit + 1` rows.
   */
  async changes(
    partnerId: string,
    filter: PartnerSyncFilter,
    after: SyncPosition | undefined,
    limit: number,
  ): Promise<(ReferralRow & { changeXid: string })[]> {
    const parameters = new SqlParameters();
    const conditions = [
      `r.partner_id = ${parameters.bind(partnerId)}`,
      `r.change_xid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint`,
    ];
    if (filter.status !== undefined) {
      conditions.push(`r.status = ${parameters.bind(filter.status)}`);
    }
    if (filter.updatedSince !== undefined) {
      conditions.push(`r.updated_at >= ${parameters.bind(filter.updatedSince)}::timestamptz`);
    }
    if (after) {
      conditions.push(
        `(r.change_xid, r.id) > (${parameters.bind(after.xid)}::bigint, ${parameters.bind(after.id)}::uuid)`,
      );
    }
    return this.db.rows<ReferralRow & { changeXid: string }>(
      `SELECT ${this.columns} FROM ${this.from} WHERE ${conditions.join(' AND ')}
        ORDER BY r.change_xid, r.id LIMIT ${parameters.bind(limit + 1)}`,
      parameters.values,
    );
  }

  /** The open referrals relying on this consent, locked (oldest first: one lock order everywhere). */
  async lockOpenByConsent(consentId: string): Promise<ReferralRow[]> {
    return this.db.rows<ReferralRow>(
      `SELECT ${this.columns} FROM ${this.from}
        WHERE r.consent_id = $1 AND r.status IN ${OPEN} ORDER BY r.created_at, r.id FOR UPDATE OF r`,
      [consentId],
    );
  }

  /** Referrals still GESENDET after their answer-by date (the expiry job), at most `limit`. */
  async dueForExpiry(today: string, limit: number): Promise<{ id: string; clientId: string }[]> {
    return this.db.rows<{ id: string; clientId: string }>(
      `SELECT id, client_id AS "clientId" FROM referrals
        WHERE status = 'GESENDET' AND due_by < $1::date ORDER BY due_by, id LIMIT $2`,
      [today, limit],
    );
  }

  /** Locks a referral (any scope) if it is still in `status`. */
  async lockIfStatus(id: string, status: string): Promise<ReferralRow | undefined> {
    return this.db.row<ReferralRow>(
      `SELECT ${this.columns} FROM ${this.from} WHERE r.id = $1 AND r.status = $2 FOR UPDATE OF r`,
      [id, status],
    );
  }

  /** The consents open referrals rely on (the daily job asks the clients module which have expired). */
  async consentIdsInUse(): Promise<string[]> {
    const rows = await this.db.rows<{ consentId: string }>(
      `SELECT DISTINCT consent_id AS "consentId" FROM referrals WHERE status IN ${OPEN}`,
    );
    return rows.map((row) => row.consentId);
  }

  async insertHistory(entry: NewReferralHistoryEntry): Promise<void> {
    const parameters = new SqlParameters();
    await this.db.run(this.historyTable.insert(entry, parameters, 'id'), parameters.values);
  }

  /** Oldest first, keyset on (recorded_at, id); fetches `limit + 1` rows. */
  async history(
    referralId: string,
    after: CursorKey | undefined,
    limit: number,
  ): Promise<ReferralHistoryRow[]> {
    const page = historyPage(this.historyTable, 'referral_id', referralId, after, limit);
    return this.db.rows<ReferralHistoryRow>(page.text, page.values);
  }

  /** Every referral of the client, oldest first (Art. 15 export). */
  async allOf(clientId: string): Promise<ReferralRow[]> {
    return this.db.rows<ReferralRow>(
      `SELECT ${this.columns} FROM ${this.from} WHERE r.client_id = $1 ORDER BY r.created_at, r.id`,
      [clientId],
    );
  }

  async historyOfClient(clientId: string): Promise<ReferralHistoryRow[]> {
    return this.db.rows<ReferralHistoryRow>(
      `SELECT ${this.historyTable.columns()} FROM referral_history
        WHERE referral_id IN (SELECT id FROM referrals WHERE client_id = $1)
        ORDER BY recorded_at, id`,
      [clientId],
    );
  }

  /** The partners that received data about the client: one row per referral sent (Art. 19). */
  async recipientsOf(clientId: string): Promise<ReferralRecipientRow[]> {
    return this.db.rows<ReferralRecipientRow>(
      `SELECT r.id AS "referralId", r.partner_id AS "partnerId", p.name AS "partnerName",
              to_char(r.sent_on, 'YYYY-MM-DD') AS "sentOn", r.data_categories AS "dataCategories"
         FROM referrals r JOIN partners p ON p.id = r.partner_id
        WHERE r.client_id = $1 ORDER BY r.sent_on, r.created_at, r.id`,
      [clientId],
    );
  }

  /**
   * Art. 17: removes the free texts (message, decline and cancel reasons, outcome notes) for good;
   * partner, categories, states and dates stay (statistics, and the record of what was shared).
   */
  async eraseFreeTexts(clientId: string): Promise<number> {
    const referrals = await this.db.run(
      `UPDATE referrals SET message = NULL, decline_reason = NULL, outcome = NULL, cancel_reason = NULL,
              version = version + 1, updated_at = now()
        WHERE client_id = $1`,
      [clientId],
    );
    const history = await this.db.run(
      `UPDATE referral_history SET reason = NULL
        WHERE reason IS NOT NULL AND referral_id IN (SELECT id FROM referrals WHERE client_id = $1)`,
      [clientId],
    );
    return referrals + history;
  }

  async timelineOf(clientId: string): Promise<ReferralTimelineRow[]> {
    return this.db.rows<ReferralTimelineRow>(
      `SELECT h.id, h.referral_id AS "referralId", r.partner_id AS "partnerId", h.from_status AS "fromStatus",
              h.to_status AS "toStatus", to_char(h.occurred_on, 'YYYY-MM-DD') AS "occurredOn",
              ${utcInstant('h.recorded_at')} AS "recordedAt"
         FROM referral_history h JOIN referrals r ON r.id = h.referral_id
        WHERE r.client_id = $1
        ORDER BY h.recorded_at, h.id`,
      [clientId],
    );
  }

  /** Completed referrals of these cases carrying a decision not applied yet, oldest first. */
  async decisionsFor(
    caseIds: string[],
  ): Promise<{ id: string; recognitionCaseId: string; decision: { outcome: string; decidedOn: string } }[]> {
    return this.db.rows(
      `SELECT id, recognition_case_id AS "recognitionCaseId", decision FROM referrals
        WHERE recognition_case_id = ANY($1::uuid[]) AND status = 'ERLEDIGT'
          AND decision IS NOT NULL AND NOT (decision ? 'appliedAt')
        ORDER BY closed_on, created_at, id`,
      [caseIds],
    );
  }
}
