/**
 * Runs every scenario of every `playbooks/**\/*.scenarios.yaml` (and of the calendar and
 * language fixtures in test/temporal/{calendar,language}-fixtures) as its own vitest test, so `npm test` fails with the
 * scenario's readable report when a playbook stops doing what its scenarios say.
 */
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { IrProgram } from '../../src/ir/types.js';
import { findScenarioFiles } from '../../src/scenarios/discover.js';
import { loadScenarioFile } from '../../src/scenarios/load.js';
import { formatScenarioRun } from '../../src/scenarios/report.js';
import { compileScenarioPlaybook, runScenario } from '../../src/scenarios/run.js';

const PLAYBOOKS = relative(process.cwd(), fileURLToPath(new URL('../../playbooks', import.meta.url)));
const CALENDAR_FIXTURES = relative(process.cwd(), fileURLToPath(new URL('../temporal/calendar-fixtures', import.meta.url)));
const LANGUAGE_FIXTURES = relative(process.cwd(), fileURLToPath(new URL('../temporal/language-fixtures', import.meta.url)));
const files = await findScenarioFiles([PLAYBOOKS, CALENDAR_FIXTURES, LANGUAGE_FIXTURES]);

it('finds the reference scenario files', () => {
  expect(files.length).toBeGreaterThan(0);
});

for (const path of files) {
  const loaded = await loadScenarioFile(path).then(
    (file) => ({ file, error: null }),
    (error: unknown) => ({ file: null, error }),
  );
  describe(path, () => {
    const { file } = loaded;
    if (file === null) {
      it('loads', () => {
        throw loaded.error;
      });
      return;
    }
    // Compiled once per file, by the first scenario that runs.
    let compiled: Promise<IrProgram> | undefined;
    for (const scenario of file.scenarios) {
      it(scenario.name, async () => {
        compiled ??= compileScenarioPlaybook(file);
        const run = await runScenario(await compiled, scenario);
        if (!run.passed) expect.fail(`\n${formatScenarioRun(run)}`);
      });
    }
  });
}
