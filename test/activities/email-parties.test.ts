/**
 * v2 email parties end to end without Temporal: the one interpreter (in the simulator) turns
 * an `email` step to a list, with cc, bcc and from, into actions; the real email activity
 * sends them through nodemailer to a real SMTP server, which receives real messages.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simpleParser, type AddressObject } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultCalendar } from '../../src/calendar/index.js';
import { compileFile } from '../../src/compile/compile.js';
import { defaultConfig } from '../../src/config/load.js';
import type { Action, ActionResult } from '../../src/runtime/effects.js';
import { simulate } from '../../src/simulate/simulate.js';
import { createActivities, type ActionOf } from '../../src/temporal/activities/index.js';
import { startSmtp } from './servers.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const FIELDS = `account fields
  name: text
  csm: user
  primary_contact: contact
  stakeholders: list of contact
`;

async function compile(body: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'email-parties-'));
  mkdirSync(path.join(dir, 'templates'));
  writeFileSync(path.join(dir, 'templates', 'qbr.md'), 'Subject: Quarterly review for {account.name}\n\nShall we **meet** next week?\n');
  writeFileSync(path.join(dir, 'main.playbook'), `${FIELDS}\nplaybook qbr "QBR invite"\n  ${body}\n`);
  return compileFile(path.join(dir, 'main.playbook'));
}

const account = {
  id: 'acme',
  name: 'Acme',
  csm: 'jordan@vendor.example',
  primary_contact: 'pat@acme.example',
  stakeholders: ['kim@acme.example', 'Pat@acme.example', 'lee@acme.example'],
};

/** The email actions the interpreter performs for `body`, in order. */
async function emailActions(body: string, data: Record<string, unknown> = account): Promise<Array<ActionOf<'email'>>> {
  const { program } = await compile(body);
  const actions: Array<ActionOf<'email'>> = [];
  await simulate({
    program,
    account: data as never,
    calendars: {},
    start: Date.parse('2026-03-02T15:00:00Z'),
    inputs: [],
    performAction: (action: Action): ActionResult => {
      if (action.kind === 'email') actions.push(action);
      return { ok: true };
    },
  });
  return actions;
}

async function smtpActivities(suppressed: string[] = []) {
  const smtp = await startSmtp();
  cleanups.push(smtp.close);
  const config = defaultConfig(mkdtempSync(path.join(tmpdir(), 'email-parties-data-')));
  config.email = { kind: 'smtp', host: '127.0.0.1', port: smtp.port, secure: false, auth: null, from: 'bounces@vendor.example' };
  config.outreach.people = { 'jordan@vendor.example': 'Jordan Lee' };
  config.outreach.sender = { name: 'Vendor Success', address: 'success@vendor.example', replyTo: 'replies@vendor.example' };
  const activities = createActivities(config, {
    outreach: {
      suppressed: async (address) => (suppressed.includes(address.toLowerCase()) ? 'unsubscribed' : null),
      unsubscribeUrl: (address) => `https://cs.vendor.example/unsubscribe/${encodeURIComponent(address)}`,
      sending: async () => {},
    },
  });
  const run = { workflowId: 'playbook:qbr:acme', runId: 'run-1', accountId: 'acme' };
  const send = async (actions: Array<ActionOf<'email'>>) => {
    const results: ActionResult[] = [];
    for (const action of actions) results.push(await activities.sendEmail({ ...run, action }));
    return results;
  };
  return { smtp, send, activities, run };
}

const addresses = (a: AddressObject | AddressObject[] | undefined) => (Array.isArray(a) ? a : a ? [a] : []).flatMap((o) => o.value.map((v) => v.address));

describe('email to a list with cc, bcc and from', () => {
  it('sends one message per contact, each with its own key, From with the display name, Reply-To, Cc; Bcc only in the envelope', async () => {
    const actions = await emailActions(
      'email account.stakeholders, account.primary_contact cc account.csm bcc "archive@vendor.example" from account.csm template "qbr"',
    );
    // Pat is in the list and the `to`: one message (addresses compared lower-cased).
    expect(actions.map((a) => [a.to, a.key])).toEqual([
      ['kim@acme.example', '0#1/kim@acme.example'],
      ['Pat@acme.example', '0#1/pat@acme.example'],
      ['lee@acme.example', '0#1/lee@acme.example'],
    ]);
    const { smtp, send } = await smtpActivities();
    expect(await send(actions)).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    // A retry of the same actions (a replay, a retried activity) sends nothing again.
    await send(actions);
    expect(smtp.mails).toHaveLength(3);
    const parsed = await Promise.all(smtp.mails.map((m) => simpleParser(m.raw)));
    for (const [i, mail] of parsed.entries()) {
      expect(mail.from?.value).toEqual([{ name: 'Jordan Lee', address: 'jordan@vendor.example' }]);
      expect(addresses(mail.replyTo)).toEqual(['jordan@vendor.example', 'replies@vendor.example']);
      expect(addresses(mail.to)).toEqual([actions[i]!.to]);
      expect(addresses(mail.cc)).toEqual(['jordan@vendor.example']);
      expect(mail.headers.has('bcc')).toBe(false);
      expect(smtp.mails[i]!.raw).not.toMatch(/archive@vendor\.example/);
      expect(mail.text).toContain('Shall we **meet** next week?');
      expect(mail.html).toContain('<strong>meet</strong>');
      expect(smtp.mails[i]!.raw).toMatch(/^List-Unsubscribe:\s+<https:\/\/cs\.vendor\.example\/unsubscribe\//m);
      // The envelope: bounces go to smtp.from; the blind copy receives the message.
      expect(smtp.mails[i]!.from).toBe('bounces@vendor.example');
      expect(smtp.mails[i]!.to).toEqual([actions[i]!.to, 'jordan@vendor.example', 'archive@vendor.example']);
    }
    expect(new Set(smtp.mails.map((m) => m.messageId)).size).toBe(3);
  });

  it('skips a suppressed contact alone; the others are sent', async () => {
    const actions = await emailActions('email account.stakeholders template "qbr"');
    const { smtp, send } = await smtpActivities(['lee@acme.example']);
    expect(await send(actions)).toEqual([{ ok: true }, { ok: true }, { ok: true, suppressed: 'unsubscribed' }]);
    expect(smtp.mails.map((m) => m.to[0])).toEqual(['kim@acme.example', 'Pat@acme.example']);
    // Without `from`: the workspace's sender, its display name and Reply-To.
    const mail = await simpleParser(smtp.mails[0]!.raw);
    expect(mail.from?.value).toEqual([{ name: 'Vendor Success', address: 'success@vendor.example' }]);
    expect(addresses(mail.replyTo)).toEqual(['replies@vendor.example']);
  });

  it('keeps a v1 email as it was: one message, the plain key, no parties', async () => {
    const actions = await emailActions('email account.primary_contact template "qbr"');
    expect(actions).toEqual([expect.objectContaining({ to: 'pat@acme.example', key: '0#1' })]);
    expect(actions[0]).not.toHaveProperty('cc');
    expect(actions[0]).not.toHaveProperty('from');
  });

  it('a `from "Name <address>"` is used as written; an empty list sends nothing and tells the owner', async () => {
    const named = await emailActions('email account.primary_contact from "Acme Renewals <renewals@vendor.example>" template "qbr"');
    expect(named[0]?.from).toEqual({ name: 'Acme Renewals', address: 'renewals@vendor.example' });
    const none = await emailActions('email account.stakeholders template "qbr"', { ...account, stakeholders: [] });
    expect(none).toEqual([]);
  });
});

describe('the contact policy and suppression', () => {
  it('skips a suppressed contact before any decision: nothing is reserved for it', async () => {
    const suppressed = ['lee@acme.example'];
    const { activities, run } = await smtpActivities(suppressed);
    const policy = { caps: [{ count: 1, days: 7, business: false }], whenCapped: 'skip' as const };
    const decide = (key: string) =>
      activities.decideContact({
        ...run,
        action: {
          kind: 'contact',
          key,
          playbook: 'qbr',
          to: 'lee@acme.example',
          at: Date.parse('2026-03-02T15:00:00Z'),
          policy,
          calendar: defaultCalendar,
          sendWindow: null,
        },
      });
    expect(await decide('0#1/lee@acme.example:contact')).toEqual({ ok: true, suppressed: 'unsubscribed' });
    // Lifted: the one place under the cap is still free.
    suppressed.length = 0;
    expect(await decide('1#1/lee@acme.example:contact')).toEqual({ ok: true, contact: { kind: 'send', at: Date.parse('2026-03-02T15:00:00Z') } });
  });

  it('an email carrying its question is decided and, when the answer is to send now, sent by one activity, once however often retried', async () => {
    const suppressed = ['lee@acme.example'];
    const { activities, run, smtp } = await smtpActivities(suppressed);
    const at = Date.parse('2026-03-02T15:00:00Z');
    const question = {
      at,
      policy: { caps: [{ count: 1, days: 7, business: false }], whenCapped: 'skip' as const },
      calendar: defaultCalendar,
      sendWindow: null,
    };
    const email = (key: string, to: string): ActionOf<'email'> => ({
      kind: 'email',
      key,
      playbook: 'qbr',
      to,
      template: 'qbr',
      subject: 'Quarterly review for Acme',
      body: 'Shall we meet?',
      contact: question,
    });
    const send = (action: ActionOf<'email'>) => activities.sendEmail({ ...run, action });
    expect(await send(email('0#1', 'kim@acme.example'))).toEqual({ ok: true, contact: { kind: 'send', at } });
    // A retried activity: the decision recorded for its key, and no second message.
    expect(await send(email('0#1', 'kim@acme.example'))).toEqual({ ok: true, contact: { kind: 'send', at } });
    expect(smtp.mails.map((m) => [m.to, m.key])).toEqual([[['kim@acme.example'], 'playbook:qbr:acme/run-1/0#1']]);
    // The cap of 1 is taken: the next email is skipped, and not sent.
    expect(await send(email('1#1', 'Kim@acme.example'))).toEqual({ ok: true, contact: { kind: 'skip', reason: expect.stringContaining('1 email') } });
    // A suppressed contact is skipped before any decision.
    expect(await send(email('2#1', 'lee@acme.example'))).toEqual({ ok: true, suppressed: 'unsubscribed' });
    expect(smtp.mails).toHaveLength(1);
  });
});
