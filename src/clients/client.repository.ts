import { Injectable } from '@nestjs/common';
import { Db } from '../common/database/db';
import { createdAtKeyset, orderAndLimit, type RowOf, type ValuesOf } from '../common/database/table';
import type { CursorKey } from '../common/http/pagination';
import { SqlParameters } from '../common/sql';
import { ClientEntity } from './client.entity';

/** A client as the queries return it (raw row, camelCase aliases; no entity hydration). */
export type ClientRow = Omit<RowOf<ClientEntity>, HiddenColumn>;

/** Never read back: the name key is an index, the creator is in the audit log. */
type HiddenColumn = 'nameKey' | 'createdBy';
const HIDDEN: HiddenColumn[] = ['nameKey', 'createdBy'];

/** The columns a client is created or changed with (`nameKey` derived from the names). */
export type ClientValues = ValuesOf<
  ClientEntity,
  'id' | 'officeId' | 'createdBy' | 'erasedAt' | 'version' | 'createdAt' | 'updatedAt'
>;

export interface ClientListFilter {
  nationality?: string;
  residenceStatus?: string;
  gender?: string;
  createdAfter?: string;
  createdBefore?: string;
  erased?: boolean;
}

export interface DuplicateCandidate {
  id: string;
  similarity: number;
}

/** How alike two name keys must be (pg_trgm similarity, 0–1) for a duplicate warning. */
const DUPLICATE_SIMILARITY = 0.6;

/**
 * All SQL on `clients`. Every query of personal data is scoped by the caller's office: the office is
 * an argument, so a client of another office is simply not found.
 */
@Injectable()
export class ClientRepository {
  constructor(private readonly db: Db) {}

  private get table() {
    return this.db.table(ClientEntity);
  }

  private get columns(): string {
    return this.table.columns(undefined, HIDDEN);
  }

  async insert(officeId: string, createdBy: string, values: ClientValues): Promise<ClientRow> {
    const parameters = new SqlParameters();
    const statement = this.table.insert({ ...values, officeId, createdBy }, parameters);
    return (await this.db.row<ClientRow>(statement, parameters.values))!;
  }

  async findInOffice(id: string, officeId: string): Promise<ClientRow | undefined> {
    return this.db.row<ClientRow>(`SELECT ${this.columns} FROM clients WHERE id = $1 AND office_id = $2`, [
      id,
      officeId,
    ]);
  }

  /** Locks the client (of this office) for the rest of the transaction: changes to one client queue up. */
  async lockInOffice(id: string, officeId: string): Promise<ClientRow | undefined> {
    return this.db.row<ClientRow>(
      `SELECT ${this.columns} FROM clients WHERE id = $1 AND office_id = $2 FOR UPDATE`,
      [id, officeId],
    );
  }

  /** Serialises duplicate checks of one office and birth date until the transaction ends. */
  async lockBirthDate(officeId: string, birthDate: string): Promise<void> {
    await this.db.run(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
      `client-birth-date:${officeId}:${birthDate}`,
    ]);
  }

  /** Clients of the office born that day whose name is alike, most alike first. */
  async findDuplicates(
    officeId: string,
    birthDate: string,
    key: string,
    exceptId: string | null,
  ): Promise<DuplicateCandidate[]> {
    return this.db.rows<DuplicateCandidate>(
      `SELECT id, round(similarity(name_key, $3)::numeric, 2)::float8 AS similarity
         FROM clients
        WHERE office_id = $1 AND birth_date = $2 AND erased_at IS NULL
          AND id IS DISTINCT FROM $4::uuid AND similarity(name_key, $3) >= $5
        ORDER BY similarity(name_key, $3) DESC, id
        LIMIT 10`,
      [officeId, birthDate, key, exceptId, DUPLICATE_SIMILARITY],
    );
  }

  /** Newest first, keyset on (created_at, id); fetches `limit + 1` rows. */
  async list(
    officeId: string,
    filter: ClientListFilter,
    before: CursorKey | undefined,
    limit: number,
  ): Promise<ClientRow[]> {
    const parameters = new SqlParameters();
    const conditions = [`office_id = ${parameters.bind(officeId)}`];
    if (filter.nationality !== undefined) {
      conditions.push(`nationalities @> ARRAY[${parameters.bind(filter.nationality)}]::text[]`);
    }
    if (filter.residenceStatus !== undefined) {
      conditions.push(`residence_status = ${parameters.bind(filter.residenceStatus)}`);
    }
    if (filter.gender !== undefined) {
      conditions.push(`gender = ${parameters.bind(filter.gender)}`);
    }
    if (filter.createdAfter !== undefined) {
      conditions.push(`created_at >= ${parameters.bind(filter.createdAfter)}::timestamptz`);
    }
    if (filter.createdBefore !== undefined) {
      conditions.push(`created_at < ${parameters.bind(filter.createdBefore)}::timestamptz`);
    }
    if (filter.erased !== undefined) {
      conditions.push(filter.erased ? 'erased_at IS NOT NULL' : 'erased_at IS NULL');
    }
    if (before) {
      conditions.push(createdAtKeyset(before, 'DESC', parameters));
    }
    return this.db.rows<ClientRow>(
      `SELECT ${this.columns} FROM clients WHERE ${conditions.join(' AND ')}
        ${orderAndLimit(['created_at', 'id'], 'DESC', limit, parameters)}`,
      parameters.values,
    );
  }

  /**
   * Clients of the office whose name is like the searched one (whole-name trigram similarity, or the
   * searched name found within a longer one), best first; the same birth date ranks first.
   */
  async search(
    officeId: string,
    key: string,
    birthDate: string | null,
    limit: number,
  ): Promise<(ClientRow & { score: number })[]> {
    return this.db.rows<ClientRow & { score: number }>(
      `SELECT ${this.columns},
              round(greatest(similarity(name_key, $2), word_similarity($2, name_key))::numeric, 2)::float8 AS score
         FROM clients
        WHERE office_id = $1 AND erased_at IS NULL AND (name_key % $2 OR $2 <% name_key)
        ORDER BY (birth_date IS NOT DISTINCT FROM $3::date AND $3 IS NOT NULL) DESC,
                 greatest(similarity(name_key, $2), word_similarity($2, name_key)) DESC, id
        LIMIT $4`,
      [officeId, key, birthDate, limit],
    );
  }

  /** Applies the changes and increments the version, if the version is still the expected one. */
  async update(id: string, changes: ClientValues, expectedVersion: number): Promise<ClientRow | undefined> {
    const parameters = new SqlParameters();
    const statement = this.table.versionedUpdate(changes, { id }, expectedVersion, parameters);
    return this.db.row<ClientRow>(statement, parameters.values);
  }

  /**
   * Art. 17: removes identity and contact data for good (the birth year stays, as in the profile).
   * The row keeps its random id, which identifies nobody once the identity is gone.
   */
  async erase(id: string): Promise<ClientRow> {
    const row = await this.db.row<ClientRow>(
      `UPDATE clients
          SET first_name = NULL, last_name = NULL, name_key = NULL, birth_date = NULL, email = NULL,
              phone = NULL, postal_code = NULL, city = NULL, erased_at = now(),
              version = version + 1, updated_at = now()
        WHERE id = $1 RETURNING ${this.columns}`,
      [id],
    );
    return row!;
  }
}
