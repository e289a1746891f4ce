/**
 * Makes sure Debian's Chromium is on this machine: the console's browser tests drive it with
 * playwright-core. Found already (CHROMIUM_PATH or its usual paths): nothing to do. Missing,
 * as root with apt-get: installs the `chromium` package. Otherwise it says what to install and
 * still exits 0, since the demo runs without it; the browser tests then fail with the same hint.
 */
import { CHROMIUM_INSTALL_HINT, findChromium } from '../test/console/chromium-path.js';
import { CommandError, runCommand } from '../src/servers/run-command.js';

const MINUTES = 60_000;

try {
  const found = findChromium();
  if (found !== null) {
    console.log(`install-chromium: Chromium found at ${found}`);
  } else if (
    process.getuid?.() === 0 &&
    (await runCommand('sh', ['-c', 'command -v apt-get'], MINUTES).then(
      () => true,
      () => false,
    ))
  ) {
    console.log("install-chromium: installing the Debian package chromium (the console's browser tests drive it)");
    await runCommand('apt-get', ['update', '-qq'], 10 * MINUTES);
    await runCommand('sh', ['-c', 'DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium'], 15 * MINUTES);
    const installed = findChromium();
    if (installed === null) throw new CommandError(`apt-get installed chromium but it is still not found; ${CHROMIUM_INSTALL_HINT}`);
    console.log(`install-chromium: Chromium installed at ${installed}`);
  } else {
    throw new CommandError(`Chromium not found and this script cannot install it here (it needs root and apt-get); ${CHROMIUM_INSTALL_HINT}`);
  }
} catch (error) {
  if (!(error instanceof CommandError)) throw error;
  console.error(`install-chromium: warning: ${error.message}; the demo works without it, the console's browser tests need it`);
}
