/**
 * Names a playbook binds with `as`: tasks (`task ... as training`) and events
 * (`wait for event "..." as kickoff`, `trigger on event "..." as response`). An event a
 * trigger binds is in scope in the whole body (the run it starts has it from the first step;
 * a run started otherwise sees its fields empty). A step's name is in scope for the steps after the step that
 * binds it, in source order (so also in later stages and blocks), except in another branch
 * of the same `if`, which never runs together with it. An event is bound once its wait is
 * over, so not inside the wait's own `after` and `on timeout` blocks.
 */
import { waitables, type Ident, type ParameterDecl, type PlaybookDecl, type Step, type TaskStep } from '../language/ast.js';
import type { Pos } from '../language/span.js';
import { childBlocks, type BranchChoice } from './walk-steps.js';

export type Binding = {
  name: string;
  ident: Ident;
  /** References at or after this position may use it. */
  visibleFrom: Pos;
  branches: BranchChoice[];
} & ({ kind: 'task'; task: TaskStep } | { kind: 'event'; event: string; trigger: boolean });

export interface PlaybookScope {
  /** In source order; duplicates included. */
  bindings: Binding[];
  /** The header's `parameters` (its first such line), read as `params.<name>`; empty without one. */
  parameters: ParameterDecl[];
}

/** The name the body of a playbook with `parameters` reads them under: `params.owner`. */
export const PARAMS = 'params';

/** A playbook's declared parameters (its first `parameters` line; a second is reported as repeated). */
export function declaredParameters(playbook: PlaybookDecl): ParameterDecl[] {
  for (const item of playbook.header) if (item.kind === 'parameters') return item.parameters;
  return [];
}

export function collectBindings(playbook: PlaybookDecl): PlaybookScope {
  const bindings: Binding[] = [];
  const visit = (steps: Step[], branches: BranchChoice[]): void => {
    for (const step of steps) {
      if (step.kind === 'task' && step.name) {
        bindings.push({ name: step.name.name, kind: 'task', ident: step.name, visibleFrom: stepEnd(step), branches, task: step });
      }
      if (step.kind === 'waitFor') {
        for (const target of waitables(step.target)) {
          if (target.kind !== 'event' || !target.as) continue;
          const ident = target.as;
          bindings.push({ name: ident.name, kind: 'event', event: target.name.value, trigger: false, ident, visibleFrom: stepEnd(step), branches });
        }
      }
      for (const block of childBlocks(step)) visit(block.steps, block.branch ? [...branches, block.branch] : branches);
    }
  };
  bindings.push(...triggerBindings(playbook));
  visit(playbook.body, []);
  return { bindings, parameters: declaredParameters(playbook) };
}

/** The events the playbook's triggers bind with `as`, in header order. */
export function triggerBindings(playbook: PlaybookDecl): Binding[] {
  const bindings: Binding[] = [];
  for (const item of playbook.header) {
    if (item.kind !== 'trigger' || item.trigger.kind !== 'event' || !item.trigger.as) continue;
    const ident = item.trigger.as;
    bindings.push({ name: ident.name, kind: 'event', event: item.trigger.name.value, trigger: true, ident, visibleFrom: playbook.span.start, branches: [] });
  }
  return bindings;
}

/**
 * The binding `name` refers to at `at` in `branches`: `visible` when one is in scope,
 * otherwise `hidden` names one defined elsewhere in the playbook (used too early or in
 * another branch).
 */
export function lookup(scope: PlaybookScope, name: string, at: Pos, branches: BranchChoice[]): { visible?: Binding; hidden?: Binding } {
  let hidden: Binding | undefined;
  for (const binding of scope.bindings) {
    if (binding.name !== name) continue;
    if (!isBefore(at, binding.visibleFrom) && !exclusive(binding.branches, branches)) return { visible: binding };
    hidden ??= binding;
  }
  return hidden ? { hidden } : {};
}

/** Bindings in scope at `at`, for "did you mean" hints. */
export function visibleBindings(scope: PlaybookScope, at: Pos, branches: BranchChoice[]): Binding[] {
  return scope.bindings.filter((b) => !isBefore(at, b.visibleFrom) && !exclusive(b.branches, branches));
}

function exclusive(a: BranchChoice[], b: BranchChoice[]): boolean {
  for (let i = 0; i < a.length && i < b.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.ifStep !== y.ifStep) return false;
    if (x.branch !== y.branch) return true;
  }
  return false;
}

/** The end of a step including everything nested in it (spans of block steps may cover only their first line). */
function stepEnd(step: Step): Pos {
  let end = step.span.end;
  const later = (p: Pos): void => {
    if (isBefore(end, p)) end = p;
  };
  if (step.kind === 'task') for (const ask of step.asks) later(ask.span.end);
  // The lines of `wait for any of` are the wait too: its events are not bound in them (a `where` or condition there).
  if (step.kind === 'waitFor') for (const target of waitables(step.target)) later(target.span.end);
  for (const block of childBlocks(step)) {
    later(block.span.end);
    for (const child of block.steps) later(stepEnd(child));
  }
  return end;
}

export function isBefore(a: Pos, b: Pos): boolean {
  return a.line < b.line || (a.line === b.line && a.col < b.col);
}
