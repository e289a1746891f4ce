/** Where Debian's Chromium is: `CHROMIUM_PATH`, else its usual paths (the browser tests and scripts/install-chromium.ts look here). */
import { existsSync } from 'node:fs';

const USUAL_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/lib/chromium/chromium'];

export const CHROMIUM_INSTALL_HINT = "install Debian's package (`npm run chromium:install` as root, or `apt-get install -y chromium`) or set CHROMIUM_PATH";

/** The first candidate that exists, or null. */
export function findChromium(): string | null {
  const candidates = process.env.CHROMIUM_PATH ? [process.env.CHROMIUM_PATH] : USUAL_PATHS;
  return candidates.find((p) => existsSync(p)) ?? null;
}

export function chromiumCandidates(): string[] {
  return process.env.CHROMIUM_PATH ? [process.env.CHROMIUM_PATH] : USUAL_PATHS;
}
