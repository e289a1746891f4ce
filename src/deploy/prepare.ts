/**
 * From a workspace to a deploy request: check it, refuse on errors, compile every playbook
 * to its own program and version. No file I/O: the CLI loads the workspace from disk, the
 * HTTP API builds it in memory.
 */
import { checkWorkspace } from '../check/check.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { versionOf } from '../ir/canonical.js';
import { lowerCoverages } from '../ir/coverage.js';
import { lowerPlaybook } from '../ir/lower.js';
import type { CoverageIr } from '../ir/types.js';
import type { PlaybookSource } from '../store/playbook-sources.js';
import type { DeployRequest } from '../temporal/registry-contract.js';
import { compareStrings } from '../util/compare-strings.js';
import type { Workspace } from '../workspace/types.js';

export interface ReadyDeployment {
  ok: true;
  request: DeployRequest;
  /** The check's warnings, for the caller to show. */
  warnings: Diagnostic[];
  /** Each playbook's declaration as written, kept in the store at deploy (the registry keeps only the program). */
  sources: PlaybookSource[];
  /** The workspace's `coverage` declarations, which replace the store's at deploy (the coverage report reads them). */
  coverages: CoverageIr[];
}

export type PreparedDeployment = ReadyDeployment | { ok: false; diagnostics: Diagnostic[] };

export function prepareDeployment(workspace: Workspace, by: string): PreparedDeployment {
  const { diagnostics, model } = checkWorkspace(workspace);
  if (diagnostics.some((d) => d.severity === 'error')) return { ok: false, diagnostics };
  const playbooks = [...model.playbooks.keys()].sort(compareStrings).map((id) => {
    const program = lowerPlaybook(model, id);
    return { id, version: versionOf(program), program };
  });
  const sources = playbooks.map(({ id, version, program }) => {
    const { decl, file } = model.playbooks.get(id)!;
    // A declaration's own span is its first line: it runs until the file's next declaration.
    const next = file.ast.declarations.map((d) => d.span.start.offset).find((offset) => offset > decl.span.start.offset);
    const text = declarationText(file.text, decl.span.start.offset, next ?? file.text.length);
    const entry = program.playbooks[program.entry];
    const calendar = entry?.calendar ?? null;
    return {
      playbook: id,
      version,
      file: file.relPath,
      line: decl.span.start.line,
      text,
      calendar: calendar === null ? null : (program.calendars[calendar] ?? null),
      ...(entry?.goals !== undefined && { goals: entry.goals }),
    };
  });
  const fields = Object.fromEntries([...model.fields.values()].sort((a, b) => compareStrings(a.name, b.name)).map((f) => [f.name, f.type]));
  return {
    ok: true,
    request: { playbooks, fields, by, requestedAt: new Date().toISOString() },
    warnings: diagnostics,
    sources,
    coverages: lowerCoverages(model),
  };
}

/** The whole lines from `start` up to `end`, without the blank and comment lines before `end` (they introduce what follows). */
function declarationText(text: string, start: number, end: number): string {
  const lines = text.slice(text.lastIndexOf('\n', start - 1) + 1, end).split('\n');
  while (lines.length > 1 && /^(\s*|#.*)$/.test(lines.at(-1)!)) lines.pop();
  return lines.join('\n');
}
