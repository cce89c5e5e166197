import { Injectable } from '@nestjs/common';
import { ClientActivitySourceProvider, type ClientActivitySource } from './client-activity';

/**
 * Activity in the client's own record for the retention rule: the record created or changed, a
 * qualification or consent recorded or changed, a consultation held or recorded.
 */
@ClientActivitySourceProvider()
@Injectable()
export class ClientRecordActivity implements ClientActivitySource {
  readonly name = 'clientRecord';
  readonly activitySql = `
    SELECT id AS client_id, (updated_at AT TIME ZONE $1)::date AS activity_on FROM clients
    UNION ALL
    SELECT client_id, (updated_at AT TIME ZONE $1)::date FROM client_qualifications
    UNION ALL
    SELECT client_id, GREATEST(given_on, (updated_at AT TIME ZONE $1)::date, (withdrawn_at AT TIME ZONE $1)::date)
      FROM consents
    UNION ALL
    SELECT client_id, GREATEST(held_on, (updated_at AT TIME ZONE $1)::date) FROM consultations`;
}
