import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BinaryNotFoundError, INSTALL_COMMAND, findBinary, locateBinary } from '../../src/servers/binaries.js';
import { TEMPORAL_CLI } from '../../src/servers/versions.js';
import { writeExecutable } from './fixtures/executables.js';

describe('locateBinary', () => {
  let root: string;
  let installDir: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'binaries-'));
    installDir = join(root, 'install');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('prefers the file named by the environment variable', () => {
    const fromEnv = writeExecutable(join(root, 'env', 'my-temporal'), 'exit 0');
    writeExecutable(join(root, 'on-path', 'temporal'), 'exit 0');
    const env = { TEMPORAL_CLI_PATH: fromEnv, PATH: join(root, 'on-path') };
    expect(locateBinary(TEMPORAL_CLI, env, installDir)).toEqual({ path: fromEnv, source: 'env' });
  });

  it('rejects an environment variable that names no executable file', () => {
    const notExecutable = join(root, 'temporal.txt');
    writeFileSync(notExecutable, 'not a program');
    expect(() => locateBinary(TEMPORAL_CLI, { TEMPORAL_CLI_PATH: notExecutable }, installDir)).toThrow(
      /TEMPORAL_CLI_PATH is set to .*temporal\.txt, which is not an executable file/,
    );
  });

  it('takes PATH before the install directory, skipping PATH entries without it', () => {
    const onPath = writeExecutable(join(root, 'second', 'temporal'), 'exit 0');
    writeExecutable(join(installDir, 'temporal'), 'exit 0');
    const env = { PATH: [join(root, 'first'), join(root, 'second')].join(':') };
    expect(locateBinary(TEMPORAL_CLI, env, installDir)).toEqual({ path: onPath, source: 'path' });
  });

  it('falls back to the install directory', () => {
    const installed = writeExecutable(join(installDir, 'temporal'), 'exit 0');
    expect(locateBinary(TEMPORAL_CLI, { PATH: '' }, installDir)).toEqual({ path: installed, source: 'installed' });
  });

  it('finds nothing when there is nothing', () => {
    expect(locateBinary(TEMPORAL_CLI, { PATH: '' }, installDir)).toBeUndefined();
  });
});

describe('findBinary', () => {
  it('explains how to get a binary that is nowhere', () => {
    const missing = { ...TEMPORAL_CLI, name: 'temporal-that-does-not-exist' };
    expect(() => findBinary(missing, { PATH: '' })).toThrow(BinaryNotFoundError);
    expect(() => findBinary(missing, { PATH: '' })).toThrow(INSTALL_COMMAND);
    expect(() => findBinary(missing, { PATH: '' })).toThrow('set TEMPORAL_CLI_PATH');
  });
});
