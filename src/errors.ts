/**
 * A mistake of the user (bad flag, missing file, bad account JSON, no such run), named by
 * its kind. Its message is one line a person can act on, shown without a stack trace. Each
 * surface maps the kind: the CLI to an exit code (src/cli/exit-code.ts), the HTTP API to a
 * status (src/api/errors.ts).
 * - `usage`: the command was used wrongly (unknown flag value, missing file);
 * - `invalid`: the input data is wrong (bad account JSON, a playbook with errors);
 * - `notFound`: no such run, token or account;
 * - `conflict`: the thing already exists (an open run, a token of that name).
 */
export type UserErrorKind = 'usage' | 'invalid' | 'notFound' | 'conflict';

export class UserError extends Error {
  constructor(
    message: string,
    readonly kind: UserErrorKind,
  ) {
    super(message);
    this.name = 'UserError';
  }
}
