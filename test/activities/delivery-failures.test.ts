/**
 * Deliveries that fail for good are told to a person by another channel (the playbook's owner,
 * `delivery.alertTo`), and a transient failure stops being retried once its sink's retry
 * window has passed, against a real SMTP server that refuses and Slack-style hooks.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.js';
import type { PlaybookConfig } from '../../src/config/types.js';
import { readOutbox } from '../../src/sinks/outbox.js';
import { PERMANENT_FAILURE_TYPE, createActivities, type ActionOf, type ActivityInput } from '../../src/temporal/activities/index.js';
import { closedPort, startHttp, startSmtp } from './servers.js';

const NOW = Date.parse('2026-03-02T15:00:00.000Z');
const HOUR = 3_600_000;
const OWNER = 'owner@vendor.example';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const email = (): ActivityInput<ActionOf<'email'>> => ({
  workflowId: 'playbook:onboarding:acme',
  runId: 'run-1',
  accountId: 'acme',
  owner: OWNER,
  action: { key: '0#1', playbook: 'onboarding', kind: 'email', to: 'jane@acme.example', template: 'welcome', subject: 'Welcome', body: 'Hello' },
});

function config(): PlaybookConfig {
  return defaultConfig(mkdtempSync(path.join(tmpdir(), 'playbook-delivery-failures-')));
}

async function refusingSmtp(code: number, c: PlaybookConfig) {
  const smtp = await startSmtp({ refuseRecipients: code });
  cleanups.push(smtp.close);
  c.email = { kind: 'smtp', host: '127.0.0.1', port: smtp.port, secure: false, auth: null, from: 'cs@vendor.example' };
}

async function slackHook() {
  const hook = await startHttp();
  cleanups.push(hook.close);
  return hook;
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a failure');
}

function activitiesOf(c: PlaybookConfig, logged: string[]) {
  return createActivities(c, { now: () => NOW, log: (line) => logged.push(line) });
}

describe('a delivery that fails for good', () => {
  it('is told to the owner on Slack when SMTP refuses the email, and says so in its failure', async () => {
    const c = config();
    await refusingSmtp(550, c);
    const hook = await slackHook();
    c.notify = { recipients: { [OWNER]: { kind: 'slack', url: hook.url('/owner') } }, default: { kind: 'email' } };
    const logged: string[] = [];
    const error = await failure(activitiesOf(c, logged).sendEmail(email()));
    expect(error).toBeInstanceOf(ApplicationFailure);
    expect((error as ApplicationFailure).type).toBe(PERMANENT_FAILURE_TYPE);
    expect(error.message).toMatch(/550 mailbox jane@acme\.example unavailable; told owner@vendor\.example by Slack$/);
    expect(hook.requests).toHaveLength(1);
    expect(JSON.parse(hook.requests[0]!.body).text).toMatch(/^Delivery failed for good: email "Welcome" to jane@acme\.example: .*550/);
    expect(logged).toEqual([
      expect.stringMatching(/^delivery failed for good: email "Welcome" to jane@acme\.example: .*; told owner@vendor\.example by Slack$/),
    ]);
  });

  it('is not emailed when email is what failed: the worker log and the failure say nobody could be told', async () => {
    const c = config();
    await refusingSmtp(550, c);
    const logged: string[] = [];
    const error = await failure(activitiesOf(c, logged).sendEmail(email()));
    expect(error.message).toMatch(/; NOT told owner@vendor\.example \(email is what failed and no Slack route is configured\)$/);
    expect(logged[0]).toContain('NOT told owner@vendor.example');
  });

  it('tells the owner and delivery.alertTo by email when a webhook is refused', async () => {
    const c = config();
    const endpoint = await startHttp();
    cleanups.push(endpoint.close);
    endpoint.respondWith(400);
    c.endpoints = { crm: { url: endpoint.url('/crm'), secret: 's3cret' } };
    c.delivery = { ...c.delivery, alertTo: 'csops@vendor.example' };
    const logged: string[] = [];
    const webhook: ActivityInput<ActionOf<'webhook'>> = {
      ...email(),
      action: { key: '0#2', playbook: 'onboarding', kind: 'webhook', endpoint: 'crm', fields: {} },
    };
    const error = await failure(activitiesOf(c, logged).callWebhook(webhook));
    expect(error.message).toMatch(/; told owner@vendor\.example by email, csops@vendor\.example by email$/);
    const outbox = await readOutbox(c.email.kind === 'outbox' ? c.email.dir : '');
    expect(outbox.map((m) => m.to)).toEqual([OWNER, 'csops@vendor.example']);
    expect(outbox[0]!.subject).toMatch(/^Delivery failed for good: webhook crm: /);
  });
});

describe('the retry window of a sink', () => {
  const unreachableSmtp = async () => {
    const c = config();
    c.email = { kind: 'smtp', host: '127.0.0.1', port: await closedPort(), secure: false, auth: null, from: 'cs@vendor.example' };
    return c;
  };
  const attemptScheduled = (ago: number) =>
    new MockActivityEnvironment({ scheduledTimestampMs: NOW - ago, currentAttemptScheduledTimestampMs: NOW, attempt: 40 });

  it('keeps retrying a transient failure inside the window', async () => {
    const c = await unreachableSmtp();
    const error = await failure(attemptScheduled(5 * HOUR).run(activitiesOf(c, []).sendEmail, email()));
    expect(error).not.toBeInstanceOf(ApplicationFailure);
    expect(error.message).toMatch(/ECONNREFUSED/);
  });

  it('gives up once the window has passed (email: 6h by default) and escalates', async () => {
    const c = await unreachableSmtp();
    const hook = await slackHook();
    c.notify = { recipients: {}, default: { kind: 'slack', url: hook.url('/cs') } };
    const error = await failure(attemptScheduled(6 * HOUR).run(activitiesOf(c, []).sendEmail, email()));
    expect(error).toBeInstanceOf(ApplicationFailure);
    expect((error as ApplicationFailure).nonRetryable).toBe(true);
    expect(error.message).toMatch(/ECONNREFUSED.* \(still failing after 6h of retries, the retry window of this sink\); told owner@vendor\.example by Slack$/);
    expect(hook.requests).toHaveLength(1);
  });

  it('is configured per sink', async () => {
    const c = await unreachableSmtp();
    c.delivery = { ...c.delivery, retryWindowMs: { ...c.delivery.retryWindowMs, email: HOUR } };
    const error = await failure(attemptScheduled(HOUR).run(activitiesOf(c, []).sendEmail, email()));
    expect(error.message).toContain('still failing after 1h of retries');
  });
});
