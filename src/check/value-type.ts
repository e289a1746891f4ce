/**
 * Static types of expressions. Checks compare these; `unknown` (an unresolved reference or
 * an untyped event payload field) is compatible with everything so a mistake is reported
 * once, where it is, and never again by the expressions around it.
 */
import type { AskType, Expr, FieldType, ScalarFieldType } from '../language/ast.js';

export type ValueType =
  | { kind: ScalarFieldType }
  | { kind: 'oneOf'; values: string[] }
  /** A `list of <type>` field: only `is empty`, recipients and text use it. */
  | { kind: 'list'; of: ScalarFieldType }
  /** A bare word: typed by what it is compared with (a `one of` value). */
  | { kind: 'word'; name: string }
  /** `90 days` as an operand: only `<date> + <duration>` and `<date> - <duration>` use it. */
  | { kind: 'duration' }
  | { kind: 'unknown' };

export const UNKNOWN: ValueType = { kind: 'unknown' };
const TEXT: ValueType = { kind: 'text' };
const NUMBER: ValueType = { kind: 'number' };
const DATE: ValueType = { kind: 'date' };
const YES_NO: ValueType = { kind: 'yes/no' };

export function fieldValueType(type: FieldType | AskType): ValueType {
  if (type.kind === 'list') return { kind: 'list', of: type.of };
  return type.kind === 'oneOf' ? { kind: 'oneOf', values: type.values.map((v) => v.name) } : { kind: type.name };
}

/** The type of `expr`, given the types of the references in it. */
export function typeOf(expr: Expr, refType: (ref: Extract<Expr, { kind: 'ref' }>) => ValueType): ValueType {
  switch (expr.kind) {
    case 'ref':
      return refType(expr);
    case 'string':
      return TEXT;
    case 'number':
    case 'daysUntil':
    case 'daysSince':
    case 'businessDaysSince':
      return NUMBER;
    case 'date':
    case 'today':
    case 'offset':
      return DATE;
    case 'arith':
      // A duration operand makes date arithmetic; anything else is arithmetic on numbers.
      return expr.left.kind === 'duration' || expr.right.kind === 'duration' ? DATE : NUMBER;
    case 'duration':
      return { kind: 'duration' };
    case 'bool':
    case 'compare':
    case 'isEmpty':
    case 'in':
    case 'and':
    case 'or':
    case 'not':
      return YES_NO;
    case 'word':
      return { kind: 'word', name: expr.name };
  }
}

/** Text-like types compare with each other: addresses and zone names are text. */
export function isTextLike(t: ValueType): boolean {
  return t.kind === 'text' || t.kind === 'user' || t.kind === 'contact' || t.kind === 'timezone';
}

/** Whether `a` and `b` can be compared with `is` / `=` / `in` (literal values are checked separately). */
export function equatable(a: ValueType, b: ValueType): boolean {
  if (a.kind === 'unknown' || b.kind === 'unknown') return true;
  if (a.kind === 'oneOf' || b.kind === 'oneOf') {
    const other = a.kind === 'oneOf' ? b : a;
    return other.kind === 'oneOf' || other.kind === 'word' || isTextLike(other);
  }
  if (isTextLike(a) && isTextLike(b)) return true;
  return a.kind === b.kind && a.kind !== 'word' && a.kind !== 'duration' && a.kind !== 'list';
}

/** Whether `<`, `<=`, `>`, `>=` apply to a value of this type. */
export function orderable(t: ValueType): boolean {
  return t.kind === 'number' || t.kind === 'date' || t.kind === 'unknown';
}

export function isDate(t: ValueType): boolean {
  return t.kind === 'date' || t.kind === 'unknown';
}

export function isYesNo(t: ValueType): boolean {
  return t.kind === 'yes/no' || t.kind === 'unknown';
}

/** Whether a value of type `given` may be stored where `target` is declared (`set`, an ask's `default`, a parameter). */
export function assignable(target: ValueType, given: ValueType): boolean {
  if (given.kind === 'unknown') return true;
  if (target.kind === 'oneOf') return given.kind === 'oneOf';
  if (isTextLike(target)) return isTextLike(given) || given.kind === 'oneOf';
  return target.kind === given.kind;
}

/** A type in words, for messages: `a number`, `text`. */
export function describeType(t: ValueType): string {
  switch (t.kind) {
    case 'text':
      return 'text';
    case 'number':
      return 'a number';
    case 'date':
      return 'a date';
    case 'yes/no':
      return 'a yes/no value';
    case 'user':
      return 'a user';
    case 'contact':
      return 'a contact';
    case 'timezone':
      return 'a time zone';
    case 'oneOf':
      return `a \`one of\` value (${t.values.join(', ')})`;
    case 'list':
      return `a list of ${t.of} values`;
    case 'word':
      return `the bare word \`${t.name}\``;
    case 'duration':
      return 'a duration';
    case 'unknown':
      return 'a value of unknown type';
  }
}
