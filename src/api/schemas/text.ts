/**
 * Text in paths, queries and ids. Ids become parts of Temporal workflow ids and visibility
 * queries, so they are bounded (a workflow id is at most 1,000 bytes) and free of control
 * characters; names of the language (playbooks, stages, tasks) have its identifier shape.
 */
import * as z from 'zod';

/** Up to `max` characters, none of them a control character. */
export function printable(max: number) {
  return z
    .string()
    .min(1)
    .max(max)
    .regex(/^[^\u0000-\u001f\u007f]+$/, { error: 'must not contain control characters' });
}

/** A name as the language spells it: `[a-z][a-z0-9_-]*`. */
export function identifier() {
  return z
    .string()
    .max(100)
    .regex(/^[a-z][a-z0-9_-]*$/, { error: 'expected a name of lowercase letters, digits, "-" and "_", starting with a letter' });
}
