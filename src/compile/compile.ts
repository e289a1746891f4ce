/**
 * The compiler's entry point: a `.playbook` file in, one playbook's IR program out.
 *
 *   compileFile(file, { playbook?, workspace? })
 *     → Promise<{ program: IrProgram; version: string; workspace: Workspace; warnings: Diagnostic[] }>
 *
 * Loads the file's workspace (its folder, or `workspace`), checks it, and lowers the chosen
 * playbook: `playbook` when given, else the only playbook declared in `file`. Throws
 * `UserError` for every user mistake: exit code 1 with the rendered diagnostics when the
 * check finds errors, 2 when the file or folder is missing or the playbook choice is wrong.
 * `warnings` are the check's warnings, for the caller to show; `version` is `versionOf(program)`.
 */
import { checkWorkspace } from '../check/check.js';
import { UserError } from '../errors.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { renderText } from '../diagnostics/render.js';
import { versionOf } from '../ir/canonical.js';
import { lowerPlaybook } from '../ir/lower.js';
import type { IrProgram } from '../ir/types.js';
import { loadWorkspaceForFile } from '../workspace/load.js';
import type { PlaybookFile, Workspace } from '../workspace/types.js';

export interface CompileOptions {
  /** Id of the playbook to compile; needed when the file declares more than one. */
  playbook?: string;
  /** Workspace folder; defaults to the file's folder. */
  workspace?: string;
}

export interface Compiled {
  program: IrProgram;
  version: string;
  workspace: Workspace;
  warnings: Diagnostic[];
}

export async function compileFile(file: string, opts: CompileOptions = {}): Promise<Compiled> {
  const { workspace, file: source } = await loadWorkspaceForFile(file, opts.workspace);
  const { diagnostics, model } = checkWorkspace(workspace);
  if (diagnostics.some((d) => d.severity === 'error')) {
    throw new UserError(renderText(diagnostics, workspace.sources, { color: false }).trimEnd(), 'invalid');
  }
  const playbookId = choosePlaybook(source, opts.playbook);
  const program = lowerPlaybook(model, playbookId);
  return { program, version: versionOf(program), workspace, warnings: diagnostics };
}

/** `wanted` when the file declares it, else the file's only playbook. */
function choosePlaybook(source: PlaybookFile, wanted: string | undefined): string {
  const shownPath = source.path;
  const ids = source.ast.declarations.flatMap((d) => (d.kind === 'playbook' ? [d.id.name] : []));
  const listed = ids.map((id) => `\`${id}\``).join(', ');
  if (wanted !== undefined) {
    if (ids.includes(wanted)) return wanted;
    throw new UserError(ids.length === 0 ? `${shownPath} declares no playbook` : `${shownPath} has no playbook \`${wanted}\`; it declares ${listed}`, 'usage');
  }
  const [only, ...others] = ids;
  if (only === undefined) throw new UserError(`${shownPath} declares no playbook`, 'usage');
  if (others.length > 0) throw new UserError(`${shownPath} declares ${ids.length} playbooks (${listed}); choose one with --playbook <id>`, 'usage');
  return only;
}
