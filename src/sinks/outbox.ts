/**
 * The development email sink: instead of sending, appends each message to
 * `<dir>/emails.jsonl`, one JSON object per line, for the CLI to show.
 */
import path from 'node:path';
import { formatMailbox } from '../outreach/sender.js';
import { extraHeaders, messageIdFor, type EmailSender } from './email.js';
import { appendJsonLine, readJsonLines } from './jsonl-file.js';

export interface OutboxMessage {
  messageId: string;
  /** The idempotency key (the `X-Playbook-Key` header of a sent message). */
  key: string;
  /** When it was written, UTC ISO-8601. */
  at: string;
  /** The From header (`Name <address>` when named). */
  from: string;
  to: string;
  cc?: string[];
  bcc?: string[];
  replyTo?: string[];
  subject: string;
  text: string;
  html?: string;
  /** The headers the message would carry besides the above (`X-Playbook-Key`, `List-Unsubscribe`…). */
  headers: Record<string, string>;
}

export const OUTBOX_FILE = 'emails.jsonl';

export function createOutboxSender(dir: string, now: () => number = Date.now): EmailSender {
  const file = path.join(dir, OUTBOX_FILE);
  return {
    async send(email) {
      const message: OutboxMessage = {
        messageId: messageIdFor(email.key, email.from),
        key: email.key,
        at: new Date(now()).toISOString(),
        from: email.sender ? formatMailbox(email.sender) : email.from,
        to: email.to,
        ...(email.cc !== undefined && email.cc.length > 0 && { cc: email.cc }),
        ...(email.bcc !== undefined && email.bcc.length > 0 && { bcc: email.bcc }),
        ...(email.replyTo !== undefined && email.replyTo.length > 0 && { replyTo: email.replyTo }),
        subject: email.subject,
        text: email.text,
        ...(email.html !== undefined && { html: email.html }),
        headers: extraHeaders(email),
      };
      await appendJsonLine(file, message);
      return { messageId: message.messageId, response: null };
    },
  };
}

/** The messages in the outbox folder `dir`, oldest first. */
export function readOutbox(dir: string): Promise<OutboxMessage[]> {
  return readJsonLines<OutboxMessage>(path.join(dir, OUTBOX_FILE));
}
