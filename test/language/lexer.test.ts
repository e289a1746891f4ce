import { describe, expect, it } from 'vitest';
import { tokenize } from '../../src/language/lexer.js';

function kinds(text: string): string[] {
  return tokenize(text, 'f.playbook').tokens.map((t) => t.tokenType.name);
}

function codes(text: string): string[] {
  return tokenize(text, 'f.playbook').diagnostics.map((d) => d.code);
}

describe('tokenize: words', () => {
  it('lexes keywords, and identifiers that start with a keyword as identifiers', () => {
    expect(kinds('note notes today to one on days day_one')).toEqual(['Note', 'Identifier', 'Today', 'To', 'One', 'On', 'Day', 'Identifier', 'Newline']);
  });

  it('lexes yes/no as one token and the literals by their shape', () => {
    expect(kinds('yes/no yes 2026-06-30 09:00 50000 0.5 "s"')).toEqual([
      'YesNo',
      'Yes',
      'DateLit',
      'TimeLit',
      'NumberLit',
      'NumberLit',
      'StringLit',
      'Newline',
    ]);
  });

  it('lexes identifiers with digits, dashes and underscores', () => {
    const { tokens } = tokenize('mid-market csm_manager', 'f');
    expect(tokens.slice(0, 2).map((t) => [t.tokenType.name, t.image])).toEqual([
      ['Identifier', 'mid-market'],
      ['Identifier', 'csm_manager'],
    ]);
  });

  it('reports a capitalised word once and reads it in lower case', () => {
    const { tokens, diagnostics } = tokenize('Monday', 'f');
    expect(tokens[0]?.tokenType.name).toBe('Weekday');
    expect(tokens[0]?.image).toBe('monday');
    expect(diagnostics.map((d) => d.code)).toEqual(['PB1007']);
  });
});

describe('tokenize: strings', () => {
  it('keeps escapes in the image and reports unknown ones at the backslash', () => {
    const { diagnostics } = tokenize('note "a \\" b \\\\ \\{ \\n"', 'f');
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]?.code).toBe('PB1006');
    expect(diagnostics[0]?.span.start.col).toBe(20);
  });

  it('reports an unterminated string at its opening quote and still yields a string', () => {
    const { tokens, diagnostics } = tokenize('note "abc\nstop', 'f');
    expect(tokens.map((t) => t.tokenType.name)).toEqual(['Note', 'UnterminatedString', 'Newline', 'Stop', 'Newline']);
    expect(diagnostics.map((d) => [d.code, d.span.start.line, d.span.start.col])).toEqual([['PB1002', 1, 6]]);
  });
});

describe('tokenize: layout', () => {
  it('gives INDENT and DEDENT real positions', () => {
    const { tokens } = tokenize('a:\n  b\n    c\nd\n', 'f');
    const layout = tokens.filter((t) => ['Indent', 'Dedent'].includes(t.tokenType.name)).map((t) => `${t.tokenType.name}@${t.startLine}:${t.startColumn}`);
    expect(layout).toEqual(['Indent@2:1', 'Indent@3:1', 'Dedent@4:1', 'Dedent@4:1']);
  });

  it('closes open blocks at the end of the file, after the last token', () => {
    const { tokens } = tokenize('a\n  b', 'f');
    const last = tokens[tokens.length - 1];
    expect(tokens.map((t) => t.tokenType.name)).toEqual(['Identifier', 'Newline', 'Indent', 'Identifier', 'Newline', 'Dedent']);
    expect([last?.startLine, last?.startColumn]).toEqual([2, 4]);
  });

  it('ends each line with a zero-width NEWLINE right after its last token', () => {
    const { tokens } = tokenize('stop   # comment\n', 'f');
    const newline = tokens[1];
    expect([newline?.tokenType.name, newline?.startColumn, newline?.image]).toEqual(['Newline', 5, '']);
  });

  it('ignores blank and comment-only lines, at any indentation', () => {
    expect(kinds('a\n\n      # deep comment\n   \n  b\n# out\n  c\n')).toEqual([
      'Identifier',
      'Newline',
      'Indent',
      'Identifier',
      'Newline',
      'Identifier',
      'Newline',
      'Dedent',
    ]);
  });

  it('reads CRLF and CR line endings like LF', () => {
    expect(kinds('a\r\n  b\r  c\r\n')).toEqual(kinds('a\n  b\n  c\n'));
    expect(tokenize('a\r\n  b', 'f').tokens[3]?.startLine).toBe(2);
  });

  it('reports a tab in indentation without follow-on indentation errors', () => {
    const { diagnostics } = tokenize('a\n  b\n\tc\n  d\n', 'f');
    expect(diagnostics.map((d) => [d.code, d.message, d.span.start.line, d.span.start.col])).toEqual([
      ['PB1003', 'tab in indentation; indent with spaces', 3, 1],
    ]);
  });

  it('counts a tab as one column, so a file indented with tabs alone keeps its blocks', () => {
    const { tokens, diagnostics } = tokenize('a\n\tb\n\t\tc\n', 'f');
    expect(tokens.filter((t) => t.tokenType.name === 'Indent')).toHaveLength(2);
    expect(diagnostics.map((d) => [d.code, d.span.start.line])).toEqual([
      ['PB1003', 2],
      ['PB1003', 3],
    ]);
  });

  it('reports a dedent to a level never opened, without throwing', () => {
    const { tokens, diagnostics } = tokenize('a\n    b\n  c\nd\n', 'f');
    expect(diagnostics.map((d) => [d.code, d.span.start.line])).toEqual([['PB1004', 3]]);
    expect(diagnostics[0]?.message).toBe('indentation of 2 spaces matches no enclosing block (expected 0 or 4)');
    expect(tokens.filter((t) => t.tokenType.name === 'Dedent')).toHaveLength(1);
  });

  it('reports an indented first line and takes its indentation as the base level', () => {
    expect(codes('  a\n  b\n')).toEqual(['PB1008']);
    expect(kinds('  a\n  b\n')).toEqual(['Identifier', 'Newline', 'Identifier', 'Newline']);
  });

  it('keeps indentation state per call', () => {
    tokenize('a\n  b\n    c', 'f');
    expect(kinds('d\n')).toEqual(['Identifier', 'Newline']);
  });

  it('reports unexpected characters with their position', () => {
    const { diagnostics } = tokenize('stop @@ now', 'f');
    expect(diagnostics.map((d) => [d.code, d.message, d.span.start.col, d.span.end.col])).toEqual([['PB1001', 'unexpected characters `@@`', 6, 8]]);
  });
});
