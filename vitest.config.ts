import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Tests by what they need (test/README.md): a file is `integration` when it starts a Temporal
 * server, the API or worker processes, or replays histories; every other file is `unit`.
 * Folders whose tests mostly start servers are integration as a whole, and a file in them that
 * needs none is named `*.unit.test.ts`; elsewhere the few that start servers are named here.
 */
const INTEGRATION_DIRS = ['api', 'console', 'crash', 'ops', 'replay', 'reports', 'servers', 'store', 'temporal'];
const INTEGRATION_FILES = ['test/accounts/import-cli.test.ts', 'test/deploy/deploy.test.ts'];
// `!(*.unit)` keeps the unit files of an integration folder out of the integration project.
const INTEGRATION = [`test/{${INTEGRATION_DIRS.join(',')}}/**/!(*.unit).test.ts`, ...INTEGRATION_FILES];
/** Opt-in: vitest.cluster.config.ts runs them (`npm run cluster:test`). */
const CLUSTER = ['test/cluster/**'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 180_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...INTEGRATION, ...CLUSTER],
          // One module graph per worker, not per file: imports dominated, and this more than
          // halves the project's CPU time. So a unit test restores what it changes (timers, env).
          isolate: false,
        },
      },
      { extends: true, test: { name: 'integration', include: INTEGRATION } },
    ],
  },
});
