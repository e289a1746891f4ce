/**
 * Texts with `{expr}` interpolations: message strings in playbooks and email templates.
 * Each `{...}` is lexed and parsed with the expression grammar; its tokens are moved to
 * where they sit in the source, so spans point inside the string (escapes accounted for).
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { TextLit, TextPart } from './ast.js';
import { ExpressionBuilder } from './build-expression.js';
import { isRecognitionException, type IToken } from './chevrotain.js';
import type { ExpressionCstNode } from './cst.generated.js';
import { lexTokens } from './lexer.js';
import { parseErrorDiagnostics } from './parse-errors.js';
import { parser } from './parser.js';
import type { Pos, Span } from './span.js';
import { syntaxError } from './syntax-error.js';
import { tokenSpan } from './token-span.js';
import { LineBreak } from './tokens.js';

export interface InterpolatedText {
  parts: TextPart[];
  diagnostics: Diagnostic[];
}

/**
 * Parses raw text (an email template's subject or body) that starts at `origin` in `file`.
 * `\{` and `\}` write literal braces; an expression must close with `}` on its own line.
 */
export function parseInterpolated(text: string, file: string, origin: Pos): InterpolatedText {
  const diagnostics: Diagnostic[] = [];
  const parts = scan(text, origin, new Set(['{', '}']), new ExpressionBuilder(file, diagnostics));
  return { parts, diagnostics };
}

/** A string token of a message text as a `TextLit`; diagnostics go to the builder's list. */
export function textLiteral(token: IToken, builder: ExpressionBuilder): TextLit {
  const span = tokenSpan(token, builder.file);
  const closed = token.tokenType.name === 'StringLit';
  const raw = token.image.slice(1, closed ? -1 : undefined);
  const origin = { offset: span.start.offset + 1, line: span.start.line, col: span.start.col + 1 };
  const parts = scan(raw, origin, new Set(['"', '\\', '{', '}']), builder);
  const value = parts.map((p) => (p.kind === 'text' ? p.value : `{${sourceOf(raw, origin, p.expr.span)}}`)).join('');
  return { value, parts, span };
}

function sourceOf(raw: string, origin: Pos, span: Span): string {
  return raw.slice(span.start.offset - origin.offset, span.end.offset - origin.offset);
}

/** Where each character of `raw` is, computed on demand while scanning forwards. */
class Cursor {
  private index = 0;
  private offset: number;
  private line: number;
  private col: number;

  constructor(
    private readonly raw: string,
    origin: Pos,
  ) {
    ({ offset: this.offset, line: this.line, col: this.col } = origin);
  }

  /** The position of `raw[target]`; `target` never goes backwards. */
  at(target: number): Pos {
    for (; this.index < target; this.index++) {
      const c = this.raw[this.index];
      this.offset++;
      if (c === '\n' || (c === '\r' && this.raw[this.index + 1] !== '\n')) {
        this.line++;
        this.col = 1;
      } else this.col++;
    }
    return { offset: this.offset, line: this.line, col: this.col };
  }
}

function scan(raw: string, origin: Pos, escapes: ReadonlySet<string>, builder: ExpressionBuilder): TextPart[] {
  const parts: TextPart[] = [];
  const cursor = new Cursor(raw, origin);
  let literal = '';
  let i = 0;
  while (i < raw.length) {
    const c = raw[i] as string;
    const next = raw[i + 1];
    if (c === '\\' && next !== undefined && escapes.has(next)) {
      literal += next;
      i += 2;
    } else if (c === '{') {
      const segment = expressionSegment(raw, i + 1, escapes);
      const open = cursor.at(i);
      if (segment.end === undefined) {
        builder.diagnostics.push(
          syntaxError('PB1020', 'unclosed `{` in a text', spanAt(builder.file, open, 1), 'close it with `}`, or write `\\{` for a literal brace'),
        );
        literal += raw.slice(i);
        break;
      }
      if (literal) parts.push({ kind: 'text', value: literal });
      literal = '';
      if (segment.text.trim() === '') {
        builder.diagnostics.push(
          syntaxError('PB1021', 'empty `{}` in a text', spanAt(builder.file, open, segment.end + 1 - i), 'put an expression inside, such as `{account.name}`'),
        );
      } else {
        const expr = parseSegment(segment, cursor.at(i + 1), builder);
        if (expr) parts.push(expr);
      }
      cursor.at(segment.end);
      i = segment.end + 1;
    } else {
      literal += c;
      i++;
    }
  }
  if (literal) parts.push({ kind: 'text', value: literal });
  return parts;
}

interface Segment {
  /** The expression source with the string's escapes resolved. */
  text: string;
  /** For each character of `text`, the index in `raw` of its first and its last character. */
  firstRaw: number[];
  lastRaw: number[];
  /** Index in `raw` of the closing `}`; undefined when the line or text ends first. */
  end: number | undefined;
}

function expressionSegment(raw: string, start: number, escapes: ReadonlySet<string>): Segment {
  const segment: Segment = { text: '', firstRaw: [], lastRaw: [], end: undefined };
  for (let i = start; i < raw.length; i++) {
    const c = raw[i] as string;
    if (c === '}') return { ...segment, end: i };
    if (c === '\n' || c === '\r') break;
    const escaped = c === '\\' && escapes.has(raw[i + 1] ?? '') ? (raw[i + 1] as string) : undefined;
    segment.text += escaped ?? c;
    segment.firstRaw.push(i);
    if (escaped !== undefined) i++;
    segment.lastRaw.push(i);
  }
  return segment;
}

/** Parses a non-empty segment whose first character is at `base`. */
function parseSegment(segment: Segment, base: Pos, builder: ExpressionBuilder): TextPart | undefined {
  const file = builder.file;
  const firstRawIndex = segment.firstRaw[0] ?? 0;
  // The segment is on one line: a raw index maps to a column by its distance from the start.
  const pos = (rawIndex: number): Pos => {
    const d = rawIndex - firstRawIndex;
    return { offset: base.offset + d, line: base.line, col: base.col + d };
  };
  const { tokens, diagnostics } = lexTokens(segment.text, file);
  for (const d of diagnostics) {
    d.span = {
      file,
      start: pos(segment.firstRaw[d.span.start.offset] ?? firstRawIndex),
      end: pos((segment.lastRaw[d.span.end.offset - 1] ?? firstRawIndex) + 1),
    };
    builder.diagnostics.push(d);
  }
  const exprTokens = tokens.filter((t) => t.tokenType !== LineBreak);
  for (const t of exprTokens) {
    const start = pos(segment.firstRaw[t.startOffset] ?? firstRawIndex);
    const end = pos(segment.lastRaw[t.endOffset ?? t.startOffset] ?? firstRawIndex);
    Object.assign(t, {
      startOffset: start.offset,
      startLine: start.line,
      startColumn: start.col,
      endOffset: end.offset,
      endLine: end.line,
      endColumn: end.col,
    });
  }
  parser.input = exprTokens;
  let cst: ExpressionCstNode | undefined;
  try {
    // chevrotain types every rule's result as a CstNode; the rule `expression` builds this one.
    cst = parser.expression() as ExpressionCstNode;
  } catch (e) {
    // Recorded in parser.errors; there is no tree to build.
    if (!isRecognitionException(e as Error)) throw e;
  }
  const end = pos((segment.lastRaw[segment.lastRaw.length - 1] ?? firstRawIndex) + 1);
  const errors = parseErrorDiagnostics(parser.errors, file, end);
  builder.diagnostics.push(...errors);
  if (errors.length > 0 || !cst) return undefined;
  const expr = builder.expression(cst);
  return expr && { kind: 'expr', expr };
}

function spanAt(file: string, start: Pos, width: number): Span {
  return { file, start, end: { offset: start.offset + width, line: start.line, col: start.col + width } };
}
