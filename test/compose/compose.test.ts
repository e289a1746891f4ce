/**
 * The production docker-compose file, checked without Docker: the services and their order
 * of start, the setup step's namespace and search attributes (the ones the workflow sets),
 * a worker that can be scaled, and a worker configuration that loads.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/load.js';
import { SEARCH_ATTRIBUTE_SCHEMA } from '../../src/temporal/contract.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  container_name?: string;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  environment?: Record<string, string>;
  volumes?: string[];
  entrypoint?: string[];
  restart?: string;
}

const compose = parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8')) as { services: Record<string, Service> };
const services = compose.services;
const service = (name: string): Service => {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
};

/** Host path mounted at `target` in the service. */
function mountedAt(s: Service, target: string): string {
  const volume = s.volumes?.find((v) => v.split(':')[1] === target);
  if (!volume) throw new Error(`nothing is mounted at ${target}`);
  return path.resolve(ROOT, volume.split(':')[0]!);
}

describe('docker-compose.yml', () => {
  it('runs Temporal on PostgreSQL once the database is healthy', () => {
    expect(service('postgresql').image).toMatch(/^postgres:/);
    const temporal = service('temporal');
    expect(temporal.image).toMatch(/^temporalio\/auto-setup:/);
    expect(temporal.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgresql' });
    expect(temporal.depends_on).toEqual({ postgresql: { condition: 'service_healthy' } });
  });

  it('serves the Temporal UI against the server', () => {
    const ui = service('temporal-ui');
    expect(ui.image).toMatch(/^temporalio\/ui:/);
    expect(ui.environment?.TEMPORAL_ADDRESS).toBe('temporal:7233');
  });

  it('has a one-shot admin step that creates the namespace and every search attribute the workflow sets', () => {
    const setup = service('temporal-setup');
    expect(setup.image).toMatch(/^temporalio\/admin-tools:/);
    expect(setup.restart).toBe('no');
    expect(setup.depends_on).toHaveProperty('temporal');
    const script = readFileSync(mountedAt(setup, setup.entrypoint!.at(-1)!), 'utf8');
    expect(script).toContain('temporal operator namespace create');
    expect(script).toContain('temporal operator search-attribute create');
    for (const [name, type] of Object.entries(SEARCH_ATTRIBUTE_SCHEMA)) expect(script).toContain(`${name}:${type}`);
  });

  it('publishes ports on the loopback interface only by default (Temporal has no authentication here)', () => {
    const published = Object.entries(services).flatMap(([name, s]) => (s.ports ?? []).map((port) => [name, port] as const));
    expect(published.map(([name]) => name).sort()).toEqual(['temporal', 'temporal-ui']);
    for (const [name, port] of published) {
      // `${VAR:-default}` resolves to its default when the variable is not set.
      const resolved = port.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');
      expect(resolved.split(':'), `${name} publishes ${port}`).toHaveLength(3);
      expect(resolved.split(':')[0], `${name} publishes ${port}`).toBe('127.0.0.1');
    }
  });

  it('builds a worker that can be scaled, started after the setup step', () => {
    const worker = service('worker');
    expect(worker.build?.dockerfile).toBe('workers/Dockerfile');
    expect(worker.container_name).toBeUndefined();
    expect(worker.ports).toBeUndefined();
    expect(worker.depends_on).toEqual({
      'temporal-setup': { condition: 'service_completed_successfully' },
      'store-migrate': { condition: 'service_completed_successfully' },
    });
  });

  it('migrates the store on the compose database before any worker starts', () => {
    const migrate = service('store-migrate');
    expect(migrate.restart).toBe('no');
    expect(migrate.depends_on).toEqual({ postgresql: { condition: 'service_healthy' } });
    expect((migrate as { command?: string[] }).command).toEqual(['node', 'bin/playbook.js', 'db', 'migrate', '--config', migrate.volumes![0]!.split(':')[1]]);
    expect(service('postgresql').environment?.POSTGRES_DB).toBe('playbook');
    // The worker and the migration step name the same database.
    expect(service('worker').environment?.PLAYBOOK_STORE_URL).toBe(migrate.environment?.PLAYBOOK_STORE_URL);
    expect(migrate.environment?.PLAYBOOK_STORE_URL).toMatch(/@postgresql:5432\/playbook$/);
  });

  it('mounts a worker configuration that loads and points at the compose server and namespace', () => {
    const worker = service('worker');
    const target = worker.environment!.PLAYBOOK_CONFIG!;
    const file = mountedAt(worker, target);
    expect(existsSync(file)).toBe(true);
    const env = Object.fromEntries(Object.keys(worker.environment!).map((k) => [k, 'set']));
    const config = loadConfig({ path: file, env });
    expect(config.temporal.address).toBe('temporal:7233');
    expect(config.store).toEqual({ url: 'set' });
    // The setup step's default namespace is the one the workers use.
    expect(service('temporal-setup').environment!.PLAYBOOK_NAMESPACE).toBe(`\${PLAYBOOK_NAMESPACE:-${config.temporal.namespace}}`);
  });
});
