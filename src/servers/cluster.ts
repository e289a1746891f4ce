/**
 * The opt-in Temporal cluster: the production shape of docker-compose.yml on this machine's
 * own binaries. A PostgreSQL server (initdb and pg_ctl, a temporary data folder) holds the
 * `temporal` and `temporal_visibility` databases, created by temporal-sql-tool; the Temporal
 * server built by `npm run cluster:install` runs all its services on them with the compose
 * file's dynamic config (deploy/temporal/production-sql.yaml). Both outlive the command that
 * started them: `.cluster/run/cluster.json` records what `stopCluster` stops. The data lives
 * as long as the cluster: `stopCluster` removes it.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import { PROJECT_ROOT } from './binaries.js';
import { CLUSTER_DIR, findClusterBinaries } from './cluster-binaries.js';
import { findFreePort, isPortFree } from './ports.js';
import { initPostgresData, postgresServerArgs } from './postgres-server.js';
import { ServerStartError, waitUntilReady } from './readiness.js';
import { runCommand } from './run-command.js';
import { ensureSearchAttributes, type SearchAttributeSchema } from './search-attributes.js';
import { spawnDetachedServer, stopProcessGroup } from './server-process.js';
import { isProcessRunning } from '../util/process.js';
import { pollUntil } from '../util/poll-until.js';

/** The compose file's dynamic config, used as it is. */
export const CLUSTER_DYNAMIC_CONFIG = join(PROJECT_ROOT, 'deploy', 'temporal', 'production-sql.yaml');

const RUN_DIR = join(CLUSTER_DIR, 'run');
const STATE_FILE = join(RUN_DIR, 'cluster.json');
export const CLUSTER_LOG = join(RUN_DIR, 'temporal.log');
const CONFIG_FILE = join(RUN_DIR, 'temporal.yaml');

const DATABASES = [
  { name: 'temporal', schema: 'postgresql/v12/temporal' },
  { name: 'temporal_visibility', schema: 'postgresql/v12/visibility' },
] as const;
const PLUGIN = 'postgres12';
/** The compose setup's default retention (deploy/temporal-setup.sh). */
const RETENTION_MS = 30 * 24 * 3600 * 1000;
const SQL_TOOL_TIMEOUT_MS = 5 * 60_000;
const PG_TIMEOUT_S = 120;
const MAX_MEMBERSHIP_PORT = 32767;

export interface ClusterOptions {
  /** The frontend's gRPC port; it must be free. */
  readonly port: number;
  /** Namespace to create; the workers and clients use it. */
  readonly namespace: string;
  readonly searchAttributes: SearchAttributeSchema;
  /** One line per step. */
  readonly log: (line: string) => void;
  /** How long the server may take to answer; default 3 minutes (it migrates nothing, but starts four services). */
  readonly readyTimeoutMs?: number;
}

/** What a running cluster is, as `.cluster/run/cluster.json` records it. */
export interface ClusterState {
  readonly address: string;
  readonly namespace: string;
  /** The Temporal server's pid, once it is started. */
  readonly serverPid: number | null;
  readonly serverBinary: string;
  readonly postgresPort: number;
  /** The temporary folder with PostgreSQL's data, socket and log. */
  readonly postgresRoot: string;
  /** The command that stops PostgreSQL (pg_ctl stop, as the user it runs as). */
  readonly postgresStop: readonly string[];
}

/** Reads the state of the cluster `startCluster` left running, or null. */
export function readClusterState(): ClusterState | null {
  try {
    return JSON.parse(readFileSync(STATE_FILE, 'utf8')) as ClusterState;
  } catch {
    return null;
  }
}

/** Starts PostgreSQL and the Temporal server; resolves once the namespace takes workflows. */
export async function startCluster(options: ClusterOptions): Promise<ClusterState> {
  const binaries = findClusterBinaries();
  const running = readClusterState();
  if (running !== null) {
    if (running.serverPid !== null && isProcessRunning(running.serverPid)) {
      throw new ServerStartError(
        `a Temporal cluster already runs at ${running.address} (pid ${running.serverPid}); stop it first with \`playbook cluster down\``,
      );
    }
    options.log('cleaning up a cluster whose server is gone');
    await stopCluster(options.log);
  }
  if (!(await isPortFree(options.port))) throw new ServerStartError(`the Temporal cluster cannot start: port ${options.port} on 127.0.0.1 is already in use`);
  mkdirSync(RUN_DIR, { recursive: true });
  rmSync(CLUSTER_LOG, { force: true });

  options.log('initialising a PostgreSQL data folder');
  const folder = await initPostgresData();
  const postgresPort = await findFreePort();
  let state: ClusterState = {
    address: `127.0.0.1:${options.port}`,
    namespace: options.namespace,
    serverPid: null,
    serverBinary: binaries.server,
    postgresPort,
    postgresRoot: folder.root,
    postgresStop: folder.command('pg_ctl', ['-D', folder.dataDir, '-m', 'fast', '-w', 'stop']).flat(),
  };
  writeState(state);
  try {
    options.log(`starting PostgreSQL on 127.0.0.1:${postgresPort}`);
    const pgLog = join(folder.root, 'postgres.log');
    const start = folder.command('pg_ctl', [
      '-D',
      folder.dataDir,
      '-l',
      pgLog,
      '-w',
      '-t',
      String(PG_TIMEOUT_S),
      '-o',
      postgresServerArgs(folder, postgresPort).join(' '),
      'start',
    ]);
    await runCommand(...start, (PG_TIMEOUT_S + 10) * 1000).catch((e: Error) => {
      throw new ServerStartError(`PostgreSQL did not start: ${e.message}\n${tail(pgLog)}`);
    });
    for (const db of DATABASES) {
      options.log(`creating database ${db.name} and its schema with temporal-sql-tool (${PLUGIN})`);
      await createSchema(binaries.sqlTool, postgresPort, db.name, db.schema);
    }
    writeFileSync(CONFIG_FILE, serverConfig(options.port, postgresPort, await freePorts(8, options.port)));
    options.log(`starting the Temporal server (log: ${CLUSTER_LOG})`);
    const server = spawnDetachedServer(binaries.server, ['--config-file', CONFIG_FILE, '--allow-no-auth', 'start'], CLUSTER_LOG);
    state = { ...state, serverPid: server.pid ?? null };
    writeState(state);
    await waitUntilReady(server, {
      name: 'Temporal server',
      address: state.address,
      timeoutMs: options.readyTimeoutMs ?? 180_000,
      probe: (connection) => connection.workflowService.getSystemInfo({}),
    });
    options.log(`creating namespace ${options.namespace} and the search attributes`);
    await prepareNamespace(state.address, options.namespace, options.searchAttributes);
    return state;
  } catch (error) {
    await stopCluster(() => {});
    throw error;
  }
}

/**
 * Stops the cluster `.cluster/run/cluster.json` names: the Temporal server (SIGTERM, its
 * graceful shutdown), then PostgreSQL, then removes the data. Resolves to the state it
 * stopped, or null when none was running.
 */
export async function stopCluster(log: (line: string) => void): Promise<ClusterState | null> {
  const state = readClusterState();
  if (state === null) return null;
  const pid = state.serverPid;
  if (pid !== null && isProcessRunning(pid) && isOurServer(pid, state.serverBinary)) {
    log(`stopping the Temporal server (pid ${pid})`);
    if (!(await stopProcessGroup(pid, 30_000))) throw new ServerStartError(`the Temporal server (pid ${pid}) did not stop; stop it with kill -9 ${pid}`);
  }
  if (existsSync(join(state.postgresRoot, 'data', 'postmaster.pid'))) {
    log('stopping PostgreSQL');
    const [command, ...args] = state.postgresStop;
    await runCommand(command!, args, 120_000);
  }
  rmSync(state.postgresRoot, { recursive: true, force: true });
  rmSync(STATE_FILE, { force: true });
  return state;
}

function writeState(state: ClusterState): void {
  writeFileSync(STATE_FILE, `${JSON.stringify(state, null, 2)}\n`);
}

/** A reused pid is left alone: only a process running the cluster's server binary is ours. */
function isOurServer(pid: number, binary: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] === binary;
  } catch {
    return true;
  }
}

async function createSchema(sqlTool: string, port: number, database: string, schemaName: string): Promise<void> {
  const connection = ['--endpoint', '127.0.0.1', '--port', String(port), '--user', 'postgres', '--plugin', PLUGIN, '--database', database];
  const steps = [['create-database'], ['setup-schema', '--version', '0.0'], ['update-schema', '--schema-name', schemaName]];
  for (const step of steps) {
    await runCommand(sqlTool, [...connection, ...step], SQL_TOOL_TIMEOUT_MS).catch((e: Error) => {
      throw new ServerStartError(`temporal-sql-tool ${step[0]} on ${database} failed: ${e.message}`);
    });
  }
}

/**
 * Free ports for the services other than the frontend. Below 32768: Temporal's SQL schema
 * keeps membership ports in a smallint, so the kernel's ephemeral ports (32768 and up) would
 * stop the server at its first heartbeat.
 */
async function freePorts(count: number, taken: number): Promise<number[]> {
  const ports = new Set<number>();
  for (let tries = 0; ports.size < count; tries++) {
    if (tries > 1000) throw new ServerStartError('the Temporal cluster found no free ports from 10000 to 32767 on 127.0.0.1');
    const port = 10_000 + Math.floor(Math.random() * (MAX_MEMBERSHIP_PORT - 10_000));
    if (port !== taken && !ports.has(port) && (await isPortFree(port))) ports.add(port);
  }
  return [...ports];
}

/**
 * The server's configuration: Temporal's own development-postgres12.yaml with every port
 * chosen here (loopback only), the databases on our PostgreSQL, no metrics or pprof
 * listeners, and the compose file's dynamic config. JSON, which YAML reads as it is.
 */
function serverConfig(frontendPort: number, postgresPort: number, ports: number[]): string {
  const [frontendMembership, frontendHttp, historyGrpc, historyMembership, matchingGrpc, matchingMembership, workerGrpc, workerMembership] = ports as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const datastore = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: PLUGIN,
      databaseName,
      connectAddr: `127.0.0.1:${postgresPort}`,
      connectProtocol: 'tcp',
      user: 'postgres',
      password: '',
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const rpc = (grpcPort: number, membershipPort: number, extra: object = {}) => ({ rpc: { grpcPort, membershipPort, bindOnLocalHost: true, ...extra } });
  const config = {
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: 4,
      datastores: { 'postgres-default': datastore('temporal', 20), 'postgres-visibility': datastore('temporal_visibility', 10) },
    },
    global: { membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' } },
    services: {
      frontend: rpc(frontendPort, frontendMembership, { httpPort: frontendHttp }),
      history: rpc(historyGrpc, historyMembership),
      matching: rpc(matchingGrpc, matchingMembership),
      worker: rpc(workerGrpc, workerMembership),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: { active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: `127.0.0.1:${frontendPort}` } },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    dynamicConfigClient: { filepath: CLUSTER_DYNAMIC_CONFIG, pollInterval: '10s' },
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** Registers the namespace, waits until the frontend serves it, and adds the search attributes. */
async function prepareNamespace(address: string, namespace: string, schema: SearchAttributeSchema): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    // The frontend answers before the history and matching services have joined: until then
    // requests fail ("not enough hosts"), so each step is tried again for a while.
    const untilDone = (what: string, attempt: () => Promise<unknown>) => {
      let last = '';
      return pollUntil(
        () =>
          attempt().then(
            () => true,
            (e: unknown) => {
              last = e instanceof Error ? e.message : String(e);
              return false;
            },
          ),
        (done) => done,
        { timeoutMs: 90_000, intervalMs: 500, failure: () => new ServerStartError(`the Temporal server did not ${what} within 90 s (${last})`) },
      );
    };
    await untilDone(`create namespace ${namespace}`, () =>
      connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs(RETENTION_MS) }).catch((e: unknown) => {
        // Created by an attempt whose answer was lost.
        if ((e as { code?: number }).code !== status.ALREADY_EXISTS) throw e;
      }),
    );
    // The frontend learns of a new namespace from its registry, refreshed every few seconds.
    await untilDone(`serve the new namespace ${namespace}`, () => connection.workflowService.countWorkflowExecutions({ namespace }));
    await ensureSearchAttributes(connection, namespace, schema);
  } finally {
    await connection.close();
  }
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-20).join('\n');
  } catch {
    return '';
  }
}
