/** A trigger as the line that declares it, without the `trigger` keyword: `on event "account.created" where …`. */
import { describeDuration, describeExpr } from './describe.js';
import type { ExprIr, TriggerIr } from './types.js';

export function describeTrigger(trigger: TriggerIr): string {
  switch (trigger.kind) {
    case 'manual':
      return 'manual';
    case 'event':
      return `on event ${JSON.stringify(trigger.name)}${where(trigger.where)}`;
    case 'relative':
      return `${describeDuration(trigger.offset)} ${trigger.direction} account.${trigger.field}${where(trigger.where)}`;
    case 'when':
      return `when ${describeExpr(trigger.condition)}`;
  }
}

function where(condition: ExprIr | null): string {
  return condition === null ? '' : ` where ${describeExpr(condition)}`;
}
