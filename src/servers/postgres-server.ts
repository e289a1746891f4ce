/**
 * A throwaway PostgreSQL server from the machine's own binaries (initdb, postgres): a fresh
 * data folder in a temporary directory, loopback only, a free port, trust authentication.
 * The store's tests run against it next to the embedded store, and the opt-in cluster
 * uses it for Temporal's own database. PostgreSQL refuses to run as root, so under root the
 * binaries run as the `postgres` user (or `nobody`) through `runuser`.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, chownSync, constants, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';
import { BinaryNotFoundError } from './binaries.js';
import { findFreePort, startRetryingPortRaces } from './ports.js';
import { ServerStartError } from './readiness.js';
import { runCommand } from './run-command.js';
import { spawnServer } from './server-process.js';

export const POSTGRES_INSTALL_HINT =
  "install PostgreSQL's server binaries (Debian: `apt-get install postgresql`), put the folder holding initdb and postgres on PATH, or set PG_BIN to it";

export interface PostgresServer {
  /** `postgres://…@127.0.0.1:<port>/postgres`. */
  url: string;
  port: number;
  /** Stops the server but keeps its data folder, for `restart` (an outage, in tests). */
  halt(): Promise<void>;
  /** Starts a halted server again on its data folder and port. */
  restart(): Promise<void>;
  /** Stops the server and removes its data folder. */
  stop(): Promise<void>;
}

/** The folder holding initdb and postgres: PG_BIN, else PATH, else Debian's newest /usr/lib/postgresql/<v>/bin. */
export function findPostgresBin(env: NodeJS.ProcessEnv = process.env): string {
  const candidates = [...(env.PG_BIN ? [env.PG_BIN] : []), ...(env.PATH ?? '').split(delimiter).filter(Boolean), ...debianBinDirs()];
  const found = candidates.find((dir) => isExecutable(join(dir, 'initdb')) && isExecutable(join(dir, 'postgres')));
  if (found === undefined) {
    const where = env.PG_BIN ? `PG_BIN=${env.PG_BIN} has no initdb and postgres` : 'initdb and postgres are not on PATH nor in /usr/lib/postgresql/*/bin';
    throw new BinaryNotFoundError(`PostgreSQL server binaries not found (${where}); ${POSTGRES_INSTALL_HINT}`);
  }
  return found;
}

/**
 * A fresh data folder in a temporary directory (`root`, which also holds the server's socket),
 * initialised by initdb for the user `postgres` with trust authentication; owned by the user
 * the server runs as. `command` turns a binary's name and arguments into what to run.
 */
export interface PostgresDataFolder {
  root: string;
  dataDir: string;
  command(name: string, args: readonly string[]): [string, string[]];
}

export async function initPostgresData(env: NodeJS.ProcessEnv = process.env): Promise<PostgresDataFolder> {
  const bin = findPostgresBin(env);
  const runAs = process.getuid?.() === 0 ? unprivilegedUser() : null;
  const root = mkdtempSync(join(tmpdir(), 'playbook-pg-'));
  const dataDir = join(root, 'data');
  const command = (name: string, args: readonly string[]): [string, string[]] =>
    runAs === null ? [join(bin, name), [...args]] : ['runuser', ['-u', runAs.name, '--', join(bin, name), ...args]];
  try {
    if (runAs !== null) chownSync(root, runAs.uid, runAs.gid);
    await runCommand(...command('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']), 120_000);
  } catch (e) {
    rmSync(root, { recursive: true, force: true });
    throw e;
  }
  return { root, dataDir, command };
}

/** The server's options: loopback only, its socket in `root`, no fsync (test and scratch data), room for Temporal's pools. */
export function postgresServerArgs(folder: PostgresDataFolder, port: number): string[] {
  return ['-p', String(port), '-k', folder.root, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'max_connections=200'];
}

export function postgresUrl(port: number): string {
  return `postgres://postgres@127.0.0.1:${port}/postgres?sslmode=disable`;
}

export async function startPostgresServer(options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<PostgresServer> {
  const folder = await initPostgresData(options.env);
  const { root } = folder;
  try {
    const spawn = (port: number) => spawnServer(...folder.command('postgres', ['-D', folder.dataDir, ...postgresServerArgs(folder, port)]));
    const timeoutMs = options.timeoutMs ?? 60_000;
    const started = await startRetryingPortRaces(async () => {
      const port = await findFreePort();
      const server = spawn(port);
      await untilAccepting(postgresUrl(port), server, timeoutMs);
      return { port, server };
    });
    const { port } = started;
    const url = postgresUrl(port);
    let { server } = started;
    let halted = false;
    return {
      url,
      port,
      async halt() {
        await server.stop();
        halted = true;
      },
      async restart() {
        if (!halted) throw new Error('restart: the PostgreSQL server is not halted');
        server = spawn(port);
        halted = false;
        await untilAccepting(url, server, timeoutMs);
      },
      async stop() {
        if (!halted) await server.stop();
        rmSync(root, { recursive: true, force: true });
      },
    };
  } catch (e) {
    rmSync(root, { recursive: true, force: true });
    throw e;
  }
}

async function untilAccepting(url: string, server: ReturnType<typeof spawnServer>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no attempt finished';
  while (Date.now() < deadline) {
    if (server.hasExited()) throw new ServerStartError(`PostgreSQL ${await server.exited} before it accepted connections:\n${server.recentOutput()}`);
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
      await client.query('select 1');
      return;
    } catch (e) {
      lastError = (e as Error).message;
    } finally {
      await client.end().catch(() => {});
    }
    await delay(100);
  }
  await server.stop();
  throw new ServerStartError(`PostgreSQL did not accept connections within ${timeoutMs} ms (${lastError}):\n${server.recentOutput()}`);
}

function unprivilegedUser(): { name: string; uid: number; gid: number } {
  for (const name of ['postgres', 'nobody']) {
    try {
      const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
      return { name, uid, gid };
    } catch {
      // no such user: try the next
    }
  }
  throw new BinaryNotFoundError('PostgreSQL cannot run as root and there is no `postgres` or `nobody` user to run it as');
}

function debianBinDirs(): string[] {
  try {
    return readdirSync('/usr/lib/postgresql')
      .sort((a, b) => Number(b) - Number(a))
      .map((v) => join('/usr/lib/postgresql', v, 'bin'));
  } catch {
    return [];
  }
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
