/**
 * Bounces over HTTP, on a real stack (dev server, worker, embedded store, `serve`'s listener)
 * with a real SMTP server receiving the customer email and the CSM's notice:
 * `POST /inbound/bounce/<secret>` takes the webhook shapes docs/outreach.md documents —
 * Mailgun's `failed` event (a permanent one suppresses the address and tells the CSM; a
 * `delivered` event records nothing) and Postmark's bounce (a `SoftBounce` is recorded only) —
 * and a DSN posted as raw MIME to `POST /inbound/email/<secret>` is a bounce, not a reply: the
 * run waiting for a reply keeps waiting. The URL's secret is the credential (a wrong one, or an
 * API token instead, gets a 404); a malformed body gets a 400 naming what is wrong, an
 * oversized one a 413; nothing is recorded for either.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/connect.js';
import { eventually } from '../ops/helpers.js';
import { startOutreachStack, USERS, type ApiTestStack, type OutreachStack } from './helpers.js';

const SECRET = 'inbound-secret-0123456789';
const MAX_BODY_BYTES = 64 * 1024;
const EXCHANGE_DSN = readFileSync(path.join(import.meta.dirname, '..', 'outreach', 'fixtures', 'dsn', 'exchange-hard.eml'), 'utf8');

describe('bounces over HTTP', () => {
  let stack: OutreachStack;
  let smtp: OutreachStack['smtp'];
  let api: ApiTestStack;
  let store: Store;

  beforeAll(async () => {
    stack = await startOutreachStack({
      api: { maxBodyBytes: MAX_BODY_BYTES },
      accounts: [
        { id: 'acme', name: 'Acme', csm: USERS.csm, primary_contact: 'pat@acme.example' },
        { id: 'globex', name: 'Globex', csm: USERS.csm, primary_contact: 'lee@globex.example' },
        { id: 'initech', name: 'Initech', csm: USERS.csm, primary_contact: 'sam@initech.example' },
      ],
      smtpFrom: 'bounces@vendor.example',
      outreach: { inboundSecret: SECRET },
    });
    ({ smtp, api, store } = stack);
  });
  afterAll(() => stack?.stop());

  const sentEmail = (accountId: string, to: string) => stack.sentEmail(accountId, to);
  const post = (route: 'bounce' | 'email', body: string, headers: Record<string, string> = {}, secret = SECRET) =>
    fetch(`${api.url}/inbound/${route}/${secret}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const mailgun = (event: string, severity: string, recipient: string, messageId: string, id: string) =>
    JSON.stringify({
      signature: {
        timestamp: '1796223605',
        token: 'a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0',
        signature: 'd2271d12299f6592d9d44cd9d250f0704e4674c30d79d07c47a66f95ce71cf55',
      },
      'event-data': {
        id,
        timestamp: 1796223605.1,
        event,
        severity,
        recipient,
        message: { headers: { 'message-id': messageId.replace(/^<|>$/g, ''), from: 'cs@vendor.example', subject: 'A quick question' } },
        'delivery-status': {
          code: severity === 'permanent' ? 550 : 421,
          message: severity === 'permanent' ? '5.1.1 The email account that you tried to reach does not exist' : 'try again later',
          description: '',
        },
      },
    });
  const suppressions = async () => (await api.call('GET', '/v1/suppressions', { token: api.tokens.csops })).body;
  const notices = () => smtp.mails.filter((m) => m.to.includes(USERS.csm) && /bounced/.test(m.raw));

  it('a hard bounce by Mailgun webhook suppresses the address and tells the CSM; a retry of it changes nothing', { timeout: 120_000 }, async () => {
    const messageId = await sentEmail('acme', 'pat@acme.example');
    const answer = await post('bounce', mailgun('failed', 'permanent', 'pat@acme.example', messageId, 'mg-hard-1'));
    expect(answer.status).toBe(202);
    expect(await answer.json()).toEqual({ bounces: { hard: 1, soft: 0, suppressed: ['pat@acme.example'] } });
    expect(await suppressions()).toMatchObject({
      suppressions: [{ address: 'pat@acme.example', reason: 'bounced', source: 'bounce:mailgun', accountId: 'acme' }],
    });
    const notice = await eventually(async () => {
      expect(notices()).toHaveLength(1);
      return notices()[0]!;
    });
    expect(notice.raw.replace(/=\r?\n/g, '')).toMatch(/Email to pat@acme\.example bounced \(account acme, playbook reach, template "question"\): 550/);
    const again = await post('bounce', mailgun('failed', 'permanent', 'pat@acme.example', messageId, 'mg-hard-1'));
    expect(await again.json()).toEqual({ bounces: { hard: 1, soft: 0, suppressed: [] } });
    expect(await store.selectFrom('bounces').select('report_key').where('address', '=', 'pat@acme.example').execute()).toEqual([
      { report_key: 'mailgun:mg-hard-1' },
    ]);
    // Given the retry time to send a second notice, there is none.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(notices()).toHaveLength(1);
  });

  it('records a Postmark soft bounce only, and a Mailgun event that is no failure not at all', { timeout: 120_000 }, async () => {
    await sentEmail('initech', 'sam@initech.example');
    const soft = await post(
      'bounce',
      JSON.stringify({
        RecordType: 'Bounce',
        MessageStream: 'outbound',
        ID: 4323372036854775807,
        Type: 'SoftBounce',
        TypeCode: 4096,
        Name: 'Soft bounce',
        Tag: '',
        MessageID: '883953f4-6105-42a2-a16a-77a8eac79483',
        ServerID: 23,
        Description: 'The server could not temporarily deliver your message (ex: Message is delayed due to network troubles).',
        Details: 'smtp;421 4.4.2 Connection timed out',
        Email: 'Sam@initech.example',
        From: 'cs@vendor.example',
        BouncedAt: '2026-12-02T15:00:05Z',
        DumpAvailable: false,
        Inactive: false,
        CanActivate: true,
        Subject: 'A quick question, Initech',
      }),
    );
    expect(soft.status).toBe(202);
    expect(await soft.json()).toEqual({ bounces: { hard: 0, soft: 1, suppressed: [] } });
    expect(await store.selectFrom('bounces').select(['kind', 'account_id', 'status']).where('address', '=', 'sam@initech.example').execute()).toEqual([
      { kind: 'soft', account_id: 'initech', status: 'SoftBounce' },
    ]);
    const delivered = await post('bounce', mailgun('delivered', 'permanent', 'sam@initech.example', '<x@vendor.example>', 'mg-delivered-1'));
    expect(await delivered.json()).toEqual({ bounces: { hard: 0, soft: 0, suppressed: [] } });
    expect((await suppressions()).suppressions.map((s: { address: string }) => s.address)).not.toContain('sam@initech.example');
  });

  it('a DSN posted as raw MIME suppresses the address and is not taken as the reply the run waits for', { timeout: 120_000 }, async () => {
    const messageId = await sentEmail('globex', 'lee@globex.example');
    // Microsoft 365's report, about this email: its In-Reply-To names the bounced email.
    const dsn = EXCHANGE_DSN.replaceAll('<jkl012.playbook@vendor.example>', messageId).replaceAll('lee@contoso.example', 'lee@globex.example');
    const answer = await post('email', dsn, { 'content-type': 'message/rfc822' });
    expect(answer.status).toBe(202);
    expect(await answer.json()).toEqual({ bounces: { hard: 1, soft: 0, suppressed: ['lee@globex.example'] } });
    expect(await suppressions()).toMatchObject({
      suppressions: expect.arrayContaining([expect.objectContaining({ address: 'lee@globex.example', source: 'bounce:dsn' })]),
    });
    await eventually(async () => expect(notices()).toHaveLength(2));
    const run = await api.call('GET', '/v1/runs/reach/globex', { token: api.tokens.csops });
    expect(run.body.outcome).toBe('running');
    expect((run.body.timeline as Array<{ kind: string }>).map((e) => e.kind)).not.toContain('event');
  });

  it('the secret in the URL is the credential: a wrong one, none, or an API token instead gets a 404', async () => {
    const body = mailgun('failed', 'permanent', 'kim@acme.example', '<y@vendor.example>', 'mg-forged');
    expect((await post('bounce', body, {}, 'wrong-secret')).status).toBe(404);
    expect((await post('bounce', body, { authorization: `Bearer ${api.tokens.csops}` }, 'x')).status).toBe(404);
    expect((await fetch(`${api.url}/inbound/bounce`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).status).toBe(404);
    expect(await store.selectFrom('bounces').select('id').where('address', '=', 'kim@acme.example').execute()).toEqual([]);
  });

  it.each([
    [
      '{"RecordType": "Bounce", "ID": 7, "Type": "HardBounce"}',
      'neither a Postmark bounce nor a Mailgun webhook: Email: Invalid input: expected string, received undefined',
    ],
    [
      '{"RecordType": "Delivery", "ID": 7, "Email": "kim@acme.example"}',
      'neither a Postmark bounce nor a Mailgun webhook: RecordType: Invalid input: expected "Bounce"',
    ],
    ['{"event-data": {"severity": "permanent"}}', 'not a Mailgun webhook: event-data.event: Invalid input: expected string, received undefined'],
    [
      '{"event-data": {"event": "failed", "severity": "fatal", "recipient": "kim@acme.example"}}',
      'not a Mailgun webhook: event-data.severity: Invalid option: expected one of "permanent"|"temporary"',
    ],
    ['{"event-data": {"event": "failed", "severity": "permanent"}}', 'not a Mailgun webhook: event-data.recipient: missing'],
    ['[1, 2]', 'neither a Postmark bounce nor a Mailgun webhook: Invalid input: expected object, received array'],
    ['{"RecordType": "Bounce",', 'the body is not valid JSON'],
  ])('%s is refused with a 400: %s', async (body, message) => {
    const answer = await post('bounce', body);
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as { error: unknown }).error).toMatchObject({ status: 400, message });
    expect(await store.selectFrom('bounces').select('id').where('address', '=', 'kim@acme.example').execute()).toEqual([]);
  });

  it('a body over api.maxBodyBytes is refused with a 413', async () => {
    const big = mailgun('failed', 'permanent', 'kim@acme.example', '<z@vendor.example>', 'mg-big').replace(
      '"event-data"',
      `"padding": "${'x'.repeat(MAX_BODY_BYTES)}", "event-data"`,
    );
    const answer = await post('bounce', big);
    expect(answer.status).toBe(413);
    expect(((await answer.json()) as { error: unknown }).error).toMatchObject({ status: 413, code: 'body_too_large' });
    expect(await store.selectFrom('bounces').select('id').where('address', '=', 'kim@acme.example').execute()).toEqual([]);
  });
});
