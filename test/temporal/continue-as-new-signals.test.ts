/**
 * Inputs that arrive while a run continues as new, on a real dev server (the time-skipping
 * server hangs on this interleaving). The run takes one round per "tick"; with a low
 * threshold it decides to continue as new at a round boundary, then waits for the task-store
 * write of a completed task (held at a gate by the test) and holds every input meanwhile.
 * Each step of the test:
 *
 * 1. sends a tick: the round ends and the run decides to switch, holding inputs;
 * 2. sends a tick, an account update and a task completion into that hold;
 * 3. lets the write through, so the run continues as new carrying the held inputs;
 * 4. sends an account update and a completion to the new execution at once. The server delays
 *    the first workflow task of a run whose predecessor lived under a second, so these reach
 *    the new execution together with its start, before it applied what it carries.
 *
 * A last tick ends the run. Every input must take effect exactly once, in the order the server
 * accepted it.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { compileFile } from '../../src/compile/compile.js';
import type { AccountData, IrProgram, StepIr } from '../../src/ir/types.js';
import { startDevServer, type DevServer } from '../../src/servers/dev-server.js';
import { bundlePlaybookWorkflows } from '../../src/temporal/bundle.js';
import { completeTask, getStatus, sendEvent, startNewRun, updateAccount } from '../../src/temporal/client.js';
import { SEARCH_ATTRIBUTE_SCHEMA, type PlaybookWorkflowInput, type RunStatus } from '../../src/temporal/contract.js';
import { createWorker } from '../../src/temporal/worker.js';
import { historiesOf } from './drive.js';
import { RecordingActivities } from './harness.js';

type History = temporal.api.history.v1.IHistory;

const TASK_QUEUE = 'continue-as-new-signals';
/** Above a fresh execution's first workflow task (3 events), below any later one. */
const THRESHOLD = 5;
/** Two ticks a step and a last one: the playbook's `at most 9 times`. */
const STEPS = 4;
const TASKS = Array.from({ length: 1 + 2 * STEPS }, (_, i) => `t${i + 1}`);

/** Holds the task-store writes (`closeTask`) of chosen tasks until the test lets them through. */
class Gate {
  private readonly chosen = new Set<string>();
  private readonly held: Array<() => void> = [];
  private openForGood = false;

  get waiting(): number {
    return this.held.length;
  }

  hold(task: string): void {
    this.chosen.add(task);
  }

  pass(task: string): Promise<void> {
    if (this.openForGood || !this.chosen.has(task)) return Promise.resolve();
    return new Promise((resolve) => this.held.push(resolve));
  }

  letThrough(): void {
    for (const release of this.held.splice(0)) release();
  }

  open(): void {
    this.openForGood = true;
    this.letThrough();
  }
}

let server: DevServer;
let client: Client;
let worker: Worker;
let running: Promise<void>;
const recorded = new RecordingActivities();
const gate = new Gate();
let program: IrProgram;
let version: string;

beforeAll(async () => {
  let bundle;
  [server, bundle, { program, version }] = await Promise.all([
    startDevServer({ uiPort: false, searchAttributes: SEARCH_ATTRIBUTE_SCHEMA }),
    bundlePlaybookWorkflows(),
    compileFile('test/temporal/tick-rounds/tick-rounds.playbook'),
  ]);
  // A playbook cannot say `repeat every 0 minutes`; on the compiled program it makes rounds
  // follow each other as fast as ticks come, so the test needs no clock but the server's.
  zeroCadence(program.playbooks[program.entry]!.body);
  client = new Client({ connection: await Connection.connect({ address: server.address }), namespace: server.namespace });
  worker = await createWorker({
    connection: await NativeConnection.connect({ address: server.address }),
    namespace: server.namespace,
    taskQueue: TASK_QUEUE,
    activities: {
      ...recorded.activities,
      closeTask: async (input) => {
        await gate.pass(input.task);
        return recorded.activities.closeTask(input);
      },
    },
    workflowBundle: { code: bundle.code },
    maxCachedWorkflows: 20,
  });
  running = worker.run();
}, 120_000);

afterAll(async () => {
  gate.open();
  worker?.shutdown();
  await running;
  await client?.connection.close();
  await server?.stop();
});

test('ticks, account updates and task completions sent while a run continues as new each take effect once, in arrival order', async () => {
  const account: AccountData = { id: 'acct-burst', name: 'Initech', csm: 'sam.ortiz@example.com', score: 0 };
  const { workflowId, runId } = await startNewRun(client, { program, version, account, taskQueue: TASK_QUEUE, continueAsNewAfterEvents: THRESHOLD });
  const handle = client.workflow.getHandle(workflowId);
  let ticks = 0;
  let scores = 0;
  const tasks = [...TASKS];
  const tick = () => sendEvent(client, workflowId, { name: 'tick', payload: { n: ++ticks } });
  const score = () => updateAccount(client, workflowId, { score: ++scores });
  const complete = (task: string) => completeTask(client, workflowId, { task });
  const gatedCompletion = () => {
    const task = tasks.shift()!;
    gate.hold(task);
    return complete(task);
  };
  const roundsDone = (status: RunStatus) => status.timeline.filter((e) => e.kind === 'note').length;
  const waitingForTick = (status: RunStatus) => roundsDone(status) === ticks && status.scheduled.length === 0 && status.pendingWaits.length > 0;

  await until(workflowId, (status) => status.openTasks.length === TASKS.length && waitingForTick(status));
  await gatedCompletion();
  for (let step = 1; step <= STEPS; step++) {
    await tick();
    // The round has ended and the interpreter stopped: the run waits for the write to switch.
    await until(workflowId, (status) => roundsDone(status) === ticks && status.pendingWaits.length === 0 && gate.waiting > 0);
    await Promise.all([tick(), score(), gatedCompletion()]);
    expect((await getStatus(client, workflowId)).scheduled.map((s) => s.kind).sort()).toEqual(['account', 'complete', 'event']);
    const switching = (await handle.describe()).runId;
    gate.letThrough();
    while ((await handle.describe()).runId === switching) await delay(10);
    await Promise.all([score(), complete(tasks.shift()!)]);
    await until(workflowId, waitingForTick);
  }
  gate.open();
  await tick();
  expect(await handle.result()).toEqual({ outcome: 'completed', outcomeLabel: null });

  const histories = await historiesOf(client, workflowId, runId);
  const status = await getStatus(client, workflowId);
  const applied = status.timeline.flatMap((e) => {
    if (e.kind === 'event') return [`tick ${String((e.data as { n: number }).n)}`];
    if (e.kind === 'set') return [`score ${String(e.data)}`];
    if (e.kind === 'task-completed') return [`done ${e.task}`];
    return [];
  });
  const sent = [
    ...Array.from({ length: ticks }, (_, i) => `tick ${i + 1}`),
    ...Array.from({ length: scores }, (_, i) => `score ${i + 1}`),
    ...TASKS.map((t) => `done ${t}`),
  ];
  // Each exactly once, in the order the server took them in.
  expect([...applied].sort()).toEqual([...sent].sort());
  expect(applied).toEqual(histories.flatMap(acceptedInputs));
  // Rounds took the ticks first come, first served.
  const taken = status.timeline.filter((e) => e.kind === 'note').map((e) => e.text);
  expect(taken).toEqual(applied.filter((a) => a.startsWith('tick')).map((a) => `Tick ${a.slice('tick '.length)} taken`));
  expect(status.rejected).toEqual([]);
  expect(recorded.closed.map((c) => c.task).sort()).toEqual([...TASKS].sort());
  // Every step's held inputs went into the next execution's input.
  const carried = histories.slice(0, -1).map((h) => continuedInput(h).options.continued?.pending.length ?? 0);
  expect(carried.filter((n) => n >= 3)).toHaveLength(STEPS);
  // The server delays the first task of an execution whose predecessor lived under a second (each
  // step takes a few hundred milliseconds), so inputs reached executions with their start.
  expect(histories.slice(1).map(signalledBeforeFirstTask)).toContain(true);
}, 120_000);

/** Polls the run's status until `done` holds for it. */
async function until(workflowId: string, done: (status: RunStatus) => boolean): Promise<void> {
  while (!done(await getStatus(client, workflowId))) await delay(20);
}

/** Sets every repeat's cadence to 0 minutes. */
function zeroCadence(steps: StepIr[]): void {
  for (const step of steps) {
    if (step.kind === 'repeat') step.every = { amount: 0, unit: 'minute' };
    if ('body' in step) zeroCadence(step.body);
  }
}

/** The inputs an execution accepted (signals, accepted updates), in history order, labelled like the timeline's. */
function acceptedInputs(history: History): string[] {
  return (history.events ?? []).flatMap((event) => {
    const signal = event.workflowExecutionSignaledEventAttributes;
    if (signal) {
      const arg = defaultPayloadConverter.fromPayload<Record<string, unknown>>(signal.input!.payloads![0]!);
      if (signal.signalName === 'event') return [`tick ${String((arg.payload as { n: number }).n)}`];
      if (signal.signalName === 'accountUpdated') return [`score ${String((arg.fields as { score: number }).score)}`];
      return [];
    }
    const update = event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input;
    if (update) return [`done ${defaultPayloadConverter.fromPayload<{ task: string }>(update.args!.payloads![0]!).task}`];
    return [];
  });
}

/** Whether a signal reached the execution before its first workflow task started. */
function signalledBeforeFirstTask(history: History): boolean {
  const events = history.events ?? [];
  const firstTask = events.findIndex((e) => e.workflowTaskStartedEventAttributes != null);
  return events.slice(0, firstTask).some((e) => e.workflowExecutionSignaledEventAttributes != null);
}

function continuedInput(history: History): PlaybookWorkflowInput {
  const attributes = history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes;
  return defaultPayloadConverter.fromPayload<PlaybookWorkflowInput>(attributes!.input!.payloads![0]!);
}
