/**
 * The shape of `playbook.config.json`, as written by operators. Secrets may be given inline
 * or as the name of an environment variable (`pass` / `passEnv`, `secret` / `secretEnv`, …);
 * `resolve.ts` turns this file shape into the `PlaybookConfig` the runtime uses. Objects are
 * strict so a misspelt key is an error, not a silently ignored setting.
 */
import { z } from 'zod';
import { ACCOUNT_DATA_MAX_BYTES } from '../ir/account-check.js';
import { DEFAULT_INLINE_EVENT_PAYLOAD_BYTES, DEFAULT_MAX_EVENT_PAYLOAD_BYTES, ENTITY_MAX_EVENT_PAYLOAD_BYTES } from '../temporal/event-limits.js';
import { DEFAULT_SIGNAL_LIMIT } from '../temporal/run-limits.js';

const EMAIL_ADDRESS = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

/** `true` when `address` looks like a deliverable email address (`a@b.c`, no spaces or brackets). */
export function isEmailAddress(address: string): boolean {
  return EMAIL_ADDRESS.test(address);
}

const nonEmpty = z.string().min(1, { error: 'must not be empty' });

const emailAddress = z.string().refine(isEmailAddress, {
  error: (issue) => `expected an email address, got ${JSON.stringify(issue.input)}`,
});

const httpUrl = z.string().refine((s) => URL.canParse(s) && /^https?:$/.test(new URL(s).protocol), {
  error: (issue) => `expected an http(s) URL, got ${JSON.stringify(issue.input)}`,
});

/** The two keys of a secret: `<name>` (the value) and `<name>Env` (an environment variable holding it). */
function withSecret<const K extends string>(name: K) {
  const env = `${name}Env` as const;
  return { [name]: nonEmpty.optional(), [env]: nonEmpty.optional() } as Record<K | `${K}Env`, z.ZodOptional<z.ZodString>>;
}

/** At most one of a secret's two keys; at least one when `required`. */
function oneSecret(name: string, required: boolean) {
  return (value: Record<string, unknown>, ctx: z.RefinementCtx) => {
    const given = [name, `${name}Env`].filter((k) => value[k] !== undefined);
    if (given.length > 1) ctx.addIssue({ code: 'custom', path: [`${name}Env`], message: `give either ${name} or ${name}Env, not both` });
    if (given.length === 0 && required) ctx.addIssue({ code: 'custom', path: [name], message: `is required (or ${name}Env naming an environment variable)` });
  };
}

const temporalSchema = z
  .strictObject({
    address: nonEmpty.default('127.0.0.1:7233'),
    namespace: nonEmpty.default('default'),
    taskQueue: nonEmpty.default('playbooks'),
    /** `true`: TLS with the system's CAs (Temporal Cloud with an API key); an object for mTLS. */
    tls: z
      .union([z.boolean(), z.strictObject({ cert: nonEmpty.optional(), key: nonEmpty.optional(), ca: nonEmpty.optional(), serverName: nonEmpty.optional() })])
      .default(false),
    ...withSecret('apiKey'),
    /** The server's `history.maximumSignalsPerExecution`: runs hand over to a new execution before reaching it. */
    maxSignalsPerExecution: z.number().int().min(10).default(DEFAULT_SIGNAL_LIMIT),
  })
  .superRefine(oneSecret('apiKey', false))
  .superRefine((t, ctx) => {
    if (typeof t.tls === 'object' && (t.tls.cert === undefined) !== (t.tls.key === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['tls'], message: 'cert and key go together (mTLS client certificate)' });
    }
  });

const smtpSchema = z.strictObject({
  host: nonEmpty,
  /** Default: 465 when `secure`, else 587. */
  port: z.number().int().min(1).max(65535).optional(),
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  secure: z.boolean().default(false),
  auth: z
    .strictObject({ user: nonEmpty, ...withSecret('pass') })
    .superRefine(oneSecret('pass', true))
    .optional(),
  from: emailAddress,
});

/** A Slack-style incoming-webhook URL, inline or from an environment variable. */
const slackHook = z.union([httpUrl, z.strictObject({ urlEnv: nonEmpty })]);

const notifySchema = z.strictObject({
  /** Recipient (email address, or a role name from `roles`) → its incoming-webhook URL. */
  slack: z.record(z.string(), slackHook).default({}),
  /** For recipients without a Slack hook: `"email"` (SMTP or outbox) or a hook for all of them. */
  default: z.union([z.literal('email'), slackHook]).default('email'),
});

const endpointSchema = z.strictObject({ url: httpUrl, ...withSecret('secret') }).superRefine(oneSecret('secret', true));

const recordSinkSchema = z.discriminatedUnion('kind', [
  /** Relative paths are under the config file's folder. */
  z.strictObject({ kind: z.literal('file'), path: nonEmpty }),
  z.strictObject({ kind: z.literal('webhook'), endpoint: nonEmpty }),
]);

/** The name of an integration in `api.integrations` (as tokens name it): lowercase, like playbook ids. */
const integrationName = z.string().regex(/^[a-z][a-z0-9_-]*$/, { error: 'expected a name of lowercase letters, digits, "-" and "_"' });

/** An integration's HMAC-SHA256 secret, which signs the events it sends (`Playbook-Signature`). */
const integrationSchema = z.strictObject({ ...withSecret('secret') }).superRefine(oneSecret('secret', true));

const apiSchema = z.strictObject({
  host: nonEmpty.default('127.0.0.1'),
  /** 0 picks a free port. */
  port: z.number().int().min(0).max(65535).default(8080),
  /** Hashed API tokens; default `<dataDir>/tokens.json`; relative to the config file. */
  tokensFile: nonEmpty.optional(),
  /** Integration name → signing secret; an integration token names its integration. */
  integrations: z.record(integrationName, integrationSchema).default({}),
  /** Larger request bodies are refused with 413. */
  maxBodyBytes: z
    .number()
    .int()
    .min(1024)
    .max(100 * 1024 * 1024)
    .default(1024 * 1024),
  /** Events with a larger payload (as JSON) are refused with 413; at most 256 KiB, the entity's own ceiling. */
  maxEventPayloadBytes: z.number().int().min(1).max(ENTITY_MAX_EVENT_PAYLOAD_BYTES).default(DEFAULT_MAX_EVENT_PAYLOAD_BYTES),
  /**
   * With a store, an event payload larger than this (as JSON) is written to the store and the
   * event carries only the fields deployed playbooks read, and the store's key: it stays out of
   * workflow history. Without a store every payload goes inline (bounded by maxEventPayloadBytes).
   */
  inlineEventPayloadBytes: z.number().int().min(0).default(DEFAULT_INLINE_EVENT_PAYLOAD_BYTES),
  /** An upsert that would take an account's data over this many bytes as JSON is refused with 413; at most the entity's own 64 KiB. */
  maxAccountDataBytes: z.number().int().min(1024).max(ACCOUNT_DATA_MAX_BYTES).default(ACCOUNT_DATA_MAX_BYTES),
  /** A client that has not sent its whole request within this many milliseconds gets a 408. */
  requestTimeoutMs: z.number().int().min(1000).max(3_600_000).default(30_000),
  /** Requests per token (or per IP address without a token) in each window; more get a 429. */
  rateLimit: z
    .strictObject({
      max: z.number().int().min(1).default(6000),
      windowMs: z.number().int().min(1000).max(86_400_000).default(60_000),
    })
    .default({ max: 6000, windowMs: 60_000 }),
});

/** The system of record: a PostgreSQL URL (`postgres://user:pass@host:5432/db`), inline or from an environment variable. */
const storeSchema = z.strictObject({ ...withSecret('url') }).superRefine(oneSecret('url', true));

/** `30m`, `6h`, `1d`: how long a delivery is retried; at most a day, the activities' own limit. */
const retryWindow = z.string().refine((text) => durationMs(text) !== null, {
  error: (issue) => `expected a duration from "1m" to "1d" such as "30m" or "6h", got ${JSON.stringify(issue.input)}`,
});

const RETRY_UNITS_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds of a retry window (`<n>m`, `<n>h`, `<n>d`, at most a day), or null. */
export function durationMs(text: string): number | null {
  const match = /^([1-9]\d*)([mhd])$/.exec(text);
  const ms = match === null ? null : Number(match[1]) * RETRY_UNITS_MS[match[2]!]!;
  return ms !== null && ms <= RETRY_UNITS_MS.d! ? ms : null;
}

/** Deliveries that keep failing: how long each sink is retried, and who else is told when one fails for good. */
const deliverySchema = z.strictObject({
  retryWindow: z
    .strictObject({
      email: retryWindow.default('6h'),
      notify: retryWindow.default('1h'),
      webhook: retryWindow.default('1d'),
      records: retryWindow.default('1d'),
    })
    .default({ email: '6h', notify: '1h', webhook: '1d', records: '1d' }),
  /** Told, besides the playbook's owner, when a delivery fails for good: an email address or a role name. */
  alertTo: nonEmpty.optional(),
});

/** The web console (`playbook serve` serves it at `/`): where links in notices point. */
const consoleSchema = z.strictObject({
  /**
   * The console's address as people reach it, e.g. `https://playbooks.example.com`; a task's
   * link is `<baseUrl>/tasks/<playbook>/<accountId>/<task>` (a keyed run's with `?key=<value>…`). Default: `api.host` and `api.port`.
   */
  baseUrl: z
    .string()
    .refine((text) => URL.canParse(text) && ['http:', 'https:'].includes(new URL(text).protocol), {
      error: (issue) => `expected an http(s) URL such as "https://playbooks.example.com", got ${JSON.stringify(issue.input)}`,
    })
    .optional(),
});

/** `playbook worker` and workers/: how a worker uses its memory. */
const workerSchema = z.strictObject({
  /** Runs kept in the worker's workflow cache; default: sized from `memoryMb`. */
  maxCachedWorkflows: z.number().int().min(1).optional(),
  /** The RSS in MB the worker's cache is sized to stay under; default: half of the process's memory, at most 2048. */
  memoryMb: z.number().int().min(256).optional(),
});

/** Who customer-facing email comes from: a display name, an address and where replies go. */
const senderSchema = z.strictObject({
  name: nonEmpty.optional(),
  address: emailAddress,
  /** Reply-To; absent: replies go to `address`. */
  replyTo: emailAddress.optional(),
});

/** Customer-facing email: its senders, and the one-click unsubscribe links it carries (RFC 8058), at `console.baseUrl`. */
const outreachSchema = z
  .strictObject({
    /** The workspace's sender of `email` steps without `from`; absent: `smtp.from`, without a display name. */
    sender: senderSchema.optional(),
    /** Playbook id → its own sender, before `sender`. */
    playbookSenders: z.record(z.string(), senderSchema).default({}),
    /** Team members' display names by address, for `from account.csm` ("Jordan Lee"). */
    people: z.record(emailAddress, nonEmpty).default({}),
    /** The account field whose team member hears of a hard bounce (besides `delivery.alertTo`). */
    bounceNotify: z
      .string()
      .regex(/^[a-z][a-z0-9_-]*$/)
      .default('csm'),
    /** Signs the links; default a key generated once under `dataDir` (one host only: set it when serve and workers run apart). */
    ...withSecret('unsubscribeSecret'),
    /** The last part of the inbound-mail URL given to the mail provider (`/inbound/email/<secret>`); absent: no HTTP inbound. */
    ...withSecret('inboundSecret'),
    /** A small SMTP receiver for replies, run by `playbook serve`; absent: none. */
    inboundSmtp: z.strictObject({ host: nonEmpty.default('127.0.0.1'), port: z.number().int().min(0).max(65535) }).optional(),
  })
  .superRefine(oneSecret('unsubscribeSecret', false))
  .superRefine(oneSecret('inboundSecret', false));

export const configFileSchema = z.strictObject({
  /** Folder for local state (outbox, file sinks, delivery ledger); relative to the config file. */
  dataDir: nonEmpty.default('.playbook'),
  temporal: temporalSchema.default({
    address: '127.0.0.1:7233',
    namespace: 'default',
    taskQueue: 'playbooks',
    tls: false,
    maxSignalsPerExecution: DEFAULT_SIGNAL_LIMIT,
  }),
  /** Absent: emails are written to `<dataDir>/outbox/` instead of being sent. */
  smtp: smtpSchema.optional(),
  /** Role name (as in `role "support-lead"`) → email address. */
  roles: z.record(z.string(), emailAddress).default({}),
  notify: notifySchema.default({ slack: {}, default: 'email' }),
  /** Webhook endpoint name (as in `webhook "crm-sync"`) → URL and signing secret. */
  endpoints: z.record(z.string(), endpointSchema).default({}),
  /** Where task records go; default a JSON-lines file `<dataDir>/tasks.jsonl`. */
  tasks: recordSinkSchema.optional(),
  /** Where `set account.x` writes go; default a JSON-lines file `<dataDir>/accounts.jsonl`. */
  accounts: recordSinkSchema.optional(),
  worker: workerSchema.default({}),
  delivery: deliverySchema.default({ retryWindow: { email: '6h', notify: '1h', webhook: '1d', records: '1d' } }),
  /** Absent: the embedded store that `playbook dev` hosts (or none, and the file ledger under `dataDir`). */
  store: storeSchema.optional(),
  outreach: outreachSchema.default({ playbookSenders: {}, people: {}, bounceNotify: 'csm' }),
  console: consoleSchema.default({}),
  /** `playbook serve`: the HTTP API. */
  api: apiSchema.default({
    host: '127.0.0.1',
    port: 8080,
    integrations: {},
    maxBodyBytes: 1024 * 1024,
    maxEventPayloadBytes: DEFAULT_MAX_EVENT_PAYLOAD_BYTES,
    inlineEventPayloadBytes: DEFAULT_INLINE_EVENT_PAYLOAD_BYTES,
    maxAccountDataBytes: ACCOUNT_DATA_MAX_BYTES,
    requestTimeoutMs: 30_000,
    rateLimit: { max: 6000, windowMs: 60_000 },
  }),
});

export type ConfigFile = z.output<typeof configFileSchema>;
export type SlackHookSetting = z.output<typeof slackHook>;
export type RecordSinkSetting = z.output<typeof recordSinkSchema>;
