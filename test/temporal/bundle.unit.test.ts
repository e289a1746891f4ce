/** The workflow bundle holds only workflow-safe code: no parser, no zod, no holiday tables, no Node-only libraries. */
import { expect, test } from 'vitest';
import { FORBIDDEN_IN_BUNDLE, bundlePlaybookWorkflows } from '../../src/temporal/bundle.js';

test('the workflow bundle contains the interpreter and none of the forbidden modules', async () => {
  const { code } = await bundlePlaybookWorkflows();
  // Positive controls: webpack names bundled modules by path, so a missing name means missing code.
  expect(code).toContain('src/runtime/interpreter.ts');
  expect(code).toContain('node_modules/luxon');
  for (const name of FORBIDDEN_IN_BUNDLE) expect(code, name).not.toContain(`node_modules/${name}/`);
  expect(code).not.toContain('src/calendar/resolve.ts');
  expect(code).not.toContain('src/language/');
}, 120_000);
