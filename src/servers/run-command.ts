import { execFile, type ExecFileException } from 'node:child_process';

export interface CommandOutput {
  readonly stdout: string;
  readonly stderr: string;
}

/** A command that could not run or did not succeed; the message is one line. */
export class CommandError extends Error {
  override readonly name = 'CommandError';
}

/**
 * Runs a command to completion and returns its output. Failure (missing executable,
 * non-zero exit, timeout) becomes a CommandError whose message says why in one line,
 * ending with the last line the command wrote to stderr.
 */
export function runCommand(command: string, args: readonly string[], timeoutMs: number): Promise<CommandOutput> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) {
        resolve({ stdout, stderr });
        return;
      }
      reject(new CommandError(describeFailure(command, error, stderr, timeoutMs)));
    });
  });
}

function describeFailure(command: string, error: ExecFileException, stderr: string, timeoutMs: number): string {
  if (error.code === 'ENOENT') return `${command} not found`;
  if (error.code === 'EACCES') return `${command} is not executable`;
  const lastLine = stderr.trim().split('\n').pop()?.trim();
  const reason = error.killed ? `timed out after ${timeoutMs / 1000} s` : `exited with code ${String(error.code)}`;
  return lastLine ? `${command} ${reason}: ${lastLine}` : `${command} ${reason}`;
}
