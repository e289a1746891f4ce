/**
 * A comparison with a missing value is false (LANGUAGE.md), so an `if … else` sends an account
 * whose compared field is empty down its `else` branch. That is rarely what the author means
 * ("health score not above 70" is not "health score unknown"), so it is a warning unless some
 * branch tests the value with `is empty` / `is not empty`. Not for answers (a completed task
 * has them) nor for yes/no values, where missing reads as "no" (`if account.sso is yes`).
 */
import type { Expr, FieldRef } from '../../language/ast.js';
import type { CheckContext, CheckRegistry } from '../registry.js';

export const missingValueChecks: CheckRegistry = {
  step: [
    (node, accept, ctx) => {
      if (node.kind !== 'if' || !node.else) return;
      const compared = new Map<string, FieldRef>();
      const tested = new Set<string>();
      for (const branch of node.branches) collect(branch.condition, true, compared, tested);
      for (const [name, ref] of compared) {
        if (tested.has(name) || !mayBeMissing(ref, ctx)) continue;
        accept('PB3020', ref.span, `when \`${name}\` is missing, every comparison with it is false and the \`else\` branch is taken`, {
          hint: `add \`else if ${name} is empty:\` before \`else\` to handle a missing value`,
        });
      }
    },
  ],
};

/**
 * The references a condition compares where a missing value makes it false (under an even
 * number of `not`s), and the references it tests with `is empty` anywhere.
 */
function collect(e: Expr, positive: boolean, compared: Map<string, FieldRef>, tested: Set<string>): void {
  switch (e.kind) {
    case 'and':
    case 'or':
      collect(e.left, positive, compared, tested);
      collect(e.right, positive, compared, tested);
      return;
    case 'not':
      collect(e.operand, !positive, compared, tested);
      return;
    case 'isEmpty':
      for (const ref of refsIn(e.operand)) tested.add(refText(ref));
      return;
    case 'compare':
      if (positive) for (const ref of [...refsIn(e.left), ...refsIn(e.right)]) if (!compared.has(refText(ref))) compared.set(refText(ref), ref);
      return;
    case 'in':
      if (positive) for (const ref of refsIn(e.left)) if (!compared.has(refText(ref))) compared.set(refText(ref), ref);
      return;
    default:
      return;
  }
}

/** The references a value is computed from (a missing one makes it missing). */
function refsIn(e: Expr): FieldRef[] {
  switch (e.kind) {
    case 'ref':
      return [e];
    case 'arith':
      return [...refsIn(e.left), ...refsIn(e.right)];
    case 'daysUntil':
    case 'daysSince':
    case 'businessDaysSince':
      return refsIn(e.operand);
    case 'offset':
      return refsIn(e.base);
    default:
      return [];
  }
}

function mayBeMissing(ref: FieldRef, ctx: CheckContext): boolean {
  const resolution = ctx.resolve(ref);
  return !('problem' in resolution) && resolution.target.kind !== 'answer' && ctx.typeOf(ref).kind !== 'yes/no';
}

function refText(ref: FieldRef): string {
  return [ref.root.name, ...ref.path.map((p) => p.name)].join('.');
}
