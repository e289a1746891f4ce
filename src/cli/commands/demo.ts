import path from 'node:path';
import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';

interface DemoFlags {
  db?: string;
  keep?: boolean;
  workspace?: string;
}

/**
 * `playbook demo [--db file] [--keep]`: on an embedded dev server and worker, the reference
 * workspace deployed and its sample accounts imported, events sent to the accounts so their
 * triggers start runs and their entities forward events to them, and a task completion; then
 * each account's trigger log, the runs' status and the dev outbox. The server stops at the end
 * unless `--keep`.
 */
export function register(program: Command, ctx: CommandContext): void {
  program
    .command('demo')
    .description('deploy the reference playbooks, import the sample accounts and let their triggers and events drive runs on an embedded Temporal dev server')
    .option('--db <file>', "keep the server's state in this SQLite file (default: a fresh temporary one)")
    .option('--keep', 'leave the server, worker and web UI running until Ctrl-C')
    .option('--workspace <dir>', 'the reference workspace (default: the playbooks/ folder of this project)')
    .action(async (flags: DemoFlags) => {
      const [{ runDemo }, { PROJECT_ROOT }, { quietTemporalLogs }] = await Promise.all([
        import('../../ops/demo/run-demo.js'),
        import('../../servers/binaries.js'),
        import('../../ops/demo/quiet-logs.js'),
      ]);
      quietTemporalLogs();
      await runDemo({
        workspace: path.resolve(flags.workspace ?? path.join(PROJECT_ROOT, 'playbooks')),
        ...(flags.db !== undefined && { dbFile: path.resolve(flags.db) }),
        keep: flags.keep === true,
        progress: (line) => ctx.io.out(`» ${line}\n`),
        out: (text) => ctx.io.out(text),
      });
    });
}
