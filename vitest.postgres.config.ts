// `npm run test:postgres` (scripts/test-postgres.sh): the store contract on both backends, then
// the PostgreSQL-only tests (several satellite processes, migration), on one throwaway cluster.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/satellite/store/store.test.ts', 'test/postgres/**/*.test.ts'],
    setupFiles: ['./test/setup.ts'],
    globalSetup: ['./test/postgres/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks'
  }
});
