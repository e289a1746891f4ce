/**
 * Client-side helpers for playbook runs on Temporal, used by the CLI and the HTTP API:
 * connect, start a run, send it inputs, read its status, list runs. A run already open is an
 * outcome of `startRun`, not an error; mistakes a user can make (no such run, a refused task
 * completion) are `UserError`s with a one-line message; anything else (server unreachable) is
 * thrown as it comes.
 */
import {
  ApplicationFailure,
  Client,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type WorkflowExecutionInfo,
  type WorkflowExecutionStatusName,
  type WorkflowHandle,
} from '@temporalio/client';
import { resolveProgramCalendars } from '../calendar/resolve.js';
import { defaultCalendar } from '../calendar/index.js';
import { runKeyOf } from '../runtime/run-key.js';
import { UserError } from '../errors.js';
import { connectClient } from './client-connection.js';
import type { TemporalConfig } from '../config/types.js';
import type { AccountData, IrProgram } from '../ir/types.js';
import {
  WORKFLOW_TYPE,
  accountUpdatedSignal,
  cancellingSignal,
  changeTaskUpdate,
  completeTaskUpdate,
  eventSignal,
  ANSWERS_REFUSED_FAILURE,
  NOT_ASSIGNEE_FAILURE,
  pauseSignal,
  resumeSignal,
  searchAttributes,
  statusQuery,
  workflowIdOf,
  type ChangeTaskUpdate,
  type PlaybookWorkflowInput,
  type ExecutionEnding,
  type RunStatus,
  type TaskCaller,
} from './contract.js';
import { retryingDeliveries } from './retrying-deliveries.js';
import type { playbook } from './workflows.js';

export { workflowIdOf };

/** A client for `temporal.address` / `namespace`, with TLS and API key when configured. */
export async function connect(temporal: TemporalConfig): Promise<Client> {
  const connection = await connectClient(temporal);
  return new Client({ connection, namespace: temporal.namespace });
}

export interface StartRunRequest {
  program: IrProgram;
  /** The IR's content hash (`compileFile(...).version`). */
  version: string;
  /** Validated against `program.fields` by the caller. */
  account: AccountData;
  taskQueue: string;
  roles?: Record<string, string>;
  /** Epoch ms to start the run's clock at instead of now (see `PlaybookRunOptions.startAt`). */
  startAt?: number;
  /** Test hook: see `PlaybookRunOptions.continueAsNewAfterEvents`. */
  continueAsNewAfterEvents?: number;
  /** See `PlaybookRunOptions.signalLimit`. */
  signalLimit?: number;
  /** `config.store !== null`: see `PlaybookRunOptions.projectToStore`. */
  projectToStore?: boolean;
  /** See `PlaybookWorkflowInput.bindings`. */
  bindings?: Record<string, Record<string, unknown>>;
}

export interface StartedRun {
  status: 'started';
  workflowId: string;
  runId: string;
}

/** What starting a run did: started it, or found a run of the playbook for the account open. */
export type StartRunOutcome = StartedRun | { status: 'alreadyOpen'; workflowId: string };

/**
 * Starts the playbook for the account: calendars resolved for the account, workflow id
 * `playbook:<playbookId>:<accountId>` (with the run key's values after it, for a playbook
 * with `one run per account and …`), search attributes set. An open run of the same
 * playbook for the account (and key) is the `alreadyOpen` outcome, never a second run; a
 * key without a value refuses the start.
 */
export async function startRun(client: Client, req: StartRunRequest): Promise<StartRunOutcome> {
  const playbookId = req.program.entry;
  let calendars: PlaybookWorkflowInput['calendars'];
  try {
    calendars = resolveProgramCalendars(req.program, req.account, req.startAt ?? Date.now());
  } catch (e) {
    throw new UserError(`cannot start ${playbookId} for account ${req.account.id}: ${(e as Error).message}`, 'invalid');
  }
  const entry = req.program.playbooks[playbookId]!;
  const calendar = (entry.calendar !== null ? calendars[entry.calendar] : undefined) ?? defaultCalendar;
  const runKey = runKeyOf(entry, req.account, req.bindings, req.startAt ?? Date.now(), calendar);
  if ('missing' in runKey)
    throw new UserError(`cannot start ${playbookId} for account ${req.account.id}: its run key \`${runKey.missing}\` has no value`, 'invalid');
  const workflowId = workflowIdOf(playbookId, req.account.id, runKey.key);
  const input: PlaybookWorkflowInput = {
    ir: req.program,
    account: req.account,
    calendars,
    options: {
      version: req.version,
      ...(req.roles !== undefined && { roles: req.roles }),
      ...(req.startAt !== undefined && { startAt: req.startAt }),
      ...(req.continueAsNewAfterEvents !== undefined && { continueAsNewAfterEvents: req.continueAsNewAfterEvents }),
      ...(req.signalLimit !== undefined && { signalLimit: req.signalLimit }),
      ...(req.projectToStore === true && { projectToStore: true, storeWrites: 'local' as const }),
    },
    ...(req.bindings !== undefined && { bindings: req.bindings }),
  };
  try {
    const handle = await client.workflow.start<typeof playbook>(WORKFLOW_TYPE, {
      workflowId,
      taskQueue: req.taskQueue,
      args: [input],
      typedSearchAttributes: [
        { key: searchAttributes.playbookId, value: playbookId },
        { key: searchAttributes.playbookVersion, value: req.version },
        { key: searchAttributes.accountId, value: req.account.id },
      ],
    });
    return { status: 'started', workflowId, runId: handle.firstExecutionRunId };
  } catch (e) {
    if (e instanceof WorkflowExecutionAlreadyStartedError) return { status: 'alreadyOpen', workflowId };
    throw e;
  }
}

/** `startRun` for callers that report to a person: an open run is a conflict `UserError`. */
export async function startNewRun(client: Client, req: StartRunRequest): Promise<StartedRun> {
  const outcome = await startRun(client, req);
  if (outcome.status === 'started') return outcome;
  throw new UserError(`a run of ${req.program.entry} for account ${req.account.id} is already open (workflow id ${outcome.workflowId})`, 'conflict');
}

/** Inputs may name the playbook instant they take effect at (epoch ms); default: on arrival. */
export interface InputTiming {
  at?: number;
}

export function sendEvent(client: Client, workflowId: string, event: { name: string; payload?: Record<string, unknown> } & InputTiming): Promise<void> {
  return onRun(workflowId, () => handleOf(client, workflowId).signal(eventSignal, event));
}

/**
 * Sends new values of account fields. Validate them first (`validateAccountUpdate`): the
 * run refuses ill-typed or unknown fields and lists them in its status's `rejected`.
 */
export function updateAccount(client: Client, workflowId: string, fields: Record<string, unknown>, timing: InputTiming = {}): Promise<void> {
  return onRun(workflowId, () => handleOf(client, workflowId).signal(accountUpdatedSignal, { fields, ...timing }));
}

/** A completion or task change the run refused because the task is not the caller's (`by`); `reason` is the run's. */
export class NotAssigneeError extends UserError {
  constructor(
    task: string,
    readonly reason: string,
    verb = 'complete',
  ) {
    super(`cannot ${verb} task ${task}: ${reason}`, 'invalid');
    this.name = 'NotAssigneeError';
  }
}

/** A completion refused for its answers (`asks`: the asks it left unanswered, or the one whose answer does not fit; at least one). */
export class AnswersRefusedError extends UserError {
  constructor(
    task: string,
    reason: string,
    readonly asks: string[],
  ) {
    super(`cannot complete task ${task}: ${reason}`, 'invalid');
    this.name = 'AnswersRefusedError';
  }
}

/**
 * Completes a task; a refusal (unknown task, not open, wrong answers) is a `UserError` with
 * the run's reason, an `AnswersRefusedError` when it leaves required asks unanswered or an answer does not fit its ask, a
 * `NotAssigneeError` when `by` may not complete it.
 */
export async function completeTask(
  client: Client,
  workflowId: string,
  completion: { task: string; answers?: Record<string, unknown>; by?: TaskCaller } & InputTiming,
): Promise<void> {
  try {
    await onRun(workflowId, () => handleOf(client, workflowId).executeUpdate(completeTaskUpdate, { args: [completion] }));
  } catch (e) {
    if (!(e instanceof WorkflowUpdateFailedError)) throw e;
    const reason = e.cause?.message ?? e.message;
    if (e.cause instanceof ApplicationFailure && e.cause.type === NOT_ASSIGNEE_FAILURE) throw new NotAssigneeError(completion.task, reason);
    if (e.cause instanceof ApplicationFailure && e.cause.type === ANSWERS_REFUSED_FAILURE) {
      throw new AnswersRefusedError(completion.task, reason, (e.cause.details ?? []).map(String));
    }
    throw new UserError(`cannot complete task ${completion.task}: ${reason}`, 'invalid');
  }
}

/**
 * Reassigns, snoozes or closes an open task (`ChangeTaskUpdate`); a refusal is a `UserError`
 * with the run's reason, a `NotAssigneeError` when `by` may not change it.
 */
export async function changeTask(client: Client, workflowId: string, change: ChangeTaskUpdate): Promise<void> {
  const verb = { reassign: 'reassign', snooze: 'snooze', close: 'close' }[change.kind];
  try {
    await onRun(workflowId, () => handleOf(client, workflowId).executeUpdate(changeTaskUpdate, { args: [change] }));
  } catch (e) {
    if (!(e instanceof WorkflowUpdateFailedError)) throw e;
    const reason = e.cause?.message ?? e.message;
    if (e.cause instanceof ApplicationFailure && e.cause.type === NOT_ASSIGNEE_FAILURE) throw new NotAssigneeError(change.task, reason, verb);
    throw new UserError(`cannot ${verb} task ${change.task}: ${reason}`, 'invalid');
  }
}

/** Who sends a pause, resume or cancel: the timeline names them. */
export interface ControlRequest extends InputTiming {
  by?: TaskCaller;
}

/** While paused no new step starts; timers keep counting. */
export function pause(client: Client, workflowId: string, request: ControlRequest = {}): Promise<void> {
  return onRun(workflowId, () => handleOf(client, workflowId).signal(pauseSignal, request));
}

export function resume(client: Client, workflowId: string, request: ControlRequest = {}): Promise<void> {
  return onRun(workflowId, () => handleOf(client, workflowId).signal(resumeSignal, request));
}

/**
 * Ends the run at once as cancelled; actions already started still complete. A run that is
 * not running (ended, or cancelled already) is not found: the server itself accepts a cancel
 * of a closed execution, which would report success for a run it did nothing to. `by` goes
 * first, in a signal, so the run's `cancel` entry can name who cancelled it.
 */
export function cancel(client: Client, workflowId: string, request: ControlRequest = {}): Promise<void> {
  return onRun(workflowId, async () => {
    const handle = handleOf(client, workflowId);
    if ((await handle.describe()).status.name !== 'RUNNING') throw new UserError(noRunMessage(workflowId, 'no open run'), 'notFound');
    if (request.by !== undefined) await handle.signal(cancellingSignal, { by: request.by });
    await handle.cancel();
  });
}

/** Temporal's close statuses that are not the playbook's own end, by the status name they get. */
const EXECUTION_ENDING_OF: Partial<Record<WorkflowExecutionStatusName, ExecutionEnding>> = {
  CANCELLED: 'cancelled',
  TERMINATED: 'terminated',
  FAILED: 'failed',
  TIMED_OUT: 'timedOut',
};

/**
 * The run's status: its own answer to the status query, except that an execution ended from
 * outside (cancelled, terminated, failed, timed out) says so in `status` and has no live
 * facts left (waits, open tasks, scheduled inputs): the run's own record never saw its end.
 * A live run's deliveries being retried come from the server (its pending activities).
 */
export function getStatus(client: Client, workflowId: string): Promise<RunStatus> {
  return onRun(
    workflowId,
    async () => {
      const handle = handleOf(client, workflowId);
      const [status, description] = await Promise.all([handle.query(statusQuery), handle.describe()]);
      const ending = EXECUTION_ENDING_OF[description.status.name];
      const live: RunStatus = { ...status, deliveries: retryingDeliveries(description) };
      return ending === undefined ? live : { ...live, status: ending, pendingWaits: [], openTasks: [], scheduled: [], deliveries: [] };
    },
    'no run',
  );
}

export interface RunFilter {
  playbook?: string;
  accountId?: string;
  stage?: string;
  /** A `RunStatusName`: running, paused, completed, stopped, exited, or cancelled, terminated, failed, timedOut. */
  status?: string;
  version?: string;
  /** Runs with an open task assigned to this address. */
  assignee?: string;
  /** Only runs whose workflow is still open (default: all). */
  openOnly?: boolean;
  /** Default 100. */
  limit?: number;
}

export interface RunSummary {
  workflowId: string;
  /** The execution's run id; null for a run read from the store, which keys runs by workflow id. */
  runId: string | null;
  playbook: string | null;
  version: string | null;
  accountId: string | null;
  stage: string | null;
  status: string | null;
  openTaskAssignees: string[];
  /** Temporal's view: Running, Completed, Cancelled, Terminated, ContinuedAsNew, ... */
  execution: string;
  startTime: string;
  closeTime: string | null;
}

/** Runs matching `filter`, newest first, from the server's visibility store (search attributes). */
export async function listRuns(client: Client, filter: RunFilter = {}): Promise<RunSummary[]> {
  const runs: RunSummary[] = [];
  const limit = filter.limit ?? 100;
  for await (const info of client.workflow.list({ query: visibilityQuery(filter) })) {
    runs.push(summaryOf(info));
    if (runs.length >= limit) break;
  }
  return runs;
}

/** The visibility query for `filter`, e.g. `WorkflowType = 'playbook' AND PlaybookStage = 'kickoff'`. */
export function visibilityQuery(filter: RunFilter): string {
  const clauses = [`WorkflowType = ${quote(WORKFLOW_TYPE)}`];
  const equals = (key: { name: string }, value: string | undefined) => {
    if (value !== undefined) clauses.push(`${key.name} = ${quote(value)}`);
  };
  equals(searchAttributes.playbookId, filter.playbook);
  equals(searchAttributes.accountId, filter.accountId);
  equals(searchAttributes.stage, filter.stage);
  // An execution ended from outside never recorded that in its search attributes.
  const ending = VISIBILITY_STATUS_OF[filter.status as ExecutionEnding];
  if (ending !== undefined) clauses.push(`ExecutionStatus = ${quote(ending)}`);
  else equals(searchAttributes.status, filter.status);
  equals(searchAttributes.playbookVersion, filter.version);
  equals(searchAttributes.openTaskAssignees, filter.assignee);
  if (filter.openOnly) clauses.push(`ExecutionStatus = 'Running'`);
  return clauses.join(' AND ');
}

const VISIBILITY_STATUS_OF: Record<ExecutionEnding, string> = { cancelled: 'Canceled', terminated: 'Terminated', failed: 'Failed', timedOut: 'TimedOut' };

function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function summaryOf(info: WorkflowExecutionInfo): RunSummary {
  const attrs = info.typedSearchAttributes;
  return {
    workflowId: info.workflowId,
    runId: info.runId,
    playbook: attrs.get(searchAttributes.playbookId) ?? null,
    version: attrs.get(searchAttributes.playbookVersion) ?? null,
    accountId: attrs.get(searchAttributes.accountId) ?? null,
    stage: attrs.get(searchAttributes.stage) ?? null,
    status: attrs.get(searchAttributes.status) ?? null,
    openTaskAssignees: attrs.get(searchAttributes.openTaskAssignees) ?? [],
    execution: info.status.name,
    startTime: info.startTime.toISOString(),
    closeTime: info.closeTime?.toISOString() ?? null,
  };
}

function handleOf(client: Client, workflowId: string): WorkflowHandle<typeof playbook> {
  return client.workflow.getHandle<typeof playbook>(workflowId);
}

/** Runs a call on a run, turning "no such workflow" into a `UserError`; inputs need an open run, a status any. */
function onRun<T>(workflowId: string, call: () => Promise<T>, missing: RunMissing = 'no open run'): Promise<T> {
  return orNotFound(call, noRunMessage(workflowId, missing));
}

type RunMissing = 'no open run' | 'no run';

/** What a run that does not exist (or that the caller may not see) is called: by inputs, by a status. */
export function noRunMessage(workflowId: string, missing: RunMissing): string {
  return `${missing} with workflow id ${workflowId}`;
}

/** Runs a call on a workflow, turning "no such workflow" into a not-found `UserError` with `message`. */
export async function orNotFound<T>(call: () => Promise<T>, message: string): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (e instanceof WorkflowNotFoundError) throw new UserError(message, 'notFound');
    throw e;
  }
}
