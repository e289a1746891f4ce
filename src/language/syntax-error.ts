/** The one constructor of syntax diagnostics: always errors, with a code from `syntaxDiagnosticCodes`. */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Span } from './span.js';
import type { SyntaxCode } from './syntax-codes.js';

export function syntaxError(code: SyntaxCode, message: string, span: Span, hint?: string): Diagnostic {
  return hint === undefined ? { severity: 'error', code, message, span } : { severity: 'error', code, message, span, hint };
}
