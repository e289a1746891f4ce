import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exitCodeOf } from '../../src/cli/exit-code.js';
import { UserError } from '../../src/errors.js';
import { defaultConfig, loadConfig, parseConfig } from '../../src/config/load.js';
import { consoleBaseUrl } from '../../src/config/console-url.js';
import { temporalConnectionOptions } from '../../src/config/temporal-connection.js';

const dir = () => mkdtempSync(path.join(tmpdir(), 'playbook-config-'));

function writeConfig(folder: string, value: unknown, name = 'playbook.config.json'): string {
  const file = path.join(folder, name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}

/** The UserError a bad config raises. */
function failure(value: unknown, env: Record<string, string> = {}): UserError {
  const folder = dir();
  try {
    parseConfig(typeof value === 'string' ? value : JSON.stringify(value), path.join(folder, 'playbook.config.json'), env);
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    expect(exitCodeOf((e as UserError).kind)).toBe(2);
    return e as UserError;
  }
  throw new Error('config was accepted');
}

describe('loadConfig', () => {
  it('uses the development defaults when there is no config file', () => {
    const cwd = dir();
    const config = loadConfig({ cwd, env: {} });
    expect(config).toEqual(defaultConfig(cwd));
    expect(config.source).toBeNull();
    expect(config.temporal).toEqual({
      address: '127.0.0.1:7233',
      namespace: 'default',
      taskQueue: 'playbooks',
      tls: false,
      apiKey: null,
      maxSignalsPerExecution: 10_000,
    });
    expect(config.email).toEqual({ kind: 'outbox', dir: path.join(cwd, '.playbook', 'outbox'), from: 'playbooks@localhost' });
    expect(config.tasks).toEqual({ kind: 'file', path: path.join(cwd, '.playbook', 'tasks.jsonl') });
    expect(config.accounts).toEqual({ kind: 'file', path: path.join(cwd, '.playbook', 'accounts.jsonl') });
    expect(config.notify).toEqual({ recipients: {}, default: { kind: 'email' } });
  });

  it('reads playbook.config.json from the working directory', () => {
    const cwd = dir();
    writeConfig(cwd, { temporal: { namespace: 'cs' } });
    const config = loadConfig({ cwd, env: {} });
    expect(config.source).toBe(path.join(cwd, 'playbook.config.json'));
    expect(config.temporal.namespace).toBe('cs');
    expect(config.temporal.address).toBe('127.0.0.1:7233');
  });

  it('prefers --config over PLAYBOOK_CONFIG over the working directory', () => {
    const cwd = dir();
    writeConfig(cwd, { temporal: { namespace: 'from-cwd' } });
    writeConfig(cwd, { temporal: { namespace: 'from-env' } }, 'env.json');
    writeConfig(cwd, { temporal: { namespace: 'from-flag' } }, 'flag.json');
    expect(loadConfig({ cwd, env: { PLAYBOOK_CONFIG: 'env.json' } }).temporal.namespace).toBe('from-env');
    expect(loadConfig({ cwd, path: 'flag.json', env: { PLAYBOOK_CONFIG: 'env.json' } }).temporal.namespace).toBe('from-flag');
  });

  it('reports a missing explicit config file as bad usage', () => {
    const cwd = dir();
    expect(() => loadConfig({ cwd, path: 'nope.json', env: {} })).toThrow(
      new UserError(`config: cannot read ${path.join(cwd, 'nope.json')}: no such file`, 'usage'),
    );
  });

  it('anchors relative paths at the config file folder', () => {
    const cwd = dir();
    const folder = path.join(cwd, 'conf');
    writeConfig(cwd, { dataDir: 'state', tasks: { kind: 'file', path: 'out/tasks.jsonl' } }, 'c.json');
    const config = loadConfig({ cwd: folder, path: '../c.json', env: {} });
    expect(config.dataDir).toBe(path.join(cwd, 'state'));
    expect(config.tasks).toEqual({ kind: 'file', path: path.join(cwd, 'out', 'tasks.jsonl') });
    expect(config.accounts).toEqual({ kind: 'file', path: path.join(cwd, 'state', 'accounts.jsonl') });
  });

  it('accepts the example config shipped at the repository root', () => {
    const example = path.resolve('playbook.config.example.json');
    const env = {
      PLAYBOOK_SMTP_PASS: 'pw',
      PLAYBOOK_SLACK_SUPPORT: 'https://hooks.example.com/support',
      PLAYBOOK_CRM_SECRET: 's3',
      PLAYBOOK_CRM_SIGNING_SECRET: 's4',
    };
    const config = parseConfig(readFileSync(example, 'utf8'), example, env);
    expect(config.email).toMatchObject({ kind: 'smtp', port: 587, auth: { user: 'playbooks@example.com', pass: 'pw' } });
    expect(config.notify.recipients['support-lead@example.com']).toEqual({ kind: 'slack', url: 'https://hooks.example.com/support' });
    expect(config.endpoints['crm-sync']).toEqual({ url: 'https://crm.example.com/hooks/playbooks', secret: 's3' });
    expect(config.accounts).toEqual({ kind: 'webhook', endpoint: 'crm-sync' });
    expect(config.delivery.alertTo).toBe('cs-ops@example.com');
  });
});

describe('config validation messages name the bad key', () => {
  it('a wrongly typed value', () => {
    expect(failure({ smtp: { host: 'mail', port: 'abc', from: 'a@b.co' } }).message).toBe('config: smtp.port: expected a number, got "abc"');
  });

  it('a missing required value', () => {
    expect(failure({ smtp: { port: 25, from: 'a@b.co' } }).message).toBe('config: smtp.host: is required');
  });

  it('a misspelt key, with the likely intended one', () => {
    expect(failure({ smtp: { hots: 'mail', host: 'x', from: 'a@b.co' } }).message).toBe('config: smtp.hots: unknown key; did you mean `host`?');
    expect(failure({ temporl: {} }).message).toBe('config: temporl: unknown key; did you mean `temporal`?');
  });

  it('a value of neither allowed shape, or a problem inside the shape it has', () => {
    expect(failure({ temporal: { tls: 'yes' } }).message).toBe('config: temporal.tls: expected a boolean or an object, got "yes"');
    expect(failure({ notify: { default: 3 } }).message).toBe('config: notify.default: expected "email", a string or an object, got 3');
    expect(failure({ temporal: { tls: { crt: 'c.pem' } } }).message).toBe('config: temporal.tls.crt: unknown key; did you mean `cert`?');
    expect(failure({ notify: { slack: { 'a@b.co': { url: 'https://h.example' } } } }).message).toBe('config: notify.slack["a@b.co"].url: unknown key');
  });

  it('an unknown sink kind', () => {
    expect(failure({ tasks: { kind: 'database' } }).message).toBe('config: tasks.kind: expected one of "file", "webhook", got "database"');
  });

  it('an out-of-range port', () => {
    expect(failure({ smtp: { host: 'h', port: 70000, from: 'a@b.co' } }).message).toBe('config: smtp.port: expected a number at most 65535, got 70000');
  });

  it('a role that is not an email address', () => {
    expect(failure({ roles: { 'support-lead': 'lead' } }).message).toBe('config: roles.support-lead: expected an email address, got "lead"');
  });

  it('an endpoint URL that is not http(s), and a missing secret', () => {
    expect(failure({ endpoints: { crm: { url: 'ftp://x', secret: 's' } } }).message).toBe('config: endpoints.crm.url: expected an http(s) URL, got "ftp://x"');
    expect(failure({ endpoints: { crm: { url: 'https://x.example' } } }).message).toBe(
      'config: endpoints.crm.secret: is required (or secretEnv naming an environment variable)',
    );
  });

  it('an environment variable that is not set', () => {
    const config = { smtp: { host: 'h', from: 'a@b.co', auth: { user: 'u', passEnv: 'SMTP_PASS' } } };
    expect(failure(config).message).toBe('config: smtp.auth.passEnv: environment variable SMTP_PASS is not set');
  });

  it('a Slack route for an unknown role, keyed by a quoted address otherwise', () => {
    expect(failure({ roles: { lead: 'l@x.co' }, notify: { slack: { leed: 'https://h.example' } } }).message).toBe(
      'config: notify.slack.leed: unknown role "leed" (configured: lead)',
    );
    expect(failure({ notify: { slack: { 'csm@x.co': 'nope' } } }).message).toBe('config: notify.slack["csm@x.co"]: expected an http(s) URL, got "nope"');
  });

  it('a sink webhook naming an endpoint that is not configured', () => {
    expect(failure({ accounts: { kind: 'webhook', endpoint: 'crm' } }).message).toBe(
      'config: accounts.endpoint: unknown endpoint "crm" (no endpoints are configured)',
    );
  });

  it('counts further problems', () => {
    expect(failure({ dataDir: 3, temporal: { address: 4 } }).message).toBe('config: dataDir: expected a string, got 3 (and 1 more problem)');
  });

  it('text that is not JSON', () => {
    expect(failure('{ "smtp": ').message).toMatch(/^config: .*playbook\.config\.json is not valid JSON: /);
  });
});

describe('resolved values', () => {
  it('reads secrets from the environment and maps role routes to addresses', () => {
    const config = parseConfig(
      JSON.stringify({
        roles: { lead: 'lead@x.co' },
        notify: { slack: { lead: { urlEnv: 'HOOK' } }, default: 'https://hooks.example.com/all' },
        endpoints: { crm: { url: 'https://crm.example.com/h', secretEnv: 'CRM' } },
        temporal: { apiKeyEnv: 'TEMPORAL_KEY', tls: true },
      }),
      path.join(dir(), 'c.json'),
      { HOOK: 'https://hooks.example.com/lead', CRM: 'crm-secret', TEMPORAL_KEY: 'k' },
    );
    expect(config.notify).toEqual({
      recipients: { 'lead@x.co': { kind: 'slack', url: 'https://hooks.example.com/lead' } },
      default: { kind: 'slack', url: 'https://hooks.example.com/all' },
    });
    expect(config.endpoints.crm!.secret).toBe('crm-secret');
    expect(temporalConnectionOptions(config.temporal)).toEqual({ address: '127.0.0.1:7233', tls: true, apiKey: 'k' });
  });

  it('gives an smtp port by security when none is set', () => {
    const file = path.join(dir(), 'c.json');
    const port = (secure: boolean) => parseConfig(JSON.stringify({ smtp: { host: 'h', secure, from: 'a@b.co' } }), file, {}).email;
    expect(port(true)).toMatchObject({ port: 465 });
    expect(port(false)).toMatchObject({ port: 587 });
  });

  it("reads the worker's memory budget, null by default, and refuses one too small to run a worker", () => {
    const file = path.join(dir(), 'c.json');
    expect(parseConfig(JSON.stringify({ worker: { memoryMb: 4096 } }), file, {}).worker).toEqual({ maxCachedWorkflows: null, memoryMb: 4096 });
    expect(parseConfig('{}', file, {}).worker).toEqual({ maxCachedWorkflows: null, memoryMb: null });
    expect(failure({ worker: { memoryMb: 100 } }).message).toMatch(/^config: worker\.memoryMb: /);
  });

  it('reads mTLS files for the Temporal connection, naming the key of a missing one', () => {
    const folder = dir();
    writeFileSync(path.join(folder, 'client.pem'), 'CERT');
    writeFileSync(path.join(folder, 'client.key'), 'KEY');
    const file = path.join(folder, 'c.json');
    const withTls = (tls: unknown) => parseConfig(JSON.stringify({ temporal: { tls } }), file, {}).temporal;
    const options = temporalConnectionOptions(withTls({ cert: 'client.pem', key: 'client.key', serverName: 'ns.tmprl.cloud' }));
    expect(options.tls).toEqual({ serverNameOverride: 'ns.tmprl.cloud', clientCertPair: { crt: Buffer.from('CERT'), key: Buffer.from('KEY') } });
    expect(() => temporalConnectionOptions(withTls({ ca: 'ca.pem' }))).toThrow(
      new UserError(`config: temporal.tls.ca: cannot read ${path.join(folder, 'ca.pem')}: no such file`, 'usage'),
    );
    expect(failure({ temporal: { tls: { cert: 'client.pem' } } }).message).toBe('config: temporal.tls: cert and key go together (mTLS client certificate)');
  });
});

describe('delivery settings', () => {
  const parse = (value: unknown) => parseConfig(JSON.stringify(value), path.join(dir(), 'playbook.config.json'), {});

  it('has a retry window per sink and nobody extra to alert by default', () => {
    expect(parse({}).delivery).toEqual({ retryWindowMs: { email: 6 * 3_600_000, notify: 3_600_000, webhook: 86_400_000, records: 86_400_000 }, alertTo: null });
  });

  it('reads windows and a role to alert', () => {
    const config = parse({ roles: { 'cs-ops': 'csops@vendor.example' }, delivery: { retryWindow: { email: '30m' }, alertTo: 'cs-ops' } });
    expect(config.delivery).toMatchObject({ retryWindowMs: { email: 1_800_000, notify: 3_600_000 }, alertTo: 'csops@vendor.example' });
  });

  it('refuses a window over a day and an unknown role', () => {
    expect(failure({ delivery: { retryWindow: { webhook: '2d' } } }).message).toBe(
      'config: delivery.retryWindow.webhook: expected a duration from "1m" to "1d" such as "30m" or "6h", got "2d"',
    );
    expect(failure({ delivery: { alertTo: 'cs-ops' } }).message).toMatch(/^config: delivery\.alertTo: unknown role "cs-ops"/);
  });
});

describe('console settings', () => {
  const parse = (value: unknown) => parseConfig(JSON.stringify(value), path.join(dir(), 'playbook.config.json'), {});

  it("links to the API's own address by default (where `playbook serve` serves the console), a wildcard host as localhost", () => {
    expect(parse({}).console).toEqual({ baseUrl: null });
    expect(consoleBaseUrl(parse({}))).toBe('http://127.0.0.1:8080');
    expect(consoleBaseUrl(parse({ api: { host: '0.0.0.0', port: 9000 } }))).toBe('http://localhost:9000');
    expect(consoleBaseUrl(parse({ console: { baseUrl: 'https://cs.example.com/' } }))).toBe('https://cs.example.com');
  });

  it('takes a base URL without its trailing slash, and refuses one that is not http(s)', () => {
    expect(parse({ console: { baseUrl: 'https://cs.example.com/app/' } }).console).toEqual({ baseUrl: 'https://cs.example.com/app' });
    expect(failure({ console: { baseUrl: 'cs.example.com' } }).message).toBe(
      'config: console.baseUrl: expected an http(s) URL such as "https://playbooks.example.com", got "cs.example.com"',
    );
  });
});
