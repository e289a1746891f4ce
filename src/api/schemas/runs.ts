/** Runs: starting them, listing them, their status and timeline, tasks. */
import * as z from 'zod';
import { SEVERITIES } from '../../language/ast.js';
import { parseInstant } from '../../calendar/index.js';
import { isEmailAddress } from '../../config/schema.js';
import { TASK_CHANGE_KINDS } from '../../runtime/inputs.js';
import { RUN_OUTCOMES, TIMELINE_KINDS, type TimelineEntry } from '../../runtime/timeline.js';
import type { RunSummary } from '../../temporal/client.js';
import { RUN_INPUT_KINDS, RUN_STATUS_NAMES, type RunStatus } from '../../temporal/contract.js';
import type { StoredTask, TaskQuestion } from '../../store/reads.js';
import { accountIdSchema, accountValueSchema } from './accounts.js';
import { identifier, printable } from './text.js';

export const playbookIdSchema = identifier().describe('The playbook id');

export const runParamsSchema = z.object({ playbook: playbookIdSchema, accountId: accountIdSchema });

const runKeyValueSchema = printable(1000).describe('A value of the run key');
/** `?key=<value>[&key=<value>…]`: which run of a keyed playbook (`src/api/run-path.ts`). */
export const runKeyQuerySchema = z.object({
  key: z
    .union([runKeyValueSchema, z.array(runKeyValueSchema).min(1)])
    .optional()
    .describe(
      "For a playbook with a run key (`one run per account and …`): the run's key values, one `key` parameter each, in key order (the values its workflow id ends with). Absent for a playbook without one.",
    ),
});

export const BULK_START_MAX = 1000;

export const startBodySchema = z
  .object({
    accountId: accountIdSchema.optional(),
    accountIds: z.array(accountIdSchema).min(1).max(BULK_START_MAX).optional(),
  })
  .refine((b) => (b.accountId === undefined) !== (b.accountIds === undefined), { error: 'give either accountId (one run) or accountIds (many), not both' })
  .describe('`accountId` starts one run; `accountIds` starts one per account');

export const startedSchema = z.object({ workflowId: z.string(), version: z.string() });

export const startResultSchema = z
  .discriminatedUnion('status', [
    z.object({ accountId: z.string(), status: z.literal('started'), workflowId: z.string(), version: z.string() }),
    z.object({ accountId: z.string(), status: z.literal('alreadyOpen'), workflowId: z.string() }),
    z.object({ accountId: z.string(), status: z.enum(['refused', 'notFound']), reason: z.string() }),
  ])
  .meta({ id: 'StartResult' });

export const bulkStartedSchema = z.object({ results: z.array(startResultSchema) });

/** The `next` of the previous page; lists read from the store are paged by it. */
export const cursorSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,1024}$/)
  .describe('The `next` of the previous page (lists read from the store)');

const nextSchema = z.string().nullable().describe('Pass as `after` for the next page; null on the last page, and always without a store');

export const runQuerySchema = z.object({
  playbook: playbookIdSchema.optional(),
  version: z
    .string()
    .regex(/^[0-9a-f]{1,64}$/)
    .optional()
    .describe('A version (content hash)'),
  stage: identifier().optional().describe('A stage id'),
  status: z.enum(RUN_STATUS_NAMES).optional(),
  accountId: accountIdSchema.optional(),
  assignee: printable(320).optional().describe('Runs with an open task assigned to this address'),
  open: z.enum(['true', 'false']).optional().describe('true: only runs whose workflow is still open'),
  limit: z.coerce.number().int().min(1).max(1000).optional().describe('At most this many runs (default 100)'),
  after: cursorSchema.optional(),
});

export const runSummarySchema = z
  .object({
    workflowId: z.string(),
    runId: z.string().nullable().describe("The execution's run id; null when the list comes from the store"),
    playbook: z.string().nullable(),
    version: z.string().nullable(),
    accountId: z.string().nullable(),
    stage: z.string().nullable(),
    status: z.string().nullable(),
    openTaskAssignees: z.array(z.string()),
    execution: z.string(),
    startTime: z.string(),
    closeTime: z.string().nullable(),
  })
  .meta({ id: 'RunSummary' }) satisfies z.ZodType<RunSummary>;

export const runListSchema = z.object({ runs: z.array(runSummarySchema), next: nextSchema });

export const timelineEntrySchema = z
  .object({
    at: z.string(),
    kind: z.enum(TIMELINE_KINDS),
    stage: z.string().nullable(),
    to: z.string().optional(),
    text: z.string().optional(),
    line: z.number().int(),
    playbook: z.string().optional(),
    severity: z.enum(SEVERITIES).optional(),
    task: z.string().optional(),
    due: z.string().optional(),
    until: z.string().optional(),
    template: z.string().optional(),
    locale: z.string().optional(),
    cc: z.array(z.string()).optional(),
    bcc: z.array(z.string()).optional(),
    from: z.string().optional(),
    field: z.string().optional(),
    data: z.union([z.record(z.string(), z.unknown()), accountValueSchema]).optional(),
    by: z.string().optional(),
    goal: z.string().optional().describe("goal-met, goal-missed: the goal's id"),
    target: z.number().optional().describe("goal-met, goal-missed: the goal's target as a percentage (90 for `target 90%`)"),
    took: z.number().optional().describe('goal-met: the business time from the anchor to the milestone, in minutes'),
  })
  .meta({ id: 'TimelineEntry' }) satisfies z.ZodType<TimelineEntry>;

const openTaskSchema = z.object({
  name: z.string(),
  title: z.string(),
  assignee: z.string().nullable(),
  due: z.string().nullable(),
  playbook: z.string().optional(),
  snoozedUntil: z.string().optional().describe('Snoozed: hidden from the inbox until then'),
});

export const runStatusSchema = z
  .object({
    playbook: z.string(),
    version: z.string(),
    accountId: z.string(),
    stage: z.string().nullable(),
    status: z.enum(RUN_STATUS_NAMES),
    outcome: z.enum(['running', ...RUN_OUTCOMES]),
    outcomeLabel: z.string().nullable(),
    timeline: z.array(timelineEntrySchema),
    pendingWaits: z.array(
      z.object({
        for: z.string(),
        until: z.string().nullable().describe('When the run next wakes up by itself: the sooner of deadline and nextReminder'),
        deadline: z.string().nullable().describe('When the wait gives up (`up to`), or a timer fires; null: never'),
        nextReminder: z.string().nullable().describe("When the wait's next reminder fires; null: none left"),
      }),
    ),
    openTasks: z.array(openTaskSchema),
    goals: z
      .array(
        z.object({
          goal: z.string(),
          text: z.string(),
          target: z.number(),
          state: z.enum(['pending', 'met', 'missed']),
          since: z.string().nullable().describe('When its time started; null until its anchor happened (or for a run read from the store)'),
          deadline: z.string().nullable().describe('When it is missed unless met first; null until anchored'),
          at: z.string().nullable().describe('When it was met or missed; null while pending'),
          took: z.number().optional().describe('Met: the business minutes from anchor to milestone'),
        }),
      )
      .optional()
      .describe("The playbook's goals; absent for a playbook without goals"),
    rejected: z.array(z.object({ at: z.string(), input: z.object({ kind: z.enum(RUN_INPUT_KINDS) }).catchall(z.unknown()), reason: z.string() })),
    scheduled: z.array(z.object({ at: z.string(), kind: z.enum(RUN_INPUT_KINDS) })),
    stored: z
      .object({ entries: z.number().int(), pending: z.number().int() })
      .optional()
      .describe('Timeline entries written to the store and those not yet (the lag); present when the run projects to the store'),
    deliveries: z
      .array(
        z.object({
          action: z.string(),
          since: z.string().nullable(),
          attempt: z.number().int(),
          lastError: z.string().nullable(),
          nextAttemptAt: z.string().nullable(),
        }),
      )
      .describe('Deliveries being retried after a failed attempt: since when, the attempt, the last error'),
  })
  .meta({ id: 'RunStatus' }) satisfies z.ZodType<RunStatus>;

export const runDeliveriesSchema = z
  .object({
    workflowId: z.string(),
    deliveries: z.array(
      z.object({
        key: z.string().describe("The action's key within the run; the idempotency key is `<workflowId>/<runId>/<key>`"),
        channel: z.string().nullable().describe('email, notify, webhook or records'),
        state: z.enum(['pending', 'sent', 'failed']),
        attempts: z.number().int(),
        sentAt: z.string().nullable(),
        lastError: z.string().nullable().describe("The last failed attempt's error, kept once a later attempt succeeded"),
        providerMessageId: z
          .string()
          .nullable()
          .describe("The receiver's id of the message: the SMTP Message-ID it accepted, a webhook's response id header, a chat hook's; null when none"),
        providerResponse: z.string().nullable().describe("The receiver's answer: the SMTP server's `250 …` reply with its queue id, a webhook's HTTP status"),
      }),
    ),
  })
  .meta({ id: 'RunDeliveries' });

export const controlledSchema = z.object({ workflowId: z.string(), action: z.enum(['pause', 'resume', 'cancel']) });

export const inboxQuerySchema = z.object({
  assignee: printable(320).optional().describe("Whose tasks; default the token's user"),
  limit: z.coerce.number().int().min(1).max(1000).optional().describe('At most this many tasks (default 100; lists read from the store)'),
  after: cursorSchema.optional(),
});

export const inboxTaskSchema = z
  .object({
    workflowId: z.string(),
    playbook: z.string(),
    accountId: z.string(),
    stage: z.string().nullable(),
    task: z.string(),
    title: z.string(),
    assignee: z.string(),
    due: z.string().nullable(),
    /** The child playbook that created it, if any. */
    childPlaybook: z.string().optional(),
  })
  .meta({ id: 'InboxTask' });

export const inboxSchema = z.object({ assignee: z.string(), tasks: z.array(inboxTaskSchema), next: nextSchema });

const taskQuestionSchema = z
  .object({
    name: z.string(),
    question: z.string(),
    type: z.object({ type: z.string().describe('yes/no, text, number, date or one of'), values: z.array(z.string()).optional() }),
    optional: z.boolean().optional().describe('`optional`: the answer may be left out'),
    default: z.union([z.string(), z.number(), z.boolean()]).optional().describe('The answer taken when it is left out'),
  })
  .meta({ id: 'TaskQuestion' }) satisfies z.ZodType<TaskQuestion>;

export const taskDetailsSchema = z
  .object({
    workflowId: z.string(),
    playbook: z.string(),
    childPlaybook: z.string().optional(),
    accountId: z.string(),
    stage: z.string().nullable(),
    task: z.string(),
    title: z.string(),
    assignee: z.string().nullable(),
    due: z.string().nullable(),
    state: z.enum(['open', 'completed', 'closed']),
    questions: z.array(taskQuestionSchema),
    answers: z.record(z.string(), z.unknown()).nullable(),
    createdAt: z.string(),
    closedAt: z.string().nullable(),
    closedBy: z.string().nullable(),
    closeReason: z.string().nullable(),
    snoozedUntil: z.string().nullable().describe('Snoozed: hidden from the inbox until then'),
  })
  .meta({ id: 'TaskDetails' }) satisfies z.ZodType<StoredTask>;

export const taskParamsSchema = runParamsSchema.extend({ task: identifier().describe('The task name (`task … as <name>`)') });

export const completeBodySchema = z.object({ answers: z.record(z.string(), z.unknown()).optional() });

export const completedSchema = z.object({ workflowId: z.string(), task: z.string(), by: z.string() });

export const reassignBodySchema = z.object({
  to: printable(320).refine(isEmailAddress, { error: 'expected an email address' }).describe('The new assignee, an email address'),
});

export const snoozeBodySchema = z.object({
  until: printable(64)
    .refine((text) => parseInstant(text) !== null, { error: 'expected an ISO-8601 instant with Z or ±hh:mm, e.g. 2026-01-05T14:00:00Z' })
    .describe('Hidden from the inbox until this instant (ISO-8601 with Z or an offset); it must be later than now'),
});

export const closeBodySchema = z.object({ reason: printable(1000).describe('Why the task is closed without being completed') });

export const taskChangedSchema = z.object({
  workflowId: z.string(),
  task: z.string(),
  action: z.enum(TASK_CHANGE_KINDS),
  /** Who the timeline names. */
  by: z.string(),
});

export type InboxTask = z.infer<typeof inboxTaskSchema>;
