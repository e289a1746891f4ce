import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { CONFIG_HELP, parsePortFlag } from '../../ops/cli-input.js';

interface ServeFlags {
  config?: string;
  host?: string;
  port?: string;
}

/**
 * `playbook serve`: the HTTP API (see docs/api.md) against the configured Temporal server,
 * logging JSON lines with pino, until SIGINT or SIGTERM; then requests in flight finish.
 */
export function register(program: Command, ctx: CommandContext): void {
  program
    .command('serve')
    .description('run the HTTP API for CSMs and integrations against the configured Temporal server')
    .option('--host <host>', 'address to listen on (default: api.host, 127.0.0.1)')
    .option('--port <port>', 'port to listen on (default: api.port, 8080)')
    .option('--config <file>', CONFIG_HELP)
    .action(async (flags: ServeFlags) => {
      const port = flags.port === undefined ? undefined : parsePortFlag('--port', flags.port);
      const [{ loadOpsConfig }, { startApi }, { pino }] = await Promise.all([import('../../ops/ops-config.js'), import('../../api/serve.js'), import('pino')]);
      const config = loadOpsConfig(flags.config);
      const api = await startApi(config, pino({ name: 'playbook-api' }), {
        ...(flags.host !== undefined && { host: flags.host }),
        ...(port !== undefined && { port }),
      });
      ctx.io.err(`API listening on ${api.url} (OpenAPI document: ${api.url}/openapi.json), console at ${api.consoleUrl}/; Ctrl-C to stop\n`);
      await stopSignal();
      await api.close();
      ctx.io.err('API stopped\n');
    });
}

function stopSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
