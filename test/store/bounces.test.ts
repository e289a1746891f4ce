/**
 * Bounces on both store backends: a hard-bounce DSN (RFC 3464, as raw MIME through the inbound
 * shape every path uses) and a provider's bounce webhook suppress the address (reason
 * `bounced`) and tell the account's CSM; a soft bounce is recorded only; a report posted twice
 * counts once; a DSN that cannot be read is logged and stored with the inbound mail, never taken
 * as a reply although its In-Reply-To names a sent email; malformed webhook bodies are refused
 * naming what is missing.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bounceTaker, inboundMailTaker } from '../../src/api/inbound-mail.js';
import { UserError } from '../../src/errors.js';
import { bouncesFromWebhook } from '../../src/outreach/bounces.js';
import { fromMime } from '../../src/outreach/inbound-shapes.js';
import type { Store } from '../../src/store/connect.js';
import { recordSentEmail } from '../../src/store/emails.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { suppressionOf } from '../../src/store/suppressions.js';
import { BACKENDS, startBackend, type Backend } from './backends.js';

const DSN = readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'hard-bounce.dsn.eml'), 'utf8');

const postmark = {
  RecordType: 'Bounce',
  ID: 42,
  Type: 'HardBounce',
  TypeCode: 1,
  MessageID: '883953f4-6105-42a2-a16a-77a8eac79483',
  Description: 'The server was unable to deliver your message (ex: unknown user, mailbox not found).',
  Details: 'smtp;550 5.1.1 mailbox unknown',
  Email: 'lee@acme.example',
  BouncedAt: '2026-03-02T15:00:05Z',
};

const mailgun = (severity: 'permanent' | 'temporary', recipient: string, id: string) => ({
  signature: { timestamp: '1772463605', token: 't', signature: 's' },
  'event-data': {
    id,
    event: 'failed',
    severity,
    recipient,
    message: { headers: { 'message-id': 'def456.playbook@vendor.example' } },
    'delivery-status': { code: severity === 'permanent' ? 550 : 421, message: 'mailbox full', description: '' },
  },
});

describe.each(BACKENDS)('bounces on %s', (name) => {
  let backend: Backend;
  let store: Store;
  const told: Array<{ to: string; text: string }> = [];
  const notices = { field: 'csm', notify: async (to: string, text: string) => void told.push({ to, text }) };
  const logger = pino({ level: 'silent' });

  beforeAll(async () => {
    backend = await startBackend(name);
    ({ store } = await backend.freshDatabase());
    await migrateToLatest(store);
    const now = new Date('2026-03-02T15:00:00Z');
    await store
      .insertInto('accounts')
      .values({
        account_id: 'acme',
        data: JSON.stringify({ id: 'acme', csm: 'jordan@vendor.example' }) as never,
        created_at: now,
        updated_at: now,
        updated_by: 'test',
      })
      .execute();
    for (const [messageId, recipient] of [
      ['<abc123.playbook@vendor.example>', 'kim@acme.example'],
      ['<ghi789.playbook@vendor.example>', 'lee@acme.example'],
    ] as const) {
      await recordSentEmail(store, {
        message_id: messageId,
        idempotency_key: `playbook:qbr:acme/run-1/0#1/${recipient}`,
        workflow_id: 'playbook:qbr:acme',
        account_id: 'acme',
        playbook_id: 'qbr',
        template: 'qbr',
        recipient,
        subject: 'Quarterly review for Acme',
        created_at: now,
      });
    }
  });
  afterAll(() => backend?.stop());

  it('a hard-bounce DSN suppresses the address as bounced and tells the CSM; the same DSN again changes nothing', async () => {
    const mail = await fromMime(DSN, 'smtp');
    expect(mail.dsn?.bounces).toEqual([
      expect.objectContaining({ kind: 'hard', address: 'kim@acme.example', status: '5.1.1', messageId: '<abc123.playbook@vendor.example>' }),
    ]);
    const take = inboundMailTaker(null as never, store, logger, notices);
    expect(await take(mail)).toEqual({ bounces: { hard: 1, soft: 0, suppressed: ['kim@acme.example'] } });
    expect(await suppressionOf(store, 'Kim@acme.example')).toMatchObject({ reason: 'bounced', source: 'bounce:dsn', accountId: 'acme' });
    expect(told).toEqual([
      {
        to: 'jordan@vendor.example',
        text: expect.stringMatching(/^Email to kim@acme\.example bounced \(account acme, playbook qbr, template "qbr"\): 5\.1\.1/),
      },
    ]);
    await take(await fromMime(DSN, 'http'));
    expect(told).toHaveLength(1);
    const rows = await store.selectFrom('bounces').selectAll().where('address', '=', 'kim@acme.example').execute();
    expect(rows).toHaveLength(1);
  });

  it('an unreadable DSN is logged and stored unmatched, not taken as a reply to the email it names; its readable recipients are taken', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const capture = pino({ level: 'warn' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
    // No status part, and In-Reply-To names a sent email, as Exchange's reports do.
    const unreadable = [
      'From: postmaster@contoso.example',
      'Subject: Undeliverable: Quarterly review for Acme',
      'Message-ID: <ndr-unreadable@contoso.example>',
      'In-Reply-To: <abc123.playbook@vendor.example>',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="X"',
      '',
      '--X',
      'Content-Type: text/plain',
      '',
      'Delivery has failed to these recipients: kim@acme.example',
      '--X--',
      '',
    ].join('\r\n');
    const take = inboundMailTaker(null as never, store, capture, notices);
    expect(await take(await fromMime(unreadable, 'http'))).toEqual({
      bounces: { hard: 0, soft: 0, suppressed: [] },
      unreadable: ['no message/delivery-status part'],
    });
    const kept = await store.selectFrom('inbound_emails').selectAll().where('message_id', '=', '<ndr-unreadable@contoso.example>').executeTakeFirstOrThrow();
    expect(kept).toMatchObject({
      matched_message_id: null,
      subject: 'Undeliverable: Quarterly review for Acme',
      snippet: expect.stringContaining('kim@acme.example'),
    });
    expect(lines).toEqual([
      expect.objectContaining({
        msg: 'delivery status notification not fully readable; stored with the inbound mail',
        problems: ['no message/delivery-status part'],
      }),
    ]);
    // Posted again: stored and logged once.
    await take(await fromMime(unreadable, 'http'));
    expect(lines).toHaveLength(1);

    const partly = readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'outreach', 'fixtures', 'dsn', 'malformed-groups.eml'), 'utf8');
    const outcome = await take(await fromMime(partly, 'smtp'));
    expect(outcome).toMatchObject({ bounces: { hard: 2, soft: 0 }, unreadable: expect.arrayContaining(['recipient 2: no Final-Recipient']) });
    expect(await suppressionOf(store, 'cy@acme.example')).toMatchObject({ reason: 'bounced', source: 'bounce:dsn' });
    expect(await store.selectFrom('inbound_emails').select('id').where('message_id', '=', '<groups-1@mx.acme.example>').execute()).toHaveLength(1);
  });

  it("a Postmark hard bounce suppresses and tells the CSM (the account found by the address); Mailgun's temporary failure is recorded only", async () => {
    const take = bounceTaker(store, logger, notices);
    expect(await take(bouncesFromWebhook(postmark))).toEqual({ hard: 1, soft: 0, suppressed: ['lee@acme.example'] });
    expect(await suppressionOf(store, 'lee@acme.example')).toMatchObject({ reason: 'bounced', source: 'bounce:postmark', accountId: 'acme' });
    expect(told.at(-1)).toEqual({ to: 'jordan@vendor.example', text: expect.stringContaining('lee@acme.example bounced') });
    const count = told.length;
    expect(await take(bouncesFromWebhook(mailgun('temporary', 'pat@acme.example', 'mg-1')))).toEqual({ hard: 0, soft: 1, suppressed: [] });
    expect(await suppressionOf(store, 'pat@acme.example')).toBeNull();
    expect(told).toHaveLength(count);
    expect(await take(bouncesFromWebhook(mailgun('permanent', 'pat@acme.example', 'mg-2')))).toEqual({ hard: 1, soft: 0, suppressed: ['pat@acme.example'] });
    expect(await suppressionOf(store, 'pat@acme.example')).toMatchObject({ source: 'bounce:mailgun' });
  });
});

describe('malformed bounce webhooks', () => {
  it.each([
    [{}, /neither a Postmark bounce nor a Mailgun webhook: RecordType/],
    [{ RecordType: 'Bounce', ID: 1, Type: 'HardBounce' }, /Email/],
    [{ 'event-data': { severity: 'permanent' } }, /not a Mailgun webhook: event-data\.event/],
    [{ 'event-data': { event: 'failed', severity: 'permanent' } }, /event-data\.recipient: missing/],
  ])('%j is refused naming what is missing', (body, message) => {
    expect(() => bouncesFromWebhook(body)).toThrow(UserError);
    expect(() => bouncesFromWebhook(body)).toThrow(message);
  });

  it('a Mailgun event that is not a failure reports no bounce', () => {
    expect(bouncesFromWebhook({ 'event-data': { event: 'delivered', recipient: 'kim@acme.example' } })).toEqual([]);
  });
});
