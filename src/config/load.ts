/**
 * Finds, reads and validates the one configuration file, `playbook.config.json` (JSON only):
 * the `--config` path if given, else `$PLAYBOOK_CONFIG`, else `playbook.config.json` in the
 * working directory if it exists, else the development defaults. Every problem is a
 * `UserError` (exit 2) whose message names the file's bad key.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { configError } from './config-error.js';
import { describeIssue } from './format-issue.js';
import { resolveConfig, type Env } from './resolve.js';
import { configFileSchema } from './schema.js';
import type { PlaybookConfig } from './types.js';

export const DEFAULT_CONFIG_FILE = 'playbook.config.json';
export const CONFIG_ENV_VAR = 'PLAYBOOK_CONFIG';

export interface LoadConfigOptions {
  /** From `--config`. */
  path?: string;
  cwd?: string;
  env?: Env;
}

export function loadConfig(options: LoadConfigOptions = {}): PlaybookConfig {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const explicit = options.path ?? env[CONFIG_ENV_VAR];
  const file = path.resolve(cwd, explicit ?? DEFAULT_CONFIG_FILE);
  if (explicit === undefined && !existsSync(file)) return defaultConfig(cwd);
  return parseConfig(readConfigText(file), file, env);
}

/** Validates config text read from `file` (whose folder anchors relative paths). */
export function parseConfig(text: string, file: string, env: Env): PlaybookConfig {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw configError([], `${file} is not valid JSON: ${(e as Error).message}`);
  }
  const parsed = configFileSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) {
    const [first, ...rest] = parsed.error.issues.map((issue) => describeIssue(issue, configFileSchema));
    const more = rest.length === 0 ? '' : ` (and ${rest.length} more ${rest.length === 1 ? 'problem' : 'problems'})`;
    throw configError(first!.path, `${first!.problem}${more}`);
  }
  return resolveConfig(parsed.data, path.dirname(file), env, file);
}

/** The development configuration: local Temporal, outbox instead of SMTP, file sinks under `<cwd>/.playbook`. */
export function defaultConfig(cwd: string = process.cwd()): PlaybookConfig {
  return resolveConfig(configFileSchema.parse({}), cwd, {}, null);
}

function readConfigText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    throw configError([], `cannot read ${file}: ${reason}`);
  }
}
