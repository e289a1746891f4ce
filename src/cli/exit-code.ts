/** The CLI's exit code for a user mistake: 2 for bad usage, 1 for everything else the user got wrong. */
import type { UserErrorKind } from '../errors.js';

const EXIT_CODE: Record<UserErrorKind, 1 | 2> = { usage: 2, invalid: 1, notFound: 1, conflict: 1 };

export function exitCodeOf(kind: UserErrorKind): 1 | 2 {
  return EXIT_CODE[kind];
}
