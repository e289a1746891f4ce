/**
 * Issue 12, High 1: large payloads are kept out of workflow history. With a store, an event
 * whose payload is over `api.inlineEventPayloadBytes` (a 60 KB transcript beside a ticket id,
 * of a two-field declaration) is written to the store's `event_payloads`; the account entity
 * and the run get the reference and only the field the deployed playbook reads. Neither
 * history holds the transcript, the run still reads its ticket id from the event that started
 * it and from the one it waited for, and the store's events show the payload whole.
 * `playbook event`, which signals the runs directly, keeps it out of their history alike.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountWorkflowId } from '../../src/temporal/account-contract.js';
import { getStatus, workflowIdOf } from '../../src/temporal/client.js';
import { openStore } from '../../src/store/connect.js';
import { cli, eventually } from '../ops/helpers.js';
import { startApiForTests, USERS, type ApiTestStack } from './helpers.js';

const WORKSPACE = path.join(import.meta.dirname, 'fixtures', 'large-payloads');
const TRANSCRIPT = 'x'.repeat(60 * 1024);
/** A kilobyte of the transcript as a history's JSON holds it (base64 of "xxx…", any alignment). */
const TRANSCRIPT_IN_HISTORY = 'eHh4'.repeat(256);

function historyBytes(history: temporal.api.history.v1.IHistory): number {
  return Buffer.byteLength(JSON.stringify(history));
}

describe('event payloads kept out of workflow history', () => {
  let api: ApiTestStack;
  const run = workflowIdOf('escalation', 'acme');

  beforeAll(async () => {
    api = await startApiForTests({
      workspace: WORKSPACE,
      accounts: [{ id: 'acme', name: 'Acme', csm: USERS.csm }],
      store: true,
      api: { maxBodyBytes: 256 * 1024 },
    });
  });
  afterAll(() => api?.stop());

  const event = (name: string, payload: Record<string, unknown>) =>
    api.call('POST', '/v1/events', { token: api.tokens.csops, body: { accountId: 'acme', name, payload } });
  const notes = async () => (await getStatus(api.client, run)).timeline.filter((e) => e.kind === 'note').map((e) => e.text);

  it('keeps a 60 KB payload in the store: the entity and the run hold its reference and the field they read', async () => {
    expect((await event('ticket.escalated', { ticket: 'T-1', transcript: TRANSCRIPT })).status).toBe(202);
    await eventually(async () => expect(await notes()).toEqual(['Ticket T-1 escalated']));
    expect((await event('ticket.closed', { ticket: 'T-1', transcript: TRANSCRIPT })).status).toBe(202);
    await eventually(async () => expect(await notes()).toEqual(['Ticket T-1 escalated', 'Ticket T-1 closed']));

    for (const workflowId of [accountWorkflowId('acme'), run]) {
      const history = await api.client.workflow.getHandle(workflowId).fetchHistory();
      expect(JSON.stringify(history), workflowId).not.toContain(TRANSCRIPT_IN_HISTORY);
      expect(historyBytes(history), workflowId).toBeLessThan(TRANSCRIPT.length);
    }

    // Both events carried the same payload: one row, written once.
    const store = openStore(api.storeUrl!);
    try {
      const rows = await store.selectFrom('event_payloads').select(['payload_ref', 'bytes']).execute();
      expect(rows).toEqual([
        { payload_ref: expect.stringMatching(/^sha256:[0-9a-f]{64}$/), bytes: Buffer.byteLength(JSON.stringify({ ticket: 'T-1', transcript: TRANSCRIPT })) },
      ]);
      await eventually(async () => {
        const stored = await store
          .selectFrom('account_events')
          .select(['name', 'payload', 'payload_ref'])
          .where('account_id', '=', 'acme')
          .orderBy('seq')
          .execute();
        expect(stored).toEqual([
          { name: 'ticket.escalated', payload: { ticket: 'T-1' }, payload_ref: rows[0]!.payload_ref },
          { name: 'ticket.closed', payload: { ticket: 'T-1' }, payload_ref: rows[0]!.payload_ref },
        ]);
      });
    } finally {
      await store.destroy();
    }
    // Read back through the API, the events carry their payload whole.
    const events = await api.call('GET', '/v1/accounts/acme/events', { token: api.tokens.csops });
    expect(events.status).toBe(200);
    expect(
      events.body.events.map((e: { name: string; payload: Record<string, unknown> }) => [e.name, e.payload.ticket, (e.payload.transcript as string).length]),
    ).toEqual([
      ['ticket.closed', 'T-1', TRANSCRIPT.length],
      ['ticket.escalated', 'T-1', TRANSCRIPT.length],
    ]);
  }, 120_000);

  it('keeps a payload under the inline threshold in history as before', async () => {
    expect((await event('ticket.escalated', { ticket: 'T-2', transcript: 'short' })).status).toBe(202);
    const store = openStore(api.storeUrl!);
    try {
      await eventually(async () => {
        const row = await store
          .selectFrom('account_events')
          .select(['payload', 'payload_ref'])
          .where('account_id', '=', 'acme')
          .orderBy('seq', 'desc')
          .executeTakeFirst();
        expect(row).toEqual({ payload: { ticket: 'T-2', transcript: 'short' }, payload_ref: null });
      });
    } finally {
      await store.destroy();
    }
  });

  it('playbook event keeps a large payload in the store too, the run getting the field it reads', async () => {
    await eventually(async () => expect((await getStatus(api.client, run)).pendingWaits.map((w) => w.for)).toContain('event "ticket.closed"'));
    const configFile = path.join(api.dir, 'with-store.json');
    writeFileSync(configFile, JSON.stringify({ ...JSON.parse(readFileSync(api.configFile, 'utf8')), store: { url: api.storeUrl } }));
    const out = await cli(configFile, 'event', 'acme', 'ticket.closed', '--data', JSON.stringify({ ticket: 'T-2', transcript: TRANSCRIPT }));
    expect(out.stderr).toBe('');
    expect(out.stdout).toMatch(/event "ticket\.closed" delivered to escalation .* \(the payload kept in the store as sha256:[0-9a-f]{64}\)/);
    await eventually(async () => expect((await notes()).at(-1)).toBe('Ticket T-2 closed'));
    const history = await api.client.workflow.getHandle(run).fetchHistory();
    expect(JSON.stringify(history)).not.toContain(TRANSCRIPT_IN_HISTORY);
    const store = openStore(api.storeUrl!);
    try {
      const rows = await store.selectFrom('event_payloads').select('bytes').execute();
      expect(rows.map((r) => r.bytes)).toContain(Buffer.byteLength(JSON.stringify({ ticket: 'T-2', transcript: TRANSCRIPT })));
    } finally {
      await store.destroy();
    }
  }, 120_000);
});
