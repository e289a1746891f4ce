/**
 * The reply receiver outlives a sender that resets its connection in the middle of a message:
 * the failure is reported to its caller (serve logs it) instead of ending the process as an
 * 'error' event nobody listens to, and the next sender's message is taken.
 */
import net from 'node:net';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startInboundSmtp, type InboundSmtp } from '../../src/outreach/inbound-smtp.js';
import type { InboundEmail } from '../../src/outreach/replies.js';
import { pollUntil } from '../../src/util/poll-until.js';

const taken: InboundEmail[] = [];
const failures: Array<{ code?: string }> = [];
let receiver: InboundSmtp;
beforeAll(async () => {
  receiver = await startInboundSmtp({
    host: '127.0.0.1',
    port: 0,
    maxBytes: 1 << 20,
    take: async (mail) => void taken.push(mail),
    onConnectionError: (e) => void failures.push({ code: e.code }),
  });
});
afterAll(async () => {
  await receiver?.close();
});

it('reports a sender that resets mid-message and takes the next one', async () => {
  const socket = net.connect(receiver.port, '127.0.0.1');
  const replies = (count: number) =>
    new Promise<void>((resolve) => {
      let seen = 0;
      const onData = (chunk: Buffer) => {
        seen += chunk
          .toString()
          .split('\r\n')
          .filter((line) => /^\d{3} /.test(line)).length;
        if (seen >= count) {
          socket.off('data', onData);
          resolve();
        }
      };
      socket.on('data', onData);
    });
  await replies(1);
  for (const command of ['EHLO sender.example', 'MAIL FROM:<pat@acme.example>', 'RCPT TO:<replies@vendor.example>', 'DATA']) {
    socket.write(`${command}\r\n`);
    await replies(1);
  }
  // Reset once DATA is answered, with the message under way: a reset that overtakes data the
  // server has not read yet ends in a plain close on some network stacks (gVisor's).
  socket.resetAndDestroy();

  await pollUntil(
    async () => failures,
    (seen) => seen.some((f) => f.code === 'ECONNRESET'),
    { timeoutMs: 10_000, intervalMs: 20, failure: () => new Error(`the reset was not reported; failures: ${JSON.stringify(failures)}`) },
  );
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: receiver.port, secure: false, ignoreTLS: true });
  await transport.sendMail({ from: 'lee@globex.example', to: 'replies@vendor.example', subject: 'Re: renewal', text: 'Sounds good.' });
  expect(taken.map((m) => m.subject)).toEqual(['Re: renewal']);
});
