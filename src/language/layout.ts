/**
 * Lines and blocks from indentation. Turns the lexer's raw tokens into the parser's input:
 * each non-blank line ends with a NEWLINE; a deeper line opens a block (INDENT), a
 * shallower one closes blocks (one DEDENT each). Blank and comment-only lines have no
 * tokens, so they never affect blocks. The indentation stack is local to one call.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { createTokenInstance, type IToken } from './chevrotain.js';
import { syntaxError } from './syntax-error.js';
import { Dedent, Indent, LBracket, LineBreak, LParen, Newline, RBracket, RParen } from './tokens.js';

/**
 * Deepest block nesting and bracket nesting accepted. Deeper input is reported, not parsed,
 * so no later stage recurses without bound.
 */
export const MAX_NESTING = 64;

export function layout(raw: IToken[], text: string, file: string, diagnostics: Diagnostic[]): IToken[] {
  const out: IToken[] = [];
  const levels = [0];
  let lastOnLine: IToken | undefined;
  let firstLine = true;
  /** The first token of the line before; a block too deep is reported on its opener. */
  let previousFirst: IToken | undefined;
  /** While set, lines indented deeper than this are dropped (a block nested too deeply). */
  let droppingDeeperThan: number | undefined;
  let brackets = 0;
  let skipRestOfLine = false;

  const at = (offset: number, line: number, col: number, width: number) => ({
    file,
    start: { offset, line, col },
    end: { offset: offset + width, line, col: col + width },
  });

  /** Opens or closes blocks for a line starting with `first`; false drops the line. */
  function startLine(first: IToken): boolean {
    const line = first.startLine ?? 1;
    const lineStart = first.startOffset - ((first.startColumn ?? 1) - 1);
    let indent = 0;
    let tabReported = false;
    for (let i = lineStart; text[i] === ' ' || text[i] === '\t'; i++, indent++) {
      if (text[i] === '\t' && !tabReported) {
        tabReported = true;
        diagnostics.push(syntaxError('PB1003', 'tab in indentation; indent with spaces', at(i, line, indent + 1, 1)));
      }
    }
    if (firstLine) {
      firstLine = false;
      if (indent > 0 && !tabReported) {
        diagnostics.push(syntaxError('PB1008', 'unexpected indentation: the first line must start at column 1', at(lineStart, line, 1, indent)));
        levels[0] = indent;
      }
      return true;
    }
    if (droppingDeeperThan !== undefined) {
      if (indent > droppingDeeperThan) return false;
      droppingDeeperThan = undefined;
    }
    const top = levels[levels.length - 1] ?? 0;
    if (indent > top) {
      if (levels.length > MAX_NESTING) {
        droppingDeeperThan = top;
        const opener = previousFirst ?? first;
        diagnostics.push(
          syntaxError(
            'PB1005',
            `blocks are nested more than ${MAX_NESTING} levels deep`,
            at(opener.startOffset, opener.startLine ?? 1, opener.startColumn ?? 1, opener.image.length),
          ),
        );
        return false;
      }
      levels.push(indent);
      out.push(createTokenInstance(Indent, text.slice(lineStart, lineStart + indent), lineStart, lineStart + indent - 1, line, line, 1, indent));
      return true;
    }
    let closed = top;
    while (levels.length > 1 && (levels[levels.length - 1] ?? 0) > indent) {
      closed = levels.pop() ?? 0;
      out.push(zeroWidth(Dedent, first.startOffset, line, first.startColumn ?? 1));
    }
    const open = levels[levels.length - 1] ?? 0;
    // A tab counts as one column: a file indented with tabs alone still has its blocks.
    // A mixed line's width is a guess, so a mismatch there is not reported again.
    if (open < indent && !tabReported) {
      diagnostics.push(
        syntaxError('PB1004', `indentation of ${spaces(indent)} matches no enclosing block (expected ${open} or ${closed})`, at(lineStart, line, 1, indent)),
      );
    } else if (open > indent) {
      // Shallower than the file's (indented) first line: that becomes the base level.
      levels[0] = indent;
    }
    return true;
  }

  for (const token of raw) {
    if (token.tokenType === LineBreak) {
      if (lastOnLine) out.push(zeroWidthAfter(Newline, lastOnLine));
      lastOnLine = undefined;
      brackets = 0;
      skipRestOfLine = false;
      continue;
    }
    if (skipRestOfLine) continue;
    if (!lastOnLine) {
      if (!startLine(token)) {
        skipRestOfLine = true;
        continue;
      }
      previousFirst = token;
    }
    if (token.tokenType === LParen || token.tokenType === LBracket) {
      if (++brackets > MAX_NESTING) {
        skipRestOfLine = true;
        diagnostics.push(
          syntaxError(
            'PB1005',
            `brackets are nested more than ${MAX_NESTING} levels deep`,
            at(token.startOffset, token.startLine ?? 1, token.startColumn ?? 1, 1),
          ),
        );
        continue;
      }
    } else if (token.tokenType === RParen || token.tokenType === RBracket) brackets--;
    out.push(token);
    lastOnLine = token;
  }
  const last = lastOnLine ?? out[out.length - 1];
  if (lastOnLine) out.push(zeroWidthAfter(Newline, lastOnLine));
  if (last) for (let i = 1; i < levels.length; i++) out.push(zeroWidthAfter(Dedent, last));
  return out;
}

function zeroWidth(type: typeof Newline, offset: number, line: number, col: number): IToken {
  return createTokenInstance(type, '', offset, offset - 1, line, line, col, col - 1);
}

function zeroWidthAfter(type: typeof Newline, token: IToken): IToken {
  return zeroWidth(type, (token.endOffset ?? token.startOffset) + 1, token.endLine ?? 1, (token.endColumn ?? 0) + 1);
}

function spaces(n: number): string {
  return n === 1 ? '1 space' : `${n} spaces`;
}
