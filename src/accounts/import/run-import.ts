/**
 * `playbook accounts import`: the whole file is validated against the deployed fields and the
 * accounts' current data (`withMergedSizeProblems`) before anything is sent, so a bad file imports nothing; `--skip-invalid` imports the valid rows and
 * lists the others. Row problems go to stderr (or into the `--json` report), the progress to
 * stderr, the summary to stdout. An import that fails part-way (the server goes away) ends
 * with a `UserError` naming the rows applied, unconfirmed and not sent, never a stack trace.
 */
import path from 'node:path';
import { isGrpcServiceError, type Client } from '@temporalio/client';
import { UserError } from '../../errors.js';
import type { CliIo } from '../../cli/io.js';
import { terminalLines } from '../../util/terminal-text.js';
import { deployedFields } from '../deployed-fields.js';
import type { Store } from '../../store/connect.js';
import { importAccounts } from './import.js';
import { withMergedSizeProblems } from './merged-size.js';
import { invalidRowCount, parseAccountFile, problemLines, type AccountFile } from './parse.js';
import { barProgress, lineProgress, perSecond } from './progress.js';
import { placeIn } from './rows.js';
import type { AccountSource } from './source.js';
import { stoppedImport, stoppedMessage, type StoppedImport, type UpsertState } from './stopped.js';

export interface ImportFlags {
  skipInvalid: boolean;
  json: boolean;
}

/** What the rows' merged data is checked against (`withMergedSizeProblems`). */
export interface ImportBounds {
  store: Store | null;
  maxAccountDataBytes: number;
}

/** The `--json` output. */
export interface ImportReport {
  file: string;
  by: string;
  rows: number;
  imported: number;
  /** Rows left out for their problems (with `--skip-invalid`), or every invalid row when nothing was imported. */
  invalidRows: number;
  problems: Array<{ at: string; message: string }>;
  /** Only when the import failed part-way: why, and which rows were applied. */
  stopped?: StoppedImport;
}

export async function runAccountImport(
  client: Client,
  taskQueue: string,
  source: AccountSource,
  flags: ImportFlags,
  bounds: ImportBounds,
  io: CliIo,
): Promise<ImportReport> {
  const by = `import:${path.basename(source.file)}`;
  const parsed = await withMergedSizeProblems(client, bounds.store, parseAccountFile(source, await deployedFields(client)), bounds.maxAccountDataBytes);
  const invalid = invalidRowCount(parsed);
  const report = (imported: number, stopped?: StoppedImport): ImportReport => ({
    file: source.file,
    by,
    rows: parsed.rows,
    imported,
    invalidRows: invalid,
    problems: parsed.problems.map((p) => ({ at: placeIn(source.file, p.place), message: p.message })),
    ...(stopped !== undefined && { stopped }),
  });
  const refuse = (message: string): never => {
    if (flags.json) io.out(`${JSON.stringify(report(0))}\n`);
    throw new UserError(message, 'invalid');
  };
  if (!flags.json) for (const line of problemLines(parsed)) io.err(terminalLines([line]));
  if (parsed.rows === 0) refuse(`${source.file} holds no accounts; nothing was imported`);
  if (invalid > 0 && !flags.skipInvalid) {
    const valid = parsed.accounts.length === 0 ? '' : `, or pass --skip-invalid to import the ${plural(parsed.accounts.length, 'valid row')}`;
    refuse(
      `${invalid} of ${plural(parsed.rows, 'row')} of ${source.file} ${invalid === 1 ? 'is' : 'are'} invalid; nothing was imported (fix ${invalid === 1 ? 'it' : 'them'}${valid})`,
    );
  }
  if (parsed.accounts.length === 0) refuse(`no valid row in ${source.file}; nothing was imported`);

  const started = Date.now();
  const states = new Array<UpsertState>(parsed.accounts.length).fill('notSent');
  let imported: number;
  try {
    imported = await importWithProgress(client, taskQueue, parsed, by, io, (index, state) => (states[index] = state));
  } catch (e) {
    const stopped = stoppedImport(failureReason(e), parsed.places, states);
    if (flags.json) io.out(`${JSON.stringify(report(stopped.applied.rows, stopped))}\n`);
    throw new UserError(stoppedMessage(source.file, stopped), 'invalid');
  }
  const result = report(imported);
  io.out(flags.json ? `${JSON.stringify(result)}\n` : `${summary(result, Date.now() - started)}\n`);
  return result;
}

async function importWithProgress(
  client: Client,
  taskQueue: string,
  parsed: AccountFile,
  by: string,
  io: CliIo,
  onUpsert: (index: number, state: UpsertState) => void,
): Promise<number> {
  const total = parsed.accounts.length;
  const progress = io.errTerminal === undefined ? lineProgress((text) => io.err(text), total) : barProgress(io.errTerminal, total);
  try {
    return (await importAccounts(client, taskQueue, parsed.accounts, { by, onProgress: (done) => progress.update(done), onUpsert })).imported;
  } finally {
    progress.stop();
  }
}

/** The first failure, in one line: the server gone, or what it answered. */
function failureReason(e: unknown): string {
  if (e instanceof UserError) return e.message;
  const grpc = [e, (e as { cause?: unknown } | null)?.cause].find(isGrpcServiceError);
  if (grpc?.code === GRPC_UNAVAILABLE) return 'the Temporal server stopped answering';
  return (grpc?.details ?? (e instanceof Error ? e.message : String(e))).split('\n')[0]!;
}

const GRPC_UNAVAILABLE = 14;

/** `imported 3 accounts from accounts.csv in 0.4s (8/s)`, naming the skipped rows when there are any. */
function summary(report: ImportReport, elapsedMs: number): string {
  const count = report.invalidRows === 0 ? plural(report.imported, 'account') : `${report.imported} of ${plural(report.rows, 'account')}`;
  const line = `imported ${count} from ${report.file} in ${(elapsedMs / 1000).toFixed(1)}s (${perSecond(report.imported, elapsedMs)}/s)`;
  return report.invalidRows === 0 ? line : `${line}; skipped ${plural(report.invalidRows, 'invalid row')} (listed above)`;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
