import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { reportWarnings } from './compile.js';

/** `playbook graph <file> [--playbook id] [--workspace dir]`: prints a Mermaid flowchart. */
export function register(program: Command, ctx: CommandContext): void {
  program
    .command('graph')
    .description('print a Mermaid flowchart of a playbook (stages, steps, waits, escalations, branches)')
    .argument('<file>', 'a .playbook file')
    .option('--playbook <id>', 'the playbook to draw when the file declares several')
    .option('--workspace <dir>', "the workspace folder (default: the file's folder)")
    .action(async (file: string, opts: { playbook?: string; workspace?: string }) => {
      const [{ compileFile }, { playbookToMermaid }] = await Promise.all([import('../../compile/compile.js'), import('../../graph/mermaid.js')]);
      const compiled = await compileFile(file, opts);
      await reportWarnings(compiled, ctx);
      ctx.io.out(playbookToMermaid(compiled.program));
    });
}
