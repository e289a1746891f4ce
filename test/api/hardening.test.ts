/**
 * Issue 12, High 1 and the entity side of High 2, on a dev server with lowered limits
 * (history count and size at which Temporal suggests continue-as-new, signals per execution)
 * and the API in front: a burst of large-but-allowed events and a long trickle of events
 * leave the account's data, open runs, trigger log and trigger state intact, and the waiting
 * run still gets its event and its `exit when`; an oversized event is refused with 413, a
 * full queue with 429, and a terminated entity is never replaced by an empty one on upsert.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountStartOptions, restoreAccount } from '../../src/temporal/account-client.js';
import { ACCOUNT_WORKFLOW_TYPE } from '../../src/temporal/account-contract.js';
import type { account } from '../../src/temporal/account-workflow.js';
import { getStatus, workflowIdOf } from '../../src/temporal/client.js';
import { eventually } from '../ops/helpers.js';
import { startApiForTests, type ApiResponse, type ApiTestStack } from './helpers.js';

const WORKSPACE = path.join(import.meta.dirname, 'fixtures', 'hardening');
const MAX_ACCOUNT_DATA = 1024;
const MAX_EVENT_PAYLOAD = 32 * 1024;
const SIGNALS_PER_EXECUTION = 40;
const BURST = 24;
const TRICKLE = 2 * SIGNALS_PER_EXECUTION;
const DAY = 86_400_000;

function dateIn(days: number): string {
  return new Date(Date.now() + days * DAY).toISOString().slice(0, 10);
}

describe('account entities under bursts, trickles and terminations', () => {
  let api: ApiTestStack;
  const id = 'acct-hard';
  const rescue = workflowIdOf('rescue', id);
  const renewal = workflowIdOf('renewal', id);

  beforeAll(async () => {
    api = await startApiForTests({
      workspace: WORKSPACE,
      accounts: [],
      api: { maxBodyBytes: 1024 * 1024, maxEventPayloadBytes: MAX_EVENT_PAYLOAD, maxAccountDataBytes: MAX_ACCOUNT_DATA },
      dynamicConfig: {
        'limit.historyCount.suggestContinueAsNew': 60,
        'limit.historySize.suggestContinueAsNew': 256 * 1024,
        'history.maximumSignalsPerExecution': SIGNALS_PER_EXECUTION,
      },
    });
  });
  afterAll(() => api?.stop());

  const put = (accountId: string, body: Record<string, unknown>) => api.call('PUT', `/v1/accounts/${accountId}`, { token: api.tokens.csops, body });
  const event = (body: Record<string, unknown>) => api.call('POST', '/v1/events', { token: api.tokens.csops, body });
  /** Sends until it is taken, waiting as told while the account is busy (bounded). */
  const sendTaken = async (body: Record<string, unknown>): Promise<ApiResponse> => {
    for (let attempt = 0; attempt < 20; attempt++) {
      const r = await event(body);
      if (r.status !== 429) return r;
      await new Promise((done) => setTimeout(done, 250));
    }
    throw new Error('the account stayed busy');
  };
  const state = async () => (await api.call('GET', `/v1/accounts/${id}`, { token: api.tokens.csops })).body;
  const log = async () =>
    ((await state()).triggerLog as Array<{ playbook: string; kind: string; outcome: string }>).map((r) => [r.playbook, r.kind, r.outcome]);

  it('keeps the account whole through a burst and a trickle, and the waiting run still hears its event and its `exit when`', async () => {
    expect((await put(id, { name: 'Hard Inc', health: 40, status: 'active', renewal_date: dateIn(10) })).status).toBe(200);
    await eventually(async () =>
      expect(await log()).toEqual(
        expect.arrayContaining([
          ['rescue', 'when', 'started'],
          ['renewal', 'date', 'started'],
        ]),
      ),
    );
    const entity = api.client.workflow.getHandle(`account:${id}`);
    const firstRun = (await entity.describe()).runId;

    // A burst of large events within the limit, all at once.
    const blob = 'x'.repeat(MAX_EVENT_PAYLOAD - 1024);
    const burst = await Promise.all(
      Array.from({ length: BURST }, (_, n) => sendTaken({ accountId: id, name: 'usage.sample', payload: { n, blob }, eventId: `burst-${n}` })),
    );
    expect(burst.map((r) => r.status)).toEqual(Array(BURST).fill(202));
    // A long trickle: more events than a run may receive signals.
    for (let n = 0; n < TRICKLE; n++) expect((await sendTaken({ accountId: id, name: 'usage.ping', payload: { n } })).status).toBe(202);

    await eventually(async () => expect((await entity.describe()).runId).not.toBe(firstRun));
    const after = await state();
    expect(after.data).toEqual({ id, name: 'Hard Inc', health: 40, status: 'active', renewal_date: dateIn(10) });
    expect([...after.openRuns].sort()).toEqual([renewal, rescue].sort());
    expect(await log()).toHaveLength(2);
    expect(await log()).toEqual(
      expect.arrayContaining([
        ['rescue', 'when', 'started'],
        ['renewal', 'date', 'started'],
      ]),
    );
    expect(after.conditions).toEqual({ 'rescue#0': true });
    expect(after.planned).toEqual([]);
    expect(after).toMatchObject({ endedRuns: [], alerts: [] });

    // The run never heard the usage events; it hears the one it waits for, then its `exit when`.
    expect((await sendTaken({ accountId: id, name: 'kickoff.held' })).status).toBe(202);
    await eventually(async () =>
      expect((await getStatus(api.client, rescue)).timeline.some((e) => e.kind === 'event' && e.text?.includes('kickoff.held'))).toBe(true),
    );
    expect((await getStatus(api.client, rescue)).timeline.filter((e) => e.kind === 'event')).toHaveLength(1);
    expect((await put(id, { status: 'churned' })).status).toBe(200);
    await eventually(async () => expect((await getStatus(api.client, rescue)).outcome).toBe('exited'));
  }, 240_000);

  it('refuses an event payload over api.maxEventPayloadBytes, or nested too deep, with 413', async () => {
    const big = await event({ accountId: id, name: 'usage.sample', payload: { blob: 'x'.repeat(MAX_EVENT_PAYLOAD) } });
    expect(big.status).toBe(413);
    expect(big.body.error).toMatchObject({ status: 413, code: 'event_payload_too_large', field: 'payload' });
    expect(big.body.error.message).toMatch(new RegExp(`at most ${MAX_EVENT_PAYLOAD} are accepted \\(api.maxEventPayloadBytes\\)`));
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 40; i++) deep = { deep };
    const nested = await event({ accountId: id, name: 'usage.sample', payload: deep });
    expect(nested.status).toBe(413);
    expect(nested.body.error.message).toBe('the event payload is nested 33 levels deep; at most 32 are accepted');
  });

  it('answers 429 with Retry-After while the entity has its queue full', async () => {
    const busy = 'acct-busy';
    await api.client.workflow.start<typeof account>(ACCOUNT_WORKFLOW_TYPE, {
      ...accountStartOptions('api-tests', busy),
      args: [{ accountId: busy, maxPending: 1 }],
    });
    const answers = await Promise.all(Array.from({ length: 30 }, (_, n) => event({ accountId: busy, name: 'usage.ping', payload: { n } })));
    const refused = answers.filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    expect(answers.every((r) => r.status === 202 || r.status === 429)).toBe(true);
    expect(refused[0]!.headers.get('retry-after')).toBe('5');
    expect(refused[0]!.body.error).toMatchObject({ status: 429, code: 'account_busy' });
  });

  it('does not recreate a terminated entity empty on upsert; restore brings back its last state', async () => {
    const before = await state();
    await api.client.workflow.getHandle(`account:${id}`).terminate('test');
    const upsert = await put(id, { health: 90 });
    expect(upsert.status).toBe(409);
    expect(upsert.body.error.message).toBe(`account ${id}'s entity ended (terminated); restore it with \`playbook accounts restore ${id}\``);
    expect((await event({ accountId: id, name: 'usage.ping' })).status).toBe(409);

    const restored = await restoreAccount(api.client, 'api-tests', id);
    expect(restored.ended).toBe('terminated');
    await eventually(async () => expect((await entityRunning()).status.name).toBe('RUNNING'));
    const after = await state();
    expect(after.data).toEqual(before.data);
    expect(after.triggerLog).toEqual(before.triggerLog);
    expect(after.conditions).toEqual(before.conditions);
    expect((await put(id, { health: 90 })).status).toBe(200);
    await eventually(async () => expect((await state()).data.health).toBe(90));
    // The date trigger that fired before does not fire again.
    expect((await log()).filter(([playbook]) => playbook === 'renewal')).toHaveLength(1);
  });

  it("refuses with 413 an upsert that would take the account's data over api.maxAccountDataBytes, however small itself", async () => {
    const big = 'acct-big';
    const show = async () => (await api.call('GET', `/v1/accounts/${big}`, { token: api.tokens.csops })).body as { data: Record<string, unknown> };
    expect((await put(big, { name: 'x'.repeat(MAX_ACCOUNT_DATA - 40) })).status).toBe(200);
    await eventually(async () => expect((await show()).data.name).toHaveLength(MAX_ACCOUNT_DATA - 40));
    const refused = await put(big, { status: 'active', renewal_date: dateIn(30) });
    expect(refused.status).toBe(413);
    expect(refused.body.error).toMatchObject({
      status: 413,
      code: 'account_too_large',
      message: `account: this update would make the account's data ${MAX_ACCOUNT_DATA + 33} bytes as JSON; at most ${MAX_ACCOUNT_DATA} are accepted (api.maxAccountDataBytes)`,
    });
    expect((await put(big, { name: 'Big Inc', status: 'active' })).status).toBe(200);
    await eventually(async () => expect((await show()).data).toEqual({ id: big, name: 'Big Inc', status: 'active' }));
  });

  const entityRunning = () => api.client.workflow.getHandle(`account:${id}`).describe();
});
