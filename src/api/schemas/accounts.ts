/** Accounts: their field values, the bulk import, the account entity's state. */
import * as z from 'zod';
import { ACCOUNT_ID_MAX_LENGTH } from '../../ir/account-check.js';
import { printable } from './text.js';

export const accountIdSchema = printable(ACCOUNT_ID_MAX_LENGTH).describe('The account id');

/** What came of a trigger's firing (`TriggerRecord.outcome`): the entity's log and the store's. */
export const triggerOutcomeSchema = z.enum(['started', 'alreadyOpen', 'failed', 'refused', 'suppressed', 'queued', 'dropped']);
export const throttleNote =
  'What the enrollment throttle did, read after the outcome: `by the enrollment throttle (2 per day), position 3`, `from the throttle queue (fired …)`';

/** A field's value: text (also dates `YYYY-MM-DD`, emails, time zones), number, yes/no, or null to clear it. */
/** A value of an account field; an array is the value of a `list of <type>` field. */
export const accountValueSchema = z
  .union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.union([z.string(), z.number(), z.boolean()]))])
  .meta({ id: 'AccountValue' });

export const accountFieldsSchema = z
  .record(z.string(), accountValueSchema)
  .meta({ id: 'AccountFields', description: 'Values of declared account fields; fields not named keep their value' });

export const accountRecordSchema = z
  .object({ id: accountIdSchema })
  .catchall(accountValueSchema)
  .meta({ id: 'AccountRecord', description: 'An account: its id and values of declared account fields' });

export const upsertedSchema = z.object({ accountId: z.string(), fields: accountFieldsSchema });

export const BULK_ACCOUNTS_MAX = 10_000;

export const bulkAccountsBodySchema = z.object({ accounts: z.array(accountRecordSchema).min(1).max(BULK_ACCOUNTS_MAX) });

export const bulkImportedSchema = z.object({ imported: z.number().int() });

const plannedFiringSchema = z.object({
  playbook: z.string(),
  trigger: z.number().int(),
  field: z.string(),
  date: z.string(),
  fireAt: z.string(),
  cadence: z.literal(true).optional(),
});

const triggerRecordSchema = z.object({
  at: z.string(),
  playbook: z.string(),
  kind: z.enum(['manual', 'event', 'date', 'when', 'cadence']),
  detail: z.string(),
  outcome: triggerOutcomeSchema,
  workflowId: z.string().optional(),
  version: z.string().optional(),
  error: z.string().optional(),
  note: z.string().optional().describe(throttleNote),
});

export const accountStateSchema = z
  .object({
    accountId: z.string(),
    data: accountRecordSchema,
    openRuns: z.array(z.string()),
    planned: z.array(plannedFiringSchema),
    conditions: z.record(z.string(), z.boolean()),
    triggerLog: z.array(triggerRecordSchema),
    generation: z.number().int().nullable(),
    endedRuns: z
      .array(z.object({ workflowId: z.string(), status: z.string(), at: z.string() }))
      .describe('Runs that ended other than by completing, newest last'),
    alerts: z
      .array(z.object({ at: z.string(), message: z.string(), workflowId: z.string().optional() }))
      .describe('Inputs the entity could not deliver or refused, newest last'),
  })
  .meta({ id: 'AccountState' });

export const eventBodySchema = z.object({
  accountId: accountIdSchema,
  name: printable(200).describe('The event name, as in `wait for event "kickoff.held"`'),
  payload: z.record(z.string(), z.unknown()).optional(),
  eventId: printable(200).optional().describe('Sender-chosen id: an event id seen before on the account is ignored'),
});

export const eventAcceptedSchema = z.object({ accountId: z.string(), name: z.string(), eventId: z.string().nullable() });
