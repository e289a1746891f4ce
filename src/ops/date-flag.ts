/**
 * A period flag of the store commands (`report`, `runs export`), checked before the store is
 * opened. Its own module, loaded by those commands alone: the calendar it parses with is not
 * for every command's start-up.
 */
import { parseDateOrInstant } from '../calendar/iso-instant.js';
import { UserError } from '../errors.js';

/** A `--from`, `--to` or `--as-of`: a date (its start, UTC) or an instant with `Z` or `±hh:mm` (usage: exit 2). */
export function dateOrInstantFlag(flag: string, text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const at = parseDateOrInstant(text);
  if (at === null) {
    throw new UserError(
      `${flag} must be an ISO-8601 date (UTC) or an instant with Z or ±hh:mm, e.g. 2026-01-31 or 2026-01-31T09:00:00Z; got ${JSON.stringify(text)}`,
      'usage',
    );
  }
  return at;
}
