/** A trigger as the line that declares it, without the `trigger` keyword: `on event "account.created" where …`. */
import { describeDuration, describeExpr } from './describe.js';
import type { CadenceDayIr, CadenceIr, ExprIr, TriggerIr } from './types.js';

export function describeTrigger(trigger: TriggerIr): string {
  switch (trigger.kind) {
    case 'manual':
      return 'manual';
    case 'event':
      return `on event ${JSON.stringify(trigger.name)}${trigger.as === undefined ? '' : ` as ${trigger.as}`}${where(trigger.where)}`;
    case 'relative':
      return `${describeDuration(trigger.offset)} ${trigger.direction} account.${trigger.field}${where(trigger.where)}`;
    case 'when':
      return `when ${describeExpr(trigger.condition)}`;
    case 'every':
      return `${describeCadence(trigger.period, trigger.on)}${where(trigger.where)}`;
  }
}

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/** `every 2 weeks on monday`, `every quarter on first business day`. */
export function describeCadence(period: CadenceIr, on: CadenceDayIr): string {
  const every = period.amount === 1 ? period.unit : `${period.amount} ${period.unit}s`;
  const day = on.kind === 'firstBusinessDay' ? 'first business day' : on.kind === 'day' ? `day ${on.day}` : WEEKDAYS[on.weekday - 1];
  return `every ${every} on ${day}`;
}

function where(condition: ExprIr | null): string {
  return condition === null ? '' : ` where ${describeExpr(condition)}`;
}
