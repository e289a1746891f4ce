/**
 * Lowering of a playbook's steps. Every step gets its position path as id: top-level steps
 * are `0`, `1`, …; a stage's or repeat's body adds `.<i>` (`1.0`); an escalation rung adds
 * `.r<k>.<i>` (`2.r0.1`), the timeout block `.timeout.<i>`, an if's branches `.b<k>.<i>`
 * (`b0` is the `if`, `b1` the first `else if`) and its else block `.else.<i>`.
 * Ids depend only on the structure of the source, so the same source gives the same ids.
 */
import type { SingleWaitable, Step } from '../language/ast.js';
import { accountField, lowerDuration, lowerExpr, lowerRecipient, lowerSender, lowerText, type RefScope } from './lower-expr.js';
import type { SingleWaitTargetIr, StepIr, WaitTargetIr } from './types.js';

export function lowerBody(steps: Step[], scope: RefScope, prefix = ''): StepIr[] {
  return steps.map((step, i) => lowerStep(step, prefix === '' ? String(i) : `${prefix}.${i}`, scope));
}

/** Every step of a body in source order, nested blocks included. */
export function allSteps(steps: Step[]): Step[] {
  return steps.flatMap((step) => [step, ...childBlocks(step).flatMap(allSteps)]);
}

function childBlocks(step: Step): Step[][] {
  switch (step.kind) {
    case 'stage':
    case 'repeat':
      return [step.body];
    case 'waitFor':
      return [...step.rungs.map((r) => r.body), ...(step.onTimeout ? [step.onTimeout.body] : [])];
    case 'if':
      return [...step.branches.map((b) => b.body), ...(step.else ? [step.else.body] : [])];
    default:
      return [];
  }
}

function lowerStep(step: Step, id: string, scope: RefScope): StepIr {
  const base = { id, line: step.span.start.line };
  switch (step.kind) {
    case 'email': {
      const [to, ...alsoTo] = step.to.map((r) => lowerRecipient(r, scope));
      return {
        ...base,
        kind: 'email',
        to: to!,
        template: step.template.value,
        ...(alsoTo.length > 0 && { alsoTo }),
        ...(step.cc && { cc: step.cc.map((r) => lowerRecipient(r, scope)) }),
        ...(step.bcc && { bcc: step.bcc.map((r) => lowerRecipient(r, scope)) }),
        ...(step.from && { from: lowerSender(step.from) }),
        ...(step.ignoringPolicy && { ignoringPolicy: true as const }),
      };
    }
    case 'notify':
      return { ...base, kind: 'notify', to: lowerRecipient(step.to, scope), text: lowerText(step.text.parts, scope) };
    case 'task':
      return {
        ...base,
        kind: 'task',
        task: step.name?.name ?? id,
        title: lowerText(step.title.parts, scope),
        assignee: lowerRecipient(step.assignee, scope),
        due: step.due ? lowerDuration(step.due) : null,
        asks: step.asks.map((ask) => ({
          name: ask.name.name,
          question: ask.question.value,
          type: ask.type.kind === 'scalar' ? { type: ask.type.name } : { type: 'one of', values: ask.type.values.map((v) => v.name) },
          ...(ask.optional && { optional: true as const }),
          ...(ask.default && { default: ask.default.kind === 'word' ? ask.default.name : ask.default.value }),
        })),
      };
    case 'escalate':
      return {
        ...base,
        kind: 'escalate',
        to: lowerRecipient(step.to, scope),
        severity: step.severity?.value ?? 'medium',
        text: lowerText(step.text.parts, scope),
      };
    case 'wait':
      return { ...base, kind: 'wait', duration: lowerDuration(step.duration) };
    case 'waitUntil':
      return { ...base, kind: 'waitUntil', at: lowerExpr(step.at, scope) };
    case 'waitFor':
      return {
        ...base,
        kind: 'waitFor',
        target: lowerWaitTarget(step.target, scope),
        upTo: step.upTo ? lowerDuration(step.upTo) : null,
        rungs: step.rungs.map((rung, k) => ({
          after: lowerDuration(rung.after),
          line: rung.span.start.line,
          body: lowerBody(rung.body, scope, `${id}.r${k}`),
        })),
        onTimeout: step.onTimeout ? lowerBody(step.onTimeout.body, scope, `${id}.timeout`) : null,
      };
    case 'if':
      return {
        ...base,
        kind: 'if',
        branches: step.branches.map((branch, k) => ({
          condition: lowerExpr(branch.condition, scope),
          line: branch.span.start.line,
          body: lowerBody(branch.body, scope, `${id}.b${k}`),
        })),
        else: step.else ? lowerBody(step.else.body, scope, `${id}.else`) : null,
      };
    case 'repeat':
      return {
        ...base,
        kind: 'repeat',
        every: lowerDuration(step.every),
        atMost: step.atMost?.value ?? null,
        until: step.until ? lowerExpr(step.until, scope) : null,
        body: lowerBody(step.body, scope, id),
      };
    case 'set':
      return { ...base, kind: 'set', field: accountField(step.field), value: lowerExpr(step.value, scope) };
    case 'webhook':
      return {
        ...base,
        kind: 'webhook',
        endpoint: step.endpoint.value,
        fields: step.fields.map((f) => ({ name: f.name.name, value: lowerExpr(f.value, scope) })),
      };
    case 'runPlaybook':
      return {
        ...base,
        kind: 'runPlaybook',
        playbook: step.playbook.name,
        ...(step.args.length > 0 && { with: step.args.map((a) => ({ name: a.name.name, value: lowerExpr(a.value, scope) })) }),
      };
    case 'stage':
      return {
        ...base,
        kind: 'stage',
        stage: step.id.name,
        title: step.title?.value ?? null,
        body: lowerBody(step.body, scope, id),
      };
    case 'note':
      return { ...base, kind: 'note', text: lowerText(step.text.parts, scope) };
    case 'stop':
      return { ...base, kind: 'stop', outcome: step.outcome?.value ?? null };
  }
}

function lowerWaitTarget(target: Extract<Step, { kind: 'waitFor' }>['target'], scope: RefScope): WaitTargetIr {
  if (target.kind === 'anyOf') return { kind: 'anyOf', of: target.of.map((t) => lowerSingleTarget(t, scope)) };
  return lowerSingleTarget(target, scope);
}

function lowerSingleTarget(target: SingleWaitable, scope: RefScope): SingleWaitTargetIr {
  switch (target.kind) {
    case 'event':
      // `where` only when written: waits without one keep their IR and the version hash.
      return { kind: 'event', name: target.name.value, as: target.as?.name ?? null, ...(target.where && { where: lowerExpr(target.where, scope) }) };
    case 'task':
      return { kind: 'task', task: target.task.name };
    case 'condition':
      return { kind: 'condition', condition: lowerExpr(target.condition, scope) };
  }
}
