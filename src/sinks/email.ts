/** An email as the sinks deliver it, and what every email sink (SMTP, outbox) offers. */
import { createHash } from 'node:crypto';
import type { DeliveryReceipt } from './delivery-ledger.js';

export interface OutgoingEmail {
  /** The full idempotency key; the Message-ID is derived from it. */
  key: string;
  /** The envelope sender (`MAIL FROM`, where bounces go) and the domain of the Message-ID. */
  from: string;
  /** The `From` header when it differs from `from` or has a display name (customer-facing email). */
  sender?: { name: string | null; address: string };
  /** Reply-To addresses. */
  replyTo?: string[];
  to: string;
  /** Copies: in the `Cc` header. */
  cc?: string[];
  /** Blind copies: in the envelope only, never in a header. */
  bcc?: string[];
  subject: string;
  text: string;
  /** Customer-facing email only: the HTML part rendered from the same Markdown. */
  html?: string;
  /** Customer-facing email only: the one-click unsubscribe link (`List-Unsubscribe`, RFC 8058). */
  unsubscribeUrl?: string;
}

export interface EmailSender {
  /**
   * Resolves with what the receiver said (the Message-ID it accepted, the SMTP server's reply).
   * Throws `PermanentDeliveryError` when retrying cannot help, any other error when it may.
   */
  send(email: OutgoingEmail): Promise<DeliveryReceipt>;
}

/** Header carrying the idempotency key, for people and filters reading the message. */
export const KEY_HEADER = 'X-Playbook-Key';

/** The headers of a message besides From, To, Subject and Message-ID. */
export function extraHeaders(email: OutgoingEmail): Record<string, string> {
  return {
    [KEY_HEADER]: email.key,
    ...(email.unsubscribeUrl !== undefined && { 'List-Unsubscribe': `<${email.unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }),
  };
}

/**
 * The same key always gives the same Message-ID (`<hash@sender domain>`), so a repeat that
 * slips through (a retry on another worker host) is recognisable, and mail systems that
 * de-duplicate by Message-ID drop it.
 */
export function messageIdFor(key: string, from: string): string {
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 32);
  return `<${hash}.playbook@${from.slice(from.lastIndexOf('@') + 1)}>`;
}
