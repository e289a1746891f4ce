/**
 * The calendar a run's times are read in (its entry playbook's, resolved for its account when
 * it started), by workflow id. A run's input never changes, so calendars are remembered for a
 * while; a run Temporal no longer has is read in UTC, as `playbook status` does.
 */
import type { Client } from '@temporalio/client';
import { defaultCalendar, type ResolvedCalendar } from '../calendar/index.js';
import { entryCalendar, fetchRunInput } from '../ops/run-input.js';
import { mapLimit } from '../util/map-limit.js';

const KEEP_MS = 5 * 60_000;
const MAX_ENTRIES = 5000;
const CONCURRENCY = 8;

export class RunCalendars {
  private readonly known = new Map<string, { calendar: Promise<ResolvedCalendar>; at: number }>();

  constructor(
    private readonly client: Client,
    private readonly clock: () => number,
  ) {}

  of(workflowId: string): Promise<ResolvedCalendar> {
    const now = this.clock();
    const hit = this.known.get(workflowId);
    if (hit !== undefined && now - hit.at < KEEP_MS) return hit.calendar;
    if (this.known.size >= MAX_ENTRIES) this.known.clear();
    const calendar = fetchRunInput(this.client, workflowId).then(entryCalendar, () => defaultCalendar);
    this.known.set(workflowId, { calendar, at: now });
    return calendar;
  }

  /** The calendars of many runs, by workflow id. */
  async ofAll(workflowIds: string[]): Promise<Map<string, ResolvedCalendar>> {
    const ids = [...new Set(workflowIds)];
    const calendars = await mapLimit(ids, CONCURRENCY, (id) => this.of(id));
    return new Map(ids.map((id, i) => [id, calendars[i]!]));
  }
}
