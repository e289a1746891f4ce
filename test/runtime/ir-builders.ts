/**
 * Small builders for hand-written IR in tests. A step's id is its line number, so ids are
 * unique as long as each test gives each step its own line.
 */
import type { ResolvedCalendar } from '../../src/calendar/index.js';
import type { AccountData, DurationIr, DurationUnit, ExprIr, IrProgram, PlaybookIr, RecipientIr, StepIr, TextIr } from '../../src/ir/types.js';
import type { SimInput, SimulateOptions, When } from '../../src/simulate/simulate.js';

type StepBody<K extends StepIr['kind']> = Omit<Extract<StepIr, { kind: K }>, 'id' | 'line' | 'kind'>;

export function step<K extends StepIr['kind']>(line: number, kind: K, body: StepBody<K>): StepIr {
  return { id: String(line), line, kind, ...body } as unknown as StepIr;
}

export const dur = (amount: number, unit: DurationUnit): DurationIr => ({ amount, unit });
export const after = (amount: number, unit: DurationUnit): When => ({ offset: dur(amount, unit) });
export const at = (iso: string): When => ({ instant: Date.parse(iso) });

export const field = (name: string): ExprIr => ({ op: 'field', field: name });
export const text = (value: string): ExprIr => ({ op: 'lit', type: 'text', value });
export const num = (value: number): ExprIr => ({ op: 'lit', type: 'number', value });
export const yes: ExprIr = { op: 'lit', type: 'yes/no', value: true };
export const eq = (left: ExprIr, right: ExprIr): ExprIr => ({ op: 'compare', cmp: '=', left, right });
export const gt = (left: ExprIr, right: ExprIr): ExprIr => ({ op: 'compare', cmp: '>', left, right });
export const answer = (task: string, ask: string): ExprIr => ({ op: 'answer', task, ask });
export const eventField = (event: string, ...path: string[]): ExprIr => ({ op: 'eventField', event, path });

export const to = (address: string): RecipientIr => ({ kind: 'address', address });
export const toField = (name: string): RecipientIr => ({ kind: 'field', field: name });

export const note = (line: number, t: TextIr | string) => step(line, 'note', { text: typeof t === 'string' ? [t] : t });
export const notify = (line: number, recipient: RecipientIr, t: string) => step(line, 'notify', { to: recipient, text: [t] });
export const escalate = (line: number, recipient: RecipientIr, t: string) => step(line, 'escalate', { to: recipient, severity: 'medium', text: [t] });
export const email = (line: number, recipient: RecipientIr, template: string) => step(line, 'email', { to: recipient, template });
export const wait = (line: number, d: DurationIr) => step(line, 'wait', { duration: d });
export const stop = (line: number, outcome: string | null = null) => step(line, 'stop', { outcome });
export const set = (line: number, name: string, value: ExprIr) => step(line, 'set', { field: name, value });
export const stage = (line: number, id: string, body: StepIr[]) => step(line, 'stage', { stage: id, title: null, body });
export const runPlaybook = (line: number, playbook: string) => step(line, 'runPlaybook', { playbook });
export const webhook = (line: number, endpoint: string, fields: Array<{ name: string; value: ExprIr }>) => step(line, 'webhook', { endpoint, fields });
export const task = (line: number, name: string, asks: StepBody<'task'>['asks'] = [], due: DurationIr | null = null) =>
  step(line, 'task', { task: name, title: [`Task ${name}`], assignee: to('csm@example.com'), due, asks });
export const ifElse = (line: number, condition: ExprIr, then: StepIr[], otherwise: StepIr[] | null) =>
  step(line, 'if', { branches: [{ condition, line, body: then }], else: otherwise });
export const repeat = (line: number, every: DurationIr, body: StepIr[], opts: { atMost?: number; until?: ExprIr } = {}) =>
  step(line, 'repeat', { every, atMost: opts.atMost ?? null, until: opts.until ?? null, body });
export const waitForEvent = (
  line: number,
  name: string,
  opts: { as?: string; where?: ExprIr; upTo?: DurationIr; rungs?: Array<{ after: DurationIr; body: StepIr[] }>; onTimeout?: StepIr[] } = {},
) =>
  step(line, 'waitFor', {
    target: { kind: 'event', name, as: opts.as ?? null, ...(opts.where && { where: opts.where }) },
    upTo: opts.upTo ?? null,
    rungs: (opts.rungs ?? []).map((r) => ({ ...r, line })),
    onTimeout: opts.onTimeout ?? null,
  });
export const waitForTask = (line: number, name: string, upTo: DurationIr | null = null) =>
  step(line, 'waitFor', { target: { kind: 'task', task: name }, upTo, rungs: [], onTimeout: null });
export const waitForCondition = (line: number, condition: ExprIr, upTo: DurationIr | null = null) =>
  step(line, 'waitFor', { target: { kind: 'condition', condition }, upTo, rungs: [], onTimeout: null });

/** New York business calendar with Martin Luther King Day 2026 as a holiday. */
export const usBusiness: ResolvedCalendar = {
  id: 'us',
  timezone: 'America/New_York',
  workingDays: [1, 2, 3, 4, 5],
  workingHours: { from: '09:00', to: '17:00' },
  holidays: ['2026-01-19'],
};

export function playbook(id: string, body: StepIr[], header: Partial<PlaybookIr> = {}): PlaybookIr {
  return {
    id,
    title: null,
    file: `${id}.playbook`,
    line: 1,
    owner: 'cs-ops@example.com',
    description: null,
    triggers: [{ kind: 'manual' }],
    calendar: 'us',
    sendWindow: null,
    exitWhen: [],
    body,
    ...header,
  };
}

export function program(entry: PlaybookIr, ...children: PlaybookIr[]): IrProgram {
  return {
    irVersion: 1,
    entry: entry.id,
    playbooks: Object.fromEntries([entry, ...children].map((p) => [p.id, p])),
    calendars: {
      us: {
        id: 'us',
        title: null,
        timezone: [{ zone: 'America/New_York' }],
        workingDays: [1, 2, 3, 4, 5],
        workingHours: { from: '09:00', to: '17:00' },
        holidayCountries: [],
        holidays: [{ date: '2026-01-19', name: null }],
      },
    },
    fields: {
      name: { type: 'text' },
      csm: { type: 'user' },
      primary_contact: { type: 'contact' },
      status: { type: 'one of', values: ['active', 'churned'] },
      health: { type: 'number' },
    },
    templates: {
      welcome: { subject: ['Welcome, ', field('name')], body: ['Hello from us.'] },
    },
  };
}

export const account: AccountData = {
  id: 'acme',
  name: 'Acme',
  csm: 'csm@example.com',
  primary_contact: 'pat@acme.example',
  status: 'active',
  health: 40,
};

/** Monday 2026-01-05 09:00 in New York. */
export const MONDAY_9AM = Date.parse('2026-01-05T14:00:00Z');

export function options(prog: IrProgram, inputs: SimInput[] = [], extra: Partial<SimulateOptions> = {}): SimulateOptions {
  return { program: prog, account, calendars: { us: usBusiness }, start: MONDAY_9AM, inputs, ...extra };
}
