/**
 * What the workflow bundle may reach, cruised from its entry (src/temporal/workflows.ts, see
 * src/temporal/bundle.ts) on the imports that survive compiling, as webpack sees them: the
 * interpreter, the calendar arithmetic, the IR, trigger evaluation, the workflow-side files
 * of src/temporal/ and the packages the bundle includes today. Everything in it must be
 * deterministic: no wall clock, randomness, I/O or Node APIs.
 */
const WORKFLOW_SIDE = [
  '^src/(runtime|calendar|ir|triggers)/',
  '^src/temporal/(workflows|contract|input-desk|task-caller|playbook-clock|temporal-effects|resume-order|run-record|continue-as-new|run-limits|run-carry|projection-desk)[.]ts$',
  '^src/temporal/(account-workflow|account-entity|account-contract|account-journal|event-limits|wake-timer)[.]ts$',
  '^src/temporal/(registry-workflow|registry-contract|registry-state)[.]ts$',
  '^src/temporal/(throttle-workflow|throttle-contract|throttle-gate)[.]ts$',
  '^src/temporal/(goal-digest-workflow|goal-digest-contract)[.]ts$',
  '^src/temporal/activities/(options|trigger-options|projection-options)[.]ts$',
  // A worktree's node_modules may be a symlink: its packages then resolve outside the tree.
  '(^|/)node_modules/(@temporalio/workflow|@temporalio/common|luxon)/',
];

module.exports = {
  forbidden: [
    {
      name: 'workflow-bundle-stays-workflow-side',
      comment: 'The workflow bundle reaches only workflow-safe code; anything else belongs in an activity or a client.',
      severity: 'error',
      from: {},
      to: { pathNot: WORKFLOW_SIDE },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: false,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
