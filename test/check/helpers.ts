import { expect } from 'vitest';
import { checkWorkspace, type CheckResult } from '../../src/check/check.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { sortDiagnostics } from '../../src/diagnostics/render.js';
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

/** Checks an in-memory workspace `ws/` holding `fields.playbook` (FIELDS) plus `files` and `templates/<name>.md`. */
export function check(files: Record<string, string>, templates: Record<string, string> = {}): CheckResult {
  const source = (rel: string, text: string) => ({ path: `ws/${rel}`, relPath: rel, text });
  const workspace = buildWorkspace(
    'ws',
    Object.entries({ 'fields.playbook': FIELDS, ...files }).map(([rel, text]) => source(rel, text)),
    Object.entries(templates).map(([name, text]) => source(`templates/${name}.md`, text)),
  );
  return checkWorkspace(workspace);
}

/** Checks one playbook file `ws/main.playbook` next to FIELDS. */
export function checkOne(text: string, templates: Record<string, string> = {}): CheckResult {
  return check({ 'main.playbook': text }, templates);
}

/** Codes of all diagnostics, in position order. */
export function codes(result: CheckResult): string[] {
  return sortDiagnostics(result.diagnostics).map((d) => d.code);
}

/** Asserts exactly one diagnostic with `code`, starting at `line:col` (and ending at `endCol` when given); returns it. */
export function expectIssue(result: CheckResult, code: string, at: { line: number; col: number; endCol?: number; file?: string }): Diagnostic {
  const found = result.diagnostics.filter((d) => d.code === code);
  expect(found, `diagnostics: ${JSON.stringify(located(result.diagnostics))}`).toHaveLength(1);
  const d = found[0]!;
  expect({ file: d.span.file, line: d.span.start.line, col: d.span.start.col }).toEqual({ file: at.file ?? 'ws/main.playbook', line: at.line, col: at.col });
  if (at.endCol !== undefined) expect(d.span.end.col).toBe(at.endCol);
  return d;
}

export function expectClean(result: CheckResult): void {
  expect(located(result.diagnostics)).toEqual([]);
}

/** `PB2010@ws/main.playbook:3:5 message` per diagnostic: readable in a failed assertion. */
export function located(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.code}@${d.span.file}:${d.span.start.line}:${d.span.start.col} ${d.message}`);
}
