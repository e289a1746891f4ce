/** Sends emails through an SMTP server with nodemailer, classifying failures for retries. */
import nodemailer from 'nodemailer';
import type { EmailConfig } from '../config/types.js';
import { PermanentDeliveryError } from './delivery-error.js';
import { extraHeaders, messageIdFor, type EmailSender } from './email.js';

export type SmtpConfig = Extract<EmailConfig, { kind: 'smtp' }>;

/** Errors about the sender's own setup or a malformed envelope: retrying sends the same. */
const PERMANENT_CODES = new Set(['EENVELOPE', 'ENOAUTH', 'ECONFIG']);

export function createSmtpSender(smtp: SmtpConfig): EmailSender {
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    ...(smtp.auth && { auth: smtp.auth }),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    async send(email) {
      try {
        const cc = email.cc ?? [];
        const bcc = email.bcc ?? [];
        // nodemailer reports the Message-ID it sent and the server's final reply (`250 … queued as …`).
        const info = (await transport.sendMail({
          from: email.sender ? { name: email.sender.name ?? '', address: email.sender.address } : email.from,
          to: email.to,
          ...(cc.length > 0 && { cc }),
          ...(email.replyTo !== undefined && email.replyTo.length > 0 && { replyTo: email.replyTo }),
          // Bounces go to the configured sender, whoever the message is from; bcc is only here.
          envelope: { from: email.from, to: [email.to, ...cc, ...bcc] },
          subject: email.subject,
          text: email.text,
          ...(email.html !== undefined && { html: email.html }),
          messageId: messageIdFor(email.key, email.from),
          headers: extraHeaders(email),
        })) as { messageId?: string; response?: string };
        return { messageId: info.messageId ?? null, response: info.response ?? null };
      } catch (e) {
        throw classify(e, `${smtp.host}:${smtp.port}`);
      }
    },
  };
}

interface SmtpError {
  message: string;
  code?: string;
  responseCode?: number;
  response?: string;
}

/**
 * RFC 5321: a 5xx reply is a permanent rejection (except 503, a session out of step), a
 * 4xx reply is transient; an error without a reply (refused connection, timeout) is
 * transient too, unless it is about our own configuration or envelope.
 */
function classify(error: unknown, server: string): Error {
  const e = error as SmtpError;
  const reply = e.response ?? e.message;
  if (e.responseCode !== undefined && e.responseCode >= 500 && e.responseCode !== 503) {
    return new PermanentDeliveryError(`SMTP server ${server} rejected the message: ${reply}`);
  }
  if (e.responseCode === undefined && e.code !== undefined && PERMANENT_CODES.has(e.code)) {
    return new PermanentDeliveryError(`SMTP: ${e.message}`);
  }
  return new Error(`SMTP server ${server}: ${reply}`, { cause: error });
}
