import path from 'node:path';
import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { CONFIG_HELP } from '../../ops/cli-input.js';

interface DevFlags {
  db?: string;
  port?: string;
  uiPort?: string;
  config?: string;
}

/** The Temporal CLI's own defaults, so the default configuration (127.0.0.1:7233) finds the server. */
const DEFAULT_PORT = 7233;
const DEFAULT_UI_PORT = 8233;

/**
 * `playbook dev`: the local Temporal dev server on a SQLite file (runs survive restarts) with
 * the search attributes registered, and a worker in this process, until Ctrl-C / SIGTERM.
 * It leaves `<dataDir>/dev.json` so the other commands find the server without flags, and
 * `<dataDir>/temporal-server.json` so that a server left running by a killed `playbook dev`
 * is stopped by the next one.
 */
export function register(program: Command, ctx: CommandContext): void {
  program
    .command('dev')
    .description('run a local Temporal dev server and a playbook worker until Ctrl-C')
    .option('--db <file>', 'SQLite file that keeps the runs (default: <dataDir>/temporal.db, i.e. .playbook/temporal.db)')
    .option('--port <n>', 'gRPC port (default: the configured local address, else 7233)')
    .option('--ui-port <n>', `web UI port (default ${DEFAULT_UI_PORT})`)
    .option('--config <file>', CONFIG_HELP)
    .action(async (flags: DevFlags) => {
      const [{ loadConfig }, { parsePortFlag, loopbackPort }, { startLocalStack }, devState, { OUTBOX_FILE }, { describeStoreUrl }] = await Promise.all([
        import('../../config/load.js'),
        import('../../ops/cli-input.js'),
        import('../../ops/local-stack.js'),
        import('../../ops/dev-state.js'),
        import('../../sinks/outbox.js'),
        import('../../store/connect.js'),
      ]);
      const config = loadConfig(flags.config === undefined ? {} : { path: flags.config });
      const port = flags.port === undefined ? (loopbackPort(config.temporal.address) ?? DEFAULT_PORT) : parsePortFlag('--port', flags.port);
      const uiPort = flags.uiPort === undefined ? DEFAULT_UI_PORT : parsePortFlag('--ui-port', flags.uiPort);
      const dbFile = path.resolve(flags.db ?? path.join(config.dataDir, 'temporal.db'));
      ctx.io.out(`starting the Temporal dev server on 127.0.0.1:${port} and bundling the workflow code...\n`);
      const embeddedStoreDir = path.join(config.dataDir, 'store');
      const stack = await startLocalStack({ config, dbFile, port, uiPort, embeddedStoreDir, pidFile: devState.serverPidPath(config.dataDir) });
      const { server } = stack;
      if (server.replacedStalePid !== null)
        ctx.io.out(`stopped the dev server (pid ${server.replacedStalePid}) that an earlier \`playbook dev\` left running\n`);
      const hostsStore = config.store === null && stack.config.store !== null;
      devState.writeDevState(config.dataDir, {
        address: server.address,
        namespace: server.namespace,
        uiUrl: server.uiUrl ?? null,
        ...(hostsStore && { storeUrl: stack.config.store!.url }),
        pid: process.pid,
      });
      const outbox = config.email.kind === 'outbox' ? path.join(config.email.dir, OUTBOX_FILE) : `SMTP ${config.email.host}`;
      ctx.io.out(
        [
          `Temporal gRPC  ${server.address} (namespace ${server.namespace})`,
          `Web UI         ${server.uiUrl ?? 'off'}`,
          `runs kept in   ${dbFile}`,
          `store          ${hostsStore ? `${stack.config.store!.url} (embedded, data in ${embeddedStoreDir})` : describeStoreUrl(stack.config.store!.url)}`,
          `worker         polling task queue ${config.temporal.taskQueue}`,
          `emails         ${outbox}`,
          'press Ctrl-C to stop',
          '',
        ].join('\n'),
      );
      try {
        // The Temporal SDK stops the worker on SIGINT / SIGTERM; the server goes after it.
        await stack.workerDone;
      } finally {
        await stack.stop();
        devState.removeDevState(config.dataDir);
      }
      ctx.io.out('stopped the worker and the dev server\n');
    });
}
