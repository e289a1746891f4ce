/**
 * A workspace sent as files (`{"<relative path>": "<text>"}`), laid out as on disk:
 * `*.playbook` files anywhere, email templates as `templates/<name>.md`. Paths are checked
 * (relative, no `..`, no dot-folders) and any other file is refused, so a misplaced
 * template is a 400 rather than a silently missing one.
 */
import { buildWorkspace } from '../workspace/build.js';
import type { SourceText, Workspace } from '../workspace/types.js';
import { ApiError } from './errors.js';

/** The label diagnostics' paths are relative to. */
const WORKSPACE_LABEL = 'workspace';

export function workspaceFromFiles(files: Record<string, string>): Workspace {
  const playbooks: SourceText[] = [];
  const templates: SourceText[] = [];
  for (const [relPath, raw] of Object.entries(files)) {
    const kind = kindOf(relPath);
    // A byte-order mark is invisible to authors; keep it out of columns and tokens (as the loader does).
    const text = raw.startsWith('\uFEFF') ? raw.slice(1) : raw;
    (kind === 'playbook' ? playbooks : templates).push({ path: relPath, relPath, text });
  }
  if (playbooks.length === 0) throw fileError(null, 'the workspace has no .playbook file');
  return buildWorkspace(WORKSPACE_LABEL, playbooks, templates);
}

function kindOf(relPath: string): 'playbook' | 'template' {
  const segments = relPath.split('/');
  if (relPath.includes('\\') || segments.some((s) => s === '' || s === '.' || s === '..' || s.startsWith('.'))) {
    throw fileError(relPath, `files["${relPath}"]: expected a relative path with "/" separators, without "..", empty or hidden parts`);
  }
  if (relPath.endsWith('.playbook')) return 'playbook';
  if (segments.length === 2 && segments[0] === 'templates' && relPath.endsWith('.md')) return 'template';
  throw fileError(relPath, `files["${relPath}"]: expected a .playbook file or an email template templates/<name>.md`);
}

function fileError(relPath: string | null, message: string): ApiError {
  return new ApiError(400, 'invalid_body', message, {
    field: relPath === null ? 'files' : `files.${relPath}`,
    issues: [{ field: relPath === null ? 'files' : `files.${relPath}`, message }],
  });
}
