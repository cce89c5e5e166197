import { Injectable } from '@nestjs/common';
import { Db } from '../common/database/db';
import { createdAtKeyset, orderAndLimit, type RowOf, type ValuesOf } from '../common/database/table';
import type { CursorKey } from '../common/http/pagination';
import { SqlParameters } from '../common/sql';
import { QualificationOfferEntity } from './qualification-offer.entity';

export type OfferRow = RowOf<QualificationOfferEntity>;

/** The columns an offer is created or changed with; the seat counters belong to the trigger. */
export type OfferValues = ValuesOf<
  QualificationOfferEntity,
  'id' | 'seatsTaken' | 'waitlisted' | 'version' | 'createdAt' | 'updatedAt'
>;

export interface OfferListFilter {
  kldbPrefix?: string;
  type?: string;
  networkId?: string;
  startsAfter?: string;
  hasSeats?: boolean;
  bundesland?: string;
  delivery?: string;
}

/** All SQL on the offer catalogue. */
@Injectable()
export class QualificationOfferRepository {
  constructor(private readonly db: Db) {}

  private get table() {
    return this.db.table(QualificationOfferEntity);
  }

  async insert(values: OfferValues): Promise<OfferRow> {
    const parameters = new SqlParameters();
    const statement = this.table.insert(values, parameters);
    return (await this.db.row<OfferRow>(statement, parameters.values))!;
  }

  async find(id: string): Promise<OfferRow | undefined> {
    return this.db.row<OfferRow>(`SELECT ${this.table.columns()} FROM qualification_offers WHERE id = $1`, [
      id,
    ]);
  }

  /**
   * Locks the offer until the transaction ends. Every decision about its seats (an enrolment, a freed
   * seat, a capacity change) is taken under this lock, so the decisions on one offer are serial and
   * the waiting list's order is the order of the decisions.
   */
  async lock(id: string): Promise<OfferRow | undefined> {
    return this.db.row<OfferRow>(
      `SELECT ${this.table.columns()} FROM qualification_offers WHERE id = $1 FOR UPDATE`,
      [id],
    );
  }

  /** The offer, locked, if it belongs to this network. */
  async lockInNetwork(id: string, networkId: string): Promise<OfferRow | undefined> {
    return this.db.row<OfferRow>(
      `SELECT ${this.table.columns()} FROM qualification_offers WHERE id = $1 AND network_id = $2 FOR UPDATE`,
      [id, networkId],
    );
  }

  async findInNetwork(id: string, networkId: string): Promise<OfferRow | undefined> {
    return this.db.row<OfferRow>(
      `SELECT ${this.table.columns()} FROM qualification_offers WHERE id = $1 AND network_id = $2`,
      [id, networkId],
    );
  }

  async update(id: string, changes: OfferValues, expectedVersion: number): Promise<OfferRow | undefined> {
    const parameters = new SqlParameters();
    const statement = this.table.versionedUpdate(changes, { id }, expectedVersion, parameters);
    return this.db.row<OfferRow>(statement, parameters.values);
  }

  /** Newest first, keyset on (created_at, id); fetches `limit + 1` rows. */
  async list(filter: OfferListFilter, before: CursorKey | undefined, limit: number): Promise<OfferRow[]> {
    const parameters = new SqlParameters();
    const conditions = ['TRUE'];
    if (filter.kldbPrefix !== undefined) {
      // Digits only (validated), so no LIKE wildcard can come from the request.
      conditions.push(
        `EXISTS (SELECT 1 FROM unnest(reference_occupations) AS code WHERE code LIKE ${parameters.bind(`${filter.kldbPrefix}%`)})`,
      );
    }
    if (filter.type !== undefined) {
      conditions.push(`type = ${parameters.bind(filter.type)}`);
    }
    if (filter.networkId !== undefined) {
      conditions.push(`network_id = ${parameters.bind(filter.networkId)}`);
    }
    if (filter.startsAfter !== undefined) {
      conditions.push(`starts_on > ${parameters.bind(filter.startsAfter)}::date`);
    }
    if (filter.hasSeats === true) {
      conditions.push('seats_taken < capacity');
    } else if (filter.hasSeats === false) {
      conditions.push('seats_taken >= capacity');
    }
    if (filter.bundesland !== undefined) {
      conditions.push(`bundesland = ${parameters.bind(filter.bundesland)}`);
    }
    if (filter.delivery !== undefined) {
      conditions.push(`delivery = ${parameters.bind(filter.delivery)}`);
    }
    if (before) {
      conditions.push(createdAtKeyset(before, 'DESC', parameters));
    }
    return this.db.rows<OfferRow>(
      `SELECT ${this.table.columns()} FROM qualification_offers WHERE ${conditions.join(' AND ')}
        ${orderAndLimit(['created_at', 'id'], 'DESC', limit, parameters)}`,
      parameters.values,
    );
  }

  /** The codes among these that are reference occupations. */
  async knownOccupations(codes: string[]): Promise<Set<string>> {
    const rows = await this.db.rows<{ kldb: string }>(
      'SELECT kldb FROM reference_occupations WHERE kldb = ANY($1::text[])',
      [codes],
    );
    return new Set(rows.map((row) => row.kldb));
  }

  async partnerType(partnerId: string): Promise<string | undefined> {
    const row = await this.db.row<{ type: string }>('SELECT type FROM partners WHERE id = $1', [partnerId]);
    return row?.type;
  }
}
