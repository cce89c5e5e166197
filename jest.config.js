// Two projects: unit tests beside the code, end-to-end tests in test/ against a real PostgreSQL.
const transform = {
  '^.+\\.(ts|js)$': ['ts-jest', { tsconfig: { isolatedModules: true, sourceMap: true, allowJs: true } }],
};
const modulePathIgnorePatterns = ['<rootDir>/dist/'];

/** @type {import('jest').Config} */
module.exports = {
  // Applies to every project (Jest reads it only at the top level).
  testTimeout: 60_000,
  // Both projects exit on their own since the job queue waits for its workers' last statements before
  // closing its pool (npm test and the external-database e2e run, tried without this). Kept as a guard:
  // a handle left open by some future test would otherwise hang CI until its time limit, not fail it.
  forceExit: true,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      rootDir: '.',
      testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/verify/**/*.spec.ts'],
      moduleFileExtensions: ['ts', 'js', 'json'],
      transform,
      modulePathIgnorePatterns,
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      rootDir: '.',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      moduleFileExtensions: ['ts', 'js', 'json'],
      transform,
      modulePathIgnorePatterns,
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      setupFiles: ['<rootDir>/test/support/pg-boss-delay.ts'],
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
