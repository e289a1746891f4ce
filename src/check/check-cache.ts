/**
 * The results of `playbook check`, kept in the workspace's `.playbook/check-cache/` so a check
 * of unchanged sources by an unchanged engine shows the stored diagnostics without loading
 * the parser or the checker (like `eslint --cache`). An entry is found by what was asked
 * (the workspace folder and the single files) and is valid only under its key: a hash of
 * every source text and path, of the engine's code (each compiled module's size and
 * modification time, which covers the holiday codes generated from date-holidays' data), of
 * the libraries the check runs (chevrotain, luxon) and of the Node.js version (its time-zone
 * data).
 *
 * The cache is never a reason to fail: an entry that is missing, unreadable, corrupt or of
 * another key is a miss, and a folder that cannot be written keeps no entry. Entries are
 * written to a unique temporary file and renamed over the old one, so concurrent checks
 * never read a half-written entry; the last writer wins.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { WorkspaceSources } from '../workspace/read.js';

/** What a check of one workspace (or of some files in it) reports. */
export interface CheckReport {
  diagnostics: Diagnostic[];
  counts: { files: number; playbooks: number; calendars: number };
}

/** Where the entry of a check lives and the key it must have. */
export interface CacheSlot {
  file: string;
  key: string;
}

/** Bumped when the entry's layout changes. */
const FORMAT = 1;
const CACHE_DIR = path.join('.playbook', 'check-cache');
/** The libraries whose code or data decides diagnostics, by a file each that changes with them. */
const LIBRARIES = ['chevrotain', 'luxon'];

/** The slot of a check of `sources`, limited to `only` (paths as given) when there are any. */
export function cacheSlot(sources: WorkspaceSources, only: readonly string[]): CacheSlot {
  const asked = JSON.stringify([FORMAT, path.resolve(sources.dir), only.map((f) => path.resolve(f))]);
  const hash = createHash('sha256').update(asked).update(engineFingerprint());
  for (const { path: file, relPath, text } of [...sources.playbooks, ...sources.templates]) {
    hash.update(`\0${file}\0${relPath}\0${text.length}\0`).update(text);
  }
  return {
    file: path.join(sources.dir, CACHE_DIR, `${createHash('sha256').update(asked).digest('hex').slice(0, 16)}.json`),
    key: hash.digest('hex'),
  };
}

/** The report stored in `slot`, if it is there and valid. */
export function readCachedReport(slot: CacheSlot): CheckReport | undefined {
  try {
    const entry = JSON.parse(readFileSync(slot.file, 'utf8')) as { key?: unknown; report?: Partial<CheckReport> };
    const report = entry.report;
    if (entry.key !== slot.key || !report || !Array.isArray(report.diagnostics) || typeof report.counts?.files !== 'number') return undefined;
    return report as CheckReport;
  } catch {
    return undefined;
  }
}

/** Stores `report` in `slot`; a failure to write leaves the cache as it was. */
export function writeCachedReport(slot: CacheSlot, report: CheckReport): void {
  const temporary = `${slot.file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    mkdirSync(path.dirname(slot.file), { recursive: true });
    writeFileSync(temporary, JSON.stringify({ key: slot.key, report }));
    renameSync(temporary, slot.file);
  } catch {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // Nothing was written where nothing can be removed.
    }
  }
}

let fingerprint: string | undefined;

/** The engine's code, the libraries' files and the Node.js version, as one hash. */
function engineFingerprint(): string {
  if (fingerprint !== undefined) return fingerprint;
  const hash = createHash('sha256').update(`${FORMAT}\0${process.version}\0`);
  // `dist/` when running the build, `src/` when running the sources (tests, tsx).
  const codeRoot = fileURLToPath(new URL('..', import.meta.url));
  const stamp = (file: string): void => {
    const { size, mtimeMs } = statSync(file);
    hash.update(`${file}\0${size}\0${mtimeMs}\n`);
  };
  for (const rel of readdirSync(codeRoot, { recursive: true, encoding: 'utf8' }).sort()) {
    if (/\.[cm]?[jt]s$/.test(rel)) stamp(path.join(codeRoot, rel));
  }
  for (const library of LIBRARIES) stamp(fileURLToPath(import.meta.resolve(library)));
  fingerprint = hash.digest('hex');
  return fingerprint;
}
