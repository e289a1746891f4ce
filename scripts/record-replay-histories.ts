/**
 * Regenerates the replay corpus in test/replay/: runs every reference scenario (and the
 * calendar fixtures' scenarios and the continue-as-new fixture) on a time-skipping server
 * exactly as the differential tests do, and writes the histories of each run's executions to
 * one JSON file per run.
 *
 * For reviewed use only: a new corpus replaces the histories that guard old runs against
 * nondeterministic changes, so regenerate it only when the workflow changed on purpose (with
 * `patched()` where old histories must stay replayable), and review the diff. With a name
 * prefix (a file name's start) it records only those runs and keeps the rest of the corpus.
 *
 *   npx tsx scripts/record-replay-histories.ts [prefix]
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { validateAccount } from '../src/accounts/validate.js';
import { compileFile } from '../src/compile/compile.js';
import { versionOf } from '../src/ir/canonical.js';
import { loadScenarioFile } from '../src/scenarios/load.js';
import { compileScenarioPlaybook } from '../src/scenarios/run.js';
import { MemoryContactLedger } from '../src/outreach/contact-ledger.js';
import { startNewRun } from '../src/temporal/client.js';
import { ACCOUNT as POLICY_ACCOUNT, PARTIES_ACCOUNT, partiesProgram, policyPrograms, START as POLICY_START } from '../test/outreach/contact-policy-fixture.js';
import { drive, endIfOpen, historiesOf, scenarioRequest, sleepUntilServer, type DriveRequest } from '../test/temporal/drive.js';
import { startHarness, TASK_QUEUE, type Harness } from '../test/temporal/harness.js';

const SCENARIOS_DIR = 'playbooks/tests';
const SCENARIO_DIRS = [SCENARIOS_DIR, 'test/temporal/calendar-fixtures', 'test/temporal/language-fixtures'];
const OUT_DIR = 'test/replay';
const DAY = 86_400_000;
const HOUR = 3_600_000;
/**
 * Histories this script cannot record again: those recorded by code from before a patch (the
 * account entity's, see test/replay/replay.test.ts, and `*-recorded-before-<patch>-*`), those
 * of a reference playbook as it was before a rewrite (`*-recorded-before-<change>-*`), and the
 * enrollment throttle's gate, recorded by test/temporal/throttle.test.ts.
 */
const KEPT = /^account-entity-|^throttle-gate-|-recorded-before-/;
/** Records only the runs whose file name starts with it, and deletes nothing. */
const ONLY = process.argv[2];

async function record(h: Harness, name: string, req: DriveRequest): Promise<void> {
  if (ONLY !== undefined && !slug(name).startsWith(ONLY)) return;
  const run = await drive(h, req);
  const histories = await historiesOf(h.env.client, run.workflowId, run.firstRunId);
  const file = join(OUT_DIR, `${slug(name)}.json`);
  // protobufjs JSON: what `History.fromObject` reads back in the replay test.
  await writeFile(file, `${JSON.stringify({ workflowId: run.workflowId, histories })}\n`);
  console.log(`${file}: ${histories.length} execution(s), ${run.status.timeline.length} timeline entries`);
}

/**
 * The two playbooks of test/outreach/contact-policy-fixture.ts started together under its
 * contact policy (their decisions shared, as a store's are), as test/temporal/contact-policy.test.ts
 * runs them: one file per run, `contact-policy-<when capped>-<playbook>.json`.
 */
async function recordContactPolicy(h: Harness, whenCapped: 'defer' | 'skip'): Promise<void> {
  const programs = policyPrograms(whenCapped);
  const names = programs.map((program) => slug(`contact-policy--${whenCapped}--${program.entry}`));
  if (ONLY !== undefined && !names.some((name) => name.startsWith(ONLY))) return;
  h.recorded.contacts = new MemoryContactLedger();
  const until = POLICY_START + 21 * DAY;
  const offset = POLICY_START - (await h.env.currentTimeMs());
  const started = [];
  for (const program of programs) {
    started.push(
      await startNewRun(h.env.client, {
        program,
        version: versionOf(program),
        account: POLICY_ACCOUNT,
        taskQueue: TASK_QUEUE,
        roles: {},
        startAt: POLICY_START,
      }),
    );
  }
  await sleepUntilServer(h, until - offset + 1_000);
  for (const [i, { workflowId, runId }] of started.entries()) {
    await endIfOpen(h, workflowId);
    const histories = await historiesOf(h.env.client, workflowId, runId);
    const file = join(OUT_DIR, `${names[i]}.json`);
    await writeFile(file, `${JSON.stringify({ workflowId, histories })}\n`);
    console.log(`${file}: ${histories.length} execution(s)`);
  }
}

async function main(): Promise<void> {
  await mkdir(OUT_DIR, { recursive: true });
  if (ONLY === undefined) for (const old of (await readdir(OUT_DIR)).filter((f) => f.endsWith('.json') && !KEPT.test(f))) await rm(join(OUT_DIR, old));
  const h = await startHarness();
  try {
    for (const dir of SCENARIO_DIRS) {
      for (const name of (await readdir(dir)).filter((f) => f.endsWith('.scenarios.yaml')).sort()) {
        const file = await loadScenarioFile(join(dir, name));
        const program = await compileScenarioPlaybook(file);
        for (const scenario of file.scenarios) {
          const request = scenarioRequest(program, scenario, `${name}: ${scenario.name}`);
          if (request !== null) await record(h, `${file.playbook}--${scenario.name}`, request);
        }
      }
    }
    const weekly = await compileFile('test/temporal/fixtures/weekly-check.playbook');
    const start = Date.parse('2026-03-02T15:00:00Z');
    await record(h, 'weekly-check--continues as new', {
      ...weekly,
      account: { id: 'acct-weekly', name: 'Initech', csm: 'sam.ortiz@example.com', status: 'active' },
      start,
      inputs: [
        { at: { instant: start + DAY }, kind: 'complete', task: 'checkin', answers: { mood: 'happy' } },
        { at: { instant: start + 9 * DAY }, kind: 'event', name: 'checkin.done', payload: { week: 1 } },
      ],
      until: { instant: start + 84 * DAY },
      continueAsNewAfterEvents: 40,
    });
    // Account updates trickling in while onboarding waits for its kickoff, before and after its
    // 3-business-day rung fired: with a signal limit of 10 the run hops inside the wait.
    const onboarding = await loadScenarioFile(join(SCENARIOS_DIR, 'onboarding-enterprise.scenarios.yaml'));
    const onboardingProgram = await compileScenarioPlaybook(onboarding);
    const kickoff = onboarding.scenarios[0]!;
    const acme = validateAccount(onboardingProgram.fields, kickoff.account);
    if (!acme.ok) throw new Error(acme.errors.join('; '));
    const trickle: DriveRequest['inputs'] = Array.from({ length: 30 }, (_, n) => ({
      at: { instant: kickoff.start + 2 * DAY + n * 3 * HOUR },
      kind: 'set',
      field: 'health',
      value: 50 + n,
    }));
    await record(h, 'onboarding-enterprise--hops while waiting for the kickoff after its first rung', {
      program: onboardingProgram,
      version: versionOf(onboardingProgram),
      account: acme.value,
      start: kickoff.start,
      inputs: [...trickle, { at: { instant: kickoff.start + 6 * DAY + HOUR }, kind: 'event', name: 'kickoff.held', payload: { attendees: 'Dana Whitfield' } }],
      until: { instant: kickoff.start + 7 * DAY },
      signalLimit: 10,
    });
    // The first scenario again, its run writing to the store: flushes by local activity, task
    // notices left to the store's outbox (`storeWrites: 'local'`).
    const kickoffRequest = scenarioRequest(onboardingProgram, kickoff, 'projected to the store');
    if (kickoffRequest === null) throw new Error(`${kickoff.name}: no run to record`);
    await record(h, 'onboarding-enterprise--projected to the store, kickoff on day 4 completes onboarding', {
      ...kickoffRequest,
      projectToStore: true,
    });
    await recordContactPolicy(h, 'defer');
    await recordContactPolicy(h, 'skip');
    // The v2 email to a list with cc under the policy, each message decided alone.
    for (const whenCapped of ['defer', 'skip'] as const) {
      h.recorded.contacts = new MemoryContactLedger();
      const program = partiesProgram(whenCapped);
      await record(h, `contact-policy-parties--${whenCapped}--welcome`, {
        program,
        version: versionOf(program),
        account: PARTIES_ACCOUNT,
        start: POLICY_START,
        inputs: [],
        until: { instant: POLICY_START + 21 * DAY },
      });
    }
  } finally {
    await h.teardown();
  }
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 120);
}

await main();
