import { Command, CommanderError } from 'commander';
import { UserError } from '../errors.js';
import type { CommandContext } from './command-context.js';
import { exitCodeOf } from './exit-code.js';
import { processIo, type CliIo } from './io.js';
import { terminalLines } from '../util/terminal-text.js';
import { registrationsFor } from './commands/index.js';

/**
 * Runs the `playbook` CLI with `argv` (without `node` and the script) and resolves to the
 * exit code. Never throws for user mistakes: those become one-line messages and code 1 or 2.
 */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  let code = 0;
  const ctx: CommandContext = { io, exit: (c) => void (code = c) };
  const program = new Command('playbook')
    .description('Playbook engine for Customer Success: check, simulate and run .playbook files')
    .exitOverride()
    .showHelpAfterError(false)
    .configureOutput({
      writeOut: (s) => io.out(s),
      writeErr: (s) => io.err(s),
      outputError: (s, write) => write(s.startsWith('error:') ? `playbook: ${s}` : s),
    });
  for (const register of await registrationsFor(argv)) register(program, ctx);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version output are not failures; usage errors are already printed.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof UserError) {
      // Messages quote what users and files gave; each of their lines is shown escaped.
      io.err(terminalLines(`playbook: ${e.message}`.split('\n')));
      return exitCodeOf(e.kind);
    }
    throw e;
  }
}
