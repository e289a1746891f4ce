import type { Diagnostic, DiagnosticCode } from '../diagnostics/diagnostic.js';
import type { Declaration } from '../language/ast.js';
import type { Span } from '../language/span.js';
import type { Workspace } from '../workspace/types.js';
import { createCheckRegistry } from './checks/index.js';
import type { CheckedWorkspace } from './model.js';
import { isBefore } from './scope.js';
import { buildSymbols } from './symbols.js';
import { runChecks } from './walk.js';

export interface CheckResult {
  /** The workspace's syntax and template diagnostics, then the checker's; unsorted. */
  diagnostics: Diagnostic[];
  model: CheckedWorkspace;
}

/** Codes about names bound with `as`: a binding lost to a syntax error makes them follow-on errors. */
const BINDING_CODES: ReadonlySet<DiagnosticCode> = new Set(['PB2015', 'PB2016', 'PB2017', 'PB2018']);
/** Codes about what a `contact policy` lacks: a line lost to a syntax error makes them follow-on errors. */
const POLICY_SHAPE_CODES: ReadonlySet<DiagnosticCode> = new Set(['PB2134', 'PB3070']);

/**
 * Checks a parsed workspace: names, references, types and reachability. Never throws, also
 * not on trees recovered from syntax errors; checker diagnostics on lines that already have
 * a syntax error, and binding errors in a playbook with a syntax error, are left out as
 * follow-on errors.
 */
export function checkWorkspace(workspace: Workspace): CheckResult {
  const symbols = buildSymbols(workspace);
  const { diagnostics, refs } = runChecks(symbols, createCheckRegistry());
  const syntaxErrors = workspace.diagnostics.filter((d) => d.severity === 'error').map((d) => d.span);
  const damaged = workspace.files
    .flatMap((f) => declarationExtents(f.ast.declarations, f.path))
    .filter((extent) => syntaxErrors.some((s) => contains(extent.span, s)));
  const damagedOf = (kind: Declaration['kind']) => damaged.filter((extent) => extent.kind === kind).map((extent) => extent.span);
  const damagedPlaybooks = damagedOf('playbook');
  const damagedPolicies = damagedOf('contactPolicy');
  const followOn = (d: Diagnostic): boolean =>
    syntaxErrors.some((s) => s.file === d.span.file && s.start.line === d.span.start.line) ||
    (BINDING_CODES.has(d.code) && damagedPlaybooks.some((p) => contains(p, d.span))) ||
    (POLICY_SHAPE_CODES.has(d.code) && damagedPolicies.some((p) => contains(p, d.span)));
  return {
    diagnostics: [...workspace.diagnostics, ...diagnostics.filter((d) => !followOn(d))],
    model: {
      fields: symbols.fields,
      events: symbols.events,
      calendars: symbols.calendars,
      playbooks: symbols.playbooks,
      templates: symbols.templates,
      templateVariants: symbols.templateVariants,
      contactPolicy: symbols.contactPolicy,
      coverages: symbols.coverages,
      refs,
    },
  };
}

/** Where each declaration's lines are: from its first line to the next declaration (its own span may cover only its first line). */
function declarationExtents(declarations: Declaration[], file: string): Array<{ kind: Declaration['kind']; span: Span }> {
  const sorted = [...declarations].sort((a, b) => (isBefore(a.span.start, b.span.start) ? -1 : 1));
  const endOfFile = { offset: Number.MAX_SAFE_INTEGER, line: Number.MAX_SAFE_INTEGER, col: 1 };
  return sorted.map((decl, i) => ({ kind: decl.kind, span: { file, start: decl.span.start, end: sorted[i + 1]?.span.start ?? endOfFile } }));
}

/** Whether `inner` starts inside the half-open `outer`. */
function contains(outer: Span, inner: Span): boolean {
  return outer.file === inner.file && !isBefore(inner.start, outer.start) && isBefore(inner.start, outer.end);
}
