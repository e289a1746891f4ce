/**
 * From a workspace to a deploy request: check it, refuse on errors, compile every playbook
 * to its own program and version. No file I/O: the CLI loads the workspace from disk, the
 * HTTP API builds it in memory.
 */
import { checkWorkspace } from '../check/check.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { versionOf } from '../ir/canonical.js';
import { lowerPlaybook } from '../ir/lower.js';
import type { DeployRequest } from '../temporal/registry-contract.js';
import { compareStrings } from '../util/compare-strings.js';
import type { Workspace } from '../workspace/types.js';

export interface ReadyDeployment {
  ok: true;
  request: DeployRequest;
  /** The check's warnings, for the caller to show. */
  warnings: Diagnostic[];
}

export type PreparedDeployment = ReadyDeployment | { ok: false; diagnostics: Diagnostic[] };

export function prepareDeployment(workspace: Workspace, by: string): PreparedDeployment {
  const { diagnostics, model } = checkWorkspace(workspace);
  if (diagnostics.some((d) => d.severity === 'error')) return { ok: false, diagnostics };
  const playbooks = [...model.playbooks.keys()].sort(compareStrings).map((id) => {
    const program = lowerPlaybook(model, id);
    return { id, version: versionOf(program), program };
  });
  const fields = Object.fromEntries([...model.fields.values()].sort((a, b) => compareStrings(a.name, b.name)).map((f) => [f.name, f.type]));
  return { ok: true, request: { playbooks, fields, by, requestedAt: new Date().toISOString() }, warnings: diagnostics };
}
