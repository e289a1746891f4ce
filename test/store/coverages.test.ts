import { describe, expect, it } from 'vitest';
import type { CoverageIr } from '../../src/ir/types.js';
import type { Store } from '../../src/store/connect.js';
import { deployedCoverages, keepCoverages } from '../../src/store/coverages.js';
import { BACKENDS, useMigratedStore } from './backends.js';

describe.each(BACKENDS)('deployed coverages in the store on %s', (name) => {
  let store: Store;
  useMigratedStore(name, (opened) => (store = opened));

  const coverage = (id: string): CoverageIr => ({
    id,
    title: `Coverage ${id}`,
    target: 95,
    population: { op: 'lit', type: 'yes/no', value: true },
    playbook: 'renewal-readiness',
    calendar: null,
    since: [{ field: 'renewal_date', days: -90 }],
    file: 'coverage.playbook',
    line: 1,
  });

  it('keeps the set a deploy gives, replacing the one before: one taken out of the workspace is gone, none leaves none', async () => {
    await keepCoverages(store, [coverage('b'), coverage('a')], 'api:ops', new Date('2026-12-01T10:00:00Z'));
    expect(await deployedCoverages(store)).toEqual([coverage('a'), coverage('b')]);
    await keepCoverages(store, [{ ...coverage('b'), target: 90 }], 'api:ops', new Date('2026-12-02T10:00:00Z'));
    expect(await deployedCoverages(store)).toEqual([{ ...coverage('b'), target: 90 }]);
    await keepCoverages(store, [], 'api:ops', new Date('2026-12-03T10:00:00Z'));
    expect(await deployedCoverages(store)).toEqual([]);
  });
});
