/** Where the project's install step puts the pinned schemathesis (see scripts/install-schemathesis.ts). */
import { fileURLToPath } from 'node:url';

export const SCHEMATHESIS_VERSION = '4.32.5';
export const SCHEMATHESIS_DIR = fileURLToPath(new URL('../../.tools/schemathesis', import.meta.url));
export const SCHEMATHESIS_BIN = `${SCHEMATHESIS_DIR}/bin/st`;
