/**
 * Pure. Text from outside (account data, ids, file names) as it may reach a person's terminal:
 * control characters become visible escapes (`\u001b`, `\r`, `\n`), so an ANSI or OSC
 * sequence is shown rather than obeyed and a CR/LF cannot forge a line of a report.
 * Bidirectional overrides and line separators are shown too, so that text reads as stored.
 * Applied where reports are put together (table cells and report lines) and to error lines;
 * the CLI's own colours are added after it.
 */

// C0 controls, DEL and C1 controls; LRE..RLO, LRI..PDI and the Unicode line separators.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const SHORT: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export function forTerminal(text: string): string {
  return text.replace(UNSAFE, (c) => SHORT[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Lines of a report, each made safe, joined and ended with a newline. */
export function terminalLines(lines: readonly string[]): string {
  return `${lines.map(forTerminal).join('\n')}\n`;
}
