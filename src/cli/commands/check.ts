import path from 'node:path';
import { Option, type Command } from 'commander';
import type { CheckReport } from '../../check/check-cache.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { WorkspaceSources } from '../../workspace/read.js';
import type { CommandContext } from '../command-context.js';

interface CheckOptions {
  format: 'text' | 'json';
  workspace?: string;
  cache: boolean;
}

/**
 * `playbook check [paths...]`: reports every mistake in the given workspaces (folders) or
 * single files (checked within their folder's workspace, showing only their diagnostics).
 * Exit 0 when there are no errors (warnings are shown), 1 with errors, 2 for bad usage.
 * Results are kept in each workspace's `.playbook/check-cache/` (see `check-cache.ts`);
 * `--no-cache` neither reads nor writes them.
 */
export function register(program: Command, ctx: CommandContext): void {
  program
    .command('check')
    .description('check playbooks, calendars, account fields and email templates for mistakes')
    .argument('[paths...]', 'workspace folders or .playbook files', ['playbooks/'])
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--workspace <dir>', "workspace folder for single files (default: the file's folder)")
    .option('--no-cache', 'check everything again, without reading or writing the stored results')
    .action(async (paths: string[], options: CheckOptions) => {
      // Loaded here, not at startup: other commands should not pay for them. The parser and
      // the checker are loaded only when a result is not in the cache.
      const [{ readWorkspaceSources, isFolder }, cache, render] = await Promise.all([
        import('../../workspace/read.js'),
        import('../../check/check-cache.js'),
        import('../../diagnostics/render.js'),
      ]);
      const folders: string[] = [];
      const filesByWorkspace = new Map<string, string[]>();
      for (const p of paths) {
        if (await isFolder(p)) folders.push(p);
        else {
          const dir = options.workspace ?? path.dirname(p);
          filesByWorkspace.set(dir, [...(filesByWorkspace.get(dir) ?? []), p]);
        }
      }

      const shown: Diagnostic[] = [];
      const sources = new Map<string, string>();
      const counts = { files: 0, playbooks: 0, calendars: 0 };
      const report = async (dir: string, only: string[] = []) => {
        const read = await readWorkspaceSources(dir, only);
        for (const source of [...read.playbooks, ...read.templates]) sources.set(source.path, source.text);
        const slot = options.cache ? cache.cacheSlot(read, only) : undefined;
        let result = slot && cache.readCachedReport(slot);
        if (!result) {
          result = await checkSources(read, only);
          if (slot) cache.writeCachedReport(slot, result);
        }
        shown.push(...result.diagnostics);
        counts.files += result.counts.files;
        counts.playbooks += result.counts.playbooks;
        counts.calendars += result.counts.calendars;
      };
      for (const dir of folders) await report(dir);
      for (const [dir, files] of filesByWorkspace) await report(dir, files);

      if (options.format === 'json') {
        ctx.io.out(render.renderJson(shown));
      } else {
        const color = { color: ctx.io.isTTY && !process.env.NO_COLOR };
        ctx.io.out(render.renderText(shown, sources, color));
        ctx.io.out(render.renderSummary(shown, counts, color));
      }
      ctx.exit(shown.some((d) => d.severity === 'error') ? 1 : 0);
    });
}

/** Parses and checks a workspace's sources; with `only`, the report is about those files. */
async function checkSources(read: WorkspaceSources, only: string[]): Promise<CheckReport> {
  const [{ buildWorkspace }, { findFile }, { checkWorkspace }] = await Promise.all([
    import('../../workspace/build.js'),
    import('../../workspace/load.js'),
    import('../../check/check.js'),
  ]);
  const workspace = buildWorkspace(read.dir, read.playbooks, read.templates);
  const { diagnostics } = checkWorkspace(workspace);
  const files = only.length > 0 ? only.map((f) => findFile(workspace, f)!) : workspace.files;
  const fileNames = new Set(files.map((f) => f.path));
  const counts = { files: files.length, playbooks: 0, calendars: 0 };
  for (const file of files) {
    for (const decl of file.ast.declarations ?? []) {
      if (decl.kind === 'playbook') counts.playbooks++;
      if (decl.kind === 'calendar') counts.calendars++;
    }
  }
  return { diagnostics: only.length > 0 ? diagnostics.filter((d) => fileNames.has(d.span.file)) : diagnostics, counts };
}
