import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/connect.js';
import { disabledPlaybooks, playbookSwitchOf, playbookSwitches, setPlaybookSwitch } from '../../src/store/playbook-switches.js';
import { BACKENDS, useMigratedStore } from './backends.js';

describe.each(BACKENDS)('playbook switches in the store on %s', (name) => {
  let store: Store;
  useMigratedStore(name, (opened) => (store = opened));

  it('has no switch for a playbook never switched: it is enabled', async () => {
    expect(await playbookSwitchOf(store, 'onboarding')).toBeNull();
    expect(await disabledPlaybooks(store)).toEqual(new Map());
  });

  it('keeps the newest switch of each playbook with who switched it when and the runs a disable paused', async () => {
    const at = new Date('2026-12-03T10:00:00Z');
    await setPlaybookSwitch(store, { playbook: 'onboarding', enabled: false, by: 'cli:ann', at, pausedRuns: ['playbook:onboarding:acme'] });
    await setPlaybookSwitch(store, { playbook: 'renewal', enabled: false, by: 'api:ops', at, pausedRuns: [] });
    expect(await playbookSwitchOf(store, 'onboarding')).toEqual({
      playbook: 'onboarding',
      enabled: false,
      by: 'cli:ann',
      at: '2026-12-03T10:00:00.000Z',
      pausedRuns: ['playbook:onboarding:acme'],
    });
    const later = new Date('2026-12-03T11:00:00Z');
    expect(await setPlaybookSwitch(store, { playbook: 'renewal', enabled: true, by: 'api:bob', at: later, pausedRuns: [] })).toMatchObject({
      at: '2026-12-03T11:00:00.000Z',
    });
    expect([...(await playbookSwitches(store)).values()].map((s) => [s.playbook, s.enabled, s.by])).toEqual([
      ['onboarding', false, 'cli:ann'],
      ['renewal', true, 'api:bob'],
    ]);
    expect(await disabledPlaybooks(store)).toEqual(new Map([['onboarding', { by: 'cli:ann', at: '2026-12-03T10:00:00.000Z' }]]));
  });
});
