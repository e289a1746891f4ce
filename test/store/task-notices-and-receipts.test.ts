/**
 * The task-notice outbox and the delivery receipts, on PGlite and PostgreSQL with a real SMTP
 * server (smtp-server): a flush queues one notice per new or reassigned task however often it
 * lands; two dispatchers at once send each notice once, with the task's link, and mark it sent;
 * and the ledger keeps the Message-ID the receiver saw and its 250 reply with the queue id.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.js';
import type { PlaybookConfig } from '../../src/config/types.js';
import { startTaskNoticeDispatcher } from '../../src/ops/task-notice-dispatcher.js';
import type { TimelineEntry } from '../../src/runtime/timeline.js';
import type { Store } from '../../src/store/connect.js';
import { StoreDeliveryLedger } from '../../src/store/delivery-ledger.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { projectRun, type RunFlush } from '../../src/store/projection.js';
import { storedDeliveries } from '../../src/store/reads.js';
import { createActivities } from '../../src/temporal/activities/index.js';
import { startSmtp } from '../activities/servers.js';
import { BACKENDS, startBackend, type Backend } from './backends.js';

const AT = '2026-12-02T09:00:00.000Z';
const WORKFLOW = 'playbook:onboarding:acme';

function flush(runId: string, entries: TimelineEntry[], notices: RunFlush['notices']): RunFlush {
  return {
    workflowId: WORKFLOW,
    runId,
    run: {
      playbook: 'onboarding',
      version: '0000000000000000',
      accountId: 'acme',
      status: 'running',
      stage: null,
      outcome: null,
      outcomeLabel: null,
      startedAt: AT,
      endedAt: null,
    },
    from: 0,
    entries,
    questions: {},
    completedBy: {},
    ended: null,
    ...(notices !== undefined && { notices }),
  };
}

const ENTRIES: TimelineEntry[] = [
  { at: AT, kind: 'start', stage: null, line: 1 },
  { at: AT, kind: 'task', stage: null, to: 'ann@example.com', text: 'Call Acme', task: 'call', due: '2026-12-05T09:00:00.000Z', line: 2 },
  { at: AT, kind: 'task-reassigned', stage: null, to: 'bob@example.com', text: 'Call Acme', task: 'call', by: 'ann@example.com', line: 2 },
];

describe.each(BACKENDS)('task notices and delivery receipts on %s', (name) => {
  let backend: Backend;
  let store: Store;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let config: PlaybookConfig;
  beforeAll(async () => {
    backend = await startBackend(name);
    ({ store } = await backend.freshDatabase());
    await migrateToLatest(store);
    smtp = await startSmtp();
    config = defaultConfig(mkdtempSync(path.join(tmpdir(), 'playbook-notices-')));
    config.email = { kind: 'smtp', host: '127.0.0.1', port: smtp.port, secure: false, auth: null, from: 'cs@vendor.example' };
  }, 120_000);
  afterAll(async () => {
    await smtp?.close();
    await backend?.stop();
  });

  it('queues one notice per new or reassigned task, sends each once from two dispatchers, and keeps what the SMTP server said', async () => {
    const runId = `run-${name}`;
    const notices = { '1': { owner: 'ops@example.com' }, '2': { owner: 'ops@example.com' } };
    await projectRun(store, flush(runId, ENTRIES, notices));
    await projectRun(store, flush(runId, ENTRIES, notices));
    const queued = await store
      .selectFrom('task_notices')
      .select(['seq', 'assignee', 'reassigned', 'due_at', 'state'])
      .where('run_id', '=', runId)
      .orderBy('seq')
      .execute();
    expect(queued).toEqual([
      { seq: 1, assignee: 'ann@example.com', reassigned: false, due_at: new Date('2026-12-05T09:00:00.000Z'), state: 'pending' },
      // A reassigned task keeps its due date.
      { seq: 2, assignee: 'bob@example.com', reassigned: true, due_at: new Date('2026-12-05T09:00:00.000Z'), state: 'pending' },
    ]);

    const activities = createActivities(config, { ledger: new StoreDeliveryLedger(store) });
    const dispatchers = [0, 1].map(() => startTaskNoticeDispatcher({ store, noticeTask: activities.noticeTask, intervalMs: 60_000 }));
    await Promise.all(dispatchers.map((d) => d.tick()));
    await Promise.all(dispatchers.map((d) => d.stop()));

    expect(smtp.mails.map((m) => m.to)).toEqual([['ann@example.com'], ['bob@example.com']]);
    expect(smtp.mails[0]!.raw).toContain('/tasks/onboarding/acme/call');
    expect(smtp.mails[1]!.subject).toMatch(/^A task was reassigned to you: Call Acme/);
    const settled = await store.selectFrom('task_notices').select(['state', 'attempts']).where('run_id', '=', runId).orderBy('seq').execute();
    expect(settled).toEqual([
      { state: 'sent', attempts: 1 },
      { state: 'sent', attempts: 1 },
    ]);

    const deliveries = await storedDeliveries(store, WORKFLOW);
    expect(deliveries?.map((d) => d.key)).toEqual(['notice:seq:1', 'notice:seq:2']);
    for (const [i, mail] of smtp.mails.entries()) {
      expect(deliveries![i]).toMatchObject({ channel: 'notify', state: 'sent', providerMessageId: mail.messageId });
      expect(deliveries![i]!.providerResponse).toContain(mail.queueId);
    }
  });

  it('keeps a webhook response id header as the provider message id', async () => {
    const { startHttp } = await import('../activities/servers.js');
    const http = await startHttp();
    try {
      http.respondWithHeaders({ 'X-Request-Id': 'req-42' });
      const c: PlaybookConfig = { ...config, endpoints: { crm: { url: http.url('/hook'), secret: 's'.repeat(32) } } };
      const activities = createActivities(c, { ledger: new StoreDeliveryLedger(store) });
      const runId = `run-webhook-${name}`;
      await projectRun(store, flush(runId, ENTRIES.slice(0, 1), undefined));
      const action = { kind: 'webhook' as const, key: '3#1', playbook: 'onboarding', endpoint: 'crm', fields: {} };
      await activities.callWebhook({ workflowId: WORKFLOW, runId, accountId: 'acme', action });
      const deliveries = await storedDeliveries(store, WORKFLOW);
      expect(deliveries).toEqual([
        expect.objectContaining({ key: '3#1', channel: 'webhook', state: 'sent', providerMessageId: 'req-42', providerResponse: 'HTTP 200' }),
      ]);
    } finally {
      await http.close();
    }
  });
});
