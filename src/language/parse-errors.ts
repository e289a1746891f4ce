import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { IRecognitionException } from './chevrotain.js';
import type { Pos } from './span.js';
import { syntaxError } from './syntax-error.js';
import { tokenSpan } from './token-span.js';

/**
 * chevrotain's recognition errors as PB1010 diagnostics. A token past the end of the input
 * has no position; its errors point at `end` instead.
 */
export function parseErrorDiagnostics(errors: IRecognitionException[], file: string, end: Pos): Diagnostic[] {
  return errors.map((e) => {
    const span = Number.isNaN(e.token.startOffset) ? { file, start: end, end } : tokenSpan(e.token, file);
    return syntaxError('PB1010', e.message, span);
  });
}
