/**
 * Lowering of declarations: calendars and playbooks (header and body).
 */
import type { CalendarDecl, GoalAnchor, GoalDecl, GoalMilestone, PlaybookDecl, Trigger, Weekday } from '../language/ast.js';
import { accountField, lowerDuration, lowerExpr, type RefScope } from './lower-expr.js';
import { lowerBody } from './lower-steps.js';
import type { CadenceDayIr, CalendarIr, GoalIr, GoalPointIr, PlaybookIr, TriggerGuardsIr, TriggerIr } from './types.js';

const ISO_WEEKDAY: Record<Weekday, number> = {
  monday: 1,
  tuesday: 2,
  wednesday: 3,
  thursday: 4,
  friday: 5,
  saturday: 6,
  sunday: 7,
};

/**
 * A calendar without `working days` works Monday to Friday; without `working hours` whole
 * days count. A day range wraps around the week (`friday to monday` is Fri, Sat, Sun, Mon).
 */
export function lowerCalendar(decl: CalendarDecl): CalendarIr {
  const calendar: CalendarIr = {
    id: decl.id.name,
    title: decl.title?.value ?? null,
    timezone: [],
    workingDays: [1, 2, 3, 4, 5],
    workingHours: null,
    holidayCountries: [],
    holidays: [],
  };
  for (const item of decl.items) {
    switch (item.kind) {
      case 'timezone':
        calendar.timezone.push(...item.sources.map((s) => ('kind' in s ? { field: accountField(s) } : { zone: s.value })));
        break;
      case 'workingDays':
        calendar.workingDays = workingDays(
          item.days.map((d) => ISO_WEEKDAY[d.day]),
          item.range,
        );
        break;
      case 'workingHours':
        calendar.workingHours = { from: item.from.value, to: item.to.value };
        break;
      case 'holidays': {
        const [only] = item.sources;
        // A single code keeps the IR of calendars written before account fields could name one.
        if (item.sources.length === 1 && only && !('kind' in only)) calendar.holidayCountries.push(only.value);
        else (calendar.holidaySources ??= []).push(item.sources.map((s) => ('kind' in s ? { field: accountField(s) } : { code: s.value })));
        break;
      }
      case 'holiday':
        calendar.holidays.push({ date: item.date.value, name: item.name?.value ?? null });
        break;
    }
  }
  return calendar;
}

function workingDays(days: number[], range: boolean): number[] {
  const [from, to] = [days[0], days[days.length - 1]];
  if (!range || from === undefined || to === undefined) return [...new Set(days)].sort((a, b) => a - b);
  const span = (to - from + 7) % 7;
  return Array.from({ length: span + 1 }, (_, i) => ((from - 1 + i) % 7) + 1).sort((a, b) => a - b);
}

/** A playbook with no `trigger` line is started by hand (`trigger manual`). */
export function lowerPlaybookDecl(decl: PlaybookDecl, file: string, scope: RefScope): PlaybookIr {
  const playbook: PlaybookIr = {
    id: decl.id.name,
    title: decl.title?.value ?? null,
    file,
    line: decl.span.start.line,
    owner: null,
    description: null,
    triggers: [],
    calendar: null,
    sendWindow: null,
    exitWhen: [],
    body: lowerBody(decl.body, scope),
  };
  for (const item of decl.header) {
    switch (item.kind) {
      case 'owner':
        playbook.owner = item.value.value;
        break;
      case 'description':
        playbook.description = item.value.value;
        break;
      case 'trigger':
        playbook.triggers.push(lowerTrigger(item.trigger, scope));
        break;
      case 'calendar':
        playbook.calendar = item.id.name;
        break;
      case 'sendWindow':
        playbook.sendWindow = { from: item.from.value, to: item.to.value };
        break;
      case 'exitWhen':
        playbook.exitWhen.push(lowerExpr(item.condition, scope));
        break;
      case 'runKey':
        // `one run per account` alone is the default: it keeps the v1 IR.
        if (item.parts.length > 0) playbook.runKey = item.parts.map((part) => lowerExpr(part, scope));
        break;
      case 'throttle':
        playbook.throttle = { perDay: item.perDay.value };
        break;
      case 'parameters':
        playbook.parameters = item.parameters.map((p) => ({
          name: p.name.name,
          type: { type: p.type.name },
          ...(p.default && { default: p.default.kind === 'word' ? p.default.name : p.default.value }),
        }));
        break;
      case 'goal':
        (playbook.goals ??= []).push(lowerGoal(item.goal, scope));
        break;
    }
  }
  // A playbook with parameters has no trigger (PB2166), not even the default manual start: only a caller has its values.
  if (playbook.triggers.length === 0 && !playbook.parameters) playbook.triggers.push({ kind: 'manual' });
  return playbook;
}

function lowerGoal(goal: GoalDecl, scope: RefScope): GoalIr {
  return {
    id: goal.id.name,
    title: goal.title?.value ?? null,
    target: goal.target.value,
    milestone: lowerGoalPoint(goal.milestone, scope),
    within: lowerDuration(goal.within),
    anchor: goal.anchor ? lowerGoalPoint(goal.anchor, scope) : { kind: 'start' },
    line: goal.span.start.line,
  };
}

function lowerGoalPoint(point: GoalMilestone | GoalAnchor, scope: RefScope): GoalPointIr {
  switch (point.kind) {
    case 'event':
      return { kind: 'event', event: point.name.value };
    case 'taskDone':
    case 'taskCreated':
      return { kind: point.kind, task: point.task.name };
    case 'stage':
      return { kind: 'stage', stage: point.stage.name };
    case 'condition':
      return { kind: 'condition', condition: lowerExpr(point.condition, scope) };
  }
}

function lowerTrigger(trigger: Trigger, scope: RefScope): TriggerIr {
  if (trigger.kind === 'manual') return { kind: 'manual' };
  const guards: TriggerGuardsIr = {
    ...(trigger.unlessRunning && { unlessRunning: trigger.unlessRunning.name }),
    ...(trigger.atMostOncePer && { atMostOncePer: lowerDuration(trigger.atMostOncePer) }),
  };
  switch (trigger.kind) {
    case 'event':
      return {
        kind: 'event',
        name: trigger.name.value,
        ...(trigger.as && { as: trigger.as.name }),
        where: trigger.where ? lowerExpr(trigger.where, scope) : null,
        ...guards,
      };
    case 'relative':
      return {
        kind: 'relative',
        offset: lowerDuration(trigger.offset),
        direction: trigger.direction,
        field: accountField(trigger.field),
        where: trigger.where ? lowerExpr(trigger.where, scope) : null,
        ...guards,
      };
    case 'when':
      return { kind: 'when', condition: lowerExpr(trigger.condition, scope), ...guards };
    case 'every':
      return {
        kind: 'every',
        period: { amount: trigger.period.amount, unit: trigger.period.unit },
        on: lowerCadenceDay(trigger),
        where: trigger.where ? lowerExpr(trigger.where, scope) : null,
        ...guards,
      };
  }
}

/** Without `on`, weeks fire on Monday and months and quarters on their first day. */
function lowerCadenceDay(trigger: Extract<Trigger, { kind: 'every' }>): CadenceDayIr {
  const on = trigger.on;
  if (on === undefined) return trigger.period.unit === 'week' ? { kind: 'weekday', weekday: 1 } : { kind: 'day', day: 1 };
  if (on.kind === 'firstBusinessDay') return { kind: 'firstBusinessDay' };
  return on.kind === 'day' ? { kind: 'day', day: on.day } : { kind: 'weekday', weekday: ISO_WEEKDAY[on.weekday] };
}
