/**
 * Schemas for single values typed in the language: account fields and task answers share
 * them, so `--set`, account files, account updates and `--complete` answers all accept and
 * reject exactly the same values with the same words. The rules themselves are in
 * value-rules.ts, shared with the workflow's own check of account updates.
 */
import * as z from 'zod';
import type { AccountValue, FieldTypeIr } from '../ir/types.js';
import { expectation, fitsType } from '../ir/value-rules.js';

export { describeValue } from '../ir/value-rules.js';

/** The zod schema of one non-empty value of `type`; its only error message is `expectation(type)`. */
export function valueSchema(type: FieldTypeIr): z.ZodType<AccountValue> {
  return z.custom<AccountValue>((value) => fitsType(type, value), { error: expectation(type) });
}
