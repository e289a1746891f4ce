import { runCommand } from './run-command.js';
import type { PinnedBinary } from './versions.js';

/**
 * Runs a binary with its probe arguments to prove it executes on this machine, and returns
 * the first line it printed (the CLI's version line, the test server's usage line).
 * Throws a CommandError when it does not run.
 */
export async function probeBinary(binary: PinnedBinary, path: string): Promise<string> {
  const { stdout, stderr } = await runCommand(path, binary.probeArgs, 30_000);
  const firstLine = `${stdout}\n${stderr}`.split('\n').find((line) => line.trim() !== '');
  return firstLine?.trim() ?? '(no output)';
}
