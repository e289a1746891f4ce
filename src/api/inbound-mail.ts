/**
 * How `serve` takes inbound mail, by HTTP (routes/inbound.ts) or SMTP (outreach/inbound-smtp.ts):
 * one path for both. A delivery status notification is a bounce (outreach/bounces.ts); any
 * other mail may be a reply (outreach/replies.ts).
 */
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { takeBounces, type Bounce, type BounceOutcome } from '../outreach/bounces.js';
import { keepInboundEmail, takeInboundEmail, type InboundEmail, type ReplyOutcome } from '../outreach/replies.js';
import type { Store } from '../store/connect.js';
import { sendAccountEvent } from '../temporal/account-client.js';
import type { BounceNotices } from './deps.js';

export function inboundMailTaker(
  client: Client,
  store: Store,
  logger: Logger,
  notices: BounceNotices | undefined,
): (mail: InboundEmail) => Promise<ReplyOutcome | { bounces: BounceOutcome; unreadable?: string[] }> {
  const bounces = bounceTaker(store, logger, notices);
  return async (mail) => {
    if (mail.dsn !== undefined) {
      const { problems } = mail.dsn;
      const outcome = await bounces(mail.dsn.bounces);
      if (problems.length === 0) return { bounces: outcome };
      // Kept, never lost, but not matched: a DSN's In-Reply-To names the bounced email, and a
      // bounce is no reply.
      if (await keepInboundEmail(store, mail, null))
        logger.warn({ from: mail.from, messageId: mail.messageId, problems }, 'delivery status notification not fully readable; stored with the inbound mail');
      return { bounces: outcome, unreadable: problems };
    }
    return takeInboundEmail(
      {
        store,
        deliver: (accountId, event) => sendAccountEvent(client, accountId, { ...event, by: `inbound:${mail.channel}` }),
        log: (message, details) => logger.warn(details, message),
      },
      mail,
    );
  };
}

/** Takes reported bounces: stored, hard ones suppressed and told to the account's CSM. */
export function bounceTaker(store: Store, logger: Logger, notices: BounceNotices | undefined): (bounces: Bounce[]) => Promise<BounceOutcome> {
  return (bounces) =>
    takeBounces(
      {
        store,
        async notifyAddress(accountId) {
          if (notices === undefined) return null;
          const row = await store.selectFrom('accounts').select('data').where('account_id', '=', accountId).executeTakeFirst();
          const value = row?.data[notices.field];
          return typeof value === 'string' && value !== '' ? value : null;
        },
        notify: async (to, text) => {
          try {
            await notices?.notify(to, text);
          } catch (e) {
            // The bounce is recorded and the address suppressed either way.
            logger.error({ to, error: (e as Error).message }, 'could not tell the CSM of a hard bounce');
          }
        },
        log: (message, details) => logger.warn(details, message),
      },
      bounces,
    );
}
