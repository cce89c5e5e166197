import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { utcInstant, type CursorKey } from '../common/http/pagination';
import { assignments, SqlParameters } from '../common/sql';

/** A client as the queries return it (raw row, camelCase aliases; no entity hydration). */
export interface ClientRow {
  id: string;
  officeId: string;
  firstName: string | null;
  lastName: string | null;
  birthDate: string | null;
  email: string | null;
  phone: string | null;
  postalCode: string | null;
  city: string | null;
  gender: string;
  birthYear: number | null;
  countryOfBirth: string | null;
  nationalities: string[];
  residenceBundesland: string | null;
  arrivalYear: number | null;
  residenceStatus: string | null;
  germanLevel: string | null;
  iscedLevel: number | null;
  employmentStatus: string | null;
  benefits: string[];
  accessRoute: string | null;
  erasedAt: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** The columns a client is created or changed with (`nameKey` derived from the names). */
export interface ClientValues {
  firstName?: string;
  lastName?: string;
  nameKey?: string;
  birthDate?: string | null;
  email?: string | null;
  phone?: string | null;
  postalCode?: string | null;
  city?: string | null;
  gender?: string;
  birthYear?: number | null;
  countryOfBirth?: string | null;
  nationalities?: string[];
  residenceBundesland?: string | null;
  arrivalYear?: number | null;
  residenceStatus?: string | null;
  germanLevel?: string | null;
  iscedLevel?: number | null;
  employmentStatus?: string | null;
  benefits?: string[];
  accessRoute?: string | null;
}

const VALUE_COLUMNS: { [K in keyof ClientValues]-?: string } = {
  firstName: 'first_name',
  lastName: 'last_name',
  nameKey: 'name_key',
  birthDate: 'birth_date',
  email: 'email',
  phone: 'phone',
  postalCode: 'postal_code',
  city: 'city',
  gender: 'gender',
  birthYear: 'birth_year',
  countryOfBirth: 'country_of_birth',
  nationalities: 'nationalities',
  residenceBundesland: 'residence_bundesland',
  arrivalYear: 'arrival_year',
  residenceStatus: 'residence_status',
  germanLevel: 'german_level',
  iscedLevel: 'isced_level',
  employmentStatus: 'employment_status',
  benefits: 'benefits',
  accessRoute: 'access_route',
};

const COLUMNS = `id, office_id AS "officeId", first_name AS "firstName", last_name AS "lastName",
  to_char(birth_date, 'YYYY-MM-DD') AS "birthDate", email, phone, postal_code AS "postalCode", city, gender,
  birth_year AS "birthYear", country_of_birth AS "countryOfBirth", nationalities,
  residence_bundesland AS "residenceBundesland", arrival_year AS "arrivalYear",
  residence_status AS "residenceStatus", german_level AS "germanLevel", isced_level AS "iscedLevel",
  employment_status AS "employmentStatus", benefits, access_route AS "accessRoute",
  ${utcInstant('erased_at')} AS "erasedAt", version,
  ${utcInstant('created_at')} AS "createdAt", ${utcInstant('updated_at')} AS "updatedAt"`;

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
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** `REPEATABLE READ` gives multi-query reads (export, timeline) one consistent snapshot. */
  transaction<T>(
    work: (manager: EntityManager) => Promise<T>,
    isolation: 'READ COMMITTED' | 'REPEATABLE READ' = 'READ COMMITTED',
  ): Promise<T> {
    return this.dataSource.transaction(isolation, work);
  }

  async insert(
    officeId: string,
    createdBy: string,
    values: ClientValues,
    manager: EntityManager,
  ): Promise<ClientRow> {
    const parameters = new SqlParameters();
    const keys = (Object.keys(VALUE_COLUMNS) as (keyof ClientValues)[]).filter(
      (key) => values[key] !== undefined,
    );
    const columns = ['office_id', 'created_by', ...keys.map((key) => VALUE_COLUMNS[key])];
    const placeholders = [officeId, createdBy, ...keys.map((key) => values[key])].map((value) =>
      parameters.bind(value),
    );
    const rows: ClientRow[] = await manager.query(
      `INSERT INTO clients (${columns.join(', ')}) VALUES (${placeholders.join(', ')}) RETURNING ${COLUMNS}`,
      parameters.values,
    );
    return rows[0];
  }

  async findInOffice(
    id: string,
    officeId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ClientRow | undefined> {
    const rows: ClientRow[] = await manager.query(
      `SELECT ${COLUMNS} FROM clients WHERE id = $1 AND office_id = $2`,
      [id, officeId],
    );
    return rows[0];
  }

  /** Locks the client (of this office) for the rest of the transaction: changes to one client queue up. */
  async lockInOffice(id: string, officeId: string, manager: EntityManager): Promise<ClientRow | undefined> {
    const rows: ClientRow[] = await manager.query(
      `SELECT ${COLUMNS} FROM clients WHERE id = $1 AND office_id = $2 FOR UPDATE`,
      [id, officeId],
    );
    return rows[0];
  }

  /** Serialises duplicate checks of one office and birth date until the transaction ends. */
  async lockBirthDate(officeId: string, birthDate: string, manager: EntityManager): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
      `client-birth-date:${officeId}:${birthDate}`,
    ]);
  }

  /** Clients of the office born that day whose name is alike, most alike first. */
  async findDuplicates(
    officeId: string,
    birthDate: string,
    key: string,
    exceptId: string | null,
    manager: EntityManager,
  ): Promise<DuplicateCandidate[]> {
    return manager.query(
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
      conditions.push(
        `(created_at, id) < (${parameters.bind(before.sortKey)}::timestamptz, ${parameters.bind(before.id)}::uuid)`,
      );
    }
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM clients WHERE ${conditions.join(' AND ')}
        ORDER BY created_at DESC, id DESC LIMIT ${parameters.bind(limit + 1)}`,
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
    return this.dataSource.query(
      `SELECT ${COLUMNS},
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
  async update(
    id: string,
    changes: ClientValues,
    expectedVersion: number,
    manager: EntityManager,
  ): Promise<ClientRow | undefined> {
    const parameters = new SqlParameters();
    const sets = assignments(changes, VALUE_COLUMNS, parameters);
    const [rows]: [ClientRow[], number] = await manager.query(
      `UPDATE clients SET ${[...sets, 'version = version + 1', 'updated_at = now()'].join(', ')}
        WHERE id = ${parameters.bind(id)} AND version = ${parameters.bind(expectedVersion)} RETURNING ${COLUMNS}`,
      parameters.values,
    );
    return rows[0];
  }

  /**
   * Art. 17: removes identity and contact data for good (the birth year stays, as in the profile).
   * The row keeps its random id, which identifies nobody once the identity is gone.
   */
  async erase(id: string, manager: EntityManager): Promise<ClientRow> {
    const [rows]: [ClientRow[], number] = await manager.query(
      `UPDATE clients
          SET first_name = NULL, last_name = NULL, name_key = NULL, birth_date = NULL, email = NULL,
              phone = NULL, postal_code = NULL, city = NULL, erased_at = now(),
              version = version + 1, updated_at = now()
        WHERE id = $1 RETURNING ${COLUMNS}`,
      [id],
    );
    return rows[0];
  }
}
