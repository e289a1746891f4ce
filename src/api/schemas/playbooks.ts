/** What is deployed, and deployments. */
import * as z from 'zod';
import { diagnosticSchema } from './errors.js';

const fieldTypeSchema = z.union([
  z.object({ type: z.enum(['text', 'number', 'date', 'yes/no', 'timezone', 'user', 'contact']) }),
  z.object({ type: z.literal('one of'), values: z.array(z.string()) }),
  z.object({ type: z.literal('list'), of: z.enum(['text', 'number', 'date', 'yes/no', 'timezone', 'user', 'contact']) }),
]);

export const deployedPlaybookSchema = z
  .object({
    id: z.string(),
    title: z.string().nullable(),
    version: z.string(),
    deployedAt: z.string(),
    deployedBy: z.string(),
    /** The triggers as compiled (IR). */
    triggers: z.array(z.record(z.string(), z.unknown())),
    /** The triggers as written, e.g. `on event "account.created" where account.segment is enterprise`. */
    triggerText: z.array(z.string()),
    history: z.array(z.object({ version: z.string(), deployedAt: z.string(), deployedBy: z.string() })),
    enabled: z.boolean().describe('False while `playbook disable` (or `POST /v1/playbooks/{playbook}/disable`) holds it off: no new runs start'),
    switchedBy: z.string().nullable().describe('Who disabled or enabled it last; null when never switched'),
    switchedAt: z.string().nullable().describe('When, UTC ISO-8601; null when never switched'),
    throttle: z
      .object({
        perDay: z.number().int().describe('`start at most N per day`'),
        queued: z.number().int().describe('Firings its throttle keeps queued for later days (`GET /v1/playbooks/{playbook}/throttle` lists them)'),
      })
      .optional()
      .describe('Present for a playbook with `start at most N per day`'),
  })
  .meta({ id: 'DeployedPlaybook' });

export const throttleViewSchema = z
  .object({
    playbook: z.string(),
    perDay: z.number().int().nullable().describe('N of `start at most N per day` as the throttle counts; null before its first firing'),
    timezone: z.string().nullable().describe("The zone whose local days are counted: the playbook calendar's, for no account in particular"),
    day: z.string().nullable().describe('The local day counted now, `YYYY-MM-DD`'),
    startedToday: z.number().int().describe('Starts by triggers counted on that day'),
    nextRelease: z.string().nullable().describe('When the queue next starts firings (the next local midnight, UTC ISO-8601); null when it is empty'),
    queue: z.array(
      z.object({
        position: z.number().int().describe('1 starts next'),
        accountId: z.string(),
        firedAt: z.string().describe('When the trigger fired, UTC ISO-8601'),
        trigger: z.enum(['manual', 'event', 'date', 'when', 'cadence']),
        ticket: z.string().describe("The firing's ask to the throttle: `<accountId>#<n>`"),
      }),
    ),
  })
  .meta({ id: 'ThrottleQueue' });

export const deployedSummarySchema = z
  .object({
    generation: z.number().int(),
    deployedAt: z.string().nullable(),
    playbooks: z.array(deployedPlaybookSchema),
    fields: z.record(z.string(), fieldTypeSchema),
  })
  .meta({ id: 'DeployedSummary' });

const notifiedSchema = z
  .union([
    z.object({ via: z.literal('batch'), jobId: z.string() }),
    z.object({ via: z.literal('signals'), count: z.number().int() }),
    z.object({ via: z.literal('none'), problem: z.string() }),
  ])
  .nullable();

export const disableBodySchema = z.object({
  pauseRuns: z.boolean().optional().describe("Also pause the playbook's open runs; enabling it resumes them"),
});

export const switchedSchema = z
  .object({
    playbook: z.string(),
    enabled: z.boolean(),
    changed: z.boolean().describe('False when it was so already: nothing was written'),
    by: z.string().nullable(),
    at: z.string().nullable(),
    runs: z.array(z.string()).describe('The runs this disable paused, or this enable resumed'),
    notified: notifiedSchema.describe('How the account entities were told to re-read their triggers; null when nothing changed'),
  })
  .meta({ id: 'PlaybookSwitched' });

export const deploymentBodySchema = z.object({
  files: z.record(z.string(), z.string()).describe('Workspace files by relative path: `*.playbook` files and `templates/<name>.md` email templates'),
  dryRun: z.boolean().optional().describe('Compare with what is deployed; register nothing'),
});

const versionRef = z.object({ id: z.string(), version: z.string() });

export const deploymentResultSchema = z
  .object({
    dryRun: z.boolean(),
    generation: z.number().int(),
    added: z.array(versionRef),
    changed: z.array(z.object({ id: z.string(), from: z.string(), to: z.string() })),
    removed: z.array(versionRef),
    unchanged: z.array(versionRef),
    fieldsChanged: z.boolean(),
    /** How the account entities were told to re-read their triggers; null when nothing changed. */
    notified: notifiedSchema,
    warnings: z.array(diagnosticSchema),
  })
  .meta({ id: 'DeploymentResult' });
