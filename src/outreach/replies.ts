/**
 * Replies: a mail that comes in (by HTTP from a mail provider, or by SMTP) is stored, then
 * matched to the customer email it answers by its `In-Reply-To`, else its `References`
 * (newest first), against the Message-IDs of sent emails. A match is delivered to the
 * account's runs as the event `email.replied`, so a playbook can wait for a real reply
 * (`wait for event "email.replied"`). Unmatched mail stays stored and is logged, never lost.
 * A provider that posts the same mail twice stores it once and delivers it once.
 */
import { createHash } from 'node:crypto';
import type { Store } from '../store/connect.js';
import type { DsnReport } from './bounces.js';
import { normalMessageId } from './mail-parts.js';

export { normalMessageId };
import { findSentEmail, recordInboundEmail } from '../store/emails.js';

/** The event a matched reply becomes. */
export const REPLIED_EVENT = 'email.replied';

const SNIPPET_CHARS = 280;

export interface InboundEmail {
  channel: 'http' | 'smtp';
  from: string;
  subject: string;
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  text: string;
  /** A delivery status notification (RFC 3464): what it reports, instead of a reply (bounces.ts). */
  dsn?: DsnReport;
}

/** What a matched reply tells the account's runs. */
export type RepliedPayload = {
  /** The run whose email was answered. */
  workflowId: string;
  playbook: string;
  template: string;
  from: string;
  subject: string;
  snippet: string;
};

export interface ReplyDeps {
  store: Store;
  /** Delivers the event to the account (the API's event path); `eventId` makes it once-only. */
  deliver(accountId: string, event: { name: string; payload: RepliedPayload; eventId: string }): Promise<void>;
  log(message: string, details: Record<string, unknown>): void;
}

export type ReplyOutcome = { matched: true; accountId: string; workflowId: string } | { matched: false };

export async function takeInboundEmail(deps: ReplyDeps, mail: InboundEmail): Promise<ReplyOutcome> {
  const candidates = [mail.inReplyTo, ...[...mail.references].reverse()].filter((id): id is string => id !== null).map(normalMessageId);
  const sent = await findSentEmail(deps.store, candidates);
  const snippet = snippetOf(mail.text);
  const fresh = await keepInboundEmail(deps.store, mail, sent?.message_id ?? null);
  if (sent === null) {
    if (fresh) deps.log('inbound email matches no sent email; stored, not delivered', { from: mail.from, subject: mail.subject, inReplyTo: mail.inReplyTo });
    return { matched: false };
  }
  const payload: RepliedPayload = {
    workflowId: sent.workflow_id,
    playbook: sent.playbook_id,
    template: sent.template,
    from: mail.from,
    subject: mail.subject,
    snippet,
  };
  // A provider's retry is delivered again: the account drops an event id it has seen.
  await deps.deliver(sent.account_id, { name: REPLIED_EVENT, payload, eventId: `reply:${replyKey(mail)}` });
  return { matched: true, accountId: sent.account_id, workflowId: sent.workflow_id };
}

/** Stores a mail that came in, matched to the sent email it answers or not; false when it was stored before. */
export function keepInboundEmail(store: Store, mail: InboundEmail, matchedMessageId: string | null): Promise<boolean> {
  return recordInboundEmail(store, {
    channel: mail.channel,
    from_address: mail.from,
    subject: mail.subject,
    message_id: mail.messageId === null ? null : normalMessageId(mail.messageId),
    in_reply_to: mail.inReplyTo,
    references: JSON.stringify(mail.references),
    snippet: snippetOf(mail.text),
    matched_message_id: matchedMessageId,
  });
}

/** Message-IDs from a `References` header's value. */
export function referencesOf(header: string | undefined): string[] {
  return header === undefined ? [] : (header.match(/<[^<>\s]+>/g) ?? []);
}

function snippetOf(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= SNIPPET_CHARS ? flat : `${flat.slice(0, SNIPPET_CHARS - 1)}…`;
}

/** The reply's own Message-ID, or a hash of what identifies it when it has none. */
function replyKey(mail: InboundEmail): string {
  return mail.messageId !== null
    ? normalMessageId(mail.messageId)
    : createHash('sha256')
        .update(JSON.stringify([mail.from, mail.subject, mail.inReplyTo, mail.text]))
        .digest('hex');
}
