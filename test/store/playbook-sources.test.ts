import { describe, expect, it } from 'vitest';
import type { GoalIr } from '../../src/ir/types.js';
import type { Store } from '../../src/store/connect.js';
import { keepPlaybookSources, playbookSource } from '../../src/store/playbook-sources.js';
import { program } from '../scenarios/fixtures.js';
import { BACKENDS, useMigratedStore } from './backends.js';

describe.each(BACKENDS)('playbook sources in the store on %s', (name) => {
  let store: Store;
  useMigratedStore(name, (opened) => (store = opened));

  const source = {
    playbook: 'onboarding',
    version: 'v1',
    file: 'playbooks/onboarding.playbook',
    line: 3,
    text: 'playbook onboarding "Onboarding"\n  trigger manual',
    calendar: program.calendars['us-business']!,
  };

  it('keeps a version’s source and calendar with who deployed it when, and keeps the first one when the version is deployed again', async () => {
    await keepPlaybookSources(store, [source], 'api:ops', new Date('2026-12-01T10:00:00Z'));
    await keepPlaybookSources(store, [{ ...source, text: '# other comments\nplaybook onboarding' }], 'api:later', new Date('2026-12-02T10:00:00Z'));
    expect(await playbookSource(store, 'onboarding', 'v1')).toEqual({ ...source, deployedBy: 'api:ops', deployedAt: '2026-12-01T10:00:00.000Z' });
  });

  it('keeps a version’s goals, and none for a version without', async () => {
    const goals: GoalIr[] = [
      {
        id: 'kickoff',
        title: null,
        target: 90,
        milestone: { kind: 'event', event: 'kickoff.held' },
        within: { amount: 10, unit: 'business day' },
        anchor: { kind: 'start' },
        line: 2,
      },
    ];
    await keepPlaybookSources(store, [{ ...source, version: 'v3', goals }], 'api:ops', new Date('2026-12-01T10:00:00Z'));
    expect((await playbookSource(store, 'onboarding', 'v3'))?.goals).toEqual(goals);
    await keepPlaybookSources(store, [{ ...source, version: 'v4', goals: [] }], 'api:ops', new Date('2026-12-01T10:00:00Z'));
    expect(await store.selectFrom('playbook_sources').select('goals').where('version', '=', 'v4').executeTakeFirstOrThrow()).toEqual({ goals: null });
  });

  it('keeps a version without a calendar as null', async () => {
    await keepPlaybookSources(store, [{ ...source, version: 'v2', calendar: null }], 'api:ops', new Date('2026-12-01T10:00:00Z'));
    expect((await playbookSource(store, 'onboarding', 'v2'))?.calendar).toBeNull();
  });

  it('has none for a version it did not keep', async () => {
    expect(await playbookSource(store, 'onboarding', 'v0')).toBeNull();
    expect(await playbookSource(store, 'renewal', 'v1')).toBeNull();
  });
});
