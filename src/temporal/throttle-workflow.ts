/**
 * The enrollment throttle's gate workflow (`throttle:<playbookId>`, see throttle-contract.ts):
 * wires the `ThrottleGate` (throttle-gate.ts) to its update, signal and query, sleeps until
 * the next local midnight while firings wait, signals each release to its account entity, and
 * continues as new with the gate's carry. The `admit` handler decides at once (it never
 * waits), so every firing is counted or queued exactly once, in the order the asks arrive,
 * and a replay decides the same. A release its entity cannot take (the entity ended) is handed
 * back, so the next in the queue gets its place.
 */
import { allHandlersFinished, condition, getExternalWorkflowHandle, makeContinueAsNewFunc, setHandler } from '@temporalio/workflow';
import { accountWorkflowId, throttleReleasedSignal } from './account-contract.js';
import { continueAsNewDue } from './continue-as-new.js';
import { admitUpdate, throttleDroppedSignal, throttleViewQuery, type ThrottleWorkflowInput } from './throttle-contract.js';
import { ThrottleGate } from './throttle-gate.js';

export async function enrollmentThrottle(input: ThrottleWorkflowInput): Promise<void> {
  const { playbook, continueAsNewAfterEvents } = input;
  const gate = new ThrottleGate(playbook, input.carried);
  let signals = 0;
  const due = () => continueAsNewDue(continueAsNewAfterEvents, { received: signals, carryBytes: 0 });

  setHandler(admitUpdate, (request) => gate.admit(request, Date.now()), {
    validator: ({ ticket, accountId, perDay, timezone }) => {
      if (typeof ticket !== 'string' || typeof accountId !== 'string' || typeof timezone !== 'string' || !Number.isInteger(perDay) || perDay < 1) {
        throw new Error('an admit request needs a ticket, an account id, a time zone and a whole perDay of at least 1');
      }
    },
  });
  setHandler(throttleDroppedSignal, (signal) => {
    signals++;
    gate.dropped(signal, Date.now());
  });
  setHandler(throttleViewQuery, () => gate.view(Date.now()));

  for (;;) {
    const releases = gate.takeReleases();
    const sent = await Promise.allSettled(
      releases.map((r) => getExternalWorkflowHandle(accountWorkflowId(r.accountId)).signal(throttleReleasedSignal, { playbook, ticket: r.ticket, day: r.day })),
    );
    sent.forEach((result, i) => {
      if (result.status === 'rejected') gate.dropped(releases[i]!, Date.now());
    });
    if (gate.hasReleases()) continue;
    if (due()) {
      await condition(allHandlersFinished);
      await makeContinueAsNewFunc<typeof enrollmentThrottle>()({ ...input, carried: gate.carry() });
    }
    const wake = gate.nextWake(Date.now());
    // With nobody waiting there is no midnight to sleep until: the first firing queued sets one.
    const woken = () => gate.hasReleases() || due() || (wake === null && gate.nextWake(Date.now()) !== null);
    if (wake === null) await condition(woken);
    else if (!(await condition(woken, Math.max(1, wake - Date.now())))) gate.roll(Date.now());
  }
}
