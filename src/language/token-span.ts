import type { IToken } from './chevrotain.js';
import type { Pos, Span } from './span.js';

/** The span of a token; chevrotain's end offsets and columns are inclusive, spans are half-open. */
export function tokenSpan(token: IToken, file: string): Span {
  return { file, start: tokenStart(token), end: tokenEnd(token) };
}

export function tokenStart(token: IToken): Pos {
  return { offset: token.startOffset, line: token.startLine ?? 1, col: token.startColumn ?? 1 };
}

export function tokenEnd(token: IToken): Pos {
  return { offset: (token.endOffset ?? token.startOffset - 1) + 1, line: token.endLine ?? 1, col: (token.endColumn ?? 0) + 1 };
}

/** How a token is named in a message: its text in backticks, or what it stands for. */
export function describeToken(token: IToken): string {
  switch (token.tokenType.name) {
    case 'Newline':
      return 'end of line';
    case 'Indent':
      return 'an indented block';
    case 'Dedent':
      return 'end of block';
    case 'EOF':
      return 'end of input';
    default:
      return quoteSource(token.image);
  }
}

/** Source text in backticks for a message: shortened, with control characters made visible. */
export function quoteSource(text: string): string {
  const shown = text.length > 30 ? `${text.slice(0, 30)}…` : text;
  return `\`${shown.replace(/[\u0000-\u001f\u007f-\u009f\ufeff\ufffd]/g, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`)}\``;
}
