/**
 * Run keys through the account entity on the time-skipping server, with the reference
 * workspace deployed: support-escalation (`one run per account and ticket.id`) climbs one
 * ladder per escalated ticket at the same account, each with the ticket's id at the end of its
 * workflow id, and the same ticket escalated again is `alreadyOpen`. A resolution reaches
 * every ladder of the account; a ladder's wait takes only its own ticket's (`where`), so the
 * resolved ticket's ladder follows up and the other keeps waiting, the other ticket's resolution
 * pending in it, until its own resolution comes. Each ladder's timeline is
 * the simulator's for the same start, ticket and events. The test holds at any hour of
 * the real day it runs on: the acknowledgements wait for their send window.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { compileFile } from '../../src/compile/compile.js';
import { versionOf } from '../../src/ir/canonical.js';
import type { AccountData } from '../../src/ir/types.js';
import { getAccount, sendAccountEvent, upsertAccount } from '../../src/temporal/account-client.js';
import { getStatus, workflowIdOf } from '../../src/temporal/client.js';
import acme from '../../playbooks/accounts/acme-enterprise.json' with { type: 'json' };
import { eventually } from '../ops/helpers.js';
import { simulateRun } from './drive.js';
import { startTriggerEnv } from './trigger-env.js';

const TASK_QUEUE = 'run-key-tests';
const HOUR = 3_600_000;
const TICKETS = {
  'SUP-1': { id: 'SUP-1', priority: 'high', subject: 'Nightly sync job fails' },
  'SUP-2': { id: 'SUP-2', priority: 'high', subject: 'Exports time out' },
} as const;
type Ticket = keyof typeof TICKETS;

describe('run keys on the time-skipping server', () => {
  let env: TestWorkflowEnvironment;
  let stop: (() => Promise<void>) | undefined;
  /** Acme, fresh: logged in today, renewal far out, so only the escalations start ladders. */
  let account: AccountData;
  const ladder = (ticket: Ticket) => workflowIdOf('support-escalation', account.id, [ticket]);
  const escalate = (ticket: Ticket) => sendAccountEvent(env.client, account.id, { name: 'ticket.escalated', payload: TICKETS[ticket], by: 'test' });
  /**
   * Until the ladder waits (for its send window or the resolution) with `events` events taken
   * in: the next event then reaches it between steps, at an instant the simulator can be given.
   */
  const settled = (ticket: Ticket, events: number) =>
    eventually(async () => {
      const status = await getStatus(env.client, ladder(ticket));
      expect(status.pendingWaits.length).toBeGreaterThan(0);
      expect(status.timeline.filter((e) => e.kind === 'event')).toHaveLength(events);
    });

  beforeAll(async () => {
    ({ env, stop } = await startTriggerEnv(TASK_QUEUE));
    const today = new Date(await env.currentTimeMs()).toISOString().slice(0, 10);
    account = { ...acme, id: 'acct-tickets', last_login: today, last_activity: today, renewal_date: '2099-01-01' } as AccountData;
  });
  afterAll(async () => {
    await stop?.();
  });

  it('starts a ladder per ticket at one account, the key in its workflow id; the same ticket again is alreadyOpen', async () => {
    const { id, ...fields } = account;
    await upsertAccount(env.client, TASK_QUEUE, id, { fields, by: 'test' });
    // The entity forwards each escalation to the ladders already open: their trigger's event.
    await escalate('SUP-1');
    await settled('SUP-1', 0);
    await escalate('SUP-2');
    await settled('SUP-2', 0);
    await settled('SUP-1', 1);
    await escalate('SUP-1');
    await settled('SUP-1', 2);
    await settled('SUP-2', 1);
    const state = await eventually(async () => {
      const s = await getAccount(env.client, id);
      const log = s.triggerLog.filter((r) => r.playbook === 'support-escalation').map((r) => [r.outcome, r.workflowId]);
      expect(log).toEqual([
        ['started', ladder('SUP-1')],
        ['started', ladder('SUP-2')],
        ['alreadyOpen', ladder('SUP-1')],
      ]);
      return s;
    });
    expect(ladder('SUP-1')).toBe('playbook:support-escalation:acct-tickets:SUP-1');
    expect(state.openRuns).toEqual(expect.arrayContaining([ladder('SUP-1'), ladder('SUP-2')]));
    for (const ticket of ['SUP-1', 'SUP-2'] as const) {
      const { timeline } = await getStatus(env.client, ladder(ticket));
      const { subject } = TICKETS[ticket];
      expect(timeline.find((e) => e.kind === 'notify')?.text).toBe(`Acme Corporation has an escalated ticket: ${ticket} (high priority): ${subject}`);
    }
  });

  it("delivers a resolution to both ladders: the resolved ticket's follows up, the other keeps waiting until its own", async () => {
    await sendAccountEvent(env.client, account.id, { name: 'ticket.resolved', payload: { ticket_id: 'SUP-1', summary: 'Sync fixed' }, by: 'test' });
    // The ladders take the resolution once their acknowledgement went out in the send window.
    const stageOf = async (ticket: Ticket) => (await getStatus(env.client, ladder(ticket))).stage;
    for (let hour = 0; (await stageOf('SUP-1')) !== 'follow-up'; hour++) {
      expect(hour, 'SUP-1 resolved within 4 days').toBeLessThan(96);
      await env.sleep(HOUR);
    }
    const resolved = await eventually(async () => {
      const s = await getStatus(env.client, ladder('SUP-1'));
      expect(s.openTasks.map((t) => t.name)).toContain('follow_up');
      return s;
    });
    expect([resolved.outcome, resolved.stage]).toEqual(['running', 'follow-up']);
    expect(resolved.timeline.find((e) => e.kind === 'note')?.text).toBe('Resolved: Sync fixed');
    // SUP-2's ladder has SUP-1's resolution pending, not taken: it still waits for its own.
    await env.sleep(2 * HOUR);
    const waiting = await getStatus(env.client, ladder('SUP-2'));
    expect([waiting.outcome, waiting.stage]).toEqual(['running', 'working']);
    expect(waiting.timeline.filter((e) => e.kind === 'event').map((e) => e.text)).toContain('ticket.resolved');
    expect(waiting.timeline.some((e) => e.kind === 'note')).toBe(false);

    await sendAccountEvent(env.client, account.id, { name: 'ticket.resolved', payload: { ticket_id: 'SUP-2', summary: 'Exports fixed' }, by: 'test' });
    const own = await eventually(async () => {
      const s = await getStatus(env.client, ladder('SUP-2'));
      expect(s.stage).toBe('follow-up');
      return s;
    });
    expect(own.outcome).toBe('running');
    expect(own.timeline.filter((e) => e.kind === 'note').map((e) => e.text)).toEqual(['Resolved: Exports fixed']);
    // SUP-2's resolution reached SUP-1's ladder too; its follow-up goes on undisturbed.
    expect((await getStatus(env.client, ladder('SUP-1'))).stage).toBe('follow-up');
  });

  it('gives each ladder the timeline the simulator gives it for the same start, ticket and events', async () => {
    const { program } = await compileFile('playbooks/support-escalation.playbook');
    const now = await env.currentTimeMs();
    for (const ticket of ['SUP-1', 'SUP-2'] as const) {
      const { timeline } = await getStatus(env.client, ladder(ticket));
      // What the entity forwarded to the ladder: the later escalations (its trigger's event) and the resolution.
      const events = timeline.filter((e) => e.kind === 'event');
      expect(events.map((e) => e.text)).toContain('ticket.resolved');
      const sim = await simulateRun({
        program,
        version: versionOf(program),
        account,
        start: Date.parse(timeline[0]!.at),
        bindings: { ticket: TICKETS[ticket] },
        inputs: events.map((e) => ({ at: { instant: Date.parse(e.at) }, kind: 'event', name: e.text!, payload: e.data as Record<string, unknown> })),
        until: { instant: now },
      });
      expect({ ticket, timeline }).toEqual({ ticket, timeline: sim.timeline });
    }
  });
});
