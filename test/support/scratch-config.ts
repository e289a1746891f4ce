/**
 * A configuration file in a fresh temporary folder, as an operator would write one, for the
 * integration tests and benchmarks that start a local stack: data under the folder, the dev
 * server on a free port, plus whatever sections the caller adds (e.g. `api`; a `temporal`
 * section adds to the address and task queue).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import type { PlaybookConfig } from '../../src/config/types.js';
import { findFreePort } from '../../src/servers/ports.js';

export interface ScratchConfig {
  /** The temporary folder; the caller removes it. */
  dir: string;
  configFile: string;
  /** The dev server's port, for `startLocalStack`. */
  port: number;
  config: PlaybookConfig;
}

export async function writeScratchConfig(prefix: string, taskQueue: string, sections: Record<string, unknown> = {}): Promise<ScratchConfig> {
  const dir = mkdtempSync(path.join(tmpdir(), `${prefix}-`));
  const configFile = path.join(dir, 'playbook.config.json');
  const port = await findFreePort();
  const { temporal, ...rest } = sections;
  const temporalSection = { address: `127.0.0.1:${port}`, taskQueue, ...(temporal as object | undefined) };
  writeFileSync(configFile, JSON.stringify({ dataDir: path.join(dir, 'data'), temporal: temporalSection, ...rest }));
  return { dir, configFile, port, config: loadConfig({ path: configFile }) };
}
