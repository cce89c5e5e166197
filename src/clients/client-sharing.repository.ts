import { Injectable } from '@nestjs/common';
import { Db } from '../common/database/db';
import { utcInstant } from '../common/http/pagination';

/** A WEITERGABE_PARTNER consent as the sharing rules read it. */
export interface SharingConsentRow {
  id: string;
  partnerId: string | null;
  partnerType: string | null;
  dataCategories: string[];
  givenOn: string;
  expiresOn: string | null;
  withdrawnAt: string | null;
}

export interface SharedIdentityRow {
  erased: boolean;
  firstName: string | null;
  lastName: string | null;
  birthDate: string | null;
  email: string | null;
  phone: string | null;
  postalCode: string | null;
  city: string | null;
  residenceStatus: string | null;
}

export interface SharedQualificationRow {
  kind: string;
  titleOriginal: string | null;
  titleDe: string | null;
  country: string;
  yearAwarded: number | null;
  durationMonths: number | null;
  experienceMonths: number | null;
}

export interface SharedConsultationRow {
  heldOn: string;
  topics: string[];
  outcomes: string[];
}

/** The reads behind `ClientSharingService`: consents for sharing and the members a partner may be shown. */
@Injectable()
export class ClientSharingRepository {
  constructor(private readonly db: Db) {}

  async sharingConsents(clientId: string): Promise<SharingConsentRow[]> {
    return this.db.rows<SharingConsentRow>(
      `SELECT id, partner_id AS "partnerId", partner_type AS "partnerType", data_categories AS "dataCategories",
              to_char(given_on, 'YYYY-MM-DD') AS "givenOn", to_char(expires_on, 'YYYY-MM-DD') AS "expiresOn",
              ${utcInstant('withdrawn_at')} AS "withdrawnAt"
         FROM consents WHERE client_id = $1 AND purpose = 'WEITERGABE_PARTNER'
        ORDER BY created_at, id`,
      [clientId],
    );
  }

  async consents(ids: readonly string[]): Promise<SharingConsentRow[]> {
    return this.db.rows<SharingConsentRow>(
      `SELECT id, partner_id AS "partnerId", partner_type AS "partnerType", data_categories AS "dataCategories",
              to_char(given_on, 'YYYY-MM-DD') AS "givenOn", to_char(expires_on, 'YYYY-MM-DD') AS "expiresOn",
              ${utcInstant('withdrawn_at')} AS "withdrawnAt"
         FROM consents WHERE id = ANY($1::uuid[])`,
      [ids],
    );
  }

  async identity(clientId: string): Promise<SharedIdentityRow | undefined> {
    return this.db.row<SharedIdentityRow>(
      `SELECT erased_at IS NOT NULL AS erased, first_name AS "firstName", last_name AS "lastName",
              to_char(birth_date, 'YYYY-MM-DD') AS "birthDate", email, phone, postal_code AS "postalCode", city,
              residence_status AS "residenceStatus"
         FROM clients WHERE id = $1`,
      [clientId],
    );
  }

  async qualifications(clientId: string): Promise<SharedQualificationRow[]> {
    return this.db.rows<SharedQualificationRow>(
      `SELECT kind, title_original AS "titleOriginal", title_de AS "titleDe", country,
              year_awarded AS "yearAwarded", duration_months AS "durationMonths",
              experience_months AS "experienceMonths"
         FROM client_qualifications WHERE client_id = $1 ORDER BY created_at, id`,
      [clientId],
    );
  }

  /** Consultations that were not voided: dates, topics and outcomes — never notes. */
  async consultations(clientId: string): Promise<SharedConsultationRow[]> {
    return this.db.rows<SharedConsultationRow>(
      `SELECT to_char(held_on, 'YYYY-MM-DD') AS "heldOn", topics, outcomes
         FROM consultations WHERE client_id = $1 AND voided_at IS NULL ORDER BY held_on, created_at, id`,
      [clientId],
    );
  }
}
