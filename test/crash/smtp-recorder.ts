/**
 * An in-process SMTP server that records what it accepts, for the crash test. It can hold
 * its replies to DATA for chosen messages so that their deliveries stay in flight, and it follows SMTP's hand-over
 * rule (RFC 5321 §4.1.1.4, §6.1): a message counts as received only once the server's 250
 * reply to DATA has been sent. A client that goes away while its reply is held (a worker
 * killed mid-delivery) has delivered nothing, so such a message is recorded as abandoned,
 * never as accepted. A held reply can also be a 451 (`reject`): the sender retries, and the
 * message is not received, whether or not its client is still waiting.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface AcceptedMessage {
  messageId: string;
  /** The `X-Playbook-Key` header: the activity's idempotency key. */
  key: string;
  subject: string;
  to: string[];
}

interface HeldReply {
  sessionId: string;
  message: AcceptedMessage;
  reply: () => void;
  refuse: () => void;
}

export interface SmtpRecorder {
  readonly port: number;
  /** Messages whose 250 reply was sent, in order. */
  readonly accepted: readonly AcceptedMessage[];
  /** Messages whose client disconnected while the reply was held. */
  readonly abandoned: readonly AcceptedMessage[];
  /** Messages received and waiting for their reply. */
  held(): number;
  /** The idempotency keys of those messages. */
  heldKeys(): string[];
  /** From now on, replies to DATA for messages that match wait until `release`. */
  hold(matches: (message: AcceptedMessage) => boolean): void;
  /** Sends every held reply whose client is still connected, and stops holding. */
  release(): void;
  /**
   * Answers every held message with a transient 451 instead, and stops holding: none of them is
   * received. Unlike `release`, this cannot hand a message over to a client that already gave
   * up waiting for its reply (its socket timed out) but whose disconnect is not yet seen here:
   * that sender would record a failure and send the message again, the honest window of a
   * receiver that accepts after the sender stopped listening (RFC 1047).
   */
  reject(): void;
  /** Resolves once `held()` reaches `count`. */
  whenHeld(count: number): Promise<void>;
  close(): Promise<void>;
}

export async function startSmtpRecorder(): Promise<SmtpRecorder> {
  const accepted: AcceptedMessage[] = [];
  const abandoned: AcceptedMessage[] = [];
  const heldReplies: HeldReply[] = [];
  const heldWaiters: Array<{ count: number; resolve: () => void }> = [];
  let holding: ((message: AcceptedMessage) => boolean) | null = null;

  const notifyHeld = () => {
    for (const waiter of [...heldWaiters]) {
      if (heldReplies.length >= waiter.count) {
        heldWaiters.splice(heldWaiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => (raw += chunk));
      stream.on('end', () => {
        const message: AcceptedMessage = {
          messageId: header(raw, 'Message-ID'),
          key: header(raw, 'X-Playbook-Key'),
          subject: header(raw, 'Subject'),
          to: session.envelope.rcptTo.map((r) => r.address),
        };
        const reply = () => {
          accepted.push(message);
          callback();
        };
        const refuse = () => callback(Object.assign(new Error('held message refused, try again later'), { responseCode: 451 }));
        if (!holding?.(message)) return reply();
        heldReplies.push({ sessionId: session.id, message, reply, refuse });
        notifyHeld();
      });
    },
    onClose(session) {
      const index = heldReplies.findIndex((h) => h.sessionId === session.id);
      if (index >= 0) abandoned.push(heldReplies.splice(index, 1)[0]!.message);
    },
  });
  // A worker killed mid-message may reset its connection, which smtp-server emits as an 'error'
  // on the server (and would end the test process unheard); onClose records the message abandoned.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;

  return {
    port,
    accepted,
    abandoned,
    held: () => heldReplies.length,
    heldKeys: () => heldReplies.map((h) => h.message.key),
    hold: (matches) => void (holding = matches),
    release() {
      holding = null;
      for (const held of heldReplies.splice(0)) held.reply();
    },
    reject() {
      holding = null;
      for (const held of heldReplies.splice(0)) held.refuse();
    },
    whenHeld: (count) =>
      new Promise<void>((resolve) => {
        heldWaiters.push({ count, resolve });
        notifyHeld();
      }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A header's value, unfolded (nodemailer folds long ones such as the idempotency key). */
function header(raw: string, name: string): string {
  const head = raw.split(/\r?\n\r?\n/, 1)[0]!.replace(/\r?\n(?=[ \t])/g, '');
  const match = new RegExp(`^${name}:(.*)$`, 'mi').exec(head);
  return match?.[1]?.trim() ?? '';
}
