/**
 * Short, language-like descriptions of IR pieces: `account.arr > 50000`, `3 business days`,
 * `email → account.primary_contact: welcome-enterprise`. Diagram labels, simulator and
 * scenario output and trigger lines use them; the workflow bundle reaches them through
 * trigger evaluation, so they stay pure. Plain text; escaping for a diagram syntax is the
 * caller's job.
 */
import type { DurationIr, ExprIr, GoalIr, GoalPointIr, RecipientIr, StepIr, TextIr, WaitTargetIr } from './types.js';

/** Longest message text shown in a label before it is cut with `…`. */
const MAX_TEXT = 40;

export function describeDuration(d: DurationIr): string {
  return `${d.amount} ${d.unit}${d.amount === 1 ? '' : 's'}`;
}

/** `kickoff: event "kickoff.held" within 10 business days, target 90%` (the anchor only when it is not the start). */
export function describeGoal(goal: GoalIr): string {
  const anchor = goal.anchor.kind === 'start' ? '' : ` of ${describeGoalPoint(goal.anchor)}`;
  return `${goal.id}: ${describeGoalPoint(goal.milestone)} within ${describeDuration(goal.within)}${anchor}, target ${goal.target}%`;
}

function describeGoalPoint(point: GoalPointIr): string {
  switch (point.kind) {
    case 'start':
      return 'start';
    case 'event':
      return `event ${JSON.stringify(point.event)}`;
    case 'taskDone':
      return `task ${point.task} done`;
    case 'taskCreated':
      return `task ${point.task} created`;
    case 'stage':
      return `stage ${point.stage}`;
    case 'condition':
      return describeExpr(point.condition);
  }
}

export function describeRecipient(r: RecipientIr): string {
  switch (r.kind) {
    case 'field':
      return `account.${r.field}`;
    case 'param':
      return `params.${r.param}`;
    case 'role':
      return `role ${r.name}`;
    case 'address':
      return r.address;
  }
}

const BARE_WORD = /^[a-z][a-z0-9_-]*$/;

const OPERATOR_WORDS = { daysUntil: 'days until', daysSince: 'days since', businessDaysSince: 'business days since' } as const;

export function describeExpr(e: ExprIr): string {
  switch (e.op) {
    case 'field':
      return `account.${e.field}`;
    case 'eventField':
      return [e.event, ...e.path].join('.');
    case 'answer':
      return `${e.task}.${e.ask}`;
    case 'param':
      return `params.${e.param}`;
    case 'lit':
      if (e.type === 'yes/no') return e.value ? 'yes' : 'no';
      // A `one of` value reads as the bare word it was written as; other text is quoted.
      return e.type === 'text' && !BARE_WORD.test(String(e.value)) ? JSON.stringify(e.value) : String(e.value);
    case 'today':
      return 'today';
    case 'compare':
      return `${operand(e.left)} ${e.cmp} ${operand(e.right)}`;
    case 'in':
      return `${operand(e.left)} ${e.negated ? 'not in' : 'in'} [${e.list.map(describeExpr).join(', ')}]`;
    case 'and':
    case 'or':
      return `${logicOperand(e.left, e.op)} ${e.op} ${logicOperand(e.right, e.op)}`;
    case 'not':
      return `not ${operand(e.operand)}`;
    case 'daysUntil':
    case 'daysSince':
    case 'businessDaysSince':
      return `${OPERATOR_WORDS[e.op]} ${operand(e.operand)}`;
    case 'offset':
      return `${describeDuration(e.offset)} ${e.direction} ${operand(e.base)}`;
    case 'arith':
      return `${arithOperand(e.left, e.arith, 'left')} ${e.arith} ${arithOperand(e.right, e.arith, 'right')}`;
    case 'isEmpty':
      return `${operand(e.operand)} ${e.negated ? 'is not empty' : 'is empty'}`;
  }
}

const PRECEDENCE = { '+': 1, '-': 1, '*': 2, '/': 2 } as const;

/** Parenthesised where precedence or left-to-right order would otherwise read differently: `a - (b - c)`, `(a + b) * c`. */
function arithOperand(e: ExprIr, parent: keyof typeof PRECEDENCE, side: 'left' | 'right'): string {
  if (e.op !== 'arith') return operand(e);
  const inner = PRECEDENCE[e.arith];
  const outer = PRECEDENCE[parent];
  return inner < outer || (side === 'right' && inner === outer) ? `(${describeExpr(e)})` : describeExpr(e);
}

/** Conditions inside a comparison, `not` or a date function are parenthesised. */
function operand(e: ExprIr): string {
  const condition = e.op === 'compare' || e.op === 'in' || e.op === 'and' || e.op === 'or' || e.op === 'not';
  return condition ? `(${describeExpr(e)})` : describeExpr(e);
}

/** `and` inside `or` (and the reverse) is parenthesised, so a label never reads ambiguously. */
function logicOperand(e: ExprIr, parent: 'and' | 'or'): string {
  return (e.op === 'and' || e.op === 'or') && e.op !== parent ? `(${describeExpr(e)})` : describeExpr(e);
}

/**
 * Message text with its interpolations as written (`Hello {account.name}`), cut after about
 * `MAX_TEXT` characters; an interpolation is shown whole or not at all.
 */
export function describeText(text: TextIr): string {
  let shown = '';
  for (const part of text) {
    const piece = typeof part === 'string' ? part : `{${describeExpr(part)}}`;
    if (shown.length + piece.length <= MAX_TEXT) {
      shown += piece;
      continue;
    }
    const room = MAX_TEXT - shown.length;
    return `${(typeof part === 'string' ? shown + piece.slice(0, room) : shown).trimEnd()}…`;
  }
  return shown;
}

function describeWaitTarget(t: WaitTargetIr): string {
  switch (t.kind) {
    case 'anyOf':
      return `any of ${t.of.map(describeWaitTarget).join(', ')}`;
    case 'event':
      return `event ${t.name}${t.as ? ` as ${t.as}` : ''}`;
    case 'task':
      return `task ${t.task}`;
    case 'condition':
      return describeExpr(t.condition);
  }
}

/** The one-line label of a step's node (stages and ifs are drawn differently and use their own). */
export function describeStep(step: StepIr): string {
  switch (step.kind) {
    case 'email':
      return `email → ${describeRecipient(step.to)}: ${step.template}`;
    case 'notify':
      return `notify → ${describeRecipient(step.to)}: ${describeText(step.text)}`;
    case 'task':
      return `task ${step.task} → ${describeRecipient(step.assignee)}: ${describeText(step.title)}`;
    case 'escalate':
      return `escalate (${step.severity}) → ${describeRecipient(step.to)}: ${describeText(step.text)}`;
    case 'wait':
      return `wait ${describeDuration(step.duration)}`;
    case 'waitUntil':
      return `wait until ${describeExpr(step.at)}`;
    case 'waitFor':
      return `wait for ${describeWaitTarget(step.target)}${step.upTo ? ` up to ${describeDuration(step.upTo)}` : ''}`;
    case 'if':
      return 'if';
    case 'repeat':
      return [
        `repeat every ${describeDuration(step.every)}`,
        ...(step.atMost === null ? [] : [`at most ${step.atMost} times`]),
        ...(step.until === null ? [] : [`until ${describeExpr(step.until)}`]),
      ].join(', ');
    case 'set':
      return `set account.${step.field} to ${describeExpr(step.value)}`;
    case 'webhook':
      return `webhook ${step.endpoint}`;
    case 'runPlaybook':
      return `run playbook ${step.playbook}`;
    case 'stage':
      return step.title ?? step.stage;
    case 'note':
      return `note: ${describeText(step.text)}`;
    case 'stop':
      return step.outcome === null ? 'stop' : `stop: ${step.outcome}`;
  }
}
