/**
 * The layering the README's layout describes, checked by `npm run deps:check` and by
 * test/structure/dependency-rules.test.ts. Type-only imports count: a type pulled from a
 * higher layer ties the lower one to it just the same. What the workflow bundle reaches is
 * checked separately (.dependency-cruiser.bundle.cjs), on the imports that survive compiling.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-upward-imports',
      comment:
        'The language, checker, IR, interpreter, simulator, calendar and triggers know nothing of the ' +
        'surfaces and the durable clock built on them (cli, api, ops, temporal).',
      severity: 'error',
      from: { path: '^src/(language|check|ir|runtime|simulate|calendar|triggers)/' },
      to: { path: '^src/(cli|api|ops|temporal)/' },
    },
    {
      name: 'store-below-its-users',
      comment:
        'The store (schema, migrations, typed queries) is read and written by the worker, the API and ' +
        'the commands; it imports none of them, and the workflow code never reaches it.',
      severity: 'error',
      from: { path: '^src/store/' },
      to: { path: '^src/(cli|api|ops|temporal)/' },
    },
    {
      name: 'reports-below-surfaces',
      comment:
        'The KPIs (src/reports/) are computed once, below the CLI, the API and the console that show them; ' +
        'they read the store and count in the calendar module, and import no surface.',
      severity: 'error',
      from: { path: '^src/reports/' },
      to: { path: '^src/(cli|api|ops|temporal|console)/' },
    },
    {
      name: 'no-circular',
      comment: 'Modules in src/ import each other in one direction only.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
