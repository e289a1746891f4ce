import { expect } from 'vitest';
import { lowerPlaybook } from '../../src/ir/lower.js';
import type { IrProgram, StepIr } from '../../src/ir/types.js';
import { check, located } from '../check/helpers.js';

export { FIELDS } from '../check/helpers.js';

export const TEMPLATE = 'Subject: Welcome, {account.name}\n\nHello from {account.csm}.\n';

/**
 * Checks an in-memory workspace `ws/` holding `fields.playbook` (FIELDS) plus `files` and
 * `templates/<name>.md`, fails the test on any check error, and lowers `playbookId`.
 */
export function lowerFiles(files: Record<string, string>, playbookId: string, templates: Record<string, string> = {}): IrProgram {
  const { diagnostics, model } = check(files, templates);
  expect(located(diagnostics.filter((d) => d.severity === 'error'))).toEqual([]);
  return lowerPlaybook(model, playbookId);
}

/** Lowers the playbook `p` declared in `main.playbook` with `body` as its steps (indented by the caller). */
export function lowerBody(body: string, templates: Record<string, string> = {}): StepIr[] {
  const program = lowerFiles({ 'main.playbook': `playbook p\n${body}` }, 'p', templates);
  return program.playbooks.p!.body;
}

/** Every step of a body in source order, nested blocks included. */
export function flattenSteps(body: StepIr[]): StepIr[] {
  return body.flatMap((s) => {
    const nested =
      s.kind === 'stage' || s.kind === 'repeat'
        ? [s.body]
        : s.kind === 'waitFor'
          ? [...s.rungs.map((r) => r.body), s.onTimeout ?? []]
          : s.kind === 'if'
            ? [...s.branches.map((b) => b.body), s.else ?? []]
            : [];
    return [s, ...nested.flatMap(flattenSteps)];
  });
}
