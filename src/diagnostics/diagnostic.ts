import type { CheckCode, InternalCode } from '../check/codes.js';
import type { Span } from '../language/span.js';
import type { SyntaxCode } from '../language/syntax-codes.js';

export type Severity = 'error' | 'warning';

/** Every code a diagnostic can have: the keys of the stages' code tables. */
export type DiagnosticCode = SyntaxCode | CheckCode | InternalCode;

/** A related location, e.g. "first defined here". */
export interface RelatedInfo {
  message: string;
  span: Span;
}

/**
 * A problem found in the source. Diagnostics are plain data: every stage (lexer, parser,
 * checker, CLI) produces them and `render.ts` is the only place that turns them into text.
 * `code` is stable (e.g. `PB2001`) and is what tests assert; wording may improve.
 */
export interface Diagnostic {
  severity: Severity;
  code: DiagnosticCode;
  message: string;
  span: Span;
  hint?: string;
  related?: RelatedInfo[];
}
