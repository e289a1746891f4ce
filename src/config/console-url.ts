/**
 * Where people reach `playbook serve` (the console, and the unsubscribe links of customer
 * email): `console.baseUrl`, else the API's own address, where a wildcard host is reached as
 * localhost. Links in notices and emails start with it.
 */
import type { ApiConfig, ConsoleConfig } from './types.js';

export function consoleBaseUrl(config: { console: ConsoleConfig; api: Pick<ApiConfig, 'host' | 'port'> }): string {
  if (config.console.baseUrl !== null) return config.console.baseUrl;
  const { host, port } = config.api;
  const reachable = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${reachable}:${port}`;
}
