/**
 * The run key of `one run per account and <value>`: the values that, with the playbook and
 * the account, name a run (its workflow id, `workflowIdOf`). Read from the account and the
 * triggering event at the start. Pure and workflow-safe.
 */
import type { ResolvedCalendar } from '../calendar/index.js';
import { describeExpr } from '../ir/describe.js';
import type { AccountData, PlaybookIr } from '../ir/types.js';
import { evaluate } from './expr.js';

/** The key's values as text, `[]` for a playbook without a run key, or the part that has no value. */
export function runKeyOf(
  playbook: PlaybookIr,
  account: AccountData,
  bindings: Record<string, Record<string, unknown>> | undefined,
  now: number,
  calendar: ResolvedCalendar,
): { key: string[] } | { missing: string } {
  const key: string[] = [];
  for (const part of playbook.runKey ?? []) {
    const value = evaluate(part, { account, binding: (name) => bindings?.[name], answer: () => undefined, now, calendar });
    if (value === null || value === '') return { missing: describeExpr(part) };
    key.push(String(value));
  }
  return { key };
}
