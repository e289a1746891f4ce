/** How the operator commands find the server of a running `playbook dev` without flags. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readDevState, removeDevState, writeDevState } from '../../src/ops/dev-state.js';
import { loadOpsConfig } from '../../src/ops/ops-config.js';

describe('dev state file', () => {
  let dir: string;
  let dataDir: string;
  const config = (temporal?: Record<string, unknown>) => {
    const file = path.join(dir, 'playbook.config.json');
    writeFileSync(file, JSON.stringify({ dataDir, ...(temporal && { temporal }) }));
    return file;
  };
  const state = (pid: number) => ({ address: '127.0.0.1:7999', namespace: 'dev', uiUrl: null, pid });

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'dev-state-'));
    dataDir = path.join(dir, 'data');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('points a configuration with the default address at the running dev server', () => {
    writeDevState(dataDir, state(process.pid));
    expect(loadOpsConfig(config()).temporal).toMatchObject({ address: '127.0.0.1:7999', namespace: 'dev' });
  });

  it('leaves an explicitly configured address alone', () => {
    writeDevState(dataDir, state(process.pid));
    expect(loadOpsConfig(config({ address: 'temporal.internal:7233' })).temporal.address).toBe('temporal.internal:7233');
  });

  it('ignores a file left by a process that no longer runs', () => {
    // Beyond Linux's pid_max: never a running process.
    writeDevState(dataDir, state(2 ** 22 + 1));
    expect(readDevState(dataDir)).toBeNull();
    expect(loadOpsConfig(config()).temporal.address).toBe('127.0.0.1:7233');
  });

  it('is removed only by the process that wrote it', () => {
    writeDevState(dataDir, state(process.pid));
    removeDevState(dataDir, process.pid + 1);
    expect(readDevState(dataDir)).not.toBeNull();
    removeDevState(dataDir);
    expect(readDevState(dataDir)).toBeNull();
  });
});
