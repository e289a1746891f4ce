/**
 * Differential: every scenario of every reference playbook (playbooks/tests/*.scenarios.yaml)
 * and of the calendar fixtures (test/temporal/calendar-fixtures: holidays from an account
 * field, a send window on the night clocks go back, a template localised by the account's
 * locale) and of the language fixtures (test/temporal/language-fixtures: a child playbook with
 * parameters, goals, a wait whose `where` leaves an event pending) runs through the simulator and through
 * the `playbook` workflow on a real time-skipping Temporal server, with the same account,
 * start, triggering event and inputs; the timelines must be identical.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { IrProgram } from '../../src/ir/types.js';
import { compileScenarioPlaybook } from '../../src/scenarios/run.js';
import { loadScenarioFile } from '../../src/scenarios/load.js';
import type { ScenarioFile } from '../../src/scenarios/types.js';
import { drive, scenarioRequest } from './drive.js';
import { startHarness, type Harness } from './harness.js';

const SCENARIO_DIRS = ['playbooks/tests', 'test/temporal/calendar-fixtures', 'test/temporal/language-fixtures'];
const files = SCENARIO_DIRS.flatMap((dir) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.scenarios.yaml'))
    .sort()
    .map((f) => join(dir, f)),
);

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 120_000);
afterAll(async () => {
  await h?.teardown();
});

test('the reference scenarios exist', () => {
  expect(files.length).toBeGreaterThanOrEqual(6);
});

describe.each(files)('%s', (name) => {
  let file: ScenarioFile;
  let program: IrProgram;
  beforeAll(async () => {
    file = await loadScenarioFile(name);
    program = await compileScenarioPlaybook(file);
  }, 60_000);

  test('every scenario gives the same timeline on Temporal as in the simulator', async () => {
    for (const scenario of file.scenarios) {
      // A scenario whose trigger starts no run has nothing to compare.
      const request = scenarioRequest(program, scenario, scenario.name);
      if (request === null) continue;
      const run = await drive(h, request);
      const { sim, status } = run;
      expect({ scenario: scenario.name, timeline: status.timeline }).toEqual({ scenario: scenario.name, timeline: sim.timeline });
      expect({ scenario: scenario.name, outcome: status.outcome, label: status.outcomeLabel }).toEqual({
        scenario: scenario.name,
        outcome: sim.outcome,
        label: sim.outcomeLabel,
      });
      expect({ scenario: scenario.name, rejected: status.rejected.length + run.refused.length }).toEqual({
        scenario: scenario.name,
        rejected: sim.rejected.length,
      });
    }
  }, 600_000);
});
