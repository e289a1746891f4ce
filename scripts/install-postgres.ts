/**
 * Makes sure PostgreSQL's server binaries are on this machine: the store's test suite starts a
 * real server from them (the demo does not need them; it uses the embedded store). Found
 * already (PG_BIN, PATH or /usr/lib/postgresql/*\/bin): nothing to do. Missing, as root on
 * Debian or Ubuntu: installs the `postgresql` package with apt-get. Otherwise it says what to
 * install and still exits 0, since `npm run demo` runs without it; the store tests then fail
 * with the same hint. Safe to run again.
 */
import { BinaryNotFoundError } from '../src/servers/binaries.js';
import { findPostgresBin, POSTGRES_INSTALL_HINT } from '../src/servers/postgres-server.js';
import { CommandError, runCommand } from '../src/servers/run-command.js';

const MINUTES = 60_000;

function located(): string | null {
  try {
    return findPostgresBin();
  } catch (e) {
    if (e instanceof BinaryNotFoundError) return null;
    throw e;
  }
}

try {
  const found = located();
  if (found !== null) {
    console.log(`install-postgres: PostgreSQL server binaries found in ${found}`);
  } else if (
    process.getuid?.() === 0 &&
    (await runCommand('sh', ['-c', 'command -v apt-get'], MINUTES).then(
      () => true,
      () => false,
    ))
  ) {
    console.log('install-postgres: installing the Debian package postgresql (the store tests start a server from its binaries)');
    await runCommand('apt-get', ['update', '-qq'], 10 * MINUTES);
    await runCommand('sh', ['-c', 'DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql'], 15 * MINUTES);
    const installed = located();
    if (installed === null) throw new CommandError(`apt-get installed postgresql but its binaries are still not found; ${POSTGRES_INSTALL_HINT}`);
    console.log(`install-postgres: PostgreSQL server binaries installed in ${installed}`);
  } else {
    throw new CommandError(
      `PostgreSQL server binaries not found and this script cannot install them here (it needs root and apt-get); ${POSTGRES_INSTALL_HINT}`,
    );
  }
} catch (error) {
  if (!(error instanceof CommandError)) throw error;
  console.error(`install-postgres: warning: ${error.message}; the demo works without it, the store tests need it`);
}
