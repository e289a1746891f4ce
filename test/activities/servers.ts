/** Real servers, in-process on free ports, that the activity tests deliver to. */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo, Server } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  messageId: string;
  key: string;
  raw: string;
  /** The queue id the server gave it in its 250 reply (`250 Message queued as <id>`). */
  queueId: string;
}

export interface SmtpBehaviour {
  /** SMTP reply code to refuse recipients with (e.g. 550, 451). */
  refuseRecipients?: number;
}

/** `port` 0: a free one; a port given again restarts a server that was closed (the SMTP server back after an outage). */
export async function startSmtp(behaviour: SmtpBehaviour = {}, port = 0) {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (behaviour.refuseRecipients === undefined) return callback();
      const refusal = Object.assign(new Error(`mailbox ${address.address} unavailable`), { responseCode: behaviour.refuseRecipients });
      callback(refusal);
    },
    onData(stream, session, callback) {
      let raw = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => (raw += chunk));
      stream.on('end', () => {
        const queueId = `Q${mails.length + 1}-${session.id}`;
        mails.push({
          from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: header(raw, 'Subject'),
          messageId: header(raw, 'Message-ID'),
          key: header(raw, 'X-Playbook-Key'),
          raw,
          queueId,
        });
        callback(null, `Message queued as ${queueId}`);
      });
    },
  });
  // A sender that goes away mid-message (a worker stopped by a test) resets its connection,
  // which smtp-server emits on the server: unheard, it would end the test process.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const listening = (server.server.address() as AddressInfo).port;
  return { port: listening, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

function header(raw: string, name: string): string {
  const match = new RegExp(`^${name}: (.*)$`, 'mi').exec(raw);
  return match?.[1]?.trim() ?? '';
}

export interface ReceivedRequest {
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** An HTTP server that records requests and answers each with the next status in `statuses` (then 200). */
export async function startHttp() {
  const requests: ReceivedRequest[] = [];
  const statuses: number[] = [];
  const headers: Record<string, string> = {};
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      requests.push({ url: req.url ?? '', headers: req.headers, body });
      res.statusCode = statuses.shift() ?? 200;
      for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
      res.end(res.statusCode >= 400 ? `status ${res.statusCode} on purpose` : 'ok');
    });
  });
  await listen(server);
  const port = (server.address() as AddressInfo).port;
  return {
    url: (p: string) => `http://127.0.0.1:${port}${p}`,
    requests,
    /** Statuses for the next responses, in order. */
    respondWith: (...codes: number[]) => void statuses.push(...codes),
    /** Headers every response from now on carries. */
    respondWithHeaders: (more: Record<string, string>) => void Object.assign(headers, more),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A port nothing listens on: bound once, then released. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await listen(server);
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function listen(server: Server): Promise<void> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
}
