/** Where a command writes. Tests pass a buffer; the real CLI passes the process streams. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Whether stdout is a terminal (colours, progress). */
  isTTY: boolean;
  /** stderr when it is a terminal, for live progress bars; absent otherwise. */
  errTerminal?: NodeJS.WriteStream;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  isTTY: Boolean(process.stdout.isTTY),
  errTerminal: process.stderr.isTTY ? process.stderr : undefined,
};

/** Collects output in memory, for tests. */
export function bufferIo(): CliIo & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return {
    out: (t) => void (out += t),
    err: (t) => void (err += t),
    isTTY: false,
    stdout: () => out,
    stderr: () => err,
  };
}
