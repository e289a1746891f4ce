/**
 * The front door of the language: source text → AST and syntax diagnostics (PB1xxx).
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { SourceFile } from './ast.js';
import { buildAst } from './build-ast.js';
import { isRecognitionException, type IToken } from './chevrotain.js';
import type { FileCstNode } from './cst.generated.js';
import { tokenize } from './lexer.js';
import { parseErrorDiagnostics } from './parse-errors.js';
import { parser } from './parser.js';
import type { Pos, Span } from './span.js';
import { syntaxError } from './syntax-error.js';

export { syntaxDiagnosticCodes } from './syntax-codes.js';

export interface ParseResult {
  ast: SourceFile;
  diagnostics: Diagnostic[];
}

const BOM = '\ufeff';

/**
 * Parses one `.playbook` file. Never throws: every problem is a diagnostic, sorted by
 * position, at most one parse error per line (later ones on a line are usually caused by
 * the first). A leading UTF-8 BOM is dropped; spans index the text after it.
 */
export function parseSource(text: string, file: string): ParseResult {
  const source = text.startsWith(BOM) ? text.slice(1) : text;
  const span: Span = { file, start: { offset: 0, line: 1, col: 1 }, end: endOf(source) };
  try {
    const { tokens, diagnostics: lexical } = tokenize(source, file);
    const cst = parseFile(tokens);
    const parseErrors = parseErrorDiagnostics(parser.errors, file, span.end);
    const structural: Diagnostic[] = [];
    const ast = buildAst(cst, file, span, structural);
    return { ast, diagnostics: merge(lexical, [...parseErrors, ...structural]) };
  } catch (e) {
    // Last resort: input that defeats the nesting limits must still give a diagnostic.
    if (!(e instanceof RangeError)) throw e;
    return {
      ast: { file, declarations: [], span },
      diagnostics: [syntaxError('PB1005', 'the file is nested too deeply to parse', { file, start: span.start, end: span.start })],
    };
  }
}

/**
 * Runs the parser over a file's tokens. chevrotain throws when an error cannot be re-synced
 * inside any rule; the error is already recorded, so the partial tree is used.
 */
function parseFile(tokens: IToken[]): FileCstNode {
  parser.input = tokens;
  try {
    // chevrotain types every rule's result as a CstNode; the rule `file` builds a FileCstNode.
    return parser.file() as FileCstNode;
  } catch (e) {
    if (!isRecognitionException(e as Error)) throw e;
    return (e as { partialCstResult?: FileCstNode }).partialCstResult ?? { name: 'file', children: {} };
  }
}

/** Lexical diagnostics, then the first later diagnostic of each line that has none yet. */
function merge(lexical: Diagnostic[], later: Diagnostic[]): Diagnostic[] {
  const byPosition = (a: Diagnostic, b: Diagnostic) => a.span.start.offset - b.span.start.offset;
  const lines = new Set(lexical.map((d) => d.span.start.line));
  const kept = [...lexical];
  for (const d of [...later].sort(byPosition)) {
    if (lines.has(d.span.start.line)) continue;
    lines.add(d.span.start.line);
    kept.push(d);
  }
  return kept.sort(byPosition);
}

function endOf(text: string): Pos {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset: text.length, line, col: text.length - lineStart + 1 };
}
