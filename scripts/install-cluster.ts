/**
 * Builds the opt-in Temporal cluster's binaries (`playbook cluster up`): the Temporal server
 * and temporal-sql-tool, from the pinned `go.temporal.io/server` module with Go, into
 * `.cluster/`. Skips what is built already. Exits 1 with a one-line message on failure (Go
 * missing: where to get it).
 */
import { installClusterBinaries } from '../src/servers/cluster-binaries.js';
import { InstallError } from '../src/servers/install.js';

try {
  await installClusterBinaries({ env: process.env, log: (line) => console.log(`install-cluster: ${line}`) });
} catch (error) {
  if (!(error instanceof InstallError)) throw error;
  console.error(`install-cluster: ${error.message}`);
  process.exitCode = 1;
}
