/**
 * Replies end to end, on a real stack (dev server, worker, embedded store, API) with a real
 * SMTP server receiving the customer email: a reply through the API's SMTP receiver, and one
 * posted by a mail provider (Postmark's JSON), are matched to the sent email by In-Reply-To /
 * References and end the run's `wait for event "email.replied"`; a mail that answers nothing
 * is stored and reported unmatched; a wrong secret and a malformed body are refused.
 */
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/connect.js';
import { eventually } from '../ops/helpers.js';
import { startOutreachStack, USERS, type ApiTestStack, type OutreachStack } from './helpers.js';

const SECRET = 'inbound-secret-0123456789';

describe('replies', () => {
  let stack: OutreachStack;
  let api: ApiTestStack;
  let store: Store;

  beforeAll(async () => {
    stack = await startOutreachStack({
      accounts: [
        { id: 'acme', name: 'Acme', csm: USERS.csm, primary_contact: 'pat@acme.example' },
        { id: 'globex', name: 'Globex', csm: USERS.csm, primary_contact: 'lee@globex.example' },
      ],
      smtpFrom: 'cs@vendor.example',
      outreach: { inboundSecret: SECRET, inboundSmtp: { host: '127.0.0.1', port: 0 } },
    });
    ({ api, store } = stack);
  });
  afterAll(() => stack?.stop());

  const sentEmail = (accountId: string, to: string) => stack.sentEmail(accountId, to);
  const finished = (accountId: string) =>
    eventually(async () => {
      const status = await api.call('GET', `/v1/runs/reach/${accountId}`, { token: api.tokens.csops });
      expect(status.body.outcome).toBe('completed');
      return status.body.timeline as Array<{ kind: string; text?: string; data?: Record<string, unknown> }>;
    });

  it('ends the wait on a reply received by SMTP, matched by its In-Reply-To', { timeout: 120_000 }, async () => {
    const messageId = await sentEmail('acme', 'pat@acme.example');
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: api.inboundSmtpPort!, secure: false, ignoreTLS: true });
    await transport.sendMail({
      from: 'Pat <pat@acme.example>',
      to: 'cs@vendor.example',
      subject: 'Re: A quick question, Acme',
      text: 'Going well, thanks!\n\n> Hi, how is the rollout going?',
      inReplyTo: messageId,
      references: [messageId],
    });
    const timeline = await finished('acme');
    expect(timeline.find((e) => e.kind === 'event')).toMatchObject({
      text: 'email.replied',
      data: { workflowId: 'playbook:reach:acme', template: 'question', from: 'pat@acme.example', subject: 'Re: A quick question, Acme' },
    });
    expect(timeline.map((e) => e.kind)).toContain('note');
  });

  it('ends the wait on a reply a provider posts (Postmark), matched by its References; stores mail that answers nothing', { timeout: 120_000 }, async () => {
    const messageId = await sentEmail('globex', 'lee@globex.example');
    const post = (body: unknown, secret = SECRET) =>
      fetch(`${api.url}/inbound/email/${secret}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const postmark = (references: string) => ({
      From: 'Lee <lee@globex.example>',
      FromFull: { Email: 'lee@globex.example' },
      Subject: 'Re: A quick question, Globex',
      TextBody: 'Slowly.',
      Headers: [
        { Name: 'Message-ID', Value: `<reply-${references.length}@globex.example>` },
        { Name: 'References', Value: references },
      ],
    });
    expect((await post(postmark(messageId), 'wrong-secret')).status).toBe(404);
    expect((await post({ Subject: 'no sender' })).status).toBe(400);
    const unmatched = await post(postmark('<nothing-we-sent@vendor.example>'));
    expect(unmatched.status).toBe(202);
    expect(await unmatched.json()).toEqual({ matched: false });
    const matched = await post(postmark(`<older@vendor.example> ${messageId}`));
    expect(await matched.json()).toEqual({ matched: true, accountId: 'globex', workflowId: 'playbook:reach:globex' });
    expect((await finished('globex')).filter((e) => e.kind === 'event')).toHaveLength(1);
    const stored = await store.selectFrom('inbound_emails').select(['channel', 'from_address', 'matched_message_id']).orderBy('id').execute();
    expect(stored).toEqual([
      { channel: 'smtp', from_address: 'pat@acme.example', matched_message_id: expect.any(String) },
      { channel: 'http', from_address: 'lee@globex.example', matched_message_id: null },
      { channel: 'http', from_address: 'lee@globex.example', matched_message_id: messageId },
    ]);
  });
});
