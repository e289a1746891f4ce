/**
 * The contact policy with the v2 email form: each `to` contact's message gets its own decision,
 * keyed by that message's own key, and `ignoring contact policy` lets every message through.
 */
import { describe, expect, it } from 'vitest';
import { resolveProgramCalendars } from '../../src/calendar/resolve.js';
import type { Action } from '../../src/runtime/effects.js';
import { simulateAll } from '../../src/simulate/simulate.js';
import { PARTIES_ACCOUNT as ACCOUNT, partiesProgram, START } from './contact-policy-fixture.js';

async function simulate(ignoring: boolean, whenCapped: 'skip' | 'defer' = 'skip', hop?: { due(now: number): boolean; begin(now: number): void }) {
  const ir = partiesProgram(whenCapped, ignoring);
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
