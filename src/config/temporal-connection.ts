/**
 * Connection options for `Connection.connect` (client) and `NativeConnection.connect`
 * (worker) from the `temporal` section: reads the TLS files, passes the API key.
 */
import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import { configError } from './config-error.js';
import type { TemporalConfig } from './types.js';

export interface TemporalConnectionOptions {
  address: string;
  tls?: TLSConfig | boolean;
  apiKey?: string;
}

export function temporalConnectionOptions(temporal: TemporalConfig): TemporalConnectionOptions {
  const { tls } = temporal;
  return {
    address: temporal.address,
    ...(tls !== false && { tls: typeof tls === 'boolean' ? tls : tlsConfig(tls) }),
    ...(temporal.apiKey !== null && { apiKey: temporal.apiKey }),
  };
}

function tlsConfig(tls: Exclude<TemporalConfig['tls'], boolean>): TLSConfig {
  return {
    ...(tls.serverName !== undefined && { serverNameOverride: tls.serverName }),
    ...(tls.ca !== undefined && { serverRootCACertificate: readTlsFile(tls.ca, 'ca') }),
    ...(tls.cert !== undefined && tls.key !== undefined && { clientCertPair: { crt: readTlsFile(tls.cert, 'cert'), key: readTlsFile(tls.key, 'key') } }),
  };
}

function readTlsFile(file: string, key: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    throw configError(['temporal', 'tls', key], `cannot read ${file}: ${reason}`);
  }
}
