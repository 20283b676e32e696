/** Unit tests import src/ (ESM TypeScript); end-to-end tests run the built dist/. */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.test.json' }] },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  setupFiles: ['<rootDir>/test/support/worker-cache.ts'],
  testTimeout: 60000,
  // Three on a 2-core machine: the stop tests spend most of their time waiting on timeouts and
  // grace periods, which a third worker fills (the whole suite 653 s -> 534 s, all passing).
  maxWorkers: 3,
};
