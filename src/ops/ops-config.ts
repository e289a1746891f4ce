/**
 * The configuration the operator commands run with: `playbook.config.json` (or `--config`),
 * and, when it leaves the Temporal address at its default, the server of a running
 * `playbook dev` found through its state file.
 */
import { defaultConfig, loadConfig } from '../config/load.js';
import type { PlaybookConfig } from '../config/types.js';
import { readDevState } from './dev-state.js';

export function loadOpsConfig(configPath: string | undefined): PlaybookConfig {
  const config = loadConfig(configPath === undefined ? {} : { path: configPath });
  if (config.temporal.address !== defaultConfig().temporal.address) return config;
  const dev = readDevState(config.dataDir);
  if (dev === null) return config;
  return { ...config, temporal: { ...config.temporal, address: dev.address, namespace: dev.namespace } };
}
