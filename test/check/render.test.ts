import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { renderDiagnostic, renderJson, renderSummary, renderText, sortDiagnostics } from '../../src/diagnostics/render.js';

const span = (line: number, col: number, endLine: number, endCol: number, file = 'a.playbook') => ({
  file,
  start: { offset: 0, line, col },
  end: { offset: 0, line: endLine, col: endCol },
});
const diag = (over: Partial<Diagnostic> = {}): Diagnostic => ({
  severity: 'error',
  code: 'PB2010',
  message: 'unknown account field `renwal_date`',
  span: span(2, 34, 2, 45),
  ...over,
});
const SOURCE = 'playbook p\n  trigger 30 days before account.renwal_date\n';
const plain = { color: false };

describe('renderDiagnostic', () => {
  it('shows location, code, the source line, a caret under the span, hint and notes', () => {
    const text = renderDiagnostic(
      diag({ hint: 'did you mean `renewal_date`?', related: [{ message: 'first defined here', span: span(1, 3, 1, 5, 'b.playbook') }] }),
      SOURCE,
      plain,
    );
    expect(text).toBe(
      [
        'a.playbook:2:34: error[PB2010]: unknown account field `renwal_date`',
        '2 |   trigger 30 days before account.renwal_date',
        '  |                                  ^^^^^^^^^^^',
        '  = hint: did you mean `renewal_date`?',
        '  = note: first defined here: b.playbook:1:3',
      ].join('\n'),
    );
  });

  it('underlines a multi-line span to the end of its first line', () => {
    const lines = renderDiagnostic(diag({ span: span(1, 10, 2, 5) }), SOURCE, plain).split('\n');
    expect(lines[2]).toBe('  |          ^');
  });

  it('clamps a span past the end of the line to one caret after it', () => {
    const lines = renderDiagnostic(diag({ span: span(1, 40, 1, 44) }), SOURCE, plain).split('\n');
    expect(lines[2]).toBe(`  | ${' '.repeat(10)}^`);
  });

  it('expands tabs to tab stops in the line and the caret alike', () => {
    const lines = renderDiagnostic(diag({ span: span(1, 3, 1, 4) }), 'a\tbc\n', plain).split('\n');
    expect(lines[1]).toBe('1 | a   bc');
    expect(lines[2]).toBe('  |     ^');
  });

  it('makes control characters visible and keeps carets aligned after astral characters', () => {
    const lines = renderDiagnostic(diag({ span: span(1, 4, 1, 5) }), '\u0000😀x\n', plain).split('\n');
    expect(lines[1]).toBe('1 | \u2400😀x');
    expect(lines[2]).toBe('  |   ^');
  });

  it('shows a window of a very long line around the span', () => {
    const long = `${'a'.repeat(100_000)}BAD${'b'.repeat(100_000)}`;
    const lines = renderDiagnostic(diag({ span: span(1, 100_001, 1, 100_004) }), long, plain).split('\n');
    expect(lines[1]!.length).toBeLessThan(200);
    const caretAt = lines[2]!.indexOf('^');
    expect(lines[1]!.slice(caretAt, caretAt + 3)).toBe('BAD');
    expect(lines[1]!.startsWith('1 | …')).toBe(true);
    expect(lines[1]!.endsWith('…')).toBe(true);
  });

  it('omits the excerpt when the line does not exist and widens the gutter for long line numbers', () => {
    expect(renderDiagnostic(diag({ span: span(9, 1, 9, 2) }), SOURCE, plain).split('\n')).toHaveLength(1);
    const many = `${'\n'.repeat(11)}x\n`;
    const lines = renderDiagnostic(diag({ span: span(12, 1, 12, 2), hint: 'h' }), many, plain).split('\n');
    expect(lines.slice(1)).toEqual(['12 | x', '   | ^', '   = hint: h']);
  });

  it('colours only when asked', () => {
    expect(renderDiagnostic(diag(), SOURCE, { color: true })).toContain('\x1b[');
    expect(renderDiagnostic(diag(), SOURCE, plain)).not.toContain('\x1b[');
  });
});

describe('ordering, JSON and summary', () => {
  const later = diag({ span: span(3, 1, 3, 2) });
  const earlier = diag({ span: span(1, 5, 1, 6), code: 'PB3001', severity: 'warning' });
  const otherFile = diag({ span: span(1, 1, 1, 2, '0.playbook') });

  it('sorts by file, then position', () => {
    expect(sortDiagnostics([later, earlier, otherFile])).toEqual([otherFile, earlier, later]);
  });

  it('renders text with each diagnostic followed by a blank line', () => {
    const text = renderText([later, earlier], new Map([['a.playbook', SOURCE]]), plain);
    expect(text.indexOf('a.playbook:1:5')).toBeLessThan(text.indexOf('a.playbook:3:1'));
    expect(text.endsWith('\n')).toBe(true);
  });

  it('renders JSON objects with positions, severity, code, message and hint', () => {
    const parsed = JSON.parse(renderJson([later, earlier])) as Array<Record<string, unknown>>;
    expect(parsed[0]).toEqual({
      file: 'a.playbook',
      line: 1,
      col: 5,
      endLine: 1,
      endCol: 6,
      severity: 'warning',
      code: 'PB3001',
      message: earlier.message,
      hint: null,
      related: [],
    });
    expect(parsed).toHaveLength(2);
  });

  it('summarises counts, errors and warnings', () => {
    const counts = { files: 5, playbooks: 4, calendars: 1 };
    expect(renderSummary([], counts, plain)).toBe('✓ 5 files, 4 playbooks, 1 calendar checked: no problems\n');
    expect(renderSummary([earlier], counts, plain)).toBe('✓ 5 files, 4 playbooks, 1 calendar checked: 1 warning\n');
    expect(renderSummary([later, later, earlier], counts, plain)).toBe('✗ 5 files, 4 playbooks, 1 calendar checked: 2 errors, 1 warning\n');
  });
});
