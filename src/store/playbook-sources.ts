/**
 * The source text of deployed playbook versions (schema.ts, `PlaybookSourcesTable`): written
 * at deploy, read by the console's playbook page. A version deployed before sources were kept
 * has none.
 */
import type { CalendarIr, GoalIr } from '../ir/types.js';
import type { Store } from './connect.js';

export interface PlaybookSource {
  playbook: string;
  version: string;
  /** The workspace file, relative to the workspace. */
  file: string;
  /** The 1-based line of `file` where `text` starts. */
  line: number;
  text: string;
  /** The playbook's calendar as compiled (null: it has none): the reports count its business time in it. */
  calendar: CalendarIr | null;
  /** The playbook's goals as compiled (absent or empty: none): goals at risk count a pending goal's window in its duration's unit. */
  goals?: GoalIr[];
}

export interface KeptPlaybookSource extends PlaybookSource {
  deployedBy: string;
  /** UTC ISO-8601. */
  deployedAt: string;
}

/** Keeps the sources of newly deployed versions; a version already kept keeps its first source. */
export async function keepPlaybookSources(store: Store, sources: PlaybookSource[], deployedBy: string, deployedAt: Date): Promise<void> {
  if (sources.length === 0) return;
  await store
    .insertInto('playbook_sources')
    .values(
      sources.map((s) => ({
        playbook_id: s.playbook,
        version: s.version,
        file: s.file,
        line: s.line,
        source: s.text,
        calendar: s.calendar === null ? null : JSON.stringify(s.calendar),
        goals: s.goals === undefined || s.goals.length === 0 ? null : JSON.stringify(s.goals),
        deployed_by: deployedBy,
        deployed_at: deployedAt,
      })),
    )
    .onConflict((c) => c.columns(['playbook_id', 'version']).doNothing())
    .execute();
}

/** The kept source of one version, or null when it was deployed before sources were kept. */
export async function playbookSource(store: Store, playbook: string, version: string): Promise<KeptPlaybookSource | null> {
  const row = await store.selectFrom('playbook_sources').selectAll().where('playbook_id', '=', playbook).where('version', '=', version).executeTakeFirst();
  return row === undefined
    ? null
    : {
        playbook: row.playbook_id,
        version: row.version,
        file: row.file,
        line: row.line,
        text: row.source,
        calendar: row.calendar,
        ...(row.goals !== null && { goals: row.goals }),
        deployedBy: row.deployed_by,
        deployedAt: row.deployed_at.toISOString(),
      };
}
