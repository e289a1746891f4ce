import { expect } from 'vitest';
import { checkWorkspace } from '../../src/check/check.js';
import { lowerPlaybook } from '../../src/ir/lower.js';
import type { IrProgram, StepIr } from '../../src/ir/types.js';
import { buildWorkspace } from '../../src/workspace/build.js';

export const FIELDS = `account fields
  name: text
  segment: one of smb, mid-market, enterprise
  csm: user
  csm_manager: user
  primary_contact: contact
  renewal_date: date
  arr: number
  health: number
  vip: yes/no
  status: one of active, at-risk, churned
  timezone: timezone
`;

export const TEMPLATE = 'Subject: Welcome, {account.name}\n\nHello from {account.csm}.\n';

/**
 * Checks an in-memory workspace `ws/` holding `fields.playbook` (FIELDS) plus `files` and
 * `templates/<name>.md`, fails the test on any check error, and lowers `playbookId`.
 */
export function lowerFiles(files: Record<string, string>, playbookId: string, templates: Record<string, string> = {}): IrProgram {
  const source = (rel: string, text: string) => ({ path: `ws/${rel}`, relPath: rel, text });
  const workspace = buildWorkspace(
    'ws',
    Object.entries({ 'fields.playbook': FIELDS, ...files }).map(([rel, text]) => source(rel, text)),
    Object.entries(templates).map(([name, text]) => source(`templates/${name}.md`, text)),
  );
  const { diagnostics, model } = checkWorkspace(workspace);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  expect(errors.map((d) => `${d.code}@${d.span.file}:${d.span.start.line}:${d.span.start.col} ${d.message}`)).toEqual([]);
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
