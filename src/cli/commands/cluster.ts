import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { CONFIG_HELP } from '../../ops/cli-input.js';

interface UpFlags {
  port?: string;
  namespace?: string;
  config?: string;
}

/** The compose file's published port, and the default configuration's address. */
const DEFAULT_PORT = 7233;

/**
 * `playbook cluster up|down`: the opt-in Temporal cluster on PostgreSQL (src/servers/cluster.ts),
 * built by `npm run cluster:install`. `up` returns once the frontend serves the namespace and
 * leaves the servers running; `down` stops them and removes their data.
 */
export function register(program: Command, ctx: CommandContext): void {
  const cluster = program.command('cluster').description('a Temporal server on PostgreSQL, as in production (opt-in: npm run cluster:install)');

  cluster
    .command('up')
    .description('start PostgreSQL and the Temporal server, create the schema, the namespace and the search attributes')
    .option('--port <n>', 'frontend gRPC port (default: the configured local address, else 7233)')
    .option('--namespace <name>', 'namespace to create (default: the configured one)')
    .option('--config <file>', CONFIG_HELP)
    .action(async (flags: UpFlags) => {
      const [{ loadConfig }, { parsePortFlag, loopbackPort }, { startCluster, CLUSTER_LOG }, { SEARCH_ATTRIBUTE_SCHEMA }, { withServerErrors }] =
        await Promise.all([
          import('../../config/load.js'),
          import('../../ops/cli-input.js'),
          import('../../servers/cluster.js'),
          import('../../temporal/contract.js'),
          import('../../ops/server-errors.js'),
        ]);
      const config = loadConfig(flags.config === undefined ? {} : { path: flags.config });
      const port = flags.port === undefined ? (loopbackPort(config.temporal.address) ?? DEFAULT_PORT) : parsePortFlag('--port', flags.port);
      const namespace = flags.namespace ?? config.temporal.namespace;
      const state = await withServerErrors(() =>
        startCluster({ port, namespace, searchAttributes: SEARCH_ATTRIBUTE_SCHEMA, log: (line) => ctx.io.out(`cluster: ${line}\n`) }),
      );
      ctx.io.out(
        [
          `Temporal gRPC  ${state.address} (namespace ${state.namespace})`,
          `PostgreSQL     127.0.0.1:${state.postgresPort} (databases temporal, temporal_visibility; data in ${state.postgresRoot})`,
          `server log     ${CLUSTER_LOG}`,
          `workers and clients: set temporal.address to ${state.address} and temporal.namespace to ${state.namespace} in the configuration`,
          `crash tests and benchmarks: PLAYBOOK_TEST_TEMPORAL_ADDRESS=${state.address} PLAYBOOK_TEST_TEMPORAL_NAMESPACE=${state.namespace}`,
          'stop it with `playbook cluster down`',
          '',
        ].join('\n'),
      );
    });

  cluster
    .command('down')
    .description('stop the Temporal server and PostgreSQL that `cluster up` started, and remove their data')
    .action(async () => {
      const [{ stopCluster }, { withServerErrors }] = await Promise.all([import('../../servers/cluster.js'), import('../../ops/server-errors.js')]);
      const stopped = await withServerErrors(() => stopCluster((line) => ctx.io.out(`cluster: ${line}\n`)));
      ctx.io.out(stopped === null ? 'no cluster is running\n' : `stopped the cluster at ${stopped.address}\n`);
    });
}
