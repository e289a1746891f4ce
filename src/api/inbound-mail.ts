/** How `serve` takes inbound mail, by HTTP (routes/inbound.ts) or SMTP (outreach/inbound-smtp.ts): one path for both. */
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { takeInboundEmail, type InboundEmail, type ReplyOutcome } from '../outreach/replies.js';
import type { Store } from '../store/connect.js';
import { sendAccountEvent } from '../temporal/account-client.js';

export function inboundMailTaker(client: Client, store: Store, logger: Logger): (mail: InboundEmail) => Promise<ReplyOutcome> {
  return (mail) =>
    takeInboundEmail(
      {
        store,
        deliver: (accountId, event) => sendAccountEvent(client, accountId, { ...event, by: `inbound:${mail.channel}` }),
        log: (message, details) => logger.warn(details, message),
      },
      mail,
    );
}
