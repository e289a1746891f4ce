import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';

type Register = (program: Command, ctx: CommandContext) => void;

/** A command module, by the top-level commands it adds to the program. */
interface CommandModule {
  names: readonly string[];
  load: () => Promise<{ register: Register }>;
}

/** Every `playbook` subcommand, in the order `--help` lists them. */
export const commandModules: readonly CommandModule[] = [
  { names: ['check'], load: () => import('./check.js') },
  { names: ['compile'], load: () => import('./compile.js') },
  { names: ['graph'], load: () => import('./graph.js') },
  { names: ['simulate'], load: () => import('./simulate.js') },
  { names: ['test'], load: () => import('./test.js') },
  { names: ['dev'], load: () => import('./dev.js') },
  { names: ['cluster'], load: () => import('./cluster.js') },
  { names: ['worker'], load: () => import('./worker.js') },
  { names: ['start'], load: () => import('./start.js') },
  { names: ['status'], load: () => import('./status.js') },
  { names: ['event'], load: () => import('./event.js') },
  { names: ['complete', 'reassign', 'snooze', 'close'], load: () => import('./complete.js') },
  { names: ['list'], load: () => import('./list.js') },
  { names: ['runs'], load: () => import('./runs.js') },
  { names: ['report'], load: () => import('./report.js') },
  { names: ['suppressions'], load: () => import('./suppressions.js') },
  { names: ['pause', 'resume', 'cancel'], load: () => import('./control.js') },
  { names: ['deploy'], load: () => import('./deploy.js') },
  { names: ['deployed'], load: () => import('./deployed.js') },
  { names: ['disable', 'enable'], load: () => import('./switches.js') },
  { names: ['throttle'], load: () => import('./throttle.js') },
  { names: ['accounts'], load: () => import('./accounts.js') },
  { names: ['serve'], load: () => import('./serve.js') },
  { names: ['tokens'], load: () => import('./tokens.js') },
  { names: ['db'], load: () => import('./db.js') },
  { names: ['demo'], load: () => import('./demo.js') },
];

/**
 * The registrations a run of `argv` needs: only the module of the command it names (so
 * `playbook check` loads no other command's module, ~20 ms of CPU), or every module when
 * it names none (`--help`, `help <command>`, a mistyped command that commander suggests a
 * name for). A command's own help and errors do not show its siblings.
 */
export async function registrationsFor(argv: readonly string[]): Promise<Register[]> {
  const named = commandModules.find((m) => m.names.includes(argv[0] ?? ''));
  const modules = await Promise.all((named ? [named] : commandModules).map((m) => m.load()));
  return modules.map((m) => m.register);
}
