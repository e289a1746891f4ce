/**
 * Source text → tokens. `tokenize` runs chevrotain's lexer, turns its errors into
 * diagnostics, then lays out lines and blocks (NEWLINE, INDENT, DEDENT) in `layout.ts`.
 * All state lives in one call; the lexer instance itself is stateless and reused.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { Lexer, type IToken } from './chevrotain.js';
import type { Span } from './span.js';
import { layout } from './layout.js';
import { syntaxError } from './syntax-error.js';
import { quoteSource, tokenSpan } from './token-span.js';
import { CapitalizedWord, Identifier, keywordOf, lexerTokens, StringLit, Unexpected, UnterminatedString } from './tokens.js';

/**
 * A lexer of the language's tokens. `validate` runs chevrotain's checks of the token
 * definitions (unreachable or conflicting patterns): they only find mistakes in tokens.ts
 * and cost about as much as the rest of the construction, so the shared lexer skips them
 * and a test builds one that runs them.
 */
export function createLexer({ validate }: { validate: boolean }): Lexer {
  return new Lexer(lexerTokens, { ensureOptimizations: true, positionTracking: 'full', skipValidations: !validate });
}

const lexer = createLexer({ validate: false });

export interface TokenizeResult {
  tokens: IToken[];
  diagnostics: Diagnostic[];
}

/** Tokens of a whole file, with its line and block structure. Never throws. */
export function tokenize(text: string, file: string): TokenizeResult {
  const { tokens, diagnostics } = lexTokens(text, file);
  return { tokens: layout(tokens, text, file, diagnostics), diagnostics };
}

/**
 * Plain tokens of some text, line breaks included as `LineBreak` tokens. Used for whole
 * files (before layout) and for the expressions inside `{...}` of a text.
 */
export function lexTokens(text: string, file: string): TokenizeResult {
  const result = lexer.tokenize(text);
  const diagnostics: Diagnostic[] = result.errors.map((e) =>
    unexpectedCharacters(text.slice(e.offset, e.offset + e.length), {
      file,
      start: { offset: e.offset, line: e.line ?? 1, col: e.column ?? 1 },
      end: { offset: e.offset + e.length, line: e.line ?? 1, col: (e.column ?? 1) + e.length },
    }),
  );
  const tokens: IToken[] = [];
  for (const token of result.tokens) {
    if (token.tokenType === Unexpected) {
      diagnostics.push(unexpectedCharacters(token.image, tokenSpan(token, file)));
      continue;
    }
    tokens.push(token);
    if (token.tokenType === Identifier) asKeyword(token);
    else if (token.tokenType === CapitalizedWord) lowerCase(token, file, diagnostics);
    else if (token.tokenType === UnterminatedString) {
      const start = tokenSpan(token, file).start;
      diagnostics.push(
        syntaxError(
          'PB1002',
          'unterminated string',
          { file, start, end: { ...start, offset: start.offset + 1, col: start.col + 1 } },
          'add a closing `"` on the same line',
        ),
      );
      checkEscapes(token, file, diagnostics);
    } else if (token.tokenType === StringLit) checkEscapes(token, file, diagnostics);
  }
  diagnostics.sort((a, b) => a.span.start.offset - b.span.start.offset);
  return { tokens, diagnostics };
}

/** A word that spells a keyword becomes that keyword's token. */
function asKeyword(token: IToken): void {
  const keyword = keywordOf(token.image);
  if (keyword) {
    token.tokenType = keyword;
    token.tokenTypeIdx = keyword.tokenTypeIdx!;
  }
}

function unexpectedCharacters(found: string, span: Span): Diagnostic {
  return syntaxError('PB1001', `unexpected ${found.length === 1 ? 'character' : 'characters'} ${quoteSource(found)}`, span);
}

/** Words are lower case; a capitalised one is reported once and read as its lower-case form. */
function lowerCase(token: IToken, file: string, diagnostics: Diagnostic[]): void {
  const lower = token.image.toLowerCase();
  diagnostics.push(syntaxError('PB1007', `words are written in lower case: write \`${lower}\` instead of \`${token.image}\``, tokenSpan(token, file)));
  const relexed = lexer.tokenize(lower).tokens;
  // A capitalised word always lexes again as one identifier or keyword.
  const word = relexed[0];
  if (relexed.length === 1 && word) {
    token.tokenType = word.tokenType;
    token.tokenTypeIdx = word.tokenTypeIdx;
  }
  token.image = lower;
  if (token.tokenType === Identifier) asKeyword(token);
}

const allowedEscapes = new Set(['"', '\\', '{', '}']);

function checkEscapes(token: IToken, file: string, diagnostics: Diagnostic[]): void {
  const image = token.image;
  for (let i = image.indexOf('\\'); i !== -1 && i < image.length; i = image.indexOf('\\', i + 2)) {
    const escaped = image[i + 1];
    // A backslash ending an unterminated string is covered by PB1002.
    if (escaped === undefined || allowedEscapes.has(escaped)) continue;
    const start = { offset: token.startOffset + i, line: token.startLine ?? 1, col: (token.startColumn ?? 1) + i };
    diagnostics.push(
      syntaxError(
        'PB1006',
        `unknown escape ${quoteSource(image.slice(i, i + 2))} in a string`,
        { file, start, end: { offset: start.offset + 2, line: start.line, col: start.col + 2 } },
        'the escapes are `\\"`, `\\\\`, `\\{` and `\\}`',
      ),
    );
  }
}
