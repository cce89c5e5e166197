import { Injectable } from '@nestjs/common';
import { ClientActivitySourceProvider, type ClientActivitySource } from '../clients/client-activity';
import { RECOGNITION_STATUSES } from '../reference-data/codes';
import { allowedTargets } from './recognition-state-machine';

/** Closed: no transition leads out (ABGESCHLOSSEN, ZURUECKGENOMMEN, OHNE_BESCHEID_BEENDET). */
const CLOSED_STATUSES = RECOGNITION_STATUSES.filter((status) => allowedTargets(status, null).length === 0);

/**
 * Recognition cases for the retention rule: every transition (on its legal date and the day it was
 * recorded) and every change of a case is activity; a case not yet closed keeps the client.
 */
@ClientActivitySourceProvider()
@Injectable()
export class RecognitionCaseActivity implements ClientActivitySource {
  readonly name = 'recognitionCases';
  readonly activitySql = `
    SELECT client_id, (updated_at AT TIME ZONE $1)::date AS activity_on FROM recognition_cases
    UNION ALL
    SELECT c.client_id, GREATEST(h.occurred_on, (h.recorded_at AT TIME ZONE $1)::date)
      FROM recognition_case_history h JOIN recognition_cases c ON c.id = h.case_id`;
  readonly holdSql = `
    SELECT client_id FROM recognition_cases
     WHERE status <> ALL ('{${CLOSED_STATUSES.join(',')}}'::text[])`;
}
