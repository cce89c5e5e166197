import { Injectable } from '@nestjs/common';
import { ClientActivitySourceProvider, type ClientActivitySource } from '../clients/client-activity';

/**
 * Enrolments for the retention rule: every step of an enrolment (on its date and the day it was
 * recorded) and every change is activity; a live enrolment (WARTELISTE, ZUGESAGT, LAUFEND) keeps the
 * client, who is waiting for or attending a measure.
 */
@ClientActivitySourceProvider()
@Injectable()
export class EnrolmentActivity implements ClientActivitySource {
  readonly name = 'enrolments';
  readonly activitySql = `
    SELECT client_id, (updated_at AT TIME ZONE $1)::date AS activity_on FROM enrolments
    UNION ALL
    SELECT e.client_id, GREATEST(h.occurred_on, (h.recorded_at AT TIME ZONE $1)::date)
      FROM enrolment_history h JOIN enrolments e ON e.id = h.enrolment_id`;
  readonly holdSql = `
    SELECT client_id FROM enrolments WHERE status IN ('WARTELISTE', 'ZUGESAGT', 'LAUFEND')`;
}
