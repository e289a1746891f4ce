/**
 * The account entity's rules without a server: `AccountEntity` on a fake port that records
 * what it would ask of Temporal (reads of the triggers, run starts, signals to runs) and
 * whose clock the test moves.
 */
import { describe, expect, it } from 'vitest';
import { defaultCalendar } from '../../src/calendar/index.js';
import type { AccountData, AccountValue, ExprIr, TriggerIr } from '../../src/ir/types.js';
import { ACCOUNT_DATA_MAX_BYTES } from '../../src/ir/account-check.js';
import { TRIGGER_LOG_LIMIT, type StartOutcome } from '../../src/temporal/account-contract.js';
import type { ForwardedInput } from '../../src/temporal/account-contract.js';
import { AccountEntity, CONTEXT_MAX_AGE_MS, type EntityPort } from '../../src/temporal/account-entity.js';
import { ENTITY_MAX_EVENT_PAYLOAD_BYTES, MAX_PENDING_PAYLOAD_BYTES } from '../../src/temporal/event-limits.js';
import type { AccountFlush } from '../../src/temporal/activities/projection-options.js';
import type { LoadedTriggers } from '../../src/temporal/activities/trigger-options.js';
import { MAX_PENDING_ENTRIES } from '../../src/temporal/account-journal.js';
import type { AdmitRequest, ThrottleDroppedSignal } from '../../src/temporal/throttle-contract.js';
import { ThrottleGate } from '../../src/temporal/throttle-gate.js';

const DAY = 86_400_000;
const T0 = Date.parse('2026-03-02T12:00:00Z');
const lowHealth: ExprIr = { op: 'compare', cmp: '<', left: { op: 'field', field: 'health' }, right: { op: 'lit', type: 'number', value: 50 } };
const PLAYBOOKS: Record<string, TriggerIr[]> = {
  rescue: [{ kind: 'when', condition: lowHealth }],
  renewal: [{ kind: 'relative', offset: { amount: 30, unit: 'day' }, direction: 'before', field: 'renewal_date', where: null }],
  scorer: [{ kind: 'manual' }],
  onboarding: [{ kind: 'event', name: 'account.created', where: null }],
  detractor: [
    {
      kind: 'event',
      name: 'nps.responded',
      as: 'response',
      where: { op: 'compare', cmp: '<=', left: { op: 'eventField', event: 'response', path: ['score'] }, right: { op: 'lit', type: 'number', value: 6 } },
      unlessRunning: 'onboarding',
      atMostOncePer: { amount: 30, unit: 'day' },
    },
  ],
};

class FakePort implements EntityPort {
  /** Playbooks deployed besides `PLAYBOOKS`. */
  constructor(readonly extra: Record<string, TriggerIr[]> = {}) {}
  /** Whether the worker that reads the triggers has a store. */
  store = true;
  time = T0;
  generation = 1;
  reads: Array<number | undefined> = [];
  starts: string[] = [];
  /** What each start was bound to, in order. */
  startBindings: unknown[] = [];
  signals: Array<[string, ForwardedInput]> = [];
  /** Runs that have closed: signalling them fails. */
  closed = new Set<string>();
  /** Playbooks whose run is open: a start answers `alreadyOpen`. */
  open = new Set<string>();
  refuse = new Map<string, string>();
  /** Playbooks switched off (`playbook disable`), as the reads of the triggers report them. */
  disabled = new Map<string, { by: string; at: string }>();
  /** Runs that cannot be signalled though they run (a signal limit reached): failures left. */
  deaf = new Map<string, number>();
  /** Temporal's status of closed runs; a closed run not named here completed. */
  statuses = new Map<string, string>();
  /** What a started run's version accepts, by playbook. */
  accepts = new Map<string, { events: string[]; fields: string[] }>();
  sleeps: number[] = [];
  alerts: string[] = [];

  now = () => this.time;
  loadTriggers = async ({ minGeneration }: { minGeneration?: number }): Promise<LoadedTriggers> => {
    this.reads.push(minGeneration);
    return {
      ...(this.store && { projectToStore: true }),
      generation: Math.max(this.generation, minGeneration ?? 0),
      playbooks: Object.entries({ ...PLAYBOOKS, ...this.extra }).map(([playbook, triggers]) => ({
        playbook,
        version: 'v1',
        triggers,
        calendar: defaultCalendar,
        ...(this.disabled.has(playbook) && { disabled: this.disabled.get(playbook)! }),
        ...(this.throttled.has(playbook) && { throttle: this.throttled.get(playbook)! }),
      })),
    };
  };
  startRun = async ({ playbook, account, bindings }: { playbook: string; account: AccountData; bindings?: unknown }): Promise<StartOutcome> => {
    this.starts.push(playbook);
    this.startBindings.push(bindings);
    const workflowId = `playbook:${playbook}:${account.id}`;
    const reason = this.refuse.get(playbook);
    if (reason !== undefined) return { status: 'refused', reason };
    if (this.open.has(playbook)) return { status: 'alreadyOpen', workflowId };
    this.open.add(playbook);
    this.known.add(workflowId);
    const accepts = this.accepts.get(playbook);
    return { status: 'started', workflowId, version: 'v1', ...(accepts !== undefined && { accepts }) };
  };
  signalRun = async (workflowId: string, input: ForwardedInput): Promise<void> => {
    if (this.closed.has(workflowId)) throw new Error(`workflow ${workflowId} not found`);
    const deaf = this.deaf.get(workflowId) ?? 0;
    if (deaf > 0) {
      this.deaf.set(workflowId, deaf - 1);
      throw new Error('signal count limit exceeded');
    }
    this.signals.push([workflowId, input]);
  };
  /** Workflow ids the server knows: started here, or carried in by a test. */
  known = new Set<string>();
  runStatus = async (workflowId: string) => {
    if (this.closed.has(workflowId)) return this.statuses.get(workflowId) ?? 'COMPLETED';
    return this.known.has(workflowId) ? 'RUNNING' : null;
  };
  sleep = async (ms: number) => void this.sleeps.push(ms);
  alert = ({ message }: { message: string }) => void this.alerts.push(message);
  keepsUnreachableRuns = () => true;
  guards = true;
  honoursTriggerGuards = () => this.guards;
  boundsAccountData = () => true;
  journals = () => true;
  cadences = true;
  firesCadences = () => this.cadences;
  rereadsBeforeRefusing = () => true;
  /** `start at most N per day` by playbook, as the reads of the triggers report it. */
  throttled = new Map<string, { perDay: number; timezone: string }>();
  /** One real gate stands for the throttles of every playbook (the tests throttle one). */
  gate = new ThrottleGate('welcome');
  throttle = true;
  throttles = () => this.throttle;
  admitThrottled = async ({ request }: { request: AdmitRequest }) => this.gate.admit(request, this.time);
  /** Tickets handed back to the throttle. */
  handedBack: string[] = [];
  throttleDropped = async (_playbook: string, signal: ThrottleDroppedSignal) => {
    this.handedBack.push(signal.ticket);
    this.gate.dropped(signal, this.time);
  };
  /** What reached the store, flush by flush. */
  flushes: AccountFlush[] = [];
  storeDown = false;
  projectAccount = async (flush: AccountFlush): Promise<void> => {
    if (this.storeDown) throw new Error('store unreachable');
    this.flushes.push(flush);
  };
}

const never = () => false;
const dateIn = (days: number) => new Date(T0 + days * DAY).toISOString().slice(0, 10);

function entityWith(port = new FakePort()) {
  const entity = new AccountEntity('acme', port);
  const upsert = async (fields: Record<string, AccountValue>, sourceRun?: string) => {
    entity.upsert({ fields, by: 'test', ...(sourceRun !== undefined && { sourceRun }) });
    await entity.drain(never);
  };
  const event = async (name: string, payload?: Record<string, unknown>, eventId?: string) => {
    entity.event({ name, by: 'test', ...(payload !== undefined && { payload }), ...(eventId !== undefined && { eventId }) });
    await entity.drain(never);
  };
  const log = () => entity.state().triggerLog.map((r) => [r.playbook, r.kind, r.outcome]);
  return { entity, port, upsert, event, log };
}

describe('cadence triggers', () => {
  const qbr: TriggerIr[] = [{ kind: 'every', period: { amount: 1, unit: 'quarter' }, on: { kind: 'firstBusinessDay' }, where: null }];

  it('fire once for a quarter whose day passed unfired, then not again until the next quarter, across continue-as-new', async () => {
    // T0 is 2026-03-02: Q1's first business day (Jan 2) passed before the entity existed.
    const port = new FakePort({ qbr });
    const { entity, log } = entityWith(port);
    await entity.evaluateTriggers();
    await entity.evaluateTriggers();
    expect(log()).toEqual([['qbr', 'cadence', 'started']]);
    expect(entity.state().planned).toMatchObject([{ playbook: 'qbr', date: '2026-04-01', fireAt: '2026-04-01T00:00:00.000Z', cadence: true }]);
    port.open.delete('qbr');
    const carried = new AccountEntity('acme', port, entity.carry());
    port.time = Date.parse('2026-03-31T12:00:00Z');
    await carried.evaluateTriggers();
    expect(port.starts).toEqual(['qbr']);
    port.time = Date.parse('2026-04-01T00:00:00Z');
    await carried.evaluateTriggers();
    expect(port.starts).toEqual(['qbr', 'qbr']);
    expect(carried.carry().fired).toEqual(['qbr#0#every:2026-04-01']);
  });

  it('an entity down for two quarters fires once when it is back, not once per missed quarter', async () => {
    const port = new FakePort({ qbr });
    const { entity } = entityWith(port);
    await entity.evaluateTriggers();
    port.open.delete('qbr');
    port.time = Date.parse('2026-09-15T12:00:00Z');
    const back = new AccountEntity('acme', port, entity.carry());
    await back.evaluateTriggers();
    await back.evaluateTriggers();
    expect(port.starts).toEqual(['qbr', 'qbr']);
    expect(back.state().triggerLog.at(-1)).toMatchObject({ kind: 'cadence', detail: 'every quarter on first business day (2026-07-01)' });
  });

  it('are not planned in histories from before the patch', async () => {
    const port = new FakePort({ qbr });
    port.cadences = false;
    const { entity } = entityWith(port);
    await entity.evaluateTriggers();
    expect(port.starts).toEqual([]);
    expect(entity.state().planned).toEqual([]);
  });
});

describe('triggers that bind their event and have guards', () => {
  it('start the run with the event bound under its `as` name', async () => {
    const { event, port, log } = entityWith();
    await event('nps.responded', { score: 9 });
    await event('nps.responded', { score: 4, comment: 'slow' });
    expect(port.starts).toEqual(['detractor']);
    expect(port.startBindings).toEqual([{ response: { score: 4, comment: 'slow' } }]);
    expect(log()).toEqual([['detractor', 'event', 'started']]);
  });

  it('hold a firing back while the named playbook runs, then start once it has ended', async () => {
    const { event, port, entity, log } = entityWith();
    await event('account.created');
    await event('nps.responded', { score: 2 });
    expect(port.starts).toEqual(['onboarding']);
    expect(entity.state().triggerLog[1]).toMatchObject({ outcome: 'suppressed', error: 'unless running onboarding: its run playbook:onboarding:acme is open' });
    port.closed.add('playbook:onboarding:acme');
    await event('nps.responded', { score: 2 });
    expect(port.starts).toEqual(['onboarding', 'detractor']);
    expect(log().map((r) => r[2])).toEqual(['started', 'suppressed', 'started']);
  });

  it('hold a firing back within `at most once per` of the last start, and carry that start', async () => {
    const { entity, event, port } = entityWith();
    await event('nps.responded', { score: 1 });
    port.open.delete('detractor');
    port.time += 29 * DAY;
    await event('nps.responded', { score: 1 });
    expect(port.starts).toEqual(['detractor']);
    expect(entity.state().triggerLog[1]!.error).toBe(`at most once per 30 days: last started ${new Date(T0).toISOString()}`);
    const next = entityWith(new FakePort());
    const carried = new AccountEntity('acme', port, entity.carry());
    port.time += DAY;
    carried.event({ name: 'nps.responded', payload: { score: 1 }, by: 'test' });
    await carried.drain(never);
    expect(port.starts).toEqual(['detractor', 'detractor']);
    expect(next.entity.carry().lastStarts).toBeUndefined();
  });

  it('start as before in histories from before the patch', async () => {
    const port = new FakePort();
    port.guards = false;
    const { event } = entityWith(port);
    await event('account.created');
    await event('nps.responded', { score: 2 });
    expect(port.starts).toEqual(['onboarding', 'detractor']);
  });
});

describe('firings of a playbook with an enrollment throttle', () => {
  const welcome: TriggerIr[] = [{ kind: 'event', name: 'signed.up', as: 'signup', where: null }, { kind: 'manual' }];
  const throttled = () => {
    const port = new FakePort({ welcome });
    port.throttled.set('welcome', { perDay: 1, timezone: 'Europe/Berlin' });
    // Another account took the day's one place.
    port.gate.admit({ ticket: 'other#0', accountId: 'other', firedAt: new Date(T0).toISOString(), trigger: 'event', perDay: 1, timezone: 'Europe/Berlin' }, T0);
    return entityWith(port);
  };
  /** The next local midnight in Berlin, where the gate releases what it queued. */
  const nextDay = (port: FakePort) => {
    port.time = port.gate.nextWake(port.time)!;
    port.gate.roll(port.time);
    return port.gate.takeReleases();
  };
  const last = (entity: AccountEntity) => entity.state().triggerLog.at(-1);

  it('queue past N a day, are carried with their event, and start with it when released, noted as from the queue', async () => {
    const { entity, port, event } = throttled();
    await event('signed.up', { plan: 'pro' });
    expect(last(entity)).toMatchObject({ playbook: 'welcome', kind: 'event', outcome: 'queued', note: 'by the enrollment throttle (1 per day), position 1' });
    expect(port.starts).not.toContain('welcome');
    expect(port.gate.view(port.time).queue).toMatchObject([{ position: 1, accountId: 'acme', ticket: 'acme#0', trigger: 'event' }]);

    const next = new AccountEntity('acme', port, JSON.parse(JSON.stringify(entity.carry())));
    const [release] = nextDay(port);
    expect(release).toMatchObject({ ticket: 'acme#0', day: '2026-03-03' });
    next.throttleReleased({ playbook: 'welcome', ticket: release!.ticket, day: release!.day });
    await next.drain(never);
    expect(last(next)).toMatchObject({
      outcome: 'started',
      workflowId: 'playbook:welcome:acme',
      detail: 'event "signed.up"',
      note: `from the throttle queue (fired ${new Date(T0).toISOString()})`,
    });
    expect(port.startBindings.at(-1)).toEqual({ signup: { plan: 'pro' } });
    expect(next.carry().throttled).toBeUndefined();
  });

  it('drop a queued firing whose run opened meanwhile, with the reason, and hand its place back', async () => {
    const { entity, port, event } = throttled();
    await event('signed.up', { plan: 'pro' });
    // A manual start is neither held nor counted.
    expect(await entity.startManual({ playbook: 'welcome', by: 'api:ann' })).toMatchObject({ status: 'started' });
    expect(port.gate.view(port.time).startedToday).toBe(1);
    const [release] = nextDay(port);
    entity.throttleReleased({ playbook: 'welcome', ticket: release!.ticket, day: release!.day });
    await entity.drain(never);
    expect(last(entity)).toMatchObject({ outcome: 'dropped', error: 'its run playbook:welcome:acme is open' });
    expect(port.handedBack).toEqual(['acme#0']);
    expect(port.gate.view(port.time).startedToday).toBe(0);
  });

  it('drop a queued firing of a playbook undeployed or disabled by its turn', async () => {
    const { entity, port, event } = throttled();
    await event('signed.up', { plan: 'pro' });
    await event('signed.up', { plan: 'max' });
    port.disabled.set('welcome', { by: 'cli:ops', at: '2026-03-02T13:00:00.000Z' });
    entity.triggersChanged({ generation: 1, switched: true });
    const releases = nextDay(port);
    entity.throttleReleased({ playbook: 'welcome', ticket: releases[0]!.ticket, day: releases[0]!.day });
    await entity.drain(never);
    expect(last(entity)).toMatchObject({ outcome: 'dropped', error: 'playbook disabled (by cli:ops at 2026-03-02T13:00:00.000Z)' });
    // The place handed back goes to the next in the queue at once.
    const [second] = port.gate.takeReleases();
    expect(second).toMatchObject({ ticket: 'acme#1' });
    // Undeployed by the next turn: its entity reads triggers without it.
    const undeployed = new FakePort();
    const gone = new AccountEntity('acme', undeployed, JSON.parse(JSON.stringify(entity.carry())));
    gone.throttleReleased({ playbook: 'welcome', ticket: second!.ticket, day: second!.day });
    await gone.drain(never);
    expect(last(gone)).toMatchObject({ outcome: 'dropped', error: 'playbook welcome is not deployed' });
    expect([...port.starts, ...undeployed.starts]).not.toContain('welcome');
  });

  it('start at once without asking in histories from before the patch', async () => {
    const { entity, port, event } = throttled();
    port.throttle = false;
    await event('signed.up', { plan: 'pro' });
    expect(last(entity)).toMatchObject({ outcome: 'started' });
    expect(port.gate.view(port.time).queue).toEqual([]);
  });
});

describe('the account entity', () => {
  it('merges upserts into its data, keeping the id, and re-evaluates the triggers on each', async () => {
    const { entity, upsert, port } = entityWith();
    await upsert({ name: 'Acme', health: 80 });
    await upsert({ health: 70, id: 'other' });
    expect(entity.state().data).toEqual({ id: 'acme', name: 'Acme', health: 70 });
    expect(entity.state().generation).toBe(1);
    // One read of the triggers serves both: it is fresh for a day.
    expect(port.reads).toHaveLength(1);
  });

  it("drops an upsert that would take the account's data over its bound, across upserts, and alerts", async () => {
    const { entity, port } = entityWith();
    const text = (n: number) => 'x'.repeat(n);
    const upsert = async (fields: Record<string, AccountValue>, maxDataBytes?: number) => {
      entity.upsert({ fields, by: 'api:crm', ...(maxDataBytes !== undefined && { maxDataBytes }) });
      await entity.drain(never);
    };
    for (const name of ['a', 'b', 'c']) await upsert({ [name]: text(15_000) });
    expect(Object.keys(entity.state().data)).toEqual(['id', 'a', 'b', 'c']);
    await upsert({ d: text(15_000) }, 50_000);
    await upsert({ e: text(15_000) });
    expect(Object.keys(entity.state().data)).toEqual(['id', 'a', 'b', 'c', 'e']);
    expect(port.alerts).toEqual([
      "upsert by api:crm dropped: account: this update would make the account's data 60041 bytes as JSON; at most 50000 are accepted (api.maxAccountDataBytes)",
    ]);
    await upsert({ f: text(15_000) });
    expect(port.alerts[1]).toBe(
      `upsert by api:crm dropped: account: this update would make the account's data 75048 bytes as JSON; at most ${ACCOUNT_DATA_MAX_BYTES} are accepted (the account entity's limit)`,
    );
    // A smaller value for a field it holds is always taken.
    await upsert({ a: 'short' });
    expect(entity.state().data.a).toBe('short');
  });

  it('forwards updates and events to its open runs, but not an update back to the run that made it', async () => {
    const { entity, upsert, event, port } = entityWith();
    await upsert({ health: 40 });
    const rescue = 'playbook:rescue:acme';
    expect(entity.state().openRuns).toEqual([rescue]);
    await upsert({ name: 'Acme' });
    await upsert({ score: 3 }, rescue);
    await event('kickoff.held', { attendees: 'Dana' });
    await event('ping');
    expect(port.signals).toEqual([
      [rescue, { kind: 'account', fields: { name: 'Acme' } }],
      [rescue, { kind: 'event', name: 'kickoff.held', payload: { attendees: 'Dana' } }],
      [rescue, { kind: 'event', name: 'ping' }],
    ]);
  });

  it('drops a run that completed from its open runs, quietly', async () => {
    const { entity, upsert, event, port } = entityWith();
    await upsert({ health: 40 });
    port.closed.add('playbook:rescue:acme');
    await event('ping');
    expect(entity.state()).toMatchObject({ openRuns: [], endedRuns: [], alerts: [] });
  });

  it('records a run that was terminated as ended with its status, and alerts', async () => {
    const { entity, upsert, event, port } = entityWith();
    await upsert({ health: 40 });
    port.closed.add('playbook:rescue:acme');
    port.statuses.set('playbook:rescue:acme', 'TERMINATED');
    await event('ping');
    expect(entity.state().openRuns).toEqual([]);
    expect(entity.state().endedRuns).toEqual([{ workflowId: 'playbook:rescue:acme', status: 'TERMINATED', at: new Date(T0).toISOString() }]);
    expect(port.alerts).toEqual(['run playbook:rescue:acme ended (terminated) while open']);
  });

  it('keeps a running run that a signal cannot reach: retries with backoff, alerts, and delivers later', async () => {
    const { entity, upsert, event, port } = entityWith();
    await upsert({ health: 40 });
    const rescue = 'playbook:rescue:acme';
    // The first attempt and both retries fail.
    port.deaf.set(rescue, 3);
    await event('ping', { n: 1 });
    expect(port.sleeps).toEqual([1_000, 4_000]);
    expect(entity.state().openRuns).toEqual([rescue]);
    expect(entity.state().alerts).toMatchObject([
      { workflowId: rescue, message: expect.stringContaining('event "ping" did not reach run playbook:rescue:acme: signal count limit exceeded') },
    ]);
    expect(port.alerts).toHaveLength(1);
    // Already failing: one try per input, no more waiting; then it recovers.
    port.deaf.set(rescue, 1);
    await event('ping', { n: 2 });
    expect(port.sleeps).toHaveLength(2);
    await event('ping', { n: 3 });
    expect(port.signals.filter(([id]) => id === rescue).map(([, s]) => (s.kind === 'event' ? s.payload : null))).toEqual([{ n: 3 }]);
    expect(entity.carry().unreachable).toEqual([]);
  });

  it('forwards to a run only the events its version accepts and the fields it declares', async () => {
    const port = new FakePort();
    port.accepts.set('rescue', { events: ['rescue.done'], fields: ['health'] });
    const { upsert, event } = entityWith(port);
    await upsert({ health: 40 });
    await event('ping');
    await event('rescue.done');
    await upsert({ name: 'Acme' });
    await upsert({ name: 'Acme Inc', health: 20 });
    expect(port.signals).toEqual([
      ['playbook:rescue:acme', { kind: 'event', name: 'rescue.done' }],
      ['playbook:rescue:acme', { kind: 'account', fields: { health: 20 } }],
    ]);
  });

  it('refuses an event update that is too large, or while its queue is full', () => {
    const entity = new AccountEntity('acme', new FakePort(), undefined, 2);
    const big = { blob: 'x'.repeat(ENTITY_MAX_EVENT_PAYLOAD_BYTES) };
    expect(entity.eventRefusal({ name: 'big', by: 'test', payload: big })).toMatchObject({
      type: 'EventTooLarge',
      message: expect.stringContaining(`at most ${ENTITY_MAX_EVENT_PAYLOAD_BYTES} are accepted`),
    });
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 40; i++) deep = { deep };
    expect(entity.eventRefusal({ name: 'deep', by: 'test', payload: deep })).toMatchObject({ type: 'EventTooLarge' });
    entity.event({ name: 'a', by: 'test' });
    expect(entity.eventRefusal({ name: 'b', by: 'test' })).toBeNull();
    entity.event({ name: 'b', by: 'test' });
    expect(entity.eventRefusal({ name: 'c', by: 'test' })).toEqual({ type: 'AccountBusy', message: 'account acme has 2 inputs waiting; try again shortly' });
  });

  it('refuses by bytes too: the waiting payloads stay under MAX_PENDING_PAYLOAD_BYTES', async () => {
    const entity = new AccountEntity('acme', new FakePort());
    const payload = { blob: 'x'.repeat(200 * 1024) };
    entity.event({ name: 'a', by: 'test', payload });
    entity.event({ name: 'b', by: 'test', payload });
    expect(entity.eventRefusal({ name: 'c', by: 'test', payload })).toMatchObject({ type: 'AccountBusy' });
    await entity.drain(never);
    expect(entity.eventRefusal({ name: 'c', by: 'test', payload })).toBeNull();
    expect(JSON.stringify(entity.carry()).length).toBeLessThan(MAX_PENDING_PAYLOAD_BYTES);
  });

  it('drops an oversized event that came as a signal (which cannot be refused), with an alert', () => {
    const port = new FakePort();
    const entity = new AccountEntity('acme', port);
    entity.event({ name: 'big', by: 'test', payload: { blob: 'x'.repeat(ENTITY_MAX_EVENT_PAYLOAD_BYTES) } });
    expect(entity.hasPending()).toBe(false);
    expect(port.alerts).toEqual([expect.stringContaining('event "big" dropped: the event payload is')]);
  });

  it('ignores an event id it has seen', async () => {
    const { upsert, event, port } = entityWith();
    await upsert({ health: 40 });
    await event('ping', { n: 1 }, 'e1');
    await event('ping', { n: 2 }, 'e1');
    await event('ping', { n: 3 }, 'e2');
    expect(port.signals.map(([, s]) => (s.kind === 'event' ? s.payload : null))).toEqual([{ n: 1 }, { n: 3 }]);
  });

  it('starts playbooks on a matching event, and records a second firing while the run is open as alreadyOpen', async () => {
    const { event, log } = entityWith();
    await event('account.created');
    await event('account.created');
    await event('account.updated');
    expect(log()).toEqual([
      ['onboarding', 'event', 'started'],
      ['onboarding', 'event', 'alreadyOpen'],
    ]);
  });

  it('fires a `when` trigger on its edge only: not while it holds, again after it was false', async () => {
    const { entity, upsert, log } = entityWith();
    await upsert({ health: 80 });
    expect(log()).toEqual([]);
    await upsert({ health: 40 });
    await upsert({ health: 30 });
    expect(log()).toEqual([['rescue', 'when', 'started']]);
    expect(entity.state().conditions).toMatchObject({ 'rescue#0': true });
    await upsert({ health: 90 });
    expect(entity.state().conditions).toMatchObject({ 'rescue#0': false });
    await upsert({ health: 45 });
    expect(log()).toEqual([
      ['rescue', 'when', 'started'],
      ['rescue', 'when', 'alreadyOpen'],
    ]);
  });

  it('plans a date trigger, wakes for it, fires it once and never again for the same date', async () => {
    const { entity, upsert, log, port } = entityWith();
    await upsert({ renewal_date: dateIn(40) });
    const [plan] = entity.state().planned;
    expect(plan).toMatchObject({ playbook: 'renewal', field: 'renewal_date', date: dateIn(40) });
    const fireAt = Date.parse(plan!.fireAt);
    expect(fireAt).toBe(Date.parse(`${dateIn(10)}T00:00:00Z`));
    expect(entity.nextWake()).toBeLessThanOrEqual(fireAt);
    port.time = fireAt;
    await entity.evaluateTriggers();
    expect(log()).toEqual([['renewal', 'date', 'started']]);
    expect(entity.state().triggerLog[0]!.detail).toBe(`30 days before account.renewal_date (${dateIn(40)})`);
    expect(entity.state().planned).toEqual([]);
    port.open.clear();
    await upsert({ name: 'Acme' });
    expect(log()).toHaveLength(1);
    // A new date is a new firing.
    await upsert({ renewal_date: dateIn(35) });
    expect(log()).toEqual([
      ['renewal', 'date', 'started'],
      ['renewal', 'date', 'started'],
    ]);
  });

  it('wakes at least daily to re-read the triggers', async () => {
    const { entity, upsert, port } = entityWith();
    expect(entity.nextWake()).toBeNull();
    await upsert({ name: 'Acme' });
    expect(entity.nextWake()).toBeLessThanOrEqual(T0 + CONTEXT_MAX_AGE_MS);
    port.time = T0 + CONTEXT_MAX_AGE_MS;
    await entity.evaluateTriggers();
    expect(port.reads).toHaveLength(2);
  });

  it('re-reads the triggers on a newer deploy, at least that generation, and ignores an older notice', async () => {
    const { entity, upsert, port } = entityWith();
    await upsert({ name: 'Acme' });
    entity.triggersChanged({ generation: 1 });
    await entity.drain(never);
    expect(port.reads).toEqual([undefined]);
    entity.triggersChanged({ generation: 3 });
    await entity.drain(never);
    expect(port.reads).toEqual([undefined, 3]);
    expect(entity.state().generation).toBe(3);
  });

  it('on a switch notice re-reads the triggers at once, whatever their generation, and starts no run of a disabled playbook', async () => {
    const { entity, upsert, event, port, log } = entityWith();
    await upsert({ name: 'Acme' });
    expect(entity.manualRefusalNow('scorer')).toBeNull();
    port.disabled.set('onboarding', { by: 'cli:ann', at: '2026-03-02T11:00:00.000Z' });
    port.disabled.set('scorer', { by: 'cli:ann', at: '2026-03-02T11:00:00.000Z' });
    entity.triggersChanged({ generation: 1, switched: true });
    // Before the queue is applied the triggers held are stale already: a manual start re-reads them.
    const reason = 'playbook disabled (by cli:ann at 2026-03-02T11:00:00.000Z)';
    expect(await entity.startManual({ playbook: 'scorer', by: 'api:alice' })).toEqual({ status: 'refused', reason });
    expect(port.reads).toEqual([undefined, 1]);
    await entity.drain(never);
    expect(entity.manualRefusalNow('scorer')).toBe(reason);
    await event('account.created');
    expect(port.starts).toEqual([]);
    expect(log()).toEqual([['onboarding', 'event', 'refused']]);
    expect(entity.state().triggerLog[0]!.error).toBe(reason);

    port.disabled.clear();
    entity.triggersChanged({ generation: 1, switched: true });
    await entity.drain(never);
    // The refused firing read them once more before refusing, then the notice.
    expect(port.reads).toEqual([undefined, 1, 1, 1]);
    await event('account.created');
    expect(port.starts).toEqual(['onboarding']);
    expect(await entity.startManual({ playbook: 'scorer', by: 'api:alice' })).toMatchObject({ status: 'started' });
  });

  it('starts a playbook enabled again whose notice it missed: a firing the held triggers would refuse re-reads them first', async () => {
    const { entity, upsert, event, port, log } = entityWith();
    port.disabled.set('onboarding', { by: 'cli:ann', at: '2026-03-02T11:00:00.000Z' });
    await upsert({ name: 'Acme' });
    await entity.drain(never);
    // Enabled with no notice reaching this entity (visibility did not list it yet).
    port.disabled.clear();
    await event('account.created');
    expect(port.starts).toEqual(['onboarding']);
    expect(log()).toEqual([['onboarding', 'event', 'started']]);
  });

  it('records a start the activity refused for a playbook disabled since the triggers were read as refused', async () => {
    const { event, port, log } = entityWith();
    port.refuse.set('onboarding', 'playbook disabled (by cli:ann at 2026-03-02T11:00:00.000Z)');
    await event('account.created');
    expect(log()).toEqual([['onboarding', 'event', 'refused']]);
  });

  it('refuses manual starts of playbooks not deployed or without `trigger manual`, and records allowed ones', async () => {
    const { entity, log } = entityWith();
    // Before the first read the validator cannot decide: the handler does.
    expect(entity.manualRefusalNow('nope')).toBeNull();
    expect(await entity.startManual({ playbook: 'nope', by: 'api:alice' })).toEqual({ status: 'refused', reason: 'playbook nope is not deployed' });
    expect(entity.manualRefusalNow('nope')).toBe('playbook nope is not deployed');
    expect(entity.manualRefusalNow('rescue')).toBe('playbook rescue has no `trigger manual`: it starts by its own triggers');
    expect(entity.manualRefusalNow('scorer')).toBeNull();
    expect(await entity.startManual({ playbook: 'scorer', by: 'api:alice' })).toEqual({ status: 'started', workflowId: 'playbook:scorer:acme', version: 'v1' });
    expect(log()).toEqual([['scorer', 'manual', 'started']]);
    expect(entity.state().triggerLog[0]).toMatchObject({
      detail: 'manual by api:alice',
      workflowId: 'playbook:scorer:acme',
      version: 'v1',
      at: new Date(T0).toISOString(),
    });
  });

  it('refuses a manual start of a playbook with parameters (deployed without any trigger): only a caller has their values', async () => {
    const { entity } = entityWith(new FakePort({ 'follow-up': [] }));
    const reason = 'playbook follow-up has parameters: it runs only from another playbook, with `run playbook follow-up with …`';
    expect(await entity.startManual({ playbook: 'follow-up', by: 'api:alice' })).toEqual({ status: 'refused', reason });
    expect(entity.manualRefusalNow('follow-up')).toBe(reason);
  });

  it('records a start the activity refused as failed, with the reason, and keeps no open run for it', async () => {
    const { entity, port, upsert } = entityWith();
    port.refuse.set('rescue', 'account data does not fit rescue');
    await upsert({ health: 10 });
    expect(entity.state().triggerLog).toMatchObject([{ playbook: 'rescue', outcome: 'failed', error: 'account data does not fit rescue' }]);
    expect(entity.state().openRuns).toEqual([]);
  });

  it('keeps the last TRIGGER_LOG_LIMIT firings', async () => {
    const { entity, event } = entityWith();
    for (let i = 0; i < TRIGGER_LOG_LIMIT + 5; i++) await event('account.created');
    expect(entity.state().triggerLog).toHaveLength(TRIGGER_LOG_LIMIT);
  });

  it('stops draining where told, after at least one input, and carries the rest with its state', async () => {
    const { entity, port, upsert } = entityWith();
    await upsert({ health: 40, renewal_date: dateIn(20) });
    entity.event({ name: 'ping', by: 'test', eventId: 'e1' });
    entity.upsert({ fields: { name: 'Later' }, by: 'test' });
    await entity.drain(() => true);
    expect(entity.hasPending()).toBe(true);
    const carry = JSON.parse(JSON.stringify(entity.carry())) as ReturnType<AccountEntity['carry']>;
    expect(carry).toMatchObject({
      data: { id: 'acme', health: 40 },
      openRuns: ['playbook:rescue:acme', 'playbook:renewal:acme'],
      conditions: { 'rescue#0': true },
      fired: [`renewal#0#${dateIn(20)}`],
      seenEventIds: ['e1'],
      pending: [{ kind: 'upsert', signal: { fields: { name: 'Later' } } }],
    });
    expect(carry.triggerLog).toHaveLength(2);

    // The next execution goes on from the carry: the pending update, no second firing.
    const next = new AccountEntity('acme', port, carry);
    await next.drain(never);
    await next.evaluateTriggers();
    expect(next.state().data).toMatchObject({ name: 'Later', health: 40 });
    expect(next.state().triggerLog).toHaveLength(2);
    next.event({ name: 'ping', by: 'test', eventId: 'e1' });
    const before = port.signals.length;
    await next.drain(never);
    expect(port.signals).toHaveLength(before);
  });
});

describe("the account entity's journal to the store", () => {
  /** Lets a flush started by `settleStore` land (it is not awaited by the entity). */
  const landed = () => new Promise((r) => setTimeout(r, 0));

  it('keeps upserts, events with the runs they reached and the triggers they fired, and refused starts, in order, in one flush', async () => {
    const { entity, upsert, event, port } = entityWith();
    await upsert({ health: 40 });
    port.time += 60_000;
    await event('account.created', { plan: 'pro' }, 'e-1');
    await event('account.created', { plan: 'pro' }, 'e-1');
    expect(await entity.startManual({ playbook: 'nope', by: 'ann' })).toMatchObject({ status: 'refused' });
    entity.settleStore();
    await landed();
    const at0 = new Date(T0).toISOString();
    const at1 = new Date(T0 + 60_000).toISOString();
    expect(port.flushes).toHaveLength(1);
    expect(port.flushes[0]).toEqual({
      accountId: 'acme',
      data: { id: 'acme', health: 40 },
      from: 0,
      entries: [
        { kind: 'upsert', at: at0, by: 'test', fields: { health: 40 } },
        {
          kind: 'trigger',
          at: at0,
          playbook: 'rescue',
          trigger: 'when',
          detail: expect.any(String),
          outcome: 'started',
          workflowId: 'playbook:rescue:acme',
          version: 'v1',
        },
        {
          kind: 'event',
          at: at1,
          name: 'account.created',
          by: 'test',
          eventId: 'e-1',
          payload: { plan: 'pro' },
          outcome: 'applied',
          reached: ['playbook:rescue:acme'],
        },
        {
          kind: 'trigger',
          at: at1,
          playbook: 'onboarding',
          trigger: 'event',
          detail: expect.any(String),
          outcome: 'started',
          workflowId: 'playbook:onboarding:acme',
          version: 'v1',
          event: 2,
        },
        { kind: 'event', at: at1, name: 'account.created', by: 'test', eventId: 'e-1', outcome: 'duplicate', reached: [] },
        { kind: 'trigger', at: at1, playbook: 'nope', trigger: 'manual', detail: 'manual by ann', outcome: 'refused', error: 'playbook nope is not deployed' },
      ],
    });
    // Stored: the next flush carries only what came after.
    await upsert({ name: 'Acme' });
    entity.settleStore();
    await landed();
    expect(port.flushes[1]).toMatchObject({ from: 6, entries: [{ kind: 'upsert', fields: { name: 'Acme' } }], data: { name: 'Acme', health: 40 } });
  });

  it('keeps entries while the store is down and sends them all once it is back, also after continue-as-new', async () => {
    const { entity, upsert, port } = entityWith();
    port.storeDown = true;
    await upsert({ name: 'Acme' });
    entity.settleStore();
    await landed();
    await upsert({ health: 90 });
    entity.settleStore();
    await landed();
    expect(port.flushes).toEqual([]);
    const next = new AccountEntity('acme', port, entity.carry());
    port.storeDown = false;
    next.settleStore();
    await landed();
    expect(port.flushes.map((f) => [f.from, f.entries.map((e) => e.kind)])).toEqual([[0, ['upsert', 'upsert']]]);
    expect(next.carry().journal).toEqual({ next: 2, pending: [], store: true });
  });

  it('keeps nothing when its worker has no store', async () => {
    const port = new FakePort();
    port.store = false;
    const { entity, upsert, event } = entityWith(port);
    await upsert({ health: 40 });
    await event('ping');
    entity.settleStore();
    await landed();
    expect(port.flushes).toEqual([]);
    expect(entity.carry().journal?.pending).toEqual([]);
  });

  it('keeps nothing in histories from before the journal', async () => {
    const port = new FakePort();
    port.journals = () => false;
    const { entity, upsert } = entityWith(port);
    await upsert({ health: 40 });
    entity.settleStore();
    await landed();
    expect(port.flushes).toEqual([]);
  });

  it('bounds what waits for a store that stays down, dropping the oldest with an alert', async () => {
    const { entity, upsert, event, port } = entityWith();
    await upsert({ name: 'Acme' });
    port.storeDown = true;
    for (let i = 0; i < MAX_PENDING_ENTRIES + 10; i++) await event('ping', { i });
    const { journal } = entity.carry();
    expect(journal?.pending).toHaveLength(MAX_PENDING_ENTRIES);
    expect(journal?.next).toBe(MAX_PENDING_ENTRIES + 11);
    expect(port.alerts.some((a) => a.includes('older entries for it were dropped unstored'))).toBe(true);
    port.storeDown = false;
    entity.settleStore();
    await landed();
    expect(port.flushes.at(-1)).toMatchObject({ from: 11 });
  });
});
