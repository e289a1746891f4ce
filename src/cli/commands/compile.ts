import type { Command } from 'commander';
import type { Compiled } from '../../compile/compile.js';
import type { CommandContext } from '../command-context.js';

/**
 * `playbook compile <file> [--playbook id] [--workspace dir]`: prints
 * `{ "playbook", "version", "ir" }` as 2-space JSON on stdout; warnings go to stderr.
 */
export function register(program: Command, ctx: CommandContext): void {
  program
    .command('compile')
    .description('compile a playbook to its JSON IR and print it with its version')
    .argument('<file>', 'a .playbook file')
    .option('--playbook <id>', 'the playbook to compile when the file declares several')
    .option('--workspace <dir>', "the workspace folder (default: the file's folder)")
    .action(async (file: string, opts: { playbook?: string; workspace?: string }) => {
      const { compileFile } = await import('../../compile/compile.js');
      const compiled = await compileFile(file, opts);
      await reportWarnings(compiled, ctx);
      const { program: ir, version } = compiled;
      ctx.io.out(`${JSON.stringify({ playbook: ir.entry, version, ir }, null, 2)}\n`);
    });
}

/** Shows the check's warnings on stderr, as `playbook check` would. */
export async function reportWarnings({ warnings, workspace }: Compiled, ctx: CommandContext): Promise<void> {
  if (warnings.length === 0) return;
  const { renderText } = await import('../../diagnostics/render.js');
  ctx.io.err(renderText(warnings, workspace.sources, { color: ctx.io.isTTY && !process.env.NO_COLOR }));
}
