/**
 * Per-playbook switches (schema.ts, `PlaybookSwitchesTable`): whether a playbook may start new
 * runs, who switched it when, and the runs a disable paused. A playbook never switched has no
 * row and is enabled.
 */
import type { Store } from './connect.js';

export interface PlaybookSwitch {
  playbook: string;
  enabled: boolean;
  by: string;
  /** UTC ISO-8601. */
  at: string;
  /** Workflow ids `disable --pause-runs` paused (enable resumes them); empty otherwise. */
  pausedRuns: string[];
}

/** Records the switch of `playbook`, replacing the one before. */
export async function setPlaybookSwitch(store: Store, change: Omit<PlaybookSwitch, 'at'> & { at?: Date }): Promise<PlaybookSwitch> {
  const row = {
    playbook_id: change.playbook,
    enabled: change.enabled,
    changed_by: change.by,
    changed_at: change.at ?? new Date(),
    paused_runs: JSON.stringify(change.pausedRuns),
  };
  const { playbook_id: _, ...values } = row;
  await store
    .insertInto('playbook_switches')
    .values(row)
    .onConflict((c) => c.column('playbook_id').doUpdateSet(values))
    .execute();
  return { ...change, at: row.changed_at.toISOString() };
}

/** The switch of `playbook`, or null when it was never switched (it is enabled). */
export async function playbookSwitchOf(store: Store, playbook: string): Promise<PlaybookSwitch | null> {
  const row = await store.selectFrom('playbook_switches').selectAll().where('playbook_id', '=', playbook).executeTakeFirst();
  return row === undefined ? null : fromRow(row);
}

/** Every playbook switched at some time, by id. */
export async function playbookSwitches(store: Store): Promise<Map<string, PlaybookSwitch>> {
  const rows = await store.selectFrom('playbook_switches').selectAll().orderBy('playbook_id').execute();
  return new Map(rows.map((row) => [row.playbook_id, fromRow(row)]));
}

/** The switched-off playbooks, as the entities' trigger activities read them. */
export async function disabledPlaybooks(store: Store): Promise<Map<string, { by: string; at: string }>> {
  const off = new Map<string, { by: string; at: string }>();
  for (const [id, s] of await playbookSwitches(store)) if (!s.enabled) off.set(id, { by: s.by, at: s.at });
  return off;
}

function fromRow(row: { playbook_id: string; enabled: boolean; changed_by: string; changed_at: Date; paused_runs: string[] }): PlaybookSwitch {
  return { playbook: row.playbook_id, enabled: row.enabled, by: row.changed_by, at: row.changed_at.toISOString(), pausedRuns: row.paused_runs };
}
