/**
 * The deployed `coverage` declarations (schema.ts, `CoveragesTable`): a deploy replaces the
 * set with its workspace's, so a coverage taken out of the workspace stops being reported.
 */
import type { CoverageIr } from '../ir/types.js';
import type { Store } from './connect.js';

export async function keepCoverages(store: Store, coverages: readonly CoverageIr[], deployedBy: string, deployedAt: Date): Promise<void> {
  await store.transaction().execute(async (tx) => {
    await tx.deleteFrom('coverages').execute();
    if (coverages.length === 0) return;
    await tx
      .insertInto('coverages')
      .values(coverages.map((c) => ({ coverage_id: c.id, definition: JSON.stringify(c), deployed_by: deployedBy, deployed_at: deployedAt })))
      .execute();
  });
}

/** The deployed coverages, by id. */
export async function deployedCoverages(store: Store): Promise<CoverageIr[]> {
  const rows = await store.selectFrom('coverages').select('definition').orderBy('coverage_id').execute();
  return rows.map((r) => r.definition);
}
