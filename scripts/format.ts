/** `npm run format`: prettier over the TypeScript of the tree (scripts/format-globs.ts), with .prettierrc.json. */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { FORMATTED } from './format-globs.js';

const prettier = createRequire(import.meta.url).resolve('prettier/bin/prettier.cjs');
const { status } = spawnSync(process.execPath, [prettier, '--write', '--log-level', 'warn', ...FORMATTED], { stdio: 'inherit' });
process.exitCode = status ?? 1;
