/**
 * Runs one playbook run both ways, the same account, start and inputs: through `simulate()`
 * on the virtual clock, and through the `playbook` workflow on the time-skipping server.
 *
 * The test server's clock starts at the real current time and only moves forward, while
 * scenarios start at fixed instants (often in the past). So the workflow is started with
 * `startAt` (its playbook clock runs at a fixed offset from the server's), and each input is
 * sent a minute of server time ahead of its instant with `at` set to it; the workflow applies
 * it at exactly that instant, before anything else due then, as the simulator does.
 */
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { addDuration, defaultCalendar } from '../../src/calendar/index.js';
import { resolveProgramCalendars } from '../../src/calendar/resolve.js';
import { UserError } from '../../src/errors.js';
import type { AccountData, IrProgram } from '../../src/ir/types.js';
import { validateAccount } from '../../src/accounts/validate.js';
import { versionOf } from '../../src/ir/canonical.js';
import { withYesNo } from '../../src/scenarios/run.js';
import type { Scenario } from '../../src/scenarios/types.js';
import { entryCalendarOf, triggerMatch } from '../../src/simulate/cli-run.js';
import { simulateWith, type SimulatedInput, type SimulateResult, type When } from '../../src/simulate/simulate.js';
import { cancel, changeTask, completeTask, getStatus, pause, resume, sendEvent, startNewRun, updateAccount } from '../../src/temporal/client.js';
import type { RunStatus } from '../../src/temporal/contract.js';
import { TASK_QUEUE, type Harness } from './harness.js';

type History = temporal.api.history.v1.IHistory;

/** The simulator's inputs, pause and resume included; the workflow gets them as signals and updates. */
export type DriveInput = DistributiveOmit<SimulatedInput, 'at'>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export interface DriveRequest {
  program: IrProgram;
  version: string;
  account: AccountData;
  start: number;
  inputs: Array<{ at: When } & DriveInput>;
  /** Default: two years after the start, as in the simulator. */
  until?: When;
  roles?: Record<string, string>;
  continueAsNewAfterEvents?: number;
  signalLimit?: number;
  /** The triggering event under its `as` name, which both runs start with. */
  bindings?: Record<string, Record<string, unknown>>;
  /** The run writes its timeline to the store (the harness's `projectRun` keeps the flushes). */
  projectToStore?: boolean;
}

export interface Driven {
  sim: SimulateResult<{ at: When } & DriveInput>;
  status: RunStatus;
  workflowId: string;
  firstRunId: string;
  /** Completions the `completeTask` update refused, with the reason. */
  refused: string[];
}

/** How long (server time) before its instant an input is sent: well beyond the workflow's schedule lead. */
const SEND_AHEAD_MS = 60_000;
/** After the end instant, so that timers due exactly then have fired. */
const SETTLE_MS = 1_000;

export async function simulateRun(req: DriveRequest): Promise<Driven['sim']> {
  return simulateWith({
    program: req.program,
    account: req.account,
    calendars: resolveProgramCalendars(req.program, req.account, req.start),
    start: req.start,
    inputs: req.inputs,
    roles: req.roles ?? {},
    ...(req.until && { until: req.until }),
    ...(req.bindings && { bindings: req.bindings }),
  });
}

/**
 * A scenario file's scenario as a run to drive: its yes/no words read as the program expects,
 * its account validated (a bad one throws, named by `label`), its run bound to the triggering
 * event under the trigger's `as` name. Null when its trigger does not start the run (a
 * scenario that expects `started: no`): there is nothing to drive.
 */
export function scenarioRequest(program: IrProgram, given: Scenario, label: string): DriveRequest | null {
  const scenario = { ...given, ...withYesNo(program, given) };
  const account = validateAccount(program.fields, scenario.account);
  if (!account.ok) throw new Error(`${label}: ${account.errors.join('; ')}`);
  let bindings: DriveRequest['bindings'];
  if (scenario.trigger !== undefined) {
    const match = triggerMatch(program, account.value, scenario.start, scenario.trigger, entryCalendarOf(program, account.value, scenario.start));
    if (typeof match === 'string') return null;
    bindings = match.bindings;
  }
  return {
    ...(bindings && { bindings }),
    program,
    version: versionOf(program),
    account: account.value,
    start: scenario.start,
    inputs: scenario.inputs.map((i) => i.input),
    ...(scenario.until !== undefined && { until: scenario.until }),
  };
}

export async function drive(h: Harness, req: DriveRequest): Promise<Driven> {
  const sim = await simulateRun(req);
  const client = h.env.client;
  const instantOf = whenToInstant(req);
  const offset = req.start - (await h.env.currentTimeMs());
  const { workflowId, runId } = await startNewRun(client, {
    program: req.program,
    version: req.version,
    account: req.account,
    taskQueue: TASK_QUEUE,
    roles: req.roles ?? {},
    startAt: req.start,
    ...(req.continueAsNewAfterEvents !== undefined && { continueAsNewAfterEvents: req.continueAsNewAfterEvents }),
    ...(req.signalLimit !== undefined && { signalLimit: req.signalLimit }),
    ...(req.bindings && { bindings: req.bindings }),
    ...(req.projectToStore === true && { projectToStore: true }),
  });
  const refused: string[] = [];
  try {
    const inputs = req.inputs.map((input) => ({ input, at: instantOf(input.at) })).sort((a, b) => a.at - b.at);
    for (const { input, at } of inputs) {
      await sleepUntilServer(h, at - offset - SEND_AHEAD_MS);
      try {
        await send(h, workflowId, input, at, instantOf);
      } catch (e) {
        if (!(e instanceof UserError)) throw e;
        refused.push(e.message);
      }
    }
    const until = req.until ? instantOf(req.until) : twoYearsAfter(req.start);
    await sleepUntilServer(h, until - offset + SETTLE_MS);
    return { sim, status: await getStatus(client, workflowId), workflowId, firstRunId: runId, refused };
  } finally {
    await endIfOpen(h, workflowId);
  }
}

async function send(h: Harness, workflowId: string, input: DriveInput, at: number, instantOf: (when: When) => number): Promise<void> {
  const client = h.env.client;
  switch (input.kind) {
    case 'event':
      return sendEvent(client, workflowId, { name: input.name, payload: input.payload, at });
    case 'complete':
      return completeTask(client, workflowId, { task: input.task, answers: input.answers, at });
    case 'set':
      return updateAccount(client, workflowId, { [input.field]: input.value }, { at });
    case 'reassign':
      return changeTask(client, workflowId, { kind: 'reassign', task: input.task, to: input.to, at });
    case 'snooze':
      return changeTask(client, workflowId, { kind: 'snooze', task: input.task, until: instantOf(input.until), at });
    case 'close':
      return changeTask(client, workflowId, { kind: 'close', task: input.task, reason: input.reason, at });
    case 'pause':
      return pause(client, workflowId, { at });
    case 'resume':
      return resume(client, workflowId, { at });
  }
}

export async function sleepUntilServer(h: Harness, serverTime: number): Promise<void> {
  const now = await h.env.currentTimeMs();
  if (serverTime > now) await h.env.sleep(serverTime - now);
}

/**
 * Ends a run left open by cancelling it, and waits until it has ended. Not terminate: the
 * test server keeps time skipping locked for good when a run is terminated while one of its
 * workflow tasks is in flight.
 */
export async function endIfOpen(h: Harness, workflowId: string): Promise<void> {
  const handle = h.env.client.workflow.getHandle(workflowId);
  if ((await handle.describe()).status.name !== 'RUNNING') return;
  await cancel(h.env.client, workflowId);
  await handle.result().catch(() => {});
}

/** The histories of every execution of a run, first to last, following its continue-as-new chain. */
export async function historiesOf(client: Client, workflowId: string, firstRunId: string): Promise<History[]> {
  const histories: History[] = [];
  for (let runId: string | null | undefined = firstRunId; runId;) {
    const history: History = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    histories.push(history);
    runId = history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
  }
  return histories;
}

function whenToInstant(req: DriveRequest): (when: When) => number {
  const entry = req.program.playbooks[req.program.entry]!;
  const calendar = entry.calendar === null ? defaultCalendar : resolveProgramCalendars(req.program, req.account, req.start)[entry.calendar]!;
  return (when) => ('instant' in when ? when.instant : addDuration(req.start, when.offset, calendar));
}

function twoYearsAfter(start: number): number {
  const d = new Date(start);
  d.setUTCFullYear(d.getUTCFullYear() + 2);
  return d.getTime();
}
