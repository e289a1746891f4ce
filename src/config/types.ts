/**
 * The configuration the runtime uses: defaults applied, environment-variable indirections
 * replaced by their values, paths absolute, cross-references (roles, endpoints) checked.
 * Built from the file by `resolveConfig`, or by `defaultConfig` for development.
 */

export interface PlaybookConfig {
  /** The config file it came from; null for the built-in development defaults. */
  source: string | null;
  /** Absolute folder for local state: outbox, file sinks, delivery ledger. */
  dataDir: string;
  temporal: TemporalConfig;
  email: EmailConfig;
  /** Role name → email address. */
  roles: Record<string, string>;
  notify: NotifyConfig;
  /** Webhook endpoint name → where to POST and the secret that signs the body. */
  endpoints: Record<string, WebhookEndpoint>;
  tasks: RecordSinkConfig;
  accounts: RecordSinkConfig;
  worker: WorkerConfig;
  delivery: DeliveryConfig;
  api: ApiConfig;
  console: ConsoleConfig;
  /** The system of record; null: none configured (see `store` in the file schema). */
  store: StoreConfig | null;
  outreach: OutreachConfig;
}

/** A configured sender of customer-facing email. */
export interface SenderConfig {
  name: string | null;
  address: string;
  replyTo: string | null;
}

export interface OutreachConfig {
  /** The workspace's sender; null: `email.from` without a display name. */
  sender: SenderConfig | null;
  /** Playbook id → its sender, before `sender`. */
  playbookSenders: Record<string, SenderConfig>;
  /** Lower-cased address of a team member → display name. */
  people: Record<string, string>;
  /** The account field naming the team member told of a hard bounce. */
  bounceNotify: string;
  /** Signs unsubscribe links; null: the key file under `dataDir` (created on first use). */
  unsubscribeSecret: string | null;
  /** The secret part of the inbound-mail URL; null: no HTTP inbound. */
  inboundSecret: string | null;
  /** Where `playbook serve` receives replies by SMTP; null: it does not. */
  inboundSmtp: { host: string; port: number } | null;
}

export interface ConsoleConfig {
  /** Where people reach the console, without a trailing slash; null: not configured (see `consoleBaseUrl`). */
  baseUrl: string | null;
}

/** Where an action is delivered: emails, notifications and escalations, webhooks, task and account records. */
export type DeliverySink = 'email' | 'notify' | 'webhook' | 'records';

export interface DeliveryConfig {
  /** How long a delivery is retried through transient failures before it counts as failed. */
  retryWindowMs: Record<DeliverySink, number>;
  /** A resolved email address told, besides the playbook's owner, when a delivery fails for good. */
  alertTo: string | null;
}

export interface StoreConfig {
  /** A PostgreSQL connection URL; may carry a password, so never printed as is. */
  url: string;
}

/** `playbook serve`. */
export interface ApiConfig {
  host: string;
  port: number;
  /** Absolute path of the token store. */
  tokensFile: string;
  /** Integration name → the secret its events are signed with. */
  integrations: Record<string, { secret: string }>;
  maxBodyBytes: number;
  /** Events with a larger payload (as JSON) are refused. */
  maxEventPayloadBytes: number;
  /** With a store, a larger event payload (as JSON) is kept in the store, out of workflow history. */
  inlineEventPayloadBytes: number;
  /** An upsert that would take an account's data over this many bytes (as JSON) is refused. */
  maxAccountDataBytes: number;
  /** How long a client may take to send a whole request (408 after). */
  requestTimeoutMs: number;
  /** Requests per token, or per IP address without one, in each window (429 after). */
  rateLimit: { max: number; windowMs: number };
}

export interface WorkerConfig {
  /** Runs kept in the workflow cache; null: sized from `memoryMb`. */
  maxCachedWorkflows: number | null;
  /** The RSS in MB the cache is sized to stay under; null: half of the process's memory, at most 2 GB. */
  memoryMb: number | null;
}

export interface TemporalConfig {
  address: string;
  namespace: string;
  taskQueue: string;
  /** false: plain connection; true: TLS with system CAs; object: file paths (absolute) for mTLS / private CA. */
  tls: boolean | { cert?: string; key?: string; ca?: string; serverName?: string };
  apiKey: string | null;
  /** The server's `history.maximumSignalsPerExecution`, told to every run started (`PlaybookRunOptions.signalLimit`). */
  maxSignalsPerExecution: number;
}

export type EmailConfig =
  | { kind: 'smtp'; host: string; port: number; secure: boolean; auth: { user: string; pass: string } | null; from: string }
  /** Development: messages are appended to a JSON-lines file in `dir` instead of being sent. */
  | { kind: 'outbox'; dir: string; from: string };

export type NotifyRoute = { kind: 'slack'; url: string } | { kind: 'email' };

export interface NotifyConfig {
  /** Email address → route (role keys of the file are already turned into their addresses). */
  recipients: Record<string, NotifyRoute>;
  default: NotifyRoute;
}

export interface WebhookEndpoint {
  url: string;
  secret: string;
}

export type RecordSinkConfig = { kind: 'file'; path: string } | { kind: 'webhook'; endpoint: string };
