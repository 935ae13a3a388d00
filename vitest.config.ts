import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Needs a PostgreSQL cluster: `npm run test:postgres` runs these (vitest.postgres.config.ts).
    exclude: ['test/postgres/**', '**/node_modules/**'],
    setupFiles: ['./test/setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks'
  }
});
