/**
 * File shape → runtime configuration. The one place where environment-variable indirections
 * (`passEnv`, `secretEnv`, `apiKeyEnv`, `urlEnv`) are read, relative paths are anchored, and
 * names that refer to other sections (roles, endpoints) are checked.
 */
import path from 'node:path';
import { configError } from './config-error.js';
import { durationMs, type ConfigFile, type RecordSinkSetting, type SlackHookSetting } from './schema.js';
import type { DeliverySink, NotifyRoute, PlaybookConfig, RecordSinkConfig, SenderConfig } from './types.js';

export type Env = Record<string, string | undefined>;

/** The sender address of the development outbox, when no SMTP `from` is configured. */
const OUTBOX_FROM = 'playbooks@localhost';

/**
 * `baseDir` anchors relative paths (the config file's folder); `source` is the file's path,
 * or null for the built-in defaults.
 */
export function resolveConfig(file: ConfigFile, baseDir: string, env: Env, source: string | null): PlaybookConfig {
  const dataDir = path.resolve(baseDir, file.dataDir);
  const secret = secretReader(env);
  const { tls } = file.temporal;
  const smtp = file.smtp;
  const endpoints = Object.fromEntries(
    Object.entries(file.endpoints).map(([name, e]) => [name, { url: e.url, secret: secret(e, 'secret', ['endpoints', name])! }]),
  );
  const sink = (setting: RecordSinkSetting | undefined, key: 'tasks' | 'accounts'): RecordSinkConfig => {
    if (setting === undefined) return { kind: 'file', path: path.join(dataDir, `${key}.jsonl`) };
    if (setting.kind === 'file') return { kind: 'file', path: path.resolve(baseDir, setting.path) };
    if (!(setting.endpoint in endpoints)) throw unknownName([key, 'endpoint'], 'endpoint', setting.endpoint, Object.keys(endpoints));
    return setting;
  };
  return {
    source,
    dataDir,
    temporal: {
      address: file.temporal.address,
      namespace: file.temporal.namespace,
      taskQueue: file.temporal.taskQueue,
      tls:
        typeof tls === 'boolean'
          ? tls
          : {
              ...(tls.cert !== undefined && { cert: path.resolve(baseDir, tls.cert) }),
              ...(tls.key !== undefined && { key: path.resolve(baseDir, tls.key) }),
              ...(tls.ca !== undefined && { ca: path.resolve(baseDir, tls.ca) }),
              ...(tls.serverName !== undefined && { serverName: tls.serverName }),
            },
      apiKey: secret(file.temporal, 'apiKey', ['temporal']),
      maxSignalsPerExecution: file.temporal.maxSignalsPerExecution,
    },
    email: smtp
      ? {
          kind: 'smtp',
          host: smtp.host,
          port: smtp.port ?? (smtp.secure ? 465 : 587),
          secure: smtp.secure,
          auth: smtp.auth ? { user: smtp.auth.user, pass: secret(smtp.auth, 'pass', ['smtp', 'auth'])! } : null,
          from: smtp.from,
        }
      : { kind: 'outbox', dir: path.join(dataDir, 'outbox'), from: OUTBOX_FROM },
    roles: file.roles,
    notify: {
      recipients: notifyRecipients(file, secret),
      default: file.notify.default === 'email' ? { kind: 'email' } : slackRoute(file.notify.default, ['notify', 'default'], secret),
    },
    endpoints,
    tasks: sink(file.tasks, 'tasks'),
    accounts: sink(file.accounts, 'accounts'),
    worker: { maxCachedWorkflows: file.worker.maxCachedWorkflows ?? null, memoryMb: file.worker.memoryMb ?? null },
    delivery: {
      retryWindowMs: Object.fromEntries(Object.entries(file.delivery.retryWindow).map(([sink, text]) => [sink, durationMs(text)!])) as Record<
        DeliverySink,
        number
      >,
      alertTo: alertAddress(file),
    },
    api: {
      host: file.api.host,
      port: file.api.port,
      tokensFile: file.api.tokensFile === undefined ? path.join(dataDir, 'tokens.json') : path.resolve(baseDir, file.api.tokensFile),
      integrations: Object.fromEntries(
        Object.entries(file.api.integrations).map(([name, i]) => [name, { secret: secret(i, 'secret', ['api', 'integrations', name])! }]),
      ),
      maxBodyBytes: file.api.maxBodyBytes,
      maxEventPayloadBytes: file.api.maxEventPayloadBytes,
      inlineEventPayloadBytes: file.api.inlineEventPayloadBytes,
      maxAccountDataBytes: file.api.maxAccountDataBytes,
      requestTimeoutMs: file.api.requestTimeoutMs,
      rateLimit: file.api.rateLimit,
    },
    store: file.store === undefined ? null : { url: secret(file.store, 'url', ['store'])! },
    outreach: {
      sender: file.outreach.sender ? senderConfig(file.outreach.sender) : null,
      playbookSenders: Object.fromEntries(Object.entries(file.outreach.playbookSenders).map(([id, sender]) => [id, senderConfig(sender)])),
      people: Object.fromEntries(Object.entries(file.outreach.people).map(([address, name]) => [address.toLowerCase(), name])),
      bounceNotify: file.outreach.bounceNotify,
      unsubscribeSecret: secret(file.outreach, 'unsubscribeSecret', ['outreach']),
      inboundSecret: secret(file.outreach, 'inboundSecret', ['outreach']),
      inboundSmtp: file.outreach.inboundSmtp ?? null,
    },
    console: { baseUrl: file.console.baseUrl?.replace(/\/+$/, '') ?? null },
  };
}

type SecretReader = (holder: object, name: string, at: PropertyKey[]) => string | null;

/** The value of `<name>`, else of the environment variable named by `<name>Env`, else null. */
function secretReader(env: Env): SecretReader {
  return (holder, name, at) => {
    const fields = holder as Record<string, string | undefined>;
    const inline = fields[name];
    if (inline !== undefined) return inline;
    const variable = fields[`${name}Env`];
    if (variable === undefined) return null;
    const value = env[variable];
    if (value === undefined || value === '') throw configError([...at, `${name}Env`], `environment variable ${variable} is not set`);
    return value;
  };
}

function slackRoute(setting: SlackHookSetting, at: PropertyKey[], secret: SecretReader): NotifyRoute {
  if (typeof setting === 'string') return { kind: 'slack', url: setting };
  const url = secret(setting, 'url', at)!;
  if (!URL.canParse(url)) throw configError([...at, 'urlEnv'], `environment variable ${setting.urlEnv} is not a URL`);
  return { kind: 'slack', url };
}

/** `delivery.alertTo` as an address: it names one, or a role. */
function alertAddress(file: ConfigFile): string | null {
  const to = file.delivery.alertTo;
  if (to === undefined || to.includes('@')) return to ?? null;
  const address = file.roles[to];
  if (address === undefined) throw unknownName(['delivery', 'alertTo'], 'role', to, Object.keys(file.roles));
  return address;
}

/** Keys are addresses or role names; a role key routes that role's address. */
function notifyRecipients(file: ConfigFile, secret: SecretReader): Record<string, NotifyRoute> {
  const routes: Record<string, NotifyRoute> = {};
  for (const [recipient, hook] of Object.entries(file.notify.slack)) {
    const at = ['notify', 'slack', recipient];
    const address = recipient.includes('@') ? recipient : file.roles[recipient];
    if (address === undefined) throw unknownName(at, 'role', recipient, Object.keys(file.roles));
    routes[address] = slackRoute(hook, at, secret);
  }
  return routes;
}

function unknownName(at: PropertyKey[], what: string, name: string, known: string[]) {
  const list = known.length === 0 ? `no ${what}s are configured` : `configured: ${known.join(', ')}`;
  return configError(at, `unknown ${what} "${name}" (${list})`);
}

function senderConfig(sender: { name?: string; address: string; replyTo?: string }): SenderConfig {
  return { name: sender.name ?? null, address: sender.address, replyTo: sender.replyTo ?? null };
}
