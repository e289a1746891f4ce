/**
 * An import that stopped part-way, told row by row: the rows whose upserts were applied, the
 * rows whose upserts failed (the server may have applied them before failing to answer) and
 * the rows never sent. Pure.
 */
import { placeOrder, type RowPlace } from './rows.js';

export type UpsertState = 'notSent' | 'sent' | 'applied' | 'failed';

/** Some rows of the file: how many, and where (`lines 2-300, 302` or `accounts[0..299]`). */
export interface RowRanges {
  rows: number;
  at: string;
}

/** The `stopped` part of the `--json` report. */
export interface StoppedImport {
  reason: string;
  applied: RowRanges;
  unconfirmed: RowRanges;
  notSent: RowRanges;
}

/** `states[i]` is the state of the account at `places[i]`; one still `sent` counts as unconfirmed. */
export function stoppedImport(reason: string, places: RowPlace[], states: UpsertState[]): StoppedImport {
  const rowsIn = (wanted: (state: UpsertState) => boolean): RowRanges => {
    const chosen = [...places.keys()].filter((i) => wanted(states[i]!));
    return { rows: chosen.length, at: rangesText(places, chosen) };
  };
  return {
    reason,
    applied: rowsIn((s) => s === 'applied'),
    unconfirmed: rowsIn((s) => s === 'sent' || s === 'failed'),
    notSent: rowsIn((s) => s === 'notSent'),
  };
}

/** The message of the error the CLI exits with. */
export function stoppedMessage(file: string, stopped: StoppedImport): string {
  const line = (label: string, { rows, at }: RowRanges, note = '') =>
    `  ${label.padEnd(12)} ${rows} ${rows === 1 ? 'row' : 'rows'}${rows === 0 ? '' : ` (${at})`}${rows === 0 ? '' : note}`;
  return [
    `importing ${file} stopped part-way: ${stopped.reason}`,
    line('applied', stopped.applied),
    line('unconfirmed', stopped.unconfirmed, ': their upserts failed; the server may have applied them'),
    line('not sent', stopped.notSent),
    'Importing the same file again is safe: an upsert sets the values it names, so a row applied twice ends the same.',
  ].join('\n');
}

/**
 * The rows at `chosen` (indexes into `places`, ascending) as ranges: neighbours in the list of
 * valid rows make one range, so a range skips only rows that were not imported for a problem.
 */
function rangesText(places: RowPlace[], chosen: number[]): string {
  const ranges: Array<[number, number]> = [];
  chosen.forEach((index, i) => {
    if (i > 0 && chosen[i - 1] === index - 1) ranges.at(-1)![1] = index;
    else ranges.push([index, index]);
  });
  const number = (index: number) => placeOrder(places[index]!);
  if (places.length > 0 && 'index' in places[0]!) {
    return ranges.map(([a, b]) => `accounts[${a === b ? number(a) : `${number(a)}..${number(b)}`}]`).join(', ');
  }
  const single = ranges.length === 1 && ranges[0]![0] === ranges[0]![1];
  return `${single ? 'line' : 'lines'} ${ranges.map(([a, b]) => (a === b ? `${number(a)}` : `${number(a)}-${number(b)}`)).join(', ')}`;
}
