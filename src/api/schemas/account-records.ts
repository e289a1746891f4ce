/** What the store keeps of an account, as the account list, trigger log, events and timeline endpoints answer it. */
import * as z from 'zod';
import { accountIdSchema, accountRecordSchema, throttleNote, triggerOutcomeSchema } from './accounts.js';
import { cursorSchema, timelineEntrySchema } from './runs.js';

const pageQuery = {
  limit: z.coerce.number().int().min(1).max(1000).optional().describe('At most this many (default 100)'),
  cursor: cursorSchema.optional(),
};

const nextSchema = z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page');

export const accountListQuerySchema = z.object({
  q: z.string().max(200).optional().describe("Part of the account's name or id, any case"),
  segment: z.string().max(200).optional(),
  csm: z.string().max(320).optional().describe('The `csm` field, any case'),
  ...pageQuery,
});

export const accountPageQuerySchema = z.object(pageQuery);

const accountSummarySchema = z
  .object({
    accountId: accountIdSchema,
    name: z.string().nullable(),
    segment: z.string().nullable(),
    csm: z.string().nullable(),
    renewalDate: z.string().nullable(),
    openRuns: z.number().int().describe('Runs that have not ended'),
    updatedAt: z.string(),
  })
  .meta({ id: 'AccountSummary' });

export const accountListSchema = z.object({ accounts: z.array(accountSummarySchema), next: nextSchema });

export const storedAccountSchema = z
  .object({
    accountId: z.string(),
    data: accountRecordSchema,
    createdAt: z.string(),
    updatedAt: z.string(),
    updatedBy: z.string().nullable().describe('Who sent the latest upsert'),
    openRuns: z.array(z.string()).describe('Workflow ids of its runs that have not ended, from the store'),
  })
  .meta({ id: 'StoredAccount' });

const storedTriggerSchema = z
  .object({
    seq: z.number().int(),
    at: z.string(),
    playbook: z.string(),
    kind: z.string(),
    detail: z.string(),
    outcome: triggerOutcomeSchema,
    workflowId: z.string().nullable(),
    version: z.string().nullable(),
    error: z.string().nullable(),
    note: z.string().nullable().describe(throttleNote),
    eventSeq: z.number().int().nullable().describe('The `seq` of the event that fired it'),
  })
  .meta({ id: 'StoredTrigger' });

export const triggerLogSchema = z.object({ accountId: z.string(), triggers: z.array(storedTriggerSchema), next: nextSchema });

const storedEventSchema = z
  .object({
    seq: z.number().int(),
    eventId: z.string().nullable(),
    name: z.string(),
    payload: z.record(z.string(), z.unknown()).nullable(),
    source: z.string(),
    receivedAt: z.string(),
    outcome: z.enum(['applied', 'duplicate', 'dropped']),
    reachedRuns: z.array(z.string()),
    error: z.string().nullable(),
    triggers: z.array(
      z.object({
        seq: z.number().int(),
        playbook: z.string(),
        outcome: triggerOutcomeSchema,
        workflowId: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'StoredAccountEvent' });

export const accountEventsSchema = z.object({ accountId: z.string(), events: z.array(storedEventSchema), next: nextSchema });

export const accountTimelineSchema = z.object({
  accountId: z.string(),
  entries: z.array(z.object({ workflowId: z.string(), runId: z.string(), playbook: z.string(), seq: z.number().int(), entry: timelineEntrySchema })),
  next: nextSchema,
});
