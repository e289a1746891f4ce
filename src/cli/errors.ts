/**
 * A mistake of the user (bad flag, missing file, bad account JSON). The CLI prints its
 * message on one line, without a stack trace, and exits with `exitCode`:
 * 1 for bad input data, 2 for bad usage (unknown flag, missing file).
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 2,
  ) {
    super(message);
    this.name = 'UserError';
  }
}
