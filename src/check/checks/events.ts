/**
 * Event names and payloads: `events` declares each name once with its fields once; every
 * event a trigger, a `wait for event` or a goal names is declared. A workspace without `events`
 * keeps v1's free event names, with one warning saying so. `unless running` names a playbook.
 */
import { didYouMean } from '../../diagnostics/suggest.js';
import { waitables, type Ident, type StringLit } from '../../language/ast.js';
import type { Accept, CheckContext, CheckRegistry } from '../registry.js';

/** Per check run: the PB3010 warning is given once per workspace. */
export function eventChecks(): CheckRegistry {
  let warned = false;
  const used = (name: StringLit, accept: Accept, ctx: CheckContext): void => {
    const declared = ctx.symbols.events;
    if (declared === null) {
      if (!warned) {
        warned = true;
        accept('PB3010', name.span, 'the workspace declares no `events`, so event names and payloads are not checked', {
          hint: 'declare every event in an `events` block, e.g. `events` then `  kickoff.held: attendees text`',
        });
      }
      return;
    }
    if (declared.has(name.value)) return;
    accept('PB2073', name.span, `event "${name.value}" is not declared in \`events\``, {
      hint: didYouMean(name.value, declared.keys()) ?? `add \`${name.value}\` (and its payload fields) to the \`events\` block`,
    });
  };
  return {
    events: [
      (node, accept, ctx) => {
        for (const event of node.events) {
          const first = ctx.symbols.events?.get(event.name.name)?.decl;
          if (first && first !== event) {
            accept('PB2070', event.name.span, `event "${event.name.name}" is declared twice`, {
              related: [{ message: 'first declared here', span: first.name.span }],
            });
          }
          const seen = new Map<string, Ident>();
          for (const field of event.fields) {
            const earlier = seen.get(field.name.name);
            if (earlier) {
              accept('PB2072', field.name.span, `payload field \`${field.name.name}\` is declared twice in "${event.name.name}"`, {
                related: [{ message: 'first declared here', span: earlier.span }],
              });
            } else seen.set(field.name.name, field.name);
          }
        }
      },
    ],
    header: [
      (node, accept, ctx) => {
        if (node.kind === 'goal') {
          for (const point of [node.goal.milestone, node.goal.anchor]) if (point?.kind === 'event') used(point.name, accept, ctx);
        }
        if (node.kind !== 'trigger') return;
        const trigger = node.trigger;
        if (trigger.kind === 'event') used(trigger.name, accept, ctx);
        if (trigger.kind === 'manual' || !trigger.unlessRunning) return;
        const id = trigger.unlessRunning;
        if (!ctx.symbols.playbooks.has(id.name)) {
          accept('PB2074', id.span, `unknown playbook \`${id.name}\``, {
            hint: didYouMean(id.name, ctx.symbols.playbooks.keys()) ?? 'name a playbook of this workspace',
          });
        }
      },
    ],
    step: [
      (node, accept, ctx) => {
        if (node.kind === 'waitFor') for (const target of waitables(node.target)) if (target.kind === 'event') used(target.name, accept, ctx);
      },
    ],
  };
}
