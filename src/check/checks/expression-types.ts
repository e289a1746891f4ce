/**
 * Static types: comparisons, `in` lists, `and`/`or`/`not`, `days until`, date offsets,
 * conditions, `wait until`, `set` and relative triggers. An `unknown` side (a reference
 * already reported, or an event payload field) is never reported again.
 */
import type { AskDecl, Expr, FieldRef, TextPart } from '../../language/ast.js';
import type { Span } from '../../language/span.js';
import type { Accept, CheckContext, CheckRegistry } from '../registry.js';
import { assignable, describeType, equatable, fieldValueType, isDate, isTextLike, isYesNo, orderable, type ValueType } from '../value-type.js';

export const expressionTypeChecks: CheckRegistry = {
  expr: [
    (node, accept, ctx) => {
      switch (node.kind) {
        case 'compare': {
          if (node.op === '<' || node.op === '<=' || node.op === '>' || node.op === '>=') checkOrdering(node.op, node.left, node.right, node.span, accept, ctx);
          else checkEquality(node.left, node.right, node.span, accept, ctx);
          return;
        }
        case 'in':
          for (const item of node.list) checkEquality(node.left, item, item.span, accept, ctx);
          return;
        case 'and':
        case 'or':
          for (const side of [node.left, node.right]) expectYesNo(side, `\`${node.kind}\` joins yes/no conditions`, accept, ctx);
          return;
        case 'not':
          expectYesNo(node.operand, '`not` negates a yes/no condition', accept, ctx);
          return;
        case 'daysUntil':
        case 'daysSince':
        case 'businessDaysSince': {
          const words = { daysUntil: 'days until', daysSince: 'days since', businessDaysSince: 'business days since' }[node.kind];
          expectDate(node.operand, `\`${words}\` needs a date`, accept, ctx);
          return;
        }
        case 'offset':
          expectDate(node.base, `\`${node.direction}\` needs a date to count from`, accept, ctx);
          return;
        case 'arith':
          checkArith(node, accept, ctx);
          return;
        case 'isEmpty':
          rejectLoneDuration(node.operand, accept);
          return;
        default:
          return;
      }
    },
  ],
  condition: [(node, accept, ctx) => expectYesNo(node, 'a condition must be yes/no', accept, ctx)],
  header: [
    (node, accept, ctx) => {
      if (node.kind === 'trigger' && node.trigger.kind === 'relative') {
        expectDate(node.trigger.field, `\`trigger ... ${node.trigger.direction}\` needs a date field`, accept, ctx);
      }
    },
  ],
  step: [
    (node, accept, ctx) => {
      if (node.kind === 'waitUntil') expectDate(node.at, '`wait until` needs a date', accept, ctx);
      if (node.kind === 'set') checkSet(node.field, node.value, accept, ctx);
      if (node.kind === 'task') for (const ask of node.asks) checkAskDefault(ask, accept, ctx);
      const named = node.kind === 'webhook' ? node.fields : node.kind === 'runPlaybook' ? node.args : [];
      for (const field of named) rejectBareWord(field.value, accept);
      for (const field of named) rejectLoneDuration(field.value, accept);
      const text = 'text' in node ? node.text : node.kind === 'task' ? node.title : undefined;
      if (text) rejectBareWords(text.parts, accept);
    },
  ],
  template: [
    (node, accept) => {
      rejectBareWords(node.subject, accept);
      rejectBareWords(node.body, accept);
    },
  ],
};

/** A list (`list of contact`) is never compared: reported once, on the list, before any other comparison check. */
function rejectList(sides: Expr[], accept: Accept, ctx: CheckContext): boolean {
  const list = sides.find((e) => ctx.typeOf(e).kind === 'list');
  if (list === undefined) return false;
  accept('PB2124', list.span, `${describeType(ctx.typeOf(list))} cannot be compared`, { hint: 'test a list with `is empty` or `is not empty`' });
  return true;
}

function checkOrdering(op: string, left: Expr, right: Expr, span: Span, accept: Accept, ctx: CheckContext): void {
  if (rejectList([left, right], accept, ctx)) return;
  const a = ctx.typeOf(left);
  const b = ctx.typeOf(right);
  const bad = [
    { e: left, t: a },
    { e: right, t: b },
  ].filter((side) => !orderable(side.t));
  if (bad.length > 0) {
    // One diagnostic: on the offending side, or on the whole comparison when both are wrong.
    const where = bad.length === 1 ? bad[0]!.e.span : span;
    const what = bad.length === 1 || describeType(a) === describeType(b) ? describeType(bad[0]!.t) : `${describeType(a)} and ${describeType(b)}`;
    const textual = bad.some(({ t }) => t.kind === 'oneOf' || t.kind === 'word' || isTextLike(t));
    accept('PB2021', where, `\`${op}\` compares numbers or dates, but ${bad.length === 1 ? 'this is' : 'these are'} ${what}`, {
      hint: textual ? 'use `is`, `is not` or `in [...]`' : undefined,
    });
  } else if (a.kind !== 'unknown' && b.kind !== 'unknown' && a.kind !== b.kind) {
    accept('PB2020', span, `cannot compare ${describeType(a)} with ${describeType(b)}`, dateNumberHint(a, b));
  }
}

/** `is`, `is not`, `=`, `!=` and the items of `in [...]`. */
function checkEquality(left: Expr, right: Expr, span: Span, accept: Accept, ctx: CheckContext): void {
  if (rejectList([left, right], accept, ctx)) return;
  const a = ctx.typeOf(left);
  const b = ctx.typeOf(right);
  for (const [value, valueType, other, otherType] of [
    [right, b, left, a],
    [left, a, right, b],
  ] as const) {
    if (otherType.kind === 'oneOf') {
      const literal = literalText(value);
      if (literal !== undefined && !otherType.values.includes(literal)) {
        reportOutsideOneOf(value, literal, other, otherType.values, accept);
        return;
      }
    } else if (valueType.kind === 'word' && otherType.kind !== 'unknown') {
      reportBareWord(value, valueType.name, accept);
      return;
    }
  }
  if (!equatable(a, b)) accept('PB2020', span, `cannot compare ${describeType(a)} with ${describeType(b)}`, dateNumberHint(a, b));
}

function checkSet(field: FieldRef, value: Expr, accept: Accept, ctx: CheckContext): void {
  const resolution = ctx.resolve(field);
  if ('problem' in resolution) return;
  if (resolution.target.kind !== 'field') {
    accept('PB2019', field.span, 'only account fields can be set: `set account.<field> to <value>`');
    return;
  }
  const target = resolution.type;
  const given = ctx.typeOf(value);
  const name = `account.${resolution.target.field}`;
  if (target.kind === 'oneOf') {
    const literal = literalText(value);
    if (literal !== undefined) {
      if (!target.values.includes(literal)) reportOutsideOneOf(value, literal, field, target.values, accept);
      return;
    }
  } else if (given.kind === 'word') {
    reportBareWord(value, given.name, accept);
    return;
  }
  if (!assignable(target, given)) {
    accept('PB2024', value.span, `\`${name}\` is ${describeType(target)}; it cannot be set to ${describeType(given)}`);
  }
}

/** `default` gives the answer a completion leaves out, so it must be a value of the ask's type. */
function checkAskDefault(ask: AskDecl, accept: Accept, ctx: CheckContext): void {
  const value = ask.default;
  if (!value) return;
  const target = fieldValueType(ask.type);
  const given = ctx.typeOf(value);
  if (target.kind === 'oneOf') {
    const literal = literalText(value);
    if (literal !== undefined) {
      if (!target.values.includes(literal)) {
        accept('PB2022', value.span, `\`${literal}\` is not one of the values of ask \`${ask.name.name}\``, {
          hint: `allowed values: ${target.values.join(', ')}`,
        });
      }
      return;
    }
  } else if (given.kind === 'word') {
    reportBareWord(value, given.name, accept);
    return;
  }
  if (!assignable(target, given)) {
    accept('PB2140', value.span, `ask \`${ask.name.name}\` is ${describeType(target)}; its default cannot be ${describeType(given)}`, {
      hint: `give a default of its type, e.g. ${DEFAULT_EXAMPLES[target.kind as keyof typeof DEFAULT_EXAMPLES] ?? 'a value of its type'}`,
    });
  }
}

const DEFAULT_EXAMPLES = { number: '`default 10`', text: '`default "none"`', date: '`default 2026-06-30`', 'yes/no': '`default no`' } as const;

function expectYesNo(e: Expr, what: string, accept: Accept, ctx: CheckContext): void {
  const t = ctx.typeOf(e);
  if (!isYesNo(t))
    accept(
      'PB2025',
      e.span,
      `${what}, but this is ${describeType(t)}`,
      t.kind === 'oneOf' ? { hint: 'compare it, e.g. `account.status is active`' } : undefined,
    );
}

function expectDate(e: Expr, what: string, accept: Accept, ctx: CheckContext): void {
  const t = ctx.typeOf(e);
  if (!isDate(t)) accept('PB2023', e.span, `${what}, but this is ${describeType(t)}`);
}

function rejectBareWords(parts: TextPart[], accept: Accept): void {
  for (const part of parts) if (part.kind === 'expr') rejectBareWord(part.expr, accept);
  for (const part of parts) if (part.kind === 'expr') rejectLoneDuration(part.expr, accept);
}

/**
 * `<number> + - * / <number>`, `<date> + <duration>`, `<duration> + <date>` and
 * `<date> - <duration>`; nothing else. One diagnostic per operation.
 */
function checkArith(node: Extract<Expr, { kind: 'arith' }>, accept: Accept, ctx: CheckContext): void {
  const { op, left, right } = node;
  const a = ctx.typeOf(left);
  const b = ctx.typeOf(right);
  if (a.kind === 'duration' || b.kind === 'duration') {
    if (a.kind === 'duration' && b.kind === 'duration') {
      accept('PB2080', node.span, 'two durations cannot be combined', { hint: 'add each one to the date in turn: `today + 1 month + 3 days`' });
    } else if (op === '*' || op === '/') {
      accept('PB2080', node.span, `a duration cannot be ${op === '*' ? 'multiplied' : 'divided'}`, { hint: 'write the duration you mean, e.g. `60 days`' });
    } else if (a.kind === 'duration' && op === '-') {
      accept('PB2080', node.span, 'a date cannot be subtracted from a duration', { hint: 'subtract the duration from the date: `<date> - 30 days`' });
    } else {
      const other = a.kind === 'duration' ? right : left;
      const t = a.kind === 'duration' ? b : a;
      if (!isDate(t)) accept('PB2080', other.span, `a duration is ${op === '+' ? 'added to' : 'subtracted from'} a date, but this is ${describeType(t)}`);
    }
    return;
  }
  if (op === '/' && right.kind === 'number' && right.value === 0) {
    accept('PB2081', right.span, 'division by zero', { hint: 'divide by a number other than 0' });
    return;
  }
  const bad = [
    { e: left, t: a },
    { e: right, t: b },
  ].filter((side) => side.t.kind !== 'number' && side.t.kind !== 'unknown');
  if (bad.length === 0) return;
  const where = bad.length === 1 ? bad[0]!.e.span : node.span;
  const what = bad.length === 1 || describeType(a) === describeType(b) ? describeType(bad[0]!.t) : `${describeType(a)} and ${describeType(b)}`;
  const dated = bad.some(({ t }) => t.kind === 'date');
  accept('PB2080', where, `\`${op}\` works on numbers, but ${bad.length === 1 ? 'this is' : 'these are'} ${what}`, {
    hint: dated ? 'to move a date, add or subtract a duration (`account.renewal_date - 30 days`); to count days, use `days until <date>`' : undefined,
  });
}

/** A duration is a value only as an operand of date arithmetic. */
function rejectLoneDuration(e: Expr, accept: Accept): void {
  if (e.kind !== 'duration') return;
  accept('PB2082', e.span, 'a duration is only meaningful added to or subtracted from a date', {
    hint: `e.g. \`today + ${e.duration.amount} ${e.duration.unit}${e.duration.amount === 1 ? '' : 's'}\``,
  });
}

function rejectBareWord(e: Expr, accept: Accept): void {
  if (e.kind === 'word') reportBareWord(e, e.name, accept);
}

function reportBareWord(e: Expr, word: string, accept: Accept): void {
  accept('PB2027', e.span, `the bare word \`${word}\` is only allowed as a \`one of\` value`, { hint: `write "${word}" for text` });
}

function reportOutsideOneOf(value: Expr, literal: string, owner: Expr, values: string[], accept: Accept): void {
  const name = owner.kind === 'ref' ? refText(owner) : 'this value';
  accept('PB2022', value.span, `\`${literal}\` is not one of the values of \`${name}\``, { hint: `allowed values: ${values.join(', ')}` });
}

/** The text of a literal compared with a `one of` value: a bare word or a quoted string. */
function literalText(e: Expr): string | undefined {
  return e.kind === 'word' ? e.name : e.kind === 'string' ? e.value : undefined;
}

function refText(ref: FieldRef): string {
  return [ref.root.name, ...ref.path.map((p) => p.name)].join('.');
}

function dateNumberHint(a: ValueType, b: ValueType): { hint?: string } {
  const kinds = new Set([a.kind, b.kind]);
  return kinds.has('date') && kinds.has('number') ? { hint: 'to compare a date with a number of days, use `days until <date>` or `days since <date>`' } : {};
}

/** "a date", "text", "one of a, b": what a value is, for messages. */
