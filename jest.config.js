// Two projects: unit tests beside the code, end-to-end tests in test/ against a real PostgreSQL.
const transform = {
  '^.+\\.(ts|js)$': ['ts-jest', { tsconfig: { isolatedModules: true, sourceMap: true, allowJs: true } }],
};
const modulePathIgnorePatterns = ['<rootDir>/dist/'];

/** @type {import('jest').Config} */
module.exports = {
  // Applies to every project (Jest reads it only at the top level).
  testTimeout: 60_000,
  // pg-boss's loop that waits for its stopped workers (manager.offWork) can keep polling after a test
  // file's app has closed when a worker's last fetch never returns from the ended pool; that timer kept
  // Jest from exiting after a green run. Every app is closed by its file's afterAll; exit when done.
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
