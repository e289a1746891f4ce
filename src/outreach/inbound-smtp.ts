/**
 * A small SMTP receiver for replies (smtp-server, the same project as nodemailer): point a
 * mail route (an MX, or a forward from the reply-to mailbox) at it. Each message is parsed and
 * taken like one posted by HTTP (replies.ts). A message it cannot take (the store is down, a
 * parse error) is refused with a transient 451, so the sending server retries: nothing is
 * lost. Messages over `maxBytes` are refused with 552. Plain SMTP without authentication: run
 * it behind the relay that accepts mail from the internet.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { fromMime } from './inbound-shapes.js';
import type { InboundEmail } from './replies.js';

export interface InboundSmtpOptions {
  host: string;
  port: number;
  maxBytes: number;
  take(mail: InboundEmail): Promise<unknown>;
  /**
   * A connection that failed (a sender that reset mid-message, say). smtp-server emits these on
   * the server, and an 'error' event nobody listens to would end the whole process.
   */
  onConnectionError(error: Error & { code?: string; remoteAddress?: string }): void;
}

export interface InboundSmtp {
  port: number;
  close(): Promise<void>;
}

export async function startInboundSmtp(options: InboundSmtpOptions): Promise<InboundSmtp> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    size: options.maxBytes,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (stream.sizeExceeded) return callback(withCode(new Error(`message over ${options.maxBytes} bytes`), 552));
        fromMime(Buffer.concat(chunks), 'smtp')
          .then(options.take)
          .then(
            () => callback(),
            (e: unknown) => callback(withCode(new Error(`cannot take the message now: ${(e as Error).message}`), 451)),
          );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      server.on('error', options.onConnectionError);
      resolve();
    });
  });
  return {
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function withCode(error: Error, responseCode: number): Error {
  return Object.assign(error, { responseCode });
}
