/**
 * Names defined twice inside one playbook: stages, task and event names bound with `as`
 * (one namespace, since both are used as `<name>.<x>`), asks of a task, webhook fields,
 * parameters and the values a `run playbook … with` gives, goals.
 */
import type { Ident, PlaybookDecl, Step } from '../../language/ast.js';
import type { Accept, CheckRegistry } from '../registry.js';
import type { CheckCode } from '../codes.js';
import { PARAMS, type Binding } from '../scope.js';
import { childBlocks } from '../walk-steps.js';

export const playbookNameChecks: CheckRegistry = {
  playbook: [
    (node, accept) =>
      reportDuplicates(
        stageIds(node),
        accept,
        () => 'PB2004',
        (name) => `stage \`${name}\` is used twice in this playbook`,
      ),
    (node, accept) =>
      reportDuplicates(
        node.header.flatMap((item) => (item.kind === 'goal' ? [{ ident: item.goal.id }] : [])),
        accept,
        () => 'PB2172',
        (name) => `goal \`${name}\` is declared twice in this playbook`,
      ),
    (_playbook, accept, ctx) => {
      const bindings = ctx.scope?.bindings ?? [];
      const parameters = ctx.scope?.parameters ?? [];
      const reserved = (name: string): boolean => name === 'account' || (name === PARAMS && parameters.length > 0);
      for (const binding of bindings) {
        if (binding.name === 'account') {
          accept('PB2009', binding.ident.span, '`account` cannot name a task or an event: `account.<x>` always means an account field', {
            hint: 'choose another name after `as`',
          });
        } else if (reserved(binding.name)) {
          accept('PB2009', binding.ident.span, '`params` cannot name a task or an event in a playbook with parameters: `params.<x>` means a parameter', {
            hint: 'choose another name after `as`',
          });
        }
      }
      reportDuplicates(
        parameters.map((p) => ({ ident: p.name })),
        accept,
        () => 'PB2163',
        (name) => `parameter \`${name}\` is declared twice`,
      );
      // Two triggers of one event may bind it under the same name: either starts the run.
      const sameTriggerEvent = (b: Binding, i: number): boolean =>
        b.kind === 'event' && b.trigger && bindings.slice(0, i).some((a) => a.kind === 'event' && a.trigger && a.name === b.name && a.event === b.event);
      reportDuplicates(
        bindings.filter((b, i) => !reserved(b.name) && !sameTriggerEvent(b, i)).map((b) => ({ ident: b.ident, kind: b.kind })),
        accept,
        (dup) => (dup.kind === 'task' ? 'PB2005' : 'PB2006'),
        (name) => `\`${name}\` already names a task or an event in this playbook`,
      );
    },
  ],
  step: [
    (node, accept) => {
      if (node.kind === 'task') {
        reportDuplicates(
          node.asks.map((a) => ({ ident: a.name })),
          accept,
          () => 'PB2007',
          (name) => `ask \`${name}\` is used twice in this task`,
        );
      }
      if (node.kind === 'webhook') {
        reportDuplicates(
          node.fields.map((f) => ({ ident: f.name })),
          accept,
          () => 'PB2008',
          (name) => `webhook field \`${name}\` is given twice`,
        );
      }
      if (node.kind === 'runPlaybook') {
        reportDuplicates(
          node.args.map((a) => ({ ident: a.name })),
          accept,
          () => 'PB2163',
          (name) => `parameter \`${name}\` is given twice`,
        );
      }
    },
  ],
};

function reportDuplicates<T extends { ident: Ident }>(items: T[], accept: Accept, code: (duplicate: T) => CheckCode, message: (name: string) => string): void {
  const first = new Map<string, Ident>();
  for (const item of items) {
    const ident = item.ident;
    const earlier = first.get(ident.name);
    if (earlier) accept(code(item), ident.span, message(ident.name), { related: [{ message: 'first defined here', span: earlier.span }] });
    else first.set(ident.name, ident);
  }
}

/** Every stage of the playbook, nested ones included, in source order. */
export function stageIds(playbook: PlaybookDecl): Array<{ ident: Ident }> {
  const ids: Array<{ ident: Ident }> = [];
  const visit = (steps: Step[]): void => {
    for (const step of steps) {
      if (step.kind === 'stage') ids.push({ ident: step.id });
      for (const block of childBlocks(step)) visit(block.steps);
    }
  };
  visit(playbook.body);
  return ids;
}
