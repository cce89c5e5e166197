import { Injectable } from '@nestjs/common';
import { ClientActivitySourceProvider, type ClientActivitySource } from '../clients/client-activity';

/**
 * Referrals for the retention rule: every step (its day and the day it was recorded) is activity; an
 * open referral (GESENDET, ANGENOMMEN) keeps the client, whom a partner is still serving.
 */
@ClientActivitySourceProvider()
@Injectable()
export class ReferralActivity implements ClientActivitySource {
  readonly name = 'referrals';
  readonly activitySql = `
    SELECT client_id, (updated_at AT TIME ZONE $1)::date AS activity_on FROM referrals
    UNION ALL
    SELECT r.client_id, GREATEST(h.occurred_on, (h.recorded_at AT TIME ZONE $1)::date)
      FROM referral_history h JOIN referrals r ON r.id = h.referral_id`;
  readonly holdSql = `SELECT client_id FROM referrals WHERE status IN ('GESENDET', 'ANGENOMMEN')`;
}
