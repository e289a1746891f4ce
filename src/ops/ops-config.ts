/**
 * The configuration the operator commands run with: `playbook.config.json` (or `--config`),
 * and, when it leaves the Temporal address at its default, the server of a running
 * `playbook dev` found through its state file, and the embedded store it hosts when the file
 * names no store.
 */
import { defaultConfig, loadConfig } from '../config/load.js';
import type { PlaybookConfig } from '../config/types.js';
import { readDevState } from './dev-state.js';

export function loadOpsConfig(configPath: string | undefined): PlaybookConfig {
  const config = loadConfig(configPath === undefined ? {} : { path: configPath });
  const dev = readDevState(config.dataDir);
  if (dev === null) return config;
  const store = config.store ?? (dev.storeUrl === undefined ? null : { url: dev.storeUrl });
  if (config.temporal.address !== defaultConfig().temporal.address) return { ...config, store };
  return { ...config, store, temporal: { ...config.temporal, address: dev.address, namespace: dev.namespace } };
}
