/**
 * `playbook serve`: connect to the configured Temporal server (and the store when one is configured), build the API with the
 * configured token store and integration secrets (accepted signatures remembered in the store,
 * shared by every API process on it, or without a store in `signatures/` beside the token
 * store, shared by the API processes of the host), listen, and close gracefully (requests in
 * flight finish, then the Temporal connection closes) when asked to stop.
 */
import { Client } from '@temporalio/client';
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { PlaybookConfig } from '../config/types.js';
import { UserError } from '../errors.js';
import { connectTemporal } from '../ops/temporal-session.js';
import type { Store } from '../store/connect.js';
import { openMigratedStore } from '../store/session.js';
import { startInboundSmtp } from '../outreach/inbound-smtp.js';
import { unsubscribeKey } from '../outreach/unsubscribe-link.js';
import { createOutboxSender } from '../sinks/outbox.js';
import { createSmtpSender } from '../sinks/smtp-sender.js';
import { createNotifier } from '../temporal/activities/notifier.js';
import type { BounceNotices } from './deps.js';
import { inboundMailTaker } from './inbound-mail.js';
import { buildApiServer } from './server.js';
import { replayMemoryFor } from './signature.js';
import { FileTokenStore } from './tokens/store.js';

export interface ServeOptions {
  /** Overrides `api.host` / `api.port`. */
  host?: string;
  port?: number;
}

export interface RunningApi {
  /** `http://host:port` it listens on. */
  url: string;
  /** Where the console is opened: `console.baseUrl`, else `url`. */
  consoleUrl: string;
  /** The port replies are received on by SMTP (`outreach.inboundSmtp`), else null. */
  inboundSmtpPort: number | null;
  /** Stops accepting requests, waits for those in flight, closes the Temporal connection. */
  close(): Promise<void>;
}

export async function startApi(config: PlaybookConfig, logger: Logger, options: ServeOptions = {}): Promise<RunningApi> {
  const connection = await connectTemporal(config.temporal);
  let store: Store | null = null;
  try {
    store = config.store === null ? null : await openMigratedStore(config.store);
    const tokens = new FileTokenStore(config.api.tokensFile);
    if ((await tokens.list()).length === 0)
      logger.warn({ tokensFile: tokens.file }, 'no API tokens yet: every request will be refused until one is created with `playbook tokens create`');
    const client = new Client({ connection, namespace: config.temporal.namespace });
    const bounceNotices = bounceNoticesFor(config);
    const app = await buildApiServer({
      client,
      store,
      taskQueue: config.temporal.taskQueue,
      tokens,
      integrations: Object.fromEntries(Object.entries(config.api.integrations).map(([name, { secret }]) => [name, secret])),
      logger,
      clock: Date.now,
      replays: replayMemoryFor(store, tokens.file),
      maxBodyBytes: config.api.maxBodyBytes,
      maxEventPayloadBytes: config.api.maxEventPayloadBytes,
      inlineEventPayloadBytes: config.api.inlineEventPayloadBytes,
      unsubscribeKey: unsubscribeKey(config),
      inboundSecret: config.outreach.inboundSecret,
      bounceNotices,
      maxAccountDataBytes: config.api.maxAccountDataBytes,
      requestTimeoutMs: config.api.requestTimeoutMs,
      rateLimit: config.api.rateLimit,
    });
    const host = options.host ?? config.api.host;
    try {
      await app.listen({ host, port: options.port ?? config.api.port });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL')
        throw new UserError(`cannot listen on ${host}:${options.port ?? config.api.port}: ${code}`, 'invalid');
      throw e;
    }
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : (options.port ?? config.api.port);
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    logger.info({ url, temporal: config.temporal.address, namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue }, 'API listening');
    const smtp = config.outreach.inboundSmtp;
    const inbound =
      smtp === null || store === null
        ? null
        : await startInboundSmtp({
            ...smtp,
            maxBytes: config.api.maxBodyBytes,
            take: inboundMailTaker(client, store, logger, bounceNotices),
            onConnectionError: (e) => logger.warn({ code: e.code, remote: e.remoteAddress, err: e.message }, 'an SMTP connection failed'),
          }).catch(async (e: unknown) => {
            await app.close();
            throw new UserError(`cannot receive mail on ${smtp.host}:${smtp.port}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 'invalid');
          });
    if (inbound !== null) logger.info({ port: inbound.port }, 'receiving replies by SMTP');
    return {
      url,
      consoleUrl: config.console.baseUrl ?? url,
      inboundSmtpPort: inbound?.port ?? null,
      async close() {
        try {
          await inbound?.close();
          await app.close();
        } finally {
          await store?.destroy();
          await connection.close();
        }
      },
    };
  } catch (e) {
    await store?.destroy();
    await connection.close();
    throw e;
  }
}

/** Hard bounces are told like a `notify` step: Slack or email to the account's `outreach.bounceNotify` field. */
function bounceNoticesFor(config: PlaybookConfig): BounceNotices {
  const email = config.email.kind === 'smtp' ? createSmtpSender(config.email) : createOutboxSender(config.email.dir);
  const notifier = createNotifier(config.notify, email, config.email.from);
  return {
    field: config.outreach.bounceNotify,
    notify: async (to, text) => {
      await notifier({
        key: `bounce:${createHash('sha256').update(`${to}\n${text}`).digest('hex').slice(0, 24)}`,
        to,
        text,
        context: 'a bounced customer email',
      });
    },
  };
}
