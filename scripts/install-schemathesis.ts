/**
 * Installs the pinned schemathesis (the OpenAPI fuzzer the API tests run) into its own
 * Python virtual environment under .tools/schemathesis, from PyPI. Safe to run again: it
 * skips an environment that already has the pinned version. Exits 1 with a one-line message
 * on failure.
 */
import { existsSync } from 'node:fs';
import { CommandError, runCommand } from '../src/servers/run-command.js';
import { SCHEMATHESIS_BIN, SCHEMATHESIS_DIR, SCHEMATHESIS_VERSION } from '../test/api/schemathesis.js';

const MINUTES = 60_000;

async function installed(): Promise<boolean> {
  if (!existsSync(SCHEMATHESIS_BIN)) return false;
  const { stdout } = await runCommand(SCHEMATHESIS_BIN, ['--version'], MINUTES).catch(() => ({ stdout: '' }));
  return stdout.includes(SCHEMATHESIS_VERSION);
}

try {
  if (await installed()) {
    console.log(`install-schemathesis: schemathesis ${SCHEMATHESIS_VERSION} already in ${SCHEMATHESIS_DIR}`);
  } else {
    console.log(`install-schemathesis: installing schemathesis ${SCHEMATHESIS_VERSION} into ${SCHEMATHESIS_DIR}`);
    await runCommand('python3', ['-m', 'venv', '--clear', SCHEMATHESIS_DIR], 5 * MINUTES);
    await runCommand(
      `${SCHEMATHESIS_DIR}/bin/pip`,
      ['install', '--quiet', '--disable-pip-version-check', `schemathesis==${SCHEMATHESIS_VERSION}`],
      15 * MINUTES,
    );
    if (!(await installed())) throw new CommandError(`${SCHEMATHESIS_BIN} does not report version ${SCHEMATHESIS_VERSION}`);
  }
} catch (error) {
  if (!(error instanceof CommandError)) throw error;
  console.error(`install-schemathesis: ${error.message}`);
  process.exitCode = 1;
}
