import type { ClientBase } from 'pg';
import { nameKey } from '../clients/name-key';
import {
  computeDeadlines,
  periodEventsOf,
  type DeadlineRules,
  type RecordedStep,
} from '../recognition/deadlines';
import { workingDaysOf } from '../recognition/working-days';

export interface CheckOptions {
  rules: DeadlineRules;
  /** The seed's "today": nothing may be dated after it. */
  today: string;
  earliestConsultation: string;
}

/** A named SQL query answering the number of rows that break an invariant (0 = holds). */
const SQL_CHECKS: readonly (readonly [string, string])[] = [
  [
    'no offer is overbooked: seats taken = ZUGESAGT + LAUFEND ≤ capacity',
    `SELECT count(*) FROM qualification_offers o
       LEFT JOIN (SELECT offer_id, count(*) FILTER (WHERE status IN ('ZUGESAGT', 'LAUFEND')) AS seats,
                         count(*) FILTER (WHERE status = 'WARTELISTE') AS waiting
                    FROM enrolments GROUP BY offer_id) e ON e.offer_id = o.id
      WHERE o.seats_taken <> coalesce(e.seats, 0) OR o.waitlisted <> coalesce(e.waiting, 0) OR o.seats_taken > o.capacity`,
  ],
  [
    'waiting lists only where the offer is full (measures not over yet)',
    `SELECT count(*) FROM qualification_offers
      WHERE waitlisted > 0 AND seats_taken < capacity AND (ends_on IS NULL OR ends_on >= $1::date)`,
  ],
  [
    'one live enrolment per client and offer',
    `SELECT count(*) FROM (SELECT offer_id, client_id FROM enrolments WHERE status IN ('WARTELISTE', 'ZUGESAGT', 'LAUFEND')
      GROUP BY 1, 2 HAVING count(*) > 1) d`,
  ],
  [
    'Erst/Folge: the earliest valid consultation of each client is the ERSTBERATUNG, every other valid one a FOLGEBERATUNG',
    `SELECT count(*) FROM (
       SELECT kind, row_number() OVER (PARTITION BY client_id ORDER BY held_on, created_at, id) AS n
         FROM consultations WHERE voided_at IS NULL) ranked
      WHERE (n = 1) <> (kind = 'ERSTBERATUNG')`,
  ],
  [
    'consultations: not in the future, not before the programme or the birth date; next contact not before',
    `SELECT count(*) FROM consultations k JOIN clients c ON c.id = k.client_id
      WHERE k.held_on > $1::date OR k.held_on < $2::date OR k.held_on < c.birth_date
         OR k.next_contact_due < k.held_on`,
  ],
  [
    "scope: every consultation, case and enrolment is in its client's office",
    `SELECT (SELECT count(*) FROM consultations k JOIN clients c ON c.id = k.client_id WHERE k.office_id <> c.office_id)
          + (SELECT count(*) FROM recognition_cases r JOIN clients c ON c.id = r.client_id WHERE r.office_id <> c.office_id)
          + (SELECT count(*) FROM enrolments e JOIN clients c ON c.id = e.client_id WHERE e.office_id <> c.office_id)`,
  ],
  [
    "scope: consultations are logged by advisers of the client's office; clients created by one",
    `SELECT (SELECT count(*) FROM consultations k JOIN users u ON u.id = k.adviser_id
              WHERE u.role <> 'ADVISER' OR u.office_id <> k.office_id)
          + (SELECT count(*) FROM clients c JOIN users u ON u.id = c.created_by
              WHERE u.role <> 'ADVISER' OR u.office_id <> c.office_id)`,
  ],
  [
    'scope: advisers have an office, coordinators a network (which exist)',
    `SELECT count(*) FROM users u
      WHERE (u.role = 'ADVISER' AND NOT EXISTS (SELECT 1 FROM offices o WHERE o.id = u.office_id))
         OR (u.role = 'COORDINATOR' AND NOT EXISTS (SELECT 1 FROM networks n WHERE n.id = u.network_id))`,
  ],
  [
    "consents: a sharing consent names an existing partner or a partner type, and categories; partners' cases name existing authorities",
    `SELECT (SELECT count(*) FROM consents s
              WHERE s.purpose = 'WEITERGABE_PARTNER'
                AND ((s.partner_id IS NULL) = (s.partner_type IS NULL) OR cardinality(s.data_categories) = 0
                     OR (s.partner_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM partners p WHERE p.id = s.partner_id))))
          + (SELECT count(*) FROM recognition_cases r LEFT JOIN partners p ON p.id = r.authority_partner_id
              WHERE r.authority_partner_id IS NOT NULL AND (p.id IS NULL OR p.type NOT IN ('ANERKENNUNGSSTELLE', 'KAMMER', 'ZAB')))`,
  ],
  [
    "recognition cases: the linked qualification is the client's; the history ends in the case's state",
    `SELECT (SELECT count(*) FROM recognition_cases r JOIN client_qualifications q ON q.id = r.qualification_id
              WHERE q.client_id <> r.client_id)
          + (SELECT count(*) FROM recognition_cases r
              JOIN LATERAL (SELECT to_status FROM recognition_case_history h WHERE h.case_id = r.id
                             ORDER BY recorded_at DESC, id DESC LIMIT 1) last ON true
              WHERE last.to_status <> r.status)`,
  ],
  [
    'recognition cases: no date after today; a decided case has a decision date',
    `SELECT count(*) FROM recognition_cases
      WHERE greatest(submitted_on, documents_complete_on, decided_on, appeal_filed_on) > $1::date
         OR (status IN ('BESCHIEDEN', 'AUSGLEICH_LAUFEND', 'RECHTSBEHELF') AND (decided_on IS NULL OR outcome IS NULL))`,
  ],
  [
    "referrals: in the client's office; the consent is the client's, in force when sent, covering the partner (or its type) and every category",
    `SELECT count(*) FROM referrals r
       JOIN clients c ON c.id = r.client_id
       JOIN consents s ON s.id = r.consent_id
       JOIN partners p ON p.id = r.partner_id
      WHERE r.office_id <> c.office_id OR s.client_id <> r.client_id OR s.purpose <> 'WEITERGABE_PARTNER'
         OR s.given_on > r.sent_on OR s.expires_on < r.sent_on
         OR (s.withdrawn_at IS NOT NULL AND (s.withdrawn_at AT TIME ZONE 'Europe/Berlin')::date <= r.sent_on)
         OR NOT (s.partner_id = r.partner_id OR s.partner_type = p.type)
         OR NOT (r.data_categories <@ s.data_categories)
         OR r.sent_on > $1::date`,
  ],
  [
    "referrals: no open referral relies on a withdrawn consent; the history ends in the referral's state",
    `SELECT (SELECT count(*) FROM referrals r JOIN consents s ON s.id = r.consent_id
              WHERE r.status IN ('GESENDET', 'ANGENOMMEN') AND s.withdrawn_at IS NOT NULL)
          + (SELECT count(*) FROM referrals r
              JOIN LATERAL (SELECT to_status FROM referral_history h WHERE h.referral_id = r.id
                             ORDER BY recorded_at DESC, id DESC LIMIT 1) last ON true
              WHERE last.to_status <> r.status)`,
  ],
  [
    'audit: one create event per client, consultation, recognition case, enrolment and referral',
    `SELECT (SELECT count(*) FROM clients) - (SELECT count(*) FROM audit_events WHERE action = 'client.create')
          + (SELECT count(*) FROM consultations) - (SELECT count(*) FROM audit_events WHERE action = 'consultation.create')
          + (SELECT count(*) FROM recognition_cases) - (SELECT count(*) FROM audit_events WHERE action = 'recognition-case.create')
          + (SELECT count(*) FROM enrolments) - (SELECT count(*) FROM audit_events WHERE action = 'enrolment.create')
          + (SELECT count(*) FROM referrals) - (SELECT count(*) FROM audit_events WHERE action = 'referral.create')`,
  ],
];

interface CaseDeadlineRow {
  id: string;
  fastTrack: boolean;
  status: string;
  submittedOn: string | null;
  documentsCompleteOn: string | null;
  receiptConfirmationDueOn: string | null;
  decisionDueOn: string | null;
  decisionReminderOn: string | null;
  suspendedDays: number;
  bundesland: string;
  deadlineBundesland: string | null;
  steps: RecordedStep[];
}

/**
 * Proves the invariants the API enforces on seeded (or any) data: answers what is broken, an empty
 * list when everything holds. Deadlines are recomputed from each case's history with the deadline code
 * of the API and compared with the stored ones.
 */
export async function runSeedChecks(client: ClientBase, options: CheckOptions): Promise<string[]> {
  const failures: string[] = [];
  for (const [name, sql] of SQL_CHECKS) {
    const parameters = [options.today, options.earliestConsultation].slice(
      0,
      sql.includes('$2') ? 2 : sql.includes('$1') ? 1 : 0,
    );
    const { rows } = await client.query<Record<string, string>>(sql, parameters);
    const broken = Number(Object.values(rows[0])[0]);
    if (broken !== 0) {
      failures.push(`${name}: ${broken} rows break it`);
    }
  }
  failures.push(...(await checkDeadlines(client, options)));
  failures.push(...(await checkNameKeys(client)));
  return failures;
}

async function checkDeadlines(client: ClientBase, options: CheckOptions): Promise<string[]> {
  let after = '00000000-0000-0000-0000-000000000000';
  let wrong = 0;
  const examples: string[] = [];
  for (;;) {
    const { rows } = await client.query<CaseDeadlineRow>(
      `SELECT r.id, r.fast_track AS "fastTrack", r.status,
              to_char(r.submitted_on, 'YYYY-MM-DD') AS "submittedOn",
              to_char(r.documents_complete_on, 'YYYY-MM-DD') AS "documentsCompleteOn",
              to_char(r.receipt_confirmation_due_on, 'YYYY-MM-DD') AS "receiptConfirmationDueOn",
              to_char(r.decision_due_on, 'YYYY-MM-DD') AS "decisionDueOn",
              to_char(r.decision_reminder_on, 'YYYY-MM-DD') AS "decisionReminderOn",
              r.suspended_days AS "suspendedDays", coalesce(p.bundesland, o.bundesland) AS bundesland,
              r.deadline_bundesland AS "deadlineBundesland",
              (SELECT json_agg(json_build_object('fromStatus', h.from_status, 'toStatus', h.to_status,
                        'occurredOn', to_char(h.occurred_on, 'YYYY-MM-DD'), 'extendedUntil', h.payload->>'extendedUntil')
                        ORDER BY h.recorded_at, h.id)
                 FROM recognition_case_history h WHERE h.case_id = r.id) AS steps
         FROM recognition_cases r
         JOIN offices o ON o.id = r.office_id
         LEFT JOIN partners p ON p.id = r.authority_partner_id
        WHERE r.id > $1 AND r.status <> 'IN_VORBEREITUNG'
        ORDER BY r.id LIMIT 5000`,
      [after],
    );
    if (rows.length === 0) {
      break;
    }
    for (const row of rows) {
      const calendar = workingDaysOf(row.bundesland);
      const expected = computeDeadlines(
        {
          fastTrack: row.fastTrack,
          submittedOn: row.submittedOn,
          documentsCompleteOn: row.documentsCompleteOn,
          events: periodEventsOf(row.steps ?? []),
        },
        options.rules,
        calendar,
      );
      const same =
        expected.receiptConfirmationDueOn === row.receiptConfirmationDueOn &&
        expected.decisionDueOn === row.decisionDueOn &&
        expected.decisionReminderOn === row.decisionReminderOn &&
        expected.suspendedDays === row.suspendedDays &&
        row.deadlineBundesland === row.bundesland;
      if (!same) {
        wrong += 1;
        if (examples.length < 3) {
          examples.push(`${row.id} (stored ${row.decisionDueOn}, rules ${expected.decisionDueOn})`);
        }
      }
    }
    after = rows[rows.length - 1].id;
  }
  return wrong === 0
    ? []
    : [`deadlines equal the deadline rules: ${wrong} cases differ, e.g. ${examples.join('; ')}`];
}

/** The stored name key is the API's normaliser applied to the name (a sample of up to 20,000 clients). */
async function checkNameKeys(client: ClientBase): Promise<string[]> {
  const { rows } = await client.query<{
    id: string;
    firstName: string | null;
    lastName: string | null;
    nameKey: string | null;
  }>(
    `SELECT id, first_name AS "firstName", last_name AS "lastName", name_key AS "nameKey"
       FROM clients WHERE erased_at IS NULL ORDER BY id LIMIT 20000`,
  );
  const wrong = rows.filter((row) => row.nameKey !== nameKey(row.firstName ?? '', row.lastName ?? ''));
  return wrong.length === 0
    ? []
    : [`name keys equal the normaliser's: ${wrong.length} clients differ, e.g. ${wrong[0].id}`];
}
