import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEMPORAL_CLI, TEMPORAL_TEST_SERVER, type PinnedBinary } from './versions.js';

/** The project root: this module sits two levels below it, in src/servers or dist/servers. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Where the install step puts the pinned binaries (git-ignored). */
export const INSTALL_DIR = join(PROJECT_ROOT, '.temporal', 'bin');

/** The command that installs the pinned binaries, quoted in error messages. */
export const INSTALL_COMMAND = 'npx tsx scripts/install-temporal.ts';

export type BinarySource = 'env' | 'path' | 'installed';

export interface LocatedBinary {
  readonly path: string;
  readonly source: BinarySource;
}

/** Thrown when a binary cannot be found, or an environment variable names a bad file. */
export class BinaryNotFoundError extends Error {
  override readonly name = 'BinaryNotFoundError';
}

/**
 * Finds an executable: the file named by its environment variable, else the first one on
 * PATH, else the one in the install directory; undefined when there is none. An environment
 * variable naming a missing file is an error, not a silent fall-through to another binary.
 */
export function locateBinary(binary: PinnedBinary, env: NodeJS.ProcessEnv = process.env, installDir: string = INSTALL_DIR): LocatedBinary | undefined {
  const fromEnv = env[binary.envVar];
  if (fromEnv) {
    if (!isExecutableFile(fromEnv)) {
      throw new BinaryNotFoundError(`${binary.envVar} is set to ${fromEnv}, which is not an executable file`);
    }
    return { path: fromEnv, source: 'env' };
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    const candidate = dir && join(dir, binary.name);
    if (candidate && isExecutableFile(candidate)) return { path: candidate, source: 'path' };
  }
  const installed = join(installDir, binary.name);
  return isExecutableFile(installed) ? { path: installed, source: 'installed' } : undefined;
}

/** Like locateBinary, but a missing binary is an error that says how to get it. */
export function findBinary(binary: PinnedBinary, env: NodeJS.ProcessEnv = process.env): string {
  const located = locateBinary(binary, env);
  if (!located) {
    throw new BinaryNotFoundError(
      `${binary.name} not found (not on PATH, not in ${INSTALL_DIR}); ` +
        `run \`${INSTALL_COMMAND}\`, or set ${binary.envVar} to an existing ${binary.name} binary`,
    );
  }
  return located.path;
}

export function findTemporalCli(): string {
  return findBinary(TEMPORAL_CLI);
}

export function findTestServer(): string {
  return findBinary(TEMPORAL_TEST_SERVER);
}

export function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
