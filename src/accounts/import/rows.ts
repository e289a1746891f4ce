/**
 * Rows of an account file as the reader found them, before validation, and how a row's
 * position is shown: a line number for CSV and JSON Lines (the header is line 1), the array
 * index for JSON (`accounts[3]`), so every message points where the user looks.
 */
export type RowPlace = { line: number } | { index: number };

/** One record of the file: its position and its data, not yet validated. */
export interface SourceRow {
  place: RowPlace;
  data: unknown;
}

/** A row the reader already knows is wrong (a CSV row with the wrong number of cells, a JSON Lines line that is not JSON). */
export interface RowProblem {
  place: RowPlace;
  /** Without the position: `account.health: expected a number, got "high"`. */
  message: string;
}

export interface ReadRows {
  rows: SourceRow[];
  problems: RowProblem[];
}

/** `line 4` or `accounts[3]`, for messages that refer to another row. */
export function placeName(place: RowPlace): string {
  return 'line' in place ? `line ${place.line}` : `accounts[${place.index}]`;
}

/** `accounts.csv:4` or `accounts.json: accounts[3]`: the prefix of a row's messages. */
export function placeIn(file: string, place: RowPlace): string {
  return 'line' in place ? `${file}:${place.line}` : `${file}: ${placeName(place)}`;
}

/** The document order of rows, so messages come out top to bottom. */
export function placeOrder(place: RowPlace): number {
  return 'line' in place ? place.line : place.index;
}
