/**
 * What people read, from the store (schema.ts): run lists, a person's inbox, a task with its
 * questions, a run and its timeline. Lists are newest first (runs) or soonest due first
 * (inbox) and paged by an opaque cursor over their sort key (keyset paging: a page costs the
 * same on the millionth row as on the first, and a row added meanwhile is neither skipped nor
 * repeated); a cursor it did not hand out is a UserError. A lookup by workflow id finds the
 * newest run of that id (a workflow id is reused when its playbook runs again for the
 * account); lists show every run. Reads only; instants are UTC ISO-8601 strings, as in the run-status contract.
 */
import { sql, type ExpressionBuilder } from 'kysely';
import { UserError } from '../errors.js';
import type { ReportedOutcome, TimelineEntry } from '../runtime/timeline.js';
import type { Store } from './connect.js';
import type { RunRow, StoreDatabase, TaskRow } from './schema.js';

/** One run as the store has it. */
export interface StoredRun {
  workflowId: string;
  /** Its first execution's run id: the run's key in the store. */
  runId: string;
  playbook: string;
  version: string;
  accountId: string;
  /** What started it: `event account.created`, `manual by ann@example.com`, ... */
  startedBy: string | null;
  /** `RunStatusName`: running, paused, completed, stopped, exited, cancelled, terminated, failed, timedOut. */
  status: string;
  outcome: ReportedOutcome;
  outcomeLabel: string | null;
  stage: string | null;
  startedAt: string;
  endedAt: string | null;
  /** Who ended it from outside: the person who cancelled it, when known. */
  endedBy: string | null;
  /** The addresses of its open tasks, sorted. */
  openTaskAssignees: string[];
}

export interface StoredRunFilter {
  playbook?: string;
  version?: string;
  stage?: string;
  status?: string;
  accountId?: string;
  /** Runs with an open task assigned to this address. */
  assignee?: string;
  /** Only runs that have not ended. */
  openOnly?: boolean;
  /** Default 100. */
  limit?: number;
  /** The `next` of the previous page. */
  after?: string;
}

export interface Page<T> {
  items: T[];
  /** Pass as `after` for the next page; null on the last one. */
  next: string | null;
}

/** A question of a task's `ask` lines, for building its form. */
export interface TaskQuestion {
  name: string;
  question: string;
  /** `yes/no`, `text`, `number`, `date`, or `one of` with its `values`. */
  type: { type: string; values?: string[] };
  /** As in the IR's `AskIr`: either lets a completion leave the answer out. */
  optional?: boolean;
  default?: string | number | boolean;
}

/** One task of a run, with its questions and, once completed, its answers. */
export interface StoredTask {
  workflowId: string;
  /** The run's playbook. */
  playbook: string;
  /** The playbook that created it when it is a child of the run's playbook. */
  childPlaybook?: string;
  accountId: string;
  /** The run's current stage. */
  stage: string | null;
  task: string;
  title: string;
  assignee: string | null;
  due: string | null;
  state: TaskRow['state'];
  questions: TaskQuestion[];
  answers: Record<string, unknown> | null;
  createdAt: string;
  closedAt: string | null;
  closedBy: string | null;
  closeReason: string | null;
  /** UTC ISO-8601: snoozed, hidden from the inbox until then; null: not snoozed. */
  snoozedUntil: string | null;
}

export const DEFAULT_PAGE_SIZE = 100;

/** Runs matching `filter`, newest first (started, then workflow id, then run id). */
export async function listStoredRuns(store: Store, filter: StoredRunFilter = {}): Promise<Page<StoredRun>> {
  const limit = filter.limit ?? DEFAULT_PAGE_SIZE;
  let query = store.selectFrom('runs').selectAll('runs');
  if (filter.playbook !== undefined) query = query.where('playbook_id', '=', filter.playbook);
  if (filter.version !== undefined) query = query.where('playbook_version', '=', filter.version);
  if (filter.stage !== undefined) query = query.where('stage', '=', filter.stage);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (filter.accountId !== undefined) query = query.where('account_id', '=', filter.accountId);
  if (filter.openOnly) query = query.where('ended_at', 'is', null);
  const assignee = filter.assignee;
  if (assignee !== undefined) {
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('tasks')
          .select('tasks.seq')
          .whereRef('tasks.run_id', '=', 'runs.run_id')
          .where('tasks.assignee', '=', assignee)
          .where('tasks.state', '=', 'open'),
      ),
    );
  }
  if (filter.after !== undefined) {
    const [startedAt, workflowId, runId] = decodeCursor(filter.after, 3);
    query = query.where(sql<boolean>`(runs.started_at, runs.workflow_id, runs.run_id) < (${startedAt}::timestamptz, ${workflowId}, ${runId})`);
  }
  const rows = await query
    .orderBy('started_at', 'desc')
    .orderBy('workflow_id', 'desc')
    .orderBy('run_id', 'desc')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  const assignees = await openAssigneesOf(
    store,
    page.map((r) => r.run_id),
  );
  const items = page.map((row) => storedRunOf(row, assignees.get(row.run_id) ?? []));
  const last = page.at(-1);
  return { items, next: rows.length > limit && last !== undefined ? encodeCursor([last.started_at.toISOString(), last.workflow_id, last.run_id]) : null };
}

/** The newest run of that workflow id, or null when the store has none by that id. */
export async function getStoredRun(store: Store, workflowId: string): Promise<StoredRun | null> {
  const row = await store
    .selectFrom('runs')
    .selectAll()
    .where('run_id', '=', (eb) => newestRunOf(eb, workflowId))
    .executeTakeFirst();
  if (row === undefined) return null;
  return storedRunOf(row, (await openAssigneesOf(store, [row.run_id])).get(row.run_id) ?? []);
}

/** One delivery of a run, from the ledger (schema.ts, `deliveries`). */
export interface StoredDelivery {
  /** The action's key within the run (`<step>#<n>`, `notice:seq:4`…): the idempotency key less the run's prefix. */
  key: string;
  channel: string | null;
  state: 'pending' | 'sent' | 'failed';
  attempts: number;
  sentAt: string | null;
  /** The last failed attempt's error (kept once a later one succeeded). */
  lastError: string | null;
  /** The receiver's id of the message: SMTP Message-ID, a webhook's response id header, a chat message's id; null when none. */
  providerMessageId: string | null;
  /** The receiver's answer: the SMTP server's `250 …` reply (its queue id), a webhook's HTTP status. */
  providerResponse: string | null;
}

/** The deliveries of the newest run of `workflowId` (keys `<workflowId>/<runId>/…`), by their latest claim; null: no such run. */
export async function storedDeliveries(store: Store, workflowId: string): Promise<StoredDelivery[] | null> {
  const run = await store
    .selectFrom('runs')
    .select('run_id')
    .where('run_id', '=', (eb) => newestRunOf(eb, workflowId))
    .executeTakeFirst();
  if (run === undefined) return null;
  const prefix = `${workflowId}/${run.run_id}/`;
  const rows = await store
    .selectFrom('deliveries')
    .selectAll()
    .where(sql<boolean>`starts_with(idempotency_key, ${prefix})`)
    .orderBy('claimed_at')
    .orderBy('idempotency_key')
    .execute();
  return rows.map((r) => ({
    key: r.idempotency_key.slice(prefix.length),
    channel: r.channel,
    state: r.state,
    attempts: r.attempts,
    sentAt: r.sent_at === null ? null : r.sent_at.toISOString(),
    lastError: r.error,
    providerMessageId: r.provider_message_id,
    providerResponse: r.provider_response,
  }));
}

/** A run's timeline entries, in order, by its `runId`. */
export async function storedTimeline(store: Store, runId: string): Promise<TimelineEntry[]> {
  const rows = await store.selectFrom('timeline_entries').select('entry').where('run_id', '=', runId).orderBy('seq').execute();
  return rows.map((r) => r.entry as unknown as TimelineEntry);
}

/**
 * The open tasks assigned to `assignee`, soonest due first (undated last), with their
 * questions: the `tasks_assignee_state` index answers it in due order. A task snoozed until
 * after `now` is left out until then.
 */
export async function inboxFromStore(
  store: Store,
  assignee: string,
  page: { limit?: number; after?: string } = {},
  now: Date = new Date(),
): Promise<Page<StoredTask>> {
  const limit = page.limit ?? DEFAULT_PAGE_SIZE;
  let query = tasksWithRuns(store)
    .where('tasks.assignee', '=', assignee)
    .where('tasks.state', '=', 'open')
    .where((eb) => eb.or([eb('tasks.snoozed_until', 'is', null), eb('tasks.snoozed_until', '<=', now)]));
  if (page.after !== undefined) {
    const [due, workflowId, runId, seq] = decodeCursor(page.after, 4);
    const key = sql`(tasks.workflow_id, tasks.run_id, tasks.seq) > (${workflowId}, ${runId}, ${Number(seq)})`;
    // Ascending due order puts undated tasks last: after a dated cursor come later dates and every undated task.
    query = query.where(
      due === ''
        ? sql<boolean>`tasks.due_at is null and ${key}`
        : sql<boolean>`(tasks.due_at > ${due}::timestamptz or tasks.due_at is null or (tasks.due_at = ${due}::timestamptz and ${key}))`,
    );
  }
  const rows = await query
    .orderBy('tasks.due_at', 'asc')
    .orderBy('tasks.workflow_id')
    .orderBy('tasks.run_id')
    .orderBy('tasks.seq')
    .limit(limit + 1)
    .execute();
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map(storedTaskOf),
    next: rows.length > limit && last !== undefined ? encodeCursor([last.due_at?.toISOString() ?? '', last.workflow_id, last.run_id, String(last.seq)]) : null,
  };
}

/** The latest task of that name in the newest run of the workflow id (a task in a loop is created again each round), or null. */
export async function getStoredTask(store: Store, workflowId: string, task: string): Promise<StoredTask | null> {
  const row = await tasksWithRuns(store)
    .where('tasks.run_id', '=', (eb) => newestRunOf(eb, workflowId))
    .where('tasks.name', '=', task)
    .orderBy('tasks.seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row === undefined ? null : storedTaskOf(row);
}

function tasksWithRuns(store: Store) {
  return store
    .selectFrom('tasks')
    .innerJoin('runs', 'runs.run_id', 'tasks.run_id')
    .selectAll('tasks')
    .select(['runs.playbook_id as run_playbook', 'runs.stage as run_stage']);
}

type TaskWithRun = TaskRow & { run_playbook: string; run_stage: string | null };

function storedTaskOf(row: TaskWithRun): StoredTask {
  return {
    workflowId: row.workflow_id,
    playbook: row.run_playbook,
    ...(row.playbook_id !== row.run_playbook && { childPlaybook: row.playbook_id }),
    accountId: row.account_id,
    stage: row.run_stage,
    task: row.name,
    title: row.title,
    assignee: row.assignee,
    due: iso(row.due_at),
    state: row.state,
    questions: row.questions as TaskQuestion[],
    answers: row.answers,
    createdAt: row.created_at.toISOString(),
    closedAt: iso(row.closed_at),
    closedBy: row.closed_by,
    closeReason: row.close_reason,
    snoozedUntil: iso(row.snoozed_until),
  };
}

/** The run id of the newest run (by start) of `workflowId`: the `runs_workflow` index answers it. */
function newestRunOf(eb: ExpressionBuilder<StoreDatabase, keyof StoreDatabase>, workflowId: string) {
  return eb
    .selectFrom('runs')
    .select('runs.run_id')
    .where('runs.workflow_id', '=', workflowId)
    .orderBy('runs.started_at', 'desc')
    .orderBy('runs.run_id', 'desc')
    .limit(1);
}

/** The open tasks' assignees of each run, by run id. */
async function openAssigneesOf(store: Store, runIds: string[]): Promise<Map<string, string[]>> {
  const byRun = new Map<string, string[]>();
  if (runIds.length === 0) return byRun;
  const rows = await store
    .selectFrom('tasks')
    .select(['run_id', 'assignee'])
    .distinct()
    .where('run_id', 'in', runIds)
    .where('state', '=', 'open')
    .where('assignee', 'is not', null)
    .orderBy('assignee')
    .execute();
  for (const { run_id, assignee } of rows) byRun.set(run_id, [...(byRun.get(run_id) ?? []), assignee!]);
  return byRun;
}

export function storedRunOf(row: RunRow, openTaskAssignees: string[] = []): StoredRun {
  return {
    workflowId: row.workflow_id,
    runId: row.run_id,
    playbook: row.playbook_id,
    version: row.playbook_version,
    accountId: row.account_id,
    startedBy: row.started_by,
    status: row.status,
    outcome: (row.outcome ?? 'running') as ReportedOutcome,
    outcomeLabel: row.outcome_label,
    stage: row.stage,
    startedAt: row.started_at.toISOString(),
    endedAt: iso(row.ended_at),
    endedBy: row.ended_by,
    openTaskAssignees,
  };
}

function iso(d: Date | null): string | null {
  return d === null ? null : d.toISOString();
}

export function encodeCursor(parts: string[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

/** A cursor `encodeCursor` made; anything else is a caller's mistake, refused as such, naming the `param` it came in. */
export function decodeCursor(cursor: string, parts: number, param = 'after'): string[] {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = null;
  }
  if (!Array.isArray(decoded) || decoded.length !== parts || !decoded.every((p) => typeof p === 'string')) {
    throw new UserError(`${param}: not a cursor of this list; pass the \`next\` of the previous page`, 'invalid');
  }
  return decoded as string[];
}

/** How many runs of a playbook there are by version, stage and status (the playbook page's breakdown), most first. */
export async function runCounts(store: Store, playbook: string): Promise<Array<{ version: string; stage: string | null; status: string; runs: number }>> {
  const rows = await store
    .selectFrom('runs')
    .select(['playbook_version', 'stage', 'status', (eb) => eb.fn.countAll<string>().as('runs')])
    .where('playbook_id', '=', playbook)
    .groupBy(['playbook_version', 'stage', 'status'])
    .orderBy('runs', 'desc')
    .execute();
  return rows.map((r) => ({ version: r.playbook_version, stage: r.stage, status: r.status, runs: Number(r.runs) }));
}
