/**
 * The opt-in Temporal cluster's binaries: the Temporal server and its schema tool
 * (temporal-sql-tool), built with Go from the pinned `go.temporal.io/server` module into
 * `.cluster/<module>@<version>/` (git-ignored). The folder's name carries the version, so a
 * new pin builds afresh and an installed pin is never rebuilt.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, renameSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { BinaryNotFoundError, isExecutableFile as isExecutable, PROJECT_ROOT } from './binaries.js';
import { InstallError } from './install.js';
import { TEMPORAL_SERVER_MODULE } from './versions.js';

/** The project folder of the cluster: its binaries and, while it runs, its state and logs. */
export const CLUSTER_DIR = join(PROJECT_ROOT, '.cluster');

export const CLUSTER_INSTALL_COMMAND = 'npm run cluster:install';

export interface ClusterBinaries {
  /** The Temporal server (`go.temporal.io/server/cmd/server`). */
  readonly server: string;
  /** temporal-sql-tool (`go.temporal.io/server/cmd/tools/sql`). */
  readonly sqlTool: string;
}

const GO_HINT =
  'Go is needed to build the Temporal server: install it from https://go.dev/dl/ (any Go 1.21 or newer fetches the toolchain the build needs), put its bin folder on PATH or set GO to the go binary';

/** Where the pinned version is built: `.cluster/go.temporal.io_server@<version>`. */
export function clusterBinDir(clusterDir: string = CLUSTER_DIR): string {
  const { module, version } = TEMPORAL_SERVER_MODULE;
  return join(clusterDir, `${module.replaceAll('/', '_')}@${version}`);
}

function pinnedPaths(dir: string): ClusterBinaries {
  // `go install` names each binary after its package folder.
  return { server: join(dir, 'server'), sqlTool: join(dir, 'sql') };
}

/** The installed binaries of the pinned version, or an error that says how to build them. */
export function findClusterBinaries(dir: string = clusterBinDir()): ClusterBinaries {
  const paths = pinnedPaths(dir);
  if (!isExecutable(paths.server) || !isExecutable(paths.sqlTool)) {
    const { module, version } = TEMPORAL_SERVER_MODULE;
    throw new BinaryNotFoundError(`the Temporal server ${module} ${version} is not built in ${dir}; run \`${CLUSTER_INSTALL_COMMAND}\` (it needs Go)`);
  }
  return paths;
}

/** The go binary: GO, else PATH, else the official tarball's /usr/local/go/bin/go. */
export function findGo(env: NodeJS.ProcessEnv = process.env): string {
  if (env.GO) {
    if (!isExecutable(env.GO)) throw new InstallError(`GO is set to ${env.GO}, which is not an executable file; ${GO_HINT}`);
    return env.GO;
  }
  const candidates = [...(env.PATH ?? '').split(delimiter).filter(Boolean), '/usr/local/go/bin'].map((dir) => join(dir, 'go'));
  const found = candidates.find(isExecutable);
  if (found === undefined) throw new InstallError(`go not found (not on PATH nor in /usr/local/go/bin); ${GO_HINT}`);
  return found;
}

/**
 * Builds the pinned server and schema tool unless they are there. The build goes to a
 * scratch folder first and is renamed into place whole, so an interrupted build never looks
 * installed. Go's output (its downloads) is shown as it comes.
 */
export async function installClusterBinaries(options: { env: NodeJS.ProcessEnv; log: (line: string) => void; dir?: string }): Promise<ClusterBinaries> {
  const { module, version, goToolchain, packages } = TEMPORAL_SERVER_MODULE;
  const dir = options.dir ?? clusterBinDir();
  const label = `${module} ${version}`;
  const installed = pinnedPaths(dir);
  if (isExecutable(installed.server) && isExecutable(installed.sqlTool)) {
    options.log(`${label}: already built in ${dir}`);
    return installed;
  }
  const go = findGo(options.env);
  const scratch = `${dir}.building`;
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  options.log(`${label}: building ${packages.join(' and ')} with ${go} (toolchain ${goToolchain}); this takes several minutes`);
  const targets = packages.map((p) => `${module}/${p}@${version}`);
  try {
    await runGo(go, ['install', ...targets], {
      ...options.env,
      GOTOOLCHAIN: goToolchain,
      GOBIN: scratch,
      GOFLAGS: [options.env.GOFLAGS, '-buildvcs=false'].filter(Boolean).join(' '),
    });
    rmSync(dir, { recursive: true, force: true });
    renameSync(scratch, dir);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  options.log(`${label}: built ${installed.server} and ${installed.sqlTool}`);
  return installed;
}

// nice: the build takes both cores for minutes; whatever else runs here keeps going.
function runGo(go: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('nice', ['-n', '10', go, ...args], { env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', (error) => reject(new InstallError(`could not run ${go}: ${error.message}; ${GO_HINT}`)));
    child.once('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new InstallError(`go ${args[0]} ${signal ? `was killed by ${signal}` : `exited with code ${String(code)}`} (its output is above)`));
    });
  });
}
