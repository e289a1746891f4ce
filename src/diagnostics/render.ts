/**
 * The one place diagnostics become text: the terminal form (location, source line with a
 * caret under the span, hint, related notes), the JSON form for editors and CI, and the
 * summary line.
 */
import type { Diagnostic } from './diagnostic.js';

export interface RenderOptions {
  /** ANSI colours; the caller decides (a TTY without `NO_COLOR`). */
  color: boolean;
}

const TAB_WIDTH = 4;
/** Longer source lines are shown as a window around the span. */
const MAX_SHOWN = 160;
const CONTEXT_BEFORE = 40;
const LINE_BREAK = /\r\n|\r|\n/;

/** By file, then position, then code: the order every output uses. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      compare(a.span.file, b.span.file) ||
      a.span.start.line - b.span.start.line ||
      a.span.start.col - b.span.start.col ||
      compare(a.code, b.code) ||
      compare(a.message, b.message),
  );
}

/** All diagnostics, sorted, each followed by a blank line. `sources` maps file paths to their text. */
export function renderText(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>, options: RenderOptions): string {
  return sortDiagnostics(diagnostics)
    .map((d) => `${renderDiagnostic(d, sources.get(d.span.file), options)}\n\n`)
    .join('');
}

export function renderDiagnostic(d: Diagnostic, source: string | undefined, { color }: RenderOptions): string {
  const paint = painter(color);
  const tone = d.severity === 'error' ? paint.red : paint.yellow;
  const { file, start } = d.span;
  const lines = [`${file}:${start.line}:${start.col}: ${tone(`${d.severity}[${d.code}]`)}: ${paint.bold(d.message)}`];
  const excerpt = source === undefined ? undefined : sourceExcerpt(d, source);
  const width = String(start.line).length;
  const pad = ' '.repeat(width);
  if (excerpt) {
    lines.push(`${paint.blue(`${start.line} |`)} ${excerpt.text}`.trimEnd());
    lines.push(`${paint.blue(`${pad} |`)} ${' '.repeat(excerpt.caretAt)}${tone('^'.repeat(excerpt.caretLength))}`);
  }
  if (d.hint) lines.push(`${pad} ${paint.blue('=')} hint: ${d.hint}`);
  for (const r of d.related ?? []) lines.push(`${pad} ${paint.blue('=')} note: ${r.message}: ${r.span.file}:${r.span.start.line}:${r.span.start.col}`);
  return lines.join('\n');
}

/** The JSON form: one object per diagnostic, sorted, with 1-based lines and columns and a half-open end. */
export function renderJson(diagnostics: readonly Diagnostic[]): string {
  return `${JSON.stringify(diagnosticsJson(diagnostics), null, 2)}\n`;
}

/** The objects of `renderJson` (the HTTP API answers with them). */
export function diagnosticsJson(diagnostics: readonly Diagnostic[]) {
  return sortDiagnostics(diagnostics).map((d) => ({
    file: d.span.file,
    line: d.span.start.line,
    col: d.span.start.col,
    endLine: d.span.end.line,
    endCol: d.span.end.col,
    severity: d.severity,
    code: d.code,
    message: d.message,
    hint: d.hint ?? null,
    related: (d.related ?? []).map((r) => ({ message: r.message, file: r.span.file, line: r.span.start.line, col: r.span.start.col })),
  }));
}

export interface CheckedCounts {
  files: number;
  playbooks: number;
  calendars: number;
}

/** `✓ 5 files, 4 playbooks, 1 calendar checked: no problems` (or the numbers of errors and warnings). */
export function renderSummary(diagnostics: readonly Diagnostic[], counts: CheckedCounts, { color }: RenderOptions): string {
  const paint = painter(color);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const what = [plural(counts.files, 'file'), plural(counts.playbooks, 'playbook'), plural(counts.calendars, 'calendar')].join(', ');
  const found = [errors ? plural(errors, 'error') : '', warnings ? plural(warnings, 'warning') : ''].filter(Boolean).join(', ');
  const mark = errors ? paint.red('✗') : paint.green('✓');
  return `${mark} ${what} checked: ${found || 'no problems'}\n`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

interface Excerpt {
  /** The source line as shown: tabs expanded, control characters made visible, maybe windowed. */
  text: string;
  caretAt: number;
  caretLength: number;
}

/**
 * The span's first line with the caret under it, clamped to the line (a multi-line span is
 * underlined to the end of its first line; a span past the end points just after it).
 */
function sourceExcerpt(d: Diagnostic, source: string): Excerpt | undefined {
  const full = sourceLine(source, d.span.start.line);
  if (full === undefined) return undefined;
  let line = full;
  let from = clamp(d.span.start.col - 1, 0, line.length);
  let to = d.span.end.line > d.span.start.line ? line.length : clamp(d.span.end.col - 1, from, line.length);
  let before = '';
  let after = '';
  if (line.length > MAX_SHOWN) {
    const windowStart = clamp(from - CONTEXT_BEFORE, 0, line.length - MAX_SHOWN);
    const windowEnd = windowStart + MAX_SHOWN;
    line = full.slice(windowStart, windowEnd);
    from -= windowStart;
    to = Math.min(to - windowStart, line.length);
    before = windowStart > 0 ? '…' : '';
    after = windowEnd < full.length ? '…' : '';
  }
  const { shown, columns } = displayLine(line);
  return {
    text: before + shown + after,
    caretAt: before.length + columns[from]!,
    caretLength: Math.max(1, columns[to]! - columns[from]!),
  };
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(Math.max(n, min), max);
}

/** Line `n` (1-based) without its line break, or undefined past the end. Breaks are `\r\n`, `\r` or `\n`, as for the lexer. */
function sourceLine(source: string, n: number): string | undefined {
  const lines = source.split(LINE_BREAK, n);
  return lines.length === n ? lines[n - 1] : undefined;
}

/**
 * The line as displayed, and for each UTF-16 index (plus one past the end) its display
 * column: tabs go to the next multiple of TAB_WIDTH, a surrogate pair is one column,
 * control characters are shown as one visible symbol.
 */
function displayLine(line: string): { shown: string; columns: number[] } {
  const columns: number[] = [];
  let shown = '';
  let width = 0;
  for (let i = 0; i < line.length; i++) {
    columns.push(width);
    const code = line.charCodeAt(i);
    if (code === 0x09) {
      const spaces = TAB_WIDTH - (width % TAB_WIDTH);
      shown += ' '.repeat(spaces);
      width += spaces;
    } else if (isHighSurrogate(code) && isLowSurrogate(line.charCodeAt(i + 1))) {
      columns.push(width);
      shown += line.slice(i, i + 2);
      width += 1;
      i++;
    } else {
      shown += visible(code, line[i]!);
      width += 1;
    }
  }
  columns.push(width);
  return { shown, columns };
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

function visible(code: number, char: string): string {
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  if (code === 0x7f) return '\u2421';
  if ((code >= 0x80 && code <= 0x9f) || (code >= 0xd800 && code <= 0xdfff) || code === 0x2028 || code === 0x2029 || code === 0xfeff) return '\ufffd';
  return char;
}

interface Painter {
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
  blue(s: string): string;
  bold(s: string): string;
}

function painter(color: boolean): Painter {
  const sgr = (open: string) => (s: string) => (color ? `\x1b[${open}m${s}\x1b[0m` : s);
  return { red: sgr('1;31'), yellow: sgr('1;33'), green: sgr('1;32'), blue: sgr('1;34'), bold: sgr('1') };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
