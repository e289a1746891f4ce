/**
 * Bounces: reports that a customer email could not be delivered, in three shapes:
 * - a DSN (RFC 3464): `multipart/report; report-type=delivery-status` mail that the receiving
 *   side sends back to the envelope sender (`smtp.from`), arriving through the inbound paths
 *   (raw MIME by HTTP, or the SMTP receiver). Each per-recipient block gives `Final-Recipient`,
 *   `Action` and `Status`; the returned headers (`text/rfc822-headers` or `message/rfc822`)
 *   give the bounced email's Message-ID;
 * - Postmark's bounce webhook (`RecordType: "Bounce"`, `Type`, `TypeCode`, `Email`,
 *   `MessageID` (Postmark's own id), `Description`, `Details`, `BouncedAt`);
 * - Mailgun's webhook (`event-data` with `event: "failed"`, `severity` `permanent` or
 *   `temporary`, `recipient`, `message.headers.message-id`, `delivery-status.code`,
 *   `delivery-status.message`, `delivery-status.description`).
 *
 * A hard bounce (`Action: failed` with a `5.x.x` status, or none that can be read; Postmark `HardBounce` or
 * `BadEmailAddress`; Mailgun `severity: permanent`) suppresses the address with the reason
 * `bounced`, so no playbook emails it again, and tells the account's CSM. A soft one (`4.x.x`,
 * `Action: delayed`, Postmark's other types, Mailgun `temporary`) is only recorded: the
 * sending mail server retries it with its own backoff, and an SMTP `4xx` at send time is
 * retried by the email activity (activities/options.ts). Every report is stored (`bounces`); a
 * DSN that cannot be read, or only in part, is logged and kept with the inbound mail.
 */
import { createHash } from 'node:crypto';
import libmime from 'libmime';
import type { ParsedMail } from 'mailparser';
import * as z from 'zod';
import { UserError } from '../errors.js';
import type { Store } from '../store/connect.js';
import { findSentEmail, latestSentTo, recordBounce } from '../store/emails.js';
import { normalAddress, suppress } from '../store/suppressions.js';
import { describeIssue, normalMessageId } from './mail-parts.js';

/** The reason a hard bounce gives its suppression. */
export const BOUNCED = 'bounced';

export interface Bounce {
  kind: 'hard' | 'soft';
  address: string;
  status: string | null;
  diagnostic: string | null;
  /** The bounced email's Message-ID (`<…>`), when the report names one. */
  messageId: string | null;
  source: 'dsn' | 'postmark' | 'mailgun';
  /** Identifies the report (a DSN's own Message-ID, a provider's event id), for once-only recording. */
  reportId: string;
}

// -------------------------------------------------------------------------------------
// DSN (RFC 3464)

/** What a DSN reports: its bounces, and what in it could not be read (the taker logs it and keeps the mail). */
export interface DsnReport {
  bounces: Bounce[];
  problems: string[];
}

/** The machine-readable part, RFC 3464's or its UTF-8 form (RFC 6533). */
const STATUS_PARTS = new Set(['message/delivery-status', 'message/global-delivery-status']);
/** The returned message or its headers, which name the bounced email. */
const RETURNED_PARTS = new Set(['text/rfc822-headers', 'message/rfc822', 'message/global-headers', 'message/global']);
/** An RFC 3463 status code (`5.1.1`), possibly followed by a comment. */
const STATUS_CODE = /^([245])\.\d{1,3}\.\d{1,3}\b/;

/**
 * What a parsed mail reports as a delivery status notification, or null when it is none. The
 * MIME structure (nesting, transfer encodings, charsets) is mailparser's, parsed with
 * `keepDeliveryStatus` so the status part comes as an attachment; its field groups and the
 * returned headers are header blocks, read by libmime. A recipient group that cannot be read is
 * named in `problems` and left out; the others are still taken.
 */
export function dsnReport(mail: ParsedMail, reportId: string): DsnReport | null {
  const type = mail.headers.get('content-type') as { value: string; params: Record<string, string> } | undefined;
  if (type?.value.toLowerCase() !== 'multipart/report' || type.params['report-type']?.toLowerCase() !== 'delivery-status') return null;
  const status = mail.attachments.find((a) => STATUS_PARTS.has(a.contentType.toLowerCase()));
  if (status === undefined) return { bounces: [], problems: ['no message/delivery-status part'] };
  // RFC 3464 §2.1: a per-message group, then one group per recipient, separated by blank lines.
  const groups = status.content
    .toString('utf8')
    .split(/\r?\n[ \t]*\r?\n/)
    .filter((group) => group.trim() !== '')
    .map(fieldsOf);
  const perMessage = groups[0] !== undefined && !isRecipientGroup(groups[0]) ? groups.shift()! : {};
  const returned = mail.attachments.find((a) => RETURNED_PARTS.has(a.contentType.toLowerCase()));
  // Gmail names the bounced email in the per-message group too.
  const original = (returned && fieldsOf(headerSection(returned.content.toString('utf8')))['message-id']) ?? perMessage['x-original-message-id'];
  const messageId = original === undefined ? null : normalMessageId(original);
  const bounces: Bounce[] = [];
  const problems: string[] = [];
  if (groups.length === 0) problems.push('no recipient in the message/delivery-status part');
  groups.forEach((fields, i) => {
    const recipient = (fields['final-recipient'] ?? fields['original-recipient'])?.replace(/^[^;]*;\s*/, '').trim();
    const where = `recipient ${i + 1}${recipient ? ` (${recipient})` : ''}`;
    const action = fields.action?.toLowerCase();
    if (!recipient) return problems.push(`${where}: no Final-Recipient`);
    if (action === undefined) return problems.push(`${where}: no Action`);
    if (!['failed', 'delayed', 'delivered', 'relayed', 'expanded'].includes(action)) return problems.push(`${where}: unknown Action "${action}"`);
    if (action !== 'failed' && action !== 'delayed') return;
    const code = STATUS_CODE.exec(fields.status ?? '')?.[0] ?? null;
    // Without a readable status, the Action alone says how final the failure is.
    if (code === null) problems.push(`${where}: ${fields.status === undefined ? 'no Status' : `unreadable Status "${fields.status}"`}, taken by its Action`);
    bounces.push({
      kind: action === 'failed' && (code === null || code.startsWith('5')) ? 'hard' : 'soft',
      address: recipient,
      status: code,
      diagnostic: fields['diagnostic-code']?.replace(/^[^;]*;\s*/, '') ?? null,
      messageId,
      source: 'dsn',
      reportId: `dsn:${reportId}:${recipient.toLowerCase()}`,
    });
  });
  return { bounces, problems };
}

/** A header block's fields, names lower-cased, folded lines joined, the first of each name. */
function fieldsOf(block: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, values] of Object.entries(libmime.decodeHeaders(block, { skipPrototypeKeys: true }))) if (values[0] !== undefined) fields[name] = values[0];
  return fields;
}

function isRecipientGroup(fields: Record<string, string>): boolean {
  return 'final-recipient' in fields || 'original-recipient' in fields || 'action' in fields;
}

/** The headers of a returned message (all of a `text/rfc822-headers` part). */
function headerSection(message: string): string {
  return message.split(/\r?\n\r?\n/, 1)[0]!;
}

// -------------------------------------------------------------------------------------
// Provider webhooks

const postmarkSchema = z.object({
  RecordType: z.literal('Bounce'),
  ID: z.union([z.number(), z.string()]),
  Type: z.string(),
  TypeCode: z.number().optional(),
  Email: z.string().min(1),
  MessageID: z.string().optional(),
  Description: z.string().optional(),
  Details: z.string().optional(),
});

/** Postmark's types that mean the address will never take mail (their `HardBounce` is TypeCode 1). */
const POSTMARK_HARD = new Set(['HardBounce', 'BadEmailAddress']);

const mailgunSchema = z.object({
  'event-data': z.object({
    id: z.string().optional(),
    event: z.string(),
    severity: z.enum(['permanent', 'temporary']).optional(),
    recipient: z.string().min(1).optional(),
    message: z.object({ headers: z.object({ 'message-id': z.string().optional() }).partial().optional() }).optional(),
    'delivery-status': z.object({ code: z.number().optional(), message: z.string().optional(), description: z.string().optional() }).optional(),
  }),
});

/**
 * The bounces a provider's webhook body reports: Postmark's (`RecordType: "Bounce"`) or
 * Mailgun's (`event-data`); an event that is not a bounce (Mailgun `delivered`) reports none.
 * A body of neither shape is a `UserError` naming what is missing.
 */
export function bouncesFromWebhook(body: unknown): Bounce[] {
  if (typeof body === 'object' && body !== null && 'event-data' in body) {
    const parsed = mailgunSchema.safeParse(body);
    if (!parsed.success) throw new UserError(`not a Mailgun webhook: ${describeIssue(parsed.error)}`, 'invalid');
    const event = parsed.data['event-data'];
    if (event.event !== 'failed') return [];
    if (event.recipient === undefined) throw new UserError('not a Mailgun webhook: event-data.recipient: missing', 'invalid');
    const status = event['delivery-status'];
    const messageId = event.message?.headers?.['message-id'];
    return [
      {
        kind: event.severity === 'permanent' ? 'hard' : 'soft',
        address: event.recipient,
        status: status?.code === undefined ? null : String(status.code),
        diagnostic: status?.description || status?.message || null,
        messageId: messageId ? normalMessageId(messageId) : null,
        source: 'mailgun',
        reportId: `mailgun:${event.id ?? hash(JSON.stringify(body))}`,
      },
    ];
  }
  const parsed = postmarkSchema.safeParse(body);
  if (!parsed.success) throw new UserError(`neither a Postmark bounce nor a Mailgun webhook: ${describeIssue(parsed.error)}`, 'invalid');
  const bounce = parsed.data;
  return [
    {
      kind: POSTMARK_HARD.has(bounce.Type) ? 'hard' : 'soft',
      address: bounce.Email,
      status: bounce.Type,
      diagnostic: bounce.Details || bounce.Description || null,
      // Postmark's MessageID is its own id, not the Message-ID header: the account is found by address.
      messageId: null,
      source: 'postmark',
      reportId: `postmark:${bounce.ID}`,
    },
  ];
}

// -------------------------------------------------------------------------------------
// Taking them

export interface BounceDeps {
  store: Store;
  /** The team member to tell of a hard bounce at an account (its `outreach.bounceNotify` field), else null. */
  notifyAddress(accountId: string): Promise<string | null>;
  notify(to: string, text: string): Promise<void>;
  log(message: string, details: Record<string, unknown>): void;
}

export interface BounceOutcome {
  hard: number;
  soft: number;
  /** Addresses newly suppressed. */
  suppressed: string[];
}

export async function takeBounces(deps: BounceDeps, bounces: Bounce[]): Promise<BounceOutcome> {
  const outcome: BounceOutcome = { hard: 0, soft: 0, suppressed: [] };
  for (const bounce of bounces) {
    const sent = (bounce.messageId && (await findSentEmail(deps.store, [bounce.messageId]))) || (await latestSentTo(deps.store, bounce.address));
    const accountId = sent?.account_id ?? null;
    const fresh = await recordBounce(deps.store, {
      address: normalAddress(bounce.address),
      kind: bounce.kind,
      status: bounce.status,
      diagnostic: bounce.diagnostic,
      source: bounce.source,
      message_id: sent?.message_id ?? bounce.messageId,
      account_id: accountId,
      report_key: bounce.reportId,
    });
    outcome[bounce.kind]++;
    if (!fresh || bounce.kind === 'soft') {
      if (fresh) deps.log('soft bounce recorded; the sending server retries it', { address: bounce.address, status: bounce.status });
      continue;
    }
    const added = await suppress(deps.store, [{ address: bounce.address, reason: BOUNCED, source: `bounce:${bounce.source}`, accountId }]);
    if (added > 0) outcome.suppressed.push(normalAddress(bounce.address));
    const csm = accountId === null ? null : await deps.notifyAddress(accountId);
    const text = [
      `Email to ${bounce.address} bounced${accountId === null ? '' : ` (account ${accountId}${sent ? `, playbook ${sent.playbook_id}, template "${sent.template}"` : ''})`}: ${bounce.status ?? 'hard bounce'}${bounce.diagnostic ? ` ${bounce.diagnostic}` : ''}.`,
      'The address is suppressed: no playbook emails it again. Update the contact, then lift the suppression (playbook suppressions remove).',
    ].join(' ');
    if (csm === null) deps.log('hard bounce: no CSM to tell', { address: bounce.address, accountId });
    else await deps.notify(csm, text);
  }
  return outcome;
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}
