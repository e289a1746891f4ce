/**
 * The shapes mail comes in, as an `InboundEmail`:
 * - raw MIME (`message/rfc822`): what an SMTP receiver gets, and what providers post when set
 *   to forward the full message (SendGrid's Inbound Parse "POST the raw, full MIME message");
 * - Postmark's inbound webhook JSON (`From`, `Subject`, `TextBody`, `StrippedTextReply`,
 *   `Headers: [{Name, Value}]`, which carry Message-ID, In-Reply-To and References);
 * - Mailgun's routes, form-encoded (`from`, `subject`, `Message-Id`, `In-Reply-To`,
 *   `References`, `body-plain`, `stripped-text`).
 * A body that is none of them is a `UserError` naming what is missing. Raw MIME that is a
 * delivery status notification carries its bounces (bounces.ts).
 */
import { createHash } from 'node:crypto';
import { simpleParser, type AddressObject } from 'mailparser';
import * as z from 'zod';
import { UserError } from '../errors.js';
import { dsnReport } from './bounces.js';
import { describeIssue } from './mail-parts.js';
import { referencesOf, type InboundEmail } from './replies.js';

export async function fromMime(raw: Buffer | string, channel: InboundEmail['channel']): Promise<InboundEmail> {
  // keepDeliveryStatus: a DSN's status part stays an attachment for dsnReport, out of the text.
  const mail = await simpleParser(raw, { skipHtmlToText: false, skipImageLinks: true, skipTextToHtml: true, keepDeliveryStatus: true });
  const references = mail.references === undefined ? [] : Array.isArray(mail.references) ? mail.references : referencesOf(mail.references);
  const reportId = mail.messageId ?? createHash('sha256').update(raw).digest('hex').slice(0, 32);
  const dsn = dsnReport(mail, reportId);
  return {
    ...(dsn !== null && { dsn }),
    channel,
    from: firstAddress(mail.from) ?? '',
    subject: mail.subject ?? '',
    messageId: mail.messageId ?? null,
    inReplyTo: mail.inReplyTo ?? null,
    references,
    text: mail.text ?? '',
  };
}

const postmarkSchema = z.object({
  From: z.string(),
  FromFull: z.object({ Email: z.string() }).optional(),
  Subject: z.string().default(''),
  TextBody: z.string().default(''),
  StrippedTextReply: z.string().optional(),
  Headers: z.array(z.object({ Name: z.string(), Value: z.string() })),
});

export function fromPostmark(body: unknown): InboundEmail {
  const parsed = postmarkSchema.safeParse(body);
  if (!parsed.success) throw new UserError(`not a Postmark inbound message: ${describeIssue(parsed.error)}`, 'invalid');
  const mail = parsed.data;
  const header = (name: string) => mail.Headers.find((h) => h.Name.toLowerCase() === name.toLowerCase())?.Value;
  return {
    channel: 'http',
    from: mail.FromFull?.Email ?? mail.From,
    subject: mail.Subject,
    messageId: header('Message-ID') ?? null,
    inReplyTo: header('In-Reply-To') ?? null,
    references: referencesOf(header('References')),
    text: mail.StrippedTextReply ?? mail.TextBody,
  };
}

const mailgunSchema = z.object({
  from: z.string(),
  subject: z.string().default(''),
  'Message-Id': z.string().optional(),
  'In-Reply-To': z.string().optional(),
  References: z.string().optional(),
  'body-plain': z.string().default(''),
  'stripped-text': z.string().optional(),
});

export function fromMailgun(fields: Record<string, string>): InboundEmail {
  const parsed = mailgunSchema.safeParse(fields);
  if (!parsed.success) throw new UserError(`not a Mailgun inbound message: ${describeIssue(parsed.error)}`, 'invalid');
  const mail = parsed.data;
  return {
    channel: 'http',
    from: mail.from,
    subject: mail.subject,
    messageId: mail['Message-Id'] ?? null,
    inReplyTo: mail['In-Reply-To'] ?? null,
    references: referencesOf(mail.References),
    text: mail['stripped-text'] ?? mail['body-plain'],
  };
}

function firstAddress(from: AddressObject | AddressObject[] | undefined): string | undefined {
  const first = Array.isArray(from) ? from[0] : from;
  return first?.value[0]?.address;
}
