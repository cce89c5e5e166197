/**
 * The benchmarked workloads, one entry each: the same request goes to the API and to the ceiling
 * (bench/ceiling.ts serves the same paths). Add a workload by adding an entry here and its handler there.
 */

export interface Fixtures {
  officeId: string;
  networkId: string;
  adviserEmail: string;
  coordinatorEmail: string;
  partnerClientId: string;
  /** Clients of the adviser's office, in a stable random order. */
  clientIds: string[];
  /** Name beginnings (up to 5 letters) of those clients, for the tolerant search. */
  names: string[];
  today: string;
  /** The last full calendar year (for the report). */
  year: number;
  tokens: Record<'adviser' | 'coordinator' | 'partner', string>;
  /** Distinguishes the Idempotency-Keys of one benchmark run from another's. */
  runId: string;
}

export interface Endpoint {
  name: string;
  label: string;
  method: 'GET' | 'POST';
  connections: number;
  token: keyof Fixtures['tokens'];
  path(fixtures: Fixtures, index: number): string;
  body?(fixtures: Fixtures, index: number): string;
  headers?(index: number): Record<string, string>;
  /** The target in quality.md, for the summary. */
  target: string;
}

const pick = <T>(items: readonly T[], index: number): T => items[index % items.length];

let idempotencySequence = 0;

export const ENDPOINTS: readonly Endpoint[] = [
  {
    name: 'client-by-id',
    label: 'GET /clients/{id}',
    method: 'GET',
    connections: 50,
    token: 'adviser',
    path: (fixtures, index) => `/api/v1/clients/${pick(fixtures.clientIds, index)}`,
    target: '≥ 0.5× ceiling req/s, p99 ≤ 2× ceiling p99',
  },
  {
    name: 'client-list',
    label: 'GET /clients?limit=50',
    method: 'GET',
    connections: 50,
    token: 'adviser',
    path: () => '/api/v1/clients?limit=50',
    target: '≥ 0.6× ceiling, p99 < 60 ms',
  },
  {
    name: 'client-search',
    label: 'POST /clients/search',
    method: 'POST',
    connections: 50,
    token: 'adviser',
    path: () => '/api/v1/clients/search',
    body: (fixtures, index) => JSON.stringify({ name: pick(fixtures.names, index) }),
    target: '—',
  },
  {
    name: 'create-consultation',
    label: 'POST /clients/{id}/consultations',
    method: 'POST',
    connections: 20,
    token: 'adviser',
    path: (fixtures, index) => `/api/v1/clients/${pick(fixtures.clientIds, index * 7919)}/consultations`,
    body: (fixtures) =>
      JSON.stringify({
        heldOn: fixtures.today,
        durationMinutes: 45,
        channel: 'PERSOENLICH',
        topics: ['ANERKENNUNG_INFO'],
        outcomes: ['WEITERE_BERATUNG'],
      }),
    headers: () => ({
      'idempotency-key': `bench-${process.pid}-${Date.now()}-${(idempotencySequence += 1)}`,
    }),
    target: 'p99 < 50 ms at 20 connections',
  },
  {
    name: 'cases-overdue',
    label: 'GET /recognition-cases?overdue=true',
    method: 'GET',
    connections: 50,
    token: 'adviser',
    path: () => '/api/v1/recognition-cases?overdue=true&limit=50',
    target: '—',
  },
  {
    name: 'referral-sync',
    label: 'GET /partner/referrals (sync page)',
    method: 'GET',
    connections: 50,
    token: 'partner',
    path: () => '/api/v1/partner/referrals?limit=50',
    target: '—',
  },
  {
    name: 'caseload-report',
    label: 'GET /reports/caseload (network, year, month × office)',
    method: 'GET',
    connections: 10,
    token: 'coordinator',
    path: (fixtures) =>
      `/api/v1/reports/caseload?from=${fixtures.year}-01-01&to=${fixtures.year}-12-31&groupBy=month,office`,
    target: 'p95 < 200 ms at 10 concurrent',
  },
];
