import { defineConfig } from 'vitest/config';

/**
 * The opt-in cluster tests (test/cluster, run by `npm run cluster:test`): they need the
 * Temporal server built by `npm run cluster:install`, so vitest.config.ts leaves them out and
 * `npm test` never runs them.
 */
export default defineConfig({
  test: {
    include: ['test/cluster/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 300_000,
  },
});
