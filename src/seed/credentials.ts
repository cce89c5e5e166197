/**
 * The credentials of every seeded account: public on purpose (demonstrations, tests, the benchmark).
 * Never seed a database that real people use.
 */

/** The password of every seeded user (admin, coordinators, advisers). */
export const SEED_PASSWORD = 'anker-seed-password';

/** The client secret of every seeded partner API client. */
export const SEED_CLIENT_SECRET = 'seed-client-secret-for-demos-and-benchmarks';
