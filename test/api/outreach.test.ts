/**
 * Opt-outs end to end, on a real stack (dev server, worker, embedded store, API) sending to a
 * real SMTP server: a customer email carries the one-click unsubscribe headers and an HTML part
 * next to the text; the link's POST records the opt-out (a forged token is refused, a GET only
 * asks); the next email to that contact is not sent and the run's timeline says `suppressed`,
 * while the CSM's notification still goes out; `contact.unsubscribed` suppresses too.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtp, type ReceivedMail } from '../activities/servers.js';
import { eventually } from '../ops/helpers.js';
import { startApiForTests, USERS, type ApiTestStack } from './helpers.js';

const WORKSPACE = path.join(import.meta.dirname, 'fixtures', 'outreach');
const CONTACT = 'pat@acme.example';

describe('opt-outs', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let api: ApiTestStack;
  const toContact = () => smtp.mails.filter((m) => m.to.includes(CONTACT));

  beforeAll(async () => {
    smtp = await startSmtp();
    api = await startApiForTests({
      store: true,
      workspace: WORKSPACE,
      accounts: [{ id: 'acme', name: 'Acme', csm: USERS.csm, primary_contact: CONTACT }],
      sections: { smtp: { host: '127.0.0.1', port: smtp.port, from: 'cs@vendor.example' } },
    });
  });
  afterAll(async () => {
    await api?.stop();
    await smtp?.close();
  });

  it('unsubscribes with one click, and the next email is suppressed on the timeline while notifications go on', { timeout: 120_000 }, async () => {
    expect((await api.call('POST', '/v1/playbooks/outreach/runs', { token: api.tokens.csops, body: { accountId: 'acme' } })).status).toBe(201);
    const [first] = await eventually(async () => {
      expect(toContact()).toHaveLength(1);
      return toContact();
    });
    const headers = headersOf(first!);
    expect(headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    expect(headers['message-id']).toMatch(/^<[0-9a-f]{32}\.playbook@vendor\.example>$/);
    expect(headers['content-type']).toMatch(/^multipart\/alternative/);
    const token = /^<https?:\/\/[^>]+\/unsubscribe\/([^>]+)>$/.exec(headers['list-unsubscribe'] ?? '')?.[1];
    expect(token).toBeDefined();
    const body = decodedParts(first!);
    expect(body).toContain('<strong>what is new</strong>');
    // Raw HTML in a template (or in account data) is shown, never passed on.
    expect(body).toContain('&lt;b&gt;Acme&lt;/b&gt;');
    expect(body).toContain('<a href="https://example.com/guide">the guide</a>');

    const unsubscribe = (t: string, init: RequestInit = {}) => fetch(`${api.url}/unsubscribe/${t}`, init);
    const oneClick = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' };
    const forged = `${token!.slice(0, -2)}${token!.endsWith('AA') ? 'BB' : 'AA'}`;
    expect((await unsubscribe(forged, oneClick)).status).toBe(400);
    const asking = await unsubscribe(token!);
    expect(asking.status).toBe(200);
    expect(await asking.text()).toContain('<form method="post">');
    const suppressions = async () => (await api.call('GET', '/v1/suppressions', { token: api.tokens.csops })).body.suppressions;
    expect(await suppressions()).toEqual([]);
    expect((await unsubscribe(token!, oneClick)).status).toBe(200);
    expect(await suppressions()).toEqual([{ address: CONTACT, reason: 'unsubscribed', source: 'link', accountId: 'acme', at: expect.any(String) }]);

    expect((await api.call('POST', '/v1/events', { token: api.tokens.csops, body: { accountId: 'acme', name: 'outreach.next' } })).status).toBe(202);
    const timeline = await eventually(async () => {
      const status = await api.call('GET', '/v1/runs/outreach/acme', { token: api.tokens.csops });
      expect(status.body.outcome).toBe('completed');
      return status.body.timeline as Array<{ kind: string; to?: string; text?: string }>;
    });
    expect(timeline.filter((e) => e.kind === 'suppressed')).toEqual([expect.objectContaining({ to: CONTACT, text: 'unsubscribed', template: 'hello' })]);
    expect(toContact()).toHaveLength(1);
    await eventually(async () => expect(smtp.mails.filter((m) => m.to.includes(USERS.csm))).toHaveLength(1));
  });

  it('suppresses the contact a contact.unsubscribed event names, though no playbook takes the event', async () => {
    const sent = await api.call('POST', '/v1/events', {
      token: api.tokens.csops,
      body: { accountId: 'acme', name: 'contact.unsubscribed', payload: { email: 'Lee@Acme.example' } },
    });
    expect(sent.status).toBe(202);
    const list = await api.call('GET', '/v1/suppressions', { token: api.tokens.csm });
    expect(list.body.suppressions).toContainEqual(expect.objectContaining({ address: 'lee@acme.example', reason: 'unsubscribed', source: 'api:ops' }));
    const missing = await api.call('POST', '/v1/events', { token: api.tokens.csops, body: { accountId: 'acme', name: 'contact.unsubscribed', payload: {} } });
    expect(missing.status).toBe(400);
    expect((await api.call('DELETE', '/v1/suppressions/lee@acme.example', { token: api.tokens.csm })).status).toBe(403);
    expect((await api.call('DELETE', '/v1/suppressions/lee@acme.example', { token: api.tokens.csops })).status).toBe(204);
    expect((await api.call('DELETE', '/v1/suppressions/lee@acme.example', { token: api.tokens.csops })).status).toBe(404);
  });
});

/** The message's headers, unfolded, by lower-case name. */
function headersOf(mail: ReceivedMail): Record<string, string> {
  const head = mail.raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  return Object.fromEntries(head.split(/\r?\n/).map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
}

/** The message's parts, quoted-printable decoded, as one text. */
function decodedParts(mail: ReceivedMail): string {
  return mail.raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
