import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findClusterBinaries, installClusterBinaries } from '../../src/servers/cluster-binaries.js';
import { InstallError } from '../../src/servers/install.js';
import { TEMPORAL_SERVER_MODULE } from '../../src/servers/versions.js';
import { writeExecutable } from './fixtures/executables.js';

describe('the cluster binaries', () => {
  let root: string;
  let dir: string;
  let lines: string[];
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'cluster-bin-'));
    dir = join(root, 'cluster', `go.temporal.io_server@${TEMPORAL_SERVER_MODULE.version}`);
    lines = [];
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const log = (line: string) => lines.push(line);
  /** A go that records how it was called and "builds" what `body` writes into $GOBIN. */
  const fakeGo = (body: string) => writeExecutable(join(root, 'go'), `echo "$GOTOOLCHAIN $*" > "${root}/go-call"\n${body}`);

  it('are reported missing with the command that builds them', () => {
    expect(() => findClusterBinaries(dir)).toThrow(/not built in .*; run `npm run cluster:install` \(it needs Go\)/);
  });

  it('are built with the pinned toolchain and version, then found', async () => {
    const go = fakeGo('printf "#!/bin/sh\\n" > "$GOBIN/server"; cp "$GOBIN/server" "$GOBIN/sql"; chmod +x "$GOBIN/server" "$GOBIN/sql"');
    const built = await installClusterBinaries({ env: { PATH: process.env.PATH, GO: go }, log, dir });
    expect(built).toEqual({ server: join(dir, 'server'), sqlTool: join(dir, 'sql') });
    expect(findClusterBinaries(dir)).toEqual(built);
    const { goToolchain, version } = TEMPORAL_SERVER_MODULE;
    expect(readFileSync(join(root, 'go-call'), 'utf8').trim()).toBe(
      `${goToolchain} install go.temporal.io/server/cmd/server@${version} go.temporal.io/server/cmd/tools/sql@${version}`,
    );
  });

  it('are not built again once there', async () => {
    writeExecutable(join(dir, 'server'), 'exit 0');
    writeExecutable(join(dir, 'sql'), 'exit 0');
    // A GO that cannot run would fail the install if it were consulted.
    await installClusterBinaries({ env: { PATH: '', GO: join(root, 'no-such-go') }, log, dir });
    expect(lines).toEqual([`go.temporal.io/server ${TEMPORAL_SERVER_MODULE.version}: already built in ${dir}`]);
  });

  it('say where to get Go when the named one is missing', async () => {
    const install = installClusterBinaries({ env: { PATH: '', GO: join(root, 'no-such-go') }, log, dir });
    await expect(install).rejects.toThrow(InstallError);
    await expect(install).rejects.toThrow(/GO is set to .*no-such-go, which is not an executable file; .*https:\/\/go\.dev\/dl\//);
  });

  it('leave nothing that looks built when the build fails half-way', async () => {
    const go = fakeGo('printf "#!/bin/sh\\n" > "$GOBIN/server"; chmod +x "$GOBIN/server"; echo "compile: out of memory" >&2; exit 2');
    await expect(installClusterBinaries({ env: { PATH: process.env.PATH, GO: go }, log, dir })).rejects.toThrow(/go install exited with code 2/);
    expect(existsSync(dir)).toBe(false);
    expect(readdirSync(join(root, 'cluster'))).toEqual([]);
    expect(() => findClusterBinaries(dir)).toThrow(/npm run cluster:install/);
  });
});
