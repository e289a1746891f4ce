import type { CliIo } from './io.js';

/** What a command module gives the CLI: it adds itself to the program. */
export interface CommandContext {
  io: CliIo;
  /** Set by a command's action; 0 when not set. */
  exit(code: number): void;
}
