/**
 * A mistake of the user (bad flag, missing file, bad account JSON, no such run). The CLI
 * prints its message on one line, without a stack trace, and exits with `exitCode`:
 * 1 for bad input data, 2 for bad usage (unknown flag, missing file). `kind` tells the HTTP
 * API which status to answer with: `invalid` 400 (the default), `notFound` 404, `conflict` 409.
 */
export type UserErrorKind = 'invalid' | 'notFound' | 'conflict';

export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 2,
    readonly kind: UserErrorKind = 'invalid',
  ) {
    super(message);
    this.name = 'UserError';
  }
}
