/**
 * The contact policy with the v2 email form: each `to` contact's message gets its own decision,
 * keyed by that message's own key, and `ignoring contact policy` lets every message through.
 */
import { describe, expect, it } from 'vitest';
import { checkWorkspace } from '../../src/check/check.js';
import { resolveProgramCalendars } from '../../src/calendar/resolve.js';
import { lowerPlaybook } from '../../src/ir/lower.js';
import type { AccountData } from '../../src/ir/types.js';
import type { Action } from '../../src/runtime/effects.js';
import { simulateAll } from '../../src/simulate/simulate.js';
import { buildWorkspace } from '../../src/workspace/build.js';

const START = Date.parse('2026-03-02T14:00:00Z');
const ACCOUNT: AccountData = { id: 'acme', primary_contact: 'pat@acme.example', stakeholders: ['pat@acme.example', 'kim@acme.example'], csm: 'sam@us.example' };

function program(ignoring: boolean, whenCapped: 'skip' | 'defer' = 'skip') {
  const source = `account fields
  primary_contact: contact
  stakeholders: list of contact
  csm: user

contact policy
  at most 1 emails per contact per 1 week
  when capped ${whenCapped}

playbook welcome "Welcome"
  trigger manual
  email account.primary_contact template "hello"
  email account.stakeholders cc account.csm template "hello"${ignoring ? ' ignoring contact policy' : ''}
`;
  const ws = buildWorkspace(
    'ws',
    [{ path: 'ws/main.playbook', relPath: 'main.playbook', text: source }],
    [{ path: 'ws/templates/hello.md', relPath: 'templates/hello.md', text: 'Subject: Hello\n\nHello.\n' }],
  );
  const { diagnostics, model } = checkWorkspace(ws);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((d) => d.message).join('; '));
  return lowerPlaybook(model, 'welcome');
}

async function simulate(ignoring: boolean, whenCapped: 'skip' | 'defer' = 'skip', hop?: { due(now: number): boolean; begin(now: number): void }) {
  const ir = program(ignoring, whenCapped);
  const actions: Action[] = [];
  const [result] = await simulateAll([
    {
      program: ir,
      account: ACCOUNT,
      calendars: resolveProgramCalendars(ir, ACCOUNT, START),
      start: START,
      inputs: [],
      ...(hop && { continueAsNewWhileBlocked: hop }),
      performAction: (a) => {
        actions.push(a);
        return { ok: true };
      },
    },
  ]);
  const timeline = result!.timeline
    .filter((e) => e.kind === 'email' || e.kind === 'suppressed')
    .map((e) => `${e.at} ${e.kind} ${e.to}${e.kind === 'suppressed' ? `: ${e.text}` : ''}`);
  return { timeline, actions };
}

describe('contact policy per recipient message (v2 email)', () => {
  it('decides each `to` contact alone: the capped one is skipped, the other sent', async () => {
    const { timeline, actions } = await simulate(false);
    expect(timeline).toEqual([
      '2026-03-02T14:00:00.000Z email pat@acme.example',
      '2026-03-02T14:00:00.000Z suppressed pat@acme.example: contact policy: at most 1 email per contact per 7 days',
      '2026-03-02T14:00:00.000Z email kim@acme.example',
    ]);
    // Each message has its own key; pat's second one, skipped, was never sent.
    expect(actions.map((a) => `${a.kind} ${a.key}`)).toEqual(['email 0#1', 'email 1#1/kim@acme.example']);
  });

  it('sends every message with `ignoring contact policy`', async () => {
    const { timeline } = await simulate(true);
    expect(timeline.map((e) => e.slice(25))).toEqual(['email pat@acme.example', 'email pat@acme.example', 'email kim@acme.example']);
  });

  it('defers the capped message alone, and a run continued as new in the deferral keeps its keys and the contacts after it', async () => {
    const plain = await simulate(false, 'defer');
    expect(plain.timeline).toEqual([
      '2026-03-02T14:00:00.000Z email pat@acme.example',
      '2026-03-09T00:00:00.000Z email pat@acme.example',
      '2026-03-09T00:00:00.000Z email kim@acme.example',
    ]);
    expect(plain.actions.map((a) => a.key)).toEqual(['0#1', '1#1/pat@acme.example', '1#1/kim@acme.example']);
    let hops = 0;
    // Continued as new at the first blocking point after the first email: the deferral of pat's second.
    const hopped = await simulate(false, 'defer', { due: () => hops === 0, begin: () => void hops++ });
    expect(hops).toBeGreaterThan(0);
    expect(hopped.timeline).toEqual(plain.timeline);
    expect(hopped.actions.map((a) => a.key)).toEqual(plain.actions.map((a) => a.key));
  });
});
