import path from 'node:path';
import { Option, type Command } from 'commander';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { CommandContext } from '../command-context.js';

interface CheckOptions {
  format: 'text' | 'json';
  workspace?: string;
}

/**
 * `playbook check [paths...]`: reports every mistake in the given workspaces (folders) or
 * single files (checked within their folder's workspace, showing only their diagnostics).
 * Exit 0 when there are no errors (warnings are shown), 1 with errors, 2 for bad usage.
 */
export function register(program: Command, ctx: CommandContext): void {
  program
    .command('check')
    .description('check playbooks, calendars, account fields and email templates for mistakes')
    .argument('[paths...]', 'workspace folders or .playbook files', ['playbooks/'])
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--workspace <dir>', "workspace folder for single files (default: the file's folder)")
    .action(async (paths: string[], options: CheckOptions) => {
      // Loaded here, not at startup: other commands should not pay for the parser.
      const [{ loadWorkspace, findFile, isFolder }, { checkWorkspace }, render] = await Promise.all([
        import('../../workspace/load.js'),
        import('../../check/check.js'),
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
      const report = async (dir: string, only?: string[]) => {
        const workspace = await loadWorkspace(dir, only ?? []);
        const { diagnostics } = checkWorkspace(workspace);
        const files = only ? only.map((f) => findFile(workspace, f)!) : workspace.files;
        const fileNames = new Set(files.map((f) => f.path));
        shown.push(...(only ? diagnostics.filter((d) => fileNames.has(d.span.file)) : diagnostics));
        for (const [file, text] of workspace.sources) sources.set(file, text);
        counts.files += files.length;
        for (const file of files) {
          for (const decl of file.ast.declarations ?? []) {
            if (decl.kind === 'playbook') counts.playbooks++;
            if (decl.kind === 'calendar') counts.calendars++;
          }
        }
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
