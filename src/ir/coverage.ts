/**
 * Lowering of the workspace's `coverage` declarations (CoverageIr): the condition as every
 * condition, the covering playbook's calendar, and the dates from which a run counts, read
 * from the condition's `days until` / `days since` terms (docs/kpis.md, "Coverage").
 */
import type { CheckedWorkspace } from '../check/model.js';
import { compareStrings } from '../util/compare-strings.js';
import { lowerExpr } from './lower-expr.js';
import { lowerPlaybook } from './lower.js';
import type { CoverageIr, ExprIr } from './types.js';

/** Precondition: `model` comes from a check without errors. Sorted by id. */
export function lowerCoverages(model: CheckedWorkspace): CoverageIr[] {
  return [...model.coverages.values()]
    .sort((a, b) => compareStrings(a.id, b.id))
    .map(({ id, decl, file }) => {
      const program = lowerPlaybook(model, decl.playbook.name);
      const calendarId = program.playbooks[program.entry]?.calendar ?? null;
      const population = lowerExpr(decl.population, model.refs);
      return {
        id,
        title: decl.title?.value ?? null,
        target: decl.target.value,
        population,
        playbook: decl.playbook.name,
        calendar: calendarId === null ? null : (program.calendars[calendarId] ?? null),
        since: sinceDates(population),
        file: file.relPath,
        line: decl.span.start.line,
      };
    });
}

/**
 * The dates (a date field plus days) on which the `and`-joined date terms of a condition
 * start to hold: `days until F <= N` from F − N, `< N` from F − N + 1; `days since F >= N`
 * from F + N, `> N` from F + N + 1, `<= N` / `< N` from F. Terms under `or` or `not`, and
 * other comparisons, give none.
 */
export function sinceDates(expr: ExprIr): Array<{ field: string; days: number }> {
  if (expr.op === 'and') return [...sinceDates(expr.left), ...sinceDates(expr.right)];
  if (expr.op !== 'compare') return [];
  const flipped = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '=': '=', '!=': '!=' } as const;
  const [term, cmp, bound] =
    expr.right.op === 'lit' ? [expr.left, expr.cmp, expr.right] : expr.left.op === 'lit' ? [expr.right, flipped[expr.cmp], expr.left] : [null, expr.cmp, null];
  if (term === null || bound === null || bound.op !== 'lit' || typeof bound.value !== 'number' || !Number.isInteger(bound.value)) return [];
  if ((term.op !== 'daysUntil' && term.op !== 'daysSince') || term.operand.op !== 'field') return [];
  const field = term.operand.field;
  const n = bound.value;
  if (term.op === 'daysUntil') {
    if (cmp === '<=') return [{ field, days: -n }];
    if (cmp === '<') return [{ field, days: -n + 1 }];
    return [];
  }
  if (cmp === '>=') return [{ field, days: n }];
  if (cmp === '>') return [{ field, days: n + 1 }];
  if (cmp === '<=' || cmp === '<') return [{ field, days: 0 }];
  return [];
}
