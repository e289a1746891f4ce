/** The `api` section of the configuration: defaults, secrets from the environment, errors naming the key. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig, parseConfig } from '../../src/config/load.js';

const FILE = path.resolve('/srv/playbooks/playbook.config.json');
const parse = (api: unknown, env: Record<string, string> = {}) => parseConfig(JSON.stringify({ api }), FILE, env).api;
const failure = (api: unknown, env: Record<string, string> = {}) => {
  try {
    parse(api, env);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected a configuration error');
};

describe('api configuration', () => {
  it('defaults to 127.0.0.1:8080, tokens in <dataDir>/tokens.json, 1 MiB bodies, 64 KiB event payloads and account data, no integrations, 30 s to send a request, 6,000 requests a minute', () => {
    expect(defaultConfig('/work/x').api).toEqual({
      host: '127.0.0.1',
      port: 8080,
      tokensFile: path.resolve('/work/x/.playbook/tokens.json'),
      integrations: {},
      maxBodyBytes: 1024 * 1024,
      maxEventPayloadBytes: 64 * 1024,
      inlineEventPayloadBytes: 8 * 1024,
      maxAccountDataBytes: 64 * 1024,
      requestTimeoutMs: 30_000,
      rateLimit: { max: 6000, windowMs: 60_000 },
    });
  });

  it('anchors tokensFile at the config file and reads integration secrets inline or from the environment', () => {
    const api = parse(
      {
        host: '0.0.0.0',
        port: 9000,
        tokensFile: 'secrets/tokens.json',
        integrations: { crm: { secret: 's1' }, helpdesk: { secretEnv: 'HELPDESK_SECRET' } },
        maxBodyBytes: 4096,
        requestTimeoutMs: 10_000,
        rateLimit: { max: 100 },
      },
      { HELPDESK_SECRET: 's2' },
    );
    expect(api).toEqual({
      host: '0.0.0.0',
      port: 9000,
      tokensFile: path.resolve('/srv/playbooks/secrets/tokens.json'),
      integrations: { crm: { secret: 's1' }, helpdesk: { secret: 's2' } },
      maxBodyBytes: 4096,
      maxEventPayloadBytes: 64 * 1024,
      inlineEventPayloadBytes: 8 * 1024,
      maxAccountDataBytes: 64 * 1024,
      requestTimeoutMs: 10_000,
      rateLimit: { max: 100, windowMs: 60_000 },
    });
  });

  it.each([
    [{ port: 'http' }, 'config: api.port: expected a number, got "http"'],
    [{ port: 70000 }, 'config: api.port: expected a number at most 65535, got 70000'],
    [{ maxBodyBytes: 10 }, 'config: api.maxBodyBytes: expected a number at least 1024, got 10'],
    [{ maxEventPayloadBytes: 300000 }, 'config: api.maxEventPayloadBytes: expected a number at most 262144, got 300000'],
    [{ maxAccountDataBytes: 70000 }, 'config: api.maxAccountDataBytes: expected a number at most 65536, got 70000'],
    [{ requestTimeoutMs: 10 }, 'config: api.requestTimeoutMs: expected a number at least 1000, got 10'],
    [{ rateLimit: { max: 0 } }, 'config: api.rateLimit.max: expected a number at least 1, got 0'],
    [{ integrations: { crm: {} } }, 'config: api.integrations.crm.secret: is required (or secretEnv naming an environment variable)'],
    [{ integrations: { crm: { secretEnv: 'NOPE' } } }, 'config: api.integrations.crm.secretEnv: environment variable NOPE is not set'],
    [{ integrations: { crm: { secret: 'a', secretEnv: 'B' } } }, 'config: api.integrations.crm.secretEnv: give either secret or secretEnv, not both'],
    [{ tokenFile: 'x.json' }, 'config: api.tokenFile: unknown key; did you mean `tokensFile`?'],
  ])('refuses %j', (api, message) => {
    expect(failure(api)).toBe(message);
  });
});
