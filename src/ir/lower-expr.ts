/**
 * Lowering of expressions, texts, durations and recipients: the leaves every step uses.
 * Input is checked AST; what each dotted reference stands for comes from the checker.
 */
import type { RefTarget } from '../check/model.js';
import type { CompareOp, Duration, Expr, FieldRef, Recipient, Sender, TextPart } from '../language/ast.js';
import { parseMailbox } from './mailbox.js';
import type { DurationIr, ExprIr, RecipientIr, SenderIr, TextIr } from './types.js';

/** The checker's resolution of every reference (`CheckedWorkspace.refs`). */
export type RefScope = ReadonlyMap<FieldRef, RefTarget>;

const COMPARE: Record<CompareOp, Extract<ExprIr, { op: 'compare' }>['cmp']> = {
  is: '=',
  'is not': '!=',
  '=': '=',
  '!=': '!=',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
};

/** Bare words that mean yes/no values rather than `one of` values. */
const BOOLEAN_WORDS: Record<string, boolean> = { yes: true, true: true, no: false, false: false };

export function lowerExpr(expr: Expr, scope: RefScope): ExprIr {
  switch (expr.kind) {
    case 'ref':
      return lowerRef(expr, scope);
    case 'string':
      return { op: 'lit', type: 'text', value: expr.value };
    case 'number':
      return { op: 'lit', type: 'number', value: expr.value };
    case 'date':
      return { op: 'lit', type: 'date', value: expr.value };
    case 'bool':
      return { op: 'lit', type: 'yes/no', value: expr.value };
    case 'word': {
      const bool = BOOLEAN_WORDS[expr.name];
      return bool === undefined ? { op: 'lit', type: 'text', value: expr.name } : { op: 'lit', type: 'yes/no', value: bool };
    }
    case 'today':
      return { op: 'today' };
    case 'compare':
      return { op: 'compare', cmp: COMPARE[expr.op], left: lowerExpr(expr.left, scope), right: lowerExpr(expr.right, scope) };
    case 'in':
      return {
        op: 'in',
        negated: expr.negated,
        left: lowerExpr(expr.left, scope),
        list: expr.list.map((e) => lowerExpr(e, scope)),
      };
    case 'and':
    case 'or':
      return { op: expr.kind, left: lowerExpr(expr.left, scope), right: lowerExpr(expr.right, scope) };
    case 'not':
      return { op: 'not', operand: lowerExpr(expr.operand, scope) };
    case 'daysUntil':
    case 'daysSince':
    case 'businessDaysSince':
      return { op: expr.kind, operand: lowerExpr(expr.operand, scope) };
    case 'offset':
      return {
        op: 'offset',
        offset: lowerDuration(expr.offset),
        direction: expr.direction,
        base: lowerExpr(expr.base, scope),
      };
    case 'arith':
      return lowerArith(expr, scope);
    case 'isEmpty':
      return { op: 'isEmpty', negated: expr.negated, operand: lowerExpr(expr.operand, scope) };
    case 'duration':
      // The checker admits a duration only as an operand of date arithmetic (`lowerArith`).
      throw new Error('internal: a duration outside date arithmetic');
  }
}

/** `<date> ± <duration>` (either order for `+`) is a date offset; anything else is arithmetic on numbers. */
function lowerArith(expr: Extract<Expr, { kind: 'arith' }>, scope: RefScope): ExprIr {
  const { left, right } = expr;
  if (right.kind === 'duration' && (expr.op === '+' || expr.op === '-')) {
    return { op: 'offset', offset: lowerDuration(right.duration), direction: expr.op === '+' ? 'after' : 'before', base: lowerExpr(left, scope) };
  }
  if (left.kind === 'duration' && expr.op === '+') {
    return { op: 'offset', offset: lowerDuration(left.duration), direction: 'after', base: lowerExpr(right, scope) };
  }
  return { op: 'arith', arith: expr.op, left: lowerExpr(left, scope), right: lowerExpr(right, scope) };
}

function lowerRef(ref: FieldRef, scope: RefScope): ExprIr {
  const target = scope.get(ref);
  if (!target) {
    // Lowering runs only on a workspace without check errors, where every reference resolved.
    const { file, start } = ref.span;
    throw new Error(`internal: unresolved reference at ${file}:${start.line}:${start.col}`);
  }
  switch (target.kind) {
    case 'field':
      return { op: 'field', field: target.field };
    case 'eventField':
      return { op: 'eventField', event: target.event, path: target.path };
    case 'answer':
      return { op: 'answer', task: target.task, ask: target.ask };
    case 'param':
      return { op: 'param', param: target.param };
  }
}

/** The field named by `account.<field>` (the checker guarantees the shape). */
export function accountField(ref: FieldRef): string {
  return ref.path[0]?.name ?? '';
}

/** Literal pieces and interpolations in order; empty literal pieces are dropped. */
export function lowerText(parts: TextPart[], scope: RefScope): TextIr {
  return parts.flatMap((part): TextIr => {
    if (part.kind === 'expr') return [lowerExpr(part.expr, scope)];
    return part.value === '' ? [] : [part.value];
  });
}

export function lowerDuration(duration: Duration): DurationIr {
  return { amount: duration.amount, unit: duration.unit };
}

export function lowerSender(sender: Sender): SenderIr {
  if (sender.kind === 'field') return { kind: 'field', field: accountField(sender.field) };
  const parsed = parseMailbox(sender.value.value)!;
  return { kind: 'address', address: parsed.address, name: parsed.name };
}

export function lowerRecipient(recipient: Recipient, scope: RefScope): RecipientIr {
  switch (recipient.kind) {
    case 'field': {
      const target = scope.get(recipient.field);
      return target?.kind === 'param' ? { kind: 'param', param: target.param } : { kind: 'field', field: accountField(recipient.field) };
    }
    case 'role':
      return { kind: 'role', name: recipient.name.value };
    case 'address':
      return { kind: 'address', address: recipient.address.value };
  }
}
