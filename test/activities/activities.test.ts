import { consoleBaseUrl } from '../../src/config/console-url.js';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.js';
import type { PlaybookConfig } from '../../src/config/types.js';
import type { Action } from '../../src/runtime/effects.js';
import { messageIdFor } from '../../src/sinks/email.js';
import { readJsonLines } from '../../src/sinks/jsonl-file.js';
import { readOutbox } from '../../src/sinks/outbox.js';
import {
  PERMANENT_FAILURE_TYPE,
  createActivities,
  performAction,
  type ActionOf,
  type ActivityInput,
  type TaskNoticeInput,
} from '../../src/temporal/activities/index.js';
import { closedPort, startHttp, startSmtp } from './servers.js';

const NOW = Date.parse('2026-03-02T15:00:00.000Z');
const run = { workflowId: 'playbook:onboarding:acme', runId: 'run-1', accountId: 'acme' };
const FULL_KEY = 'playbook:onboarding:acme/run-1/0#1';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function config(overrides: Partial<PlaybookConfig> = {}): PlaybookConfig {
  return { ...defaultConfig(mkdtempSync(path.join(tmpdir(), 'playbook-activities-'))), ...overrides };
}

const activities = (c: PlaybookConfig) => createActivities(c, { now: () => NOW });

function input<K extends Action['kind']>(action: Omit<ActionOf<K>, 'key' | 'playbook'> & { key?: string }): ActivityInput<ActionOf<K>> {
  return { ...run, action: { key: '0#1', playbook: 'onboarding', ...action } as ActionOf<K> };
}

const email = (to = 'jane@acme.example') =>
  input<'email'>({ kind: 'email', to, template: 'welcome', subject: 'Welcome to Acme onboarding', body: 'Hello Jane' });

async function smtpConfig(behaviour?: Parameters<typeof startSmtp>[0]) {
  const smtp = await startSmtp(behaviour);
  cleanups.push(smtp.close);
  const c = config();
  c.email = { kind: 'smtp', host: '127.0.0.1', port: smtp.port, secure: false, auth: null, from: 'cs@vendor.example' };
  return { smtp, config: c };
}

async function http() {
  const server = await startHttp();
  cleanups.push(server.close);
  return server;
}

/** The error a call rejects with. */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a failure');
}

function expectPermanent(error: Error, message: RegExp): void {
  expect(error).toBeInstanceOf(ApplicationFailure);
  expect((error as ApplicationFailure).nonRetryable).toBe(true);
  expect((error as ApplicationFailure).type).toBe(PERMANENT_FAILURE_TYPE);
  expect(error.message).toMatch(message);
}

/** Transient failures are plain errors: Temporal retries them per the retry policy. */
function expectRetryable(error: Error, message: RegExp): void {
  expect(error).not.toBeInstanceOf(ApplicationFailure);
  expect(error.message).toMatch(message);
}

describe('sendEmail over SMTP', () => {
  it('delivers the message to the recipient with its subject and a Message-ID from the key', async () => {
    const { smtp, config: c } = await smtpConfig();
    expect(await activities(c).sendEmail(email())).toEqual({ ok: true });
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]).toMatchObject({
      from: 'cs@vendor.example',
      to: ['jane@acme.example'],
      subject: 'Welcome to Acme onboarding',
      messageId: messageIdFor(FULL_KEY, 'cs@vendor.example'),
      key: FULL_KEY,
    });
    expect(smtp.mails[0]!.raw).toContain('Hello Jane');
  });

  it('delivers a repeated key once, also after a worker restart', async () => {
    const { smtp, config: c } = await smtpConfig();
    const acts = activities(c);
    await acts.sendEmail(email());
    await acts.sendEmail(email());
    await activities(c).sendEmail(email());
    expect(smtp.mails).toHaveLength(1);
    await acts.sendEmail({ ...email(), runId: 'run-2' });
    expect(smtp.mails).toHaveLength(2);
  });

  it('resolves a role recipient from the configuration', async () => {
    const { smtp, config: c } = await smtpConfig();
    c.roles = { 'support-lead': 'lead@vendor.example' };
    await activities(c).sendEmail(email('role:support-lead'));
    expect(smtp.mails[0]!.to).toEqual(['lead@vendor.example']);
  });

  it('makes an SMTP 550 rejection a non-retryable failure', async () => {
    const { smtp, config: c } = await smtpConfig({ refuseRecipients: 550 });
    expectPermanent(await rejection(activities(c).sendEmail(email())), /rejected the message: 550 mailbox jane@acme\.example unavailable/);
    expect(smtp.mails).toHaveLength(0);
  });

  it('retries an SMTP 4xx reply', async () => {
    const { config: c } = await smtpConfig({ refuseRecipients: 451 });
    expectRetryable(await rejection(activities(c).sendEmail(email())), /451/);
  });

  it('retries when the SMTP server is unreachable, and delivers on a later attempt', async () => {
    const c = config();
    c.email = { kind: 'smtp', host: '127.0.0.1', port: await closedPort(), secure: false, auth: null, from: 'cs@vendor.example' };
    expectRetryable(await rejection(activities(c).sendEmail(email())), /ECONNREFUSED/);
    const { smtp, config: up } = await smtpConfig();
    await activities({ ...up, dataDir: c.dataDir }).sendEmail(email());
    expect(smtp.mails).toHaveLength(1);
  });

  it('refuses an invalid address or an unknown role without contacting the server', async () => {
    const { smtp, config: c } = await smtpConfig();
    expectPermanent(await rejection(activities(c).sendEmail(email('jane at acme'))), /^invalid email address "jane at acme"$/);
    expectPermanent(await rejection(activities(c).sendEmail(email('role:vp'))), /^unknown role "vp" \(no roles are configured\)$/);
    expect(smtp.mails).toHaveLength(0);
  });
});

describe('callWebhook', () => {
  const SECRET = 'whsec-test';

  async function endpointConfig() {
    const server = await http();
    return { server, config: config({ endpoints: { 'crm-sync': { url: server.url('/hooks/playbooks'), secret: SECRET } } }) };
  }

  const webhook = () => input<'webhook'>({ kind: 'webhook', endpoint: 'crm-sync', fields: { health: 42, status: 'at-risk' } });

  it('POSTs the fields signed with HMAC-SHA256 over "<timestamp>.<body>" and an Idempotency-Key', async () => {
    const { server, config: c } = await endpointConfig();
    expect(await activities(c).callWebhook(webhook())).toEqual({ ok: true });
    const [request] = server.requests;
    const timestamp = request!.headers['x-playbook-timestamp'] as string;
    expect(timestamp).toBe(String(NOW / 1000));
    const expected = `sha256=${createHmac('sha256', SECRET).update(`${timestamp}.${request!.body}`).digest('hex')}`;
    const signature = request!.headers['x-playbook-signature'] as string;
    expect(timingSafeEqual(Buffer.from(signature), Buffer.from(expected))).toBe(true);
    expect(request!.headers['idempotency-key']).toBe(FULL_KEY);
    expect(request!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request!.body)).toEqual({
      type: 'playbook.webhook',
      key: FULL_KEY,
      at: '2026-03-02T15:00:00.000Z',
      run: run.workflowId,
      account: 'acme',
      playbook: 'onboarding',
      endpoint: 'crm-sync',
      fields: { health: 42, status: 'at-risk' },
    });
  });

  it('percent-encodes an Idempotency-Key carrying an account id beyond Latin-1 (it was never sent and retried for 24 h)', async () => {
    const { server, config: c } = await endpointConfig();
    const accountId = 'café-東京 50%';
    const workflowId = `playbook:onboarding:${accountId}`;
    const action = { key: '0#1', playbook: 'onboarding', kind: 'webhook', endpoint: 'crm-sync', fields: {} } as ActionOf<'webhook'>;
    expect(await activities(c).callWebhook({ workflowId, runId: 'run-1', accountId, action })).toEqual({ ok: true });
    expect(server.requests[0]!.headers['idempotency-key']).toBe('playbook:onboarding:caf%C3%A9-%E6%9D%B1%E4%BA%AC%2050%25/run-1/0#1');
    expect(JSON.parse(server.requests[0]!.body).key).toBe(`${workflowId}/run-1/0#1`);
  });

  it('retries on a 500 and then delivers once', async () => {
    const { server, config: c } = await endpointConfig();
    const acts = activities(c);
    server.respondWith(500);
    expectRetryable(await rejection(acts.callWebhook(webhook())), /endpoint "crm-sync" \(http:\/\/127\.0\.0\.1:\d+\) failed: HTTP 500: status 500 on purpose/);
    await acts.callWebhook(webhook());
    await acts.callWebhook(webhook());
    expect(server.requests).toHaveLength(2);
    expect(server.requests.map((r) => r.headers['idempotency-key'])).toEqual([FULL_KEY, FULL_KEY]);
  });

  it('makes a 400 a non-retryable failure', async () => {
    const { server, config: c } = await endpointConfig();
    server.respondWith(400);
    expectPermanent(await rejection(activities(c).callWebhook(webhook())), /endpoint "crm-sync" .* refused the request: HTTP 400/);
  });

  it('retries a 429 (rate limited)', async () => {
    const { server, config: c } = await endpointConfig();
    server.respondWith(429);
    expectRetryable(await rejection(activities(c).callWebhook(webhook())), /HTTP 429/);
  });

  it('makes an endpoint missing from the configuration a non-retryable failure', async () => {
    const { server, config: c } = await endpointConfig();
    const unknown = input<'webhook'>({ kind: 'webhook', endpoint: 'billing', fields: {} });
    expectPermanent(await rejection(activities(c).callWebhook(unknown)), /^unknown webhook endpoint "billing" \(configured endpoints: crm-sync\)$/);
    expect(server.requests).toHaveLength(0);
  });

  it('retries when the endpoint is unreachable', async () => {
    const c = config({ endpoints: { 'crm-sync': { url: `http://127.0.0.1:${await closedPort()}/h`, secret: SECRET } } });
    expectRetryable(await rejection(activities(c).callWebhook(webhook())), /POST to endpoint "crm-sync" .* failed: ECONNREFUSED/);
  });
});

describe('notifications and escalations', () => {
  const notify = (to: string) => input<'notify'>({ kind: 'notify', to, text: 'Kickoff for Acme not held yet' });

  it('posts { text } to the Slack hook configured for the recipient', async () => {
    const hook = await http();
    const c = config({ notify: { recipients: { 'csm@vendor.example': { kind: 'slack', url: hook.url('/services/T1/B1/x') } }, default: { kind: 'email' } } });
    await activities(c).sendNotification(notify('csm@vendor.example'));
    expect(hook.requests).toHaveLength(1);
    expect(hook.requests[0]!.url).toBe('/services/T1/B1/x');
    expect(JSON.parse(hook.requests[0]!.body)).toEqual({
      text: 'Kickoff for Acme not held yet\n_playbook onboarding, account acme, for csm@vendor.example_',
    });
  });

  it('escapes &, < and > so account text cannot ping a channel, mention a user or disguise a link', async () => {
    const hook = await http();
    const c = config({ notify: { recipients: {}, default: { kind: 'slack', url: hook.url('/hook') } } });
    const text = 'Acme & co <!channel> <@U024BE7LH> <http://evil.example|click here>';
    await activities(c).sendNotification(input<'notify'>({ kind: 'notify', to: 'csm@vendor.example', text }));
    expect(JSON.parse(hook.requests[0]!.body).text).toBe(
      'Acme &amp; co &lt;!channel&gt; &lt;@U024BE7LH&gt; &lt;http://evil.example|click here&gt;\n_playbook onboarding, account acme, for csm@vendor.example_',
    );
  });

  it('emails recipients without a Slack hook (the outbox in development)', async () => {
    const c = config();
    await activities(c).sendNotification(notify('csm@vendor.example'));
    const outbox = c.email.kind === 'outbox' ? c.email.dir : '';
    expect(await readOutbox(outbox)).toEqual([
      {
        messageId: messageIdFor(FULL_KEY, 'playbooks@localhost'),
        key: FULL_KEY,
        at: '2026-03-02T15:00:00.000Z',
        from: 'playbooks@localhost',
        to: 'csm@vendor.example',
        subject: 'Kickoff for Acme not held yet',
        text: 'Kickoff for Acme not held yet\n\n-- \nplaybook onboarding, account acme\n',
        // A notification is internal: no unsubscribe link, no HTML part.
        headers: { 'X-Playbook-Key': FULL_KEY },
      },
    ]);
  });

  it('sends an escalation to a role through its route, with its severity', async () => {
    const hook = await http();
    const c = config({
      roles: { 'support-lead': 'lead@vendor.example' },
      notify: { recipients: { 'lead@vendor.example': { kind: 'slack', url: hook.url('/lead') } }, default: { kind: 'email' } },
    });
    const escalation = input<'escalate'>({ kind: 'escalate', to: 'role:support-lead', severity: 'high', text: 'No kickoff after 10 business days' });
    await activities(c).recordEscalation(escalation);
    expect(JSON.parse(hook.requests[0]!.body).text).toMatch(/^Escalation \(high\): No kickoff after 10 business days\n/);
  });

  it('makes a Slack 404 (hook removed) a non-retryable failure that does not leak the hook path', async () => {
    const hook = await http();
    hook.respondWith(404);
    const c = config({ notify: { recipients: {}, default: { kind: 'slack', url: hook.url('/services/SECRET') } } });
    const error = await rejection(activities(c).sendNotification(notify('csm@vendor.example')));
    expectPermanent(error, /^Slack hook for csm@vendor\.example \(http:\/\/127\.0\.0\.1:\d+\) refused the request: HTTP 404/);
    expect(error.message).not.toContain('SECRET');
  });
});

describe('task notices', () => {
  const notice = (overrides: Partial<TaskNoticeInput> = {}): TaskNoticeInput => ({
    ...run,
    runPlaybook: 'onboarding',
    playbook: 'executive-sponsor-check',
    task: 'sponsor',
    title: 'Confirm the sponsor at Acme',
    assignee: 'csm@vendor.example',
    due: '2026-03-05T15:00:00.000Z',
    key: '3#1',
    reassigned: false,
    ...overrides,
  });

  it("emails the assignee once per key with the link to the task in the console (the run's playbook, encoded)", async () => {
    const c = config({ console: { baseUrl: 'https://cs.example.com/console' } });
    expect(await activities(c).noticeTask(notice())).toEqual({ ok: true });
    expect(await activities(c).noticeTask(notice())).toEqual({ ok: true });
    await activities(c).noticeTask(notice({ key: 'reassign:u-1', reassigned: true, assignee: 'bob@vendor.example', accountId: 'acme & co', due: null }));
    const sent = await readOutbox(c.email.kind === 'outbox' ? c.email.dir : '');
    expect(sent.map(({ key, to, subject, text }) => ({ key, to, subject, text }))).toEqual([
      {
        key: 'playbook:onboarding:acme/run-1/notice:3#1',
        to: 'csm@vendor.example',
        subject: 'A new task for you: Confirm the sponsor at Acme (due 2026-03-05T15:00:00.000Z)',
        text: 'A new task for you: Confirm the sponsor at Acme (due 2026-03-05T15:00:00.000Z)\nhttps://cs.example.com/console/tasks/onboarding/acme/sponsor\n\n-- \nplaybook executive-sponsor-check, account acme\n',
      },
      {
        key: 'playbook:onboarding:acme/run-1/notice:reassign:u-1',
        to: 'bob@vendor.example',
        subject: 'A task was reassigned to you: Confirm the sponsor at Acme',
        text: 'A task was reassigned to you: Confirm the sponsor at Acme\nhttps://cs.example.com/console/tasks/onboarding/acme%20%26%20co/sponsor\n\n-- \nplaybook executive-sponsor-check, account acme & co\n',
      },
    ]);
  });

  it("posts to the assignee's Slack hook when one is configured", async () => {
    const hook = await http();
    const c = config({ notify: { recipients: { 'csm@vendor.example': { kind: 'slack', url: hook.url('/csm') } }, default: { kind: 'email' } } });
    await activities(c).noticeTask(notice());
    expect(JSON.parse(hook.requests[0]!.body).text).toContain(`${consoleBaseUrl(c)}/tasks/onboarding/acme/sponsor`);
  });

  it('makes an assignee without an address a non-retryable failure', async () => {
    expectPermanent(await rejection(activities(config()).noticeTask(notice({ assignee: 'role:nobody' }))), /unknown role "nobody"/);
  });
});

describe('task and account sinks', () => {
  const task = () =>
    input<'task'>({
      kind: 'task',
      task: 'kickoff',
      title: 'Schedule kickoff with Acme',
      assignee: 'csm@vendor.example',
      due: Date.parse('2026-03-04T15:00:00.000Z'),
      asks: [{ name: 'held', question: 'Was it held?', type: { type: 'yes/no' } }],
    });
  const base = { key: FULL_KEY, at: '2026-03-02T15:00:00.000Z', run: run.workflowId, account: 'acme', playbook: 'onboarding' };

  it('appends task created and closed records to the task file, once per key', async () => {
    const c = config();
    const acts = activities(c);
    await acts.createTask(task());
    await acts.createTask(task());
    await acts.closeTask({ ...run, playbook: 'onboarding', task: 'kickoff', answers: { held: true }, key: 'update-7' });
    const file = c.tasks.kind === 'file' ? c.tasks.path : '';
    expect(await readJsonLines(file)).toEqual([
      {
        type: 'task.created',
        ...base,
        task: 'kickoff',
        title: 'Schedule kickoff with Acme',
        assignee: 'csm@vendor.example',
        due: '2026-03-04T15:00:00.000Z',
        asks: [{ name: 'held', question: 'Was it held?', type: { type: 'yes/no' } }],
      },
      { type: 'task.closed', ...base, key: 'playbook:onboarding:acme/run-1/close:kickoff:update-7', task: 'kickoff', answers: { held: true } },
    ]);
  });

  it('appends account writes to the account file', async () => {
    const c = config();
    await activities(c).setAccountField(input<'set'>({ kind: 'set', field: 'status', value: 'at-risk' }));
    const file = c.accounts.kind === 'file' ? c.accounts.path : '';
    expect(await readJsonLines(file)).toEqual([{ type: 'account.set', ...base, field: 'status', value: 'at-risk' }]);
  });

  it('sends task records to a webhook sink as signed POSTs', async () => {
    const server = await http();
    const c = config({ endpoints: { tasks: { url: server.url('/tasks'), secret: 's' } }, tasks: { kind: 'webhook', endpoint: 'tasks' } });
    await activities(c).createTask(task());
    expect(server.requests[0]!.headers['idempotency-key']).toBe(FULL_KEY);
    expect(server.requests[0]!.headers['x-playbook-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(JSON.parse(server.requests[0]!.body)).toMatchObject({ type: 'task.created', key: FULL_KEY, title: 'Schedule kickoff with Acme' });
  });

  it('refuses a task for an invalid assignee address', async () => {
    const c = config();
    expectPermanent(
      await rejection(activities(c).createTask({ ...task(), action: { ...task().action, assignee: 'nobody' } })),
      /invalid email address "nobody"/,
    );
  });
});

describe('performAction', () => {
  it('dispatches an action to the activity for its kind', async () => {
    const c = config();
    const acts = activities(c);
    await performAction(acts, run, input<'set'>({ kind: 'set', field: 'health', value: 40 }).action);
    await performAction(acts, run, input<'notify'>({ kind: 'notify', key: '1#1', to: 'csm@vendor.example', text: 'Hi' }).action);
    expect(await readJsonLines(c.accounts.kind === 'file' ? c.accounts.path : '')).toMatchObject([{ type: 'account.set', field: 'health', value: 40 }]);
    expect(await readOutbox(c.email.kind === 'outbox' ? c.email.dir : '')).toMatchObject([{ to: 'csm@vendor.example', subject: 'Hi' }]);
  });
});
