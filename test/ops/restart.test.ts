/**
 * The embedded default keeps runs on its SQLite file: a run started before the dev server
 * stops is still open after it starts again on the same file, and takes the next input.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { startLocalStack, type LocalStack } from '../../src/ops/local-stack.js';
import { findFreePort } from '../../src/servers/ports.js';
import { cli, eventually, sandbox, statusOf, type Sandbox } from './helpers.js';

describe('dev server restart on its SQLite file', () => {
  let box: Sandbox;
  let port: number;
  let stack: LocalStack | undefined;
  const startStack = async () => {
    stack = await startLocalStack({ config: loadConfig({ path: box.configFile }), dbFile: path.join(box.dir, 'temporal.db'), port, uiPort: false });
  };

  beforeAll(async () => {
    box = sandbox('ops-restart');
    port = await findFreePort();
    box.configure(`127.0.0.1:${port}`);
  });
  afterAll(async () => {
    await stack?.stop();
    rmSync(box.dir, { recursive: true, force: true });
  });

  it('continues an open run after a restart', async () => {
    await startStack();
    const account = box.account({ id: 'survivor', name: 'Survivor', csm: 'sam@example.com' });
    expect((await cli(box.configFile, 'start', box.playbook, '--account', account)).code).toBe(0);
    await eventually(async () => expect((await statusOf(box.configFile, 'playbook:trial:survivor')).openTasks).toHaveLength(1));
    await stack!.stop();
    stack = undefined;

    const down = await cli(box.configFile, 'status', 'survivor');
    expect(down).toMatchObject({ code: 1, stderr: `playbook: cannot reach Temporal at 127.0.0.1:${port} — start it with \`playbook dev\`\n` });

    await startStack();
    const delivered = await eventually(async () => {
      const out = await cli(box.configFile, 'event', 'survivor', 'demo.booked', '--data', '{"date": "Thursday"}');
      expect(out.code).toBe(0);
      return out;
    });
    expect(delivered.stdout).toBe('event "demo.booked" delivered to trial (playbook:trial:survivor)\n');
    const after = await eventually(async () => {
      const s = await statusOf(box.configFile, 'playbook:trial:survivor');
      expect(s.stage).toBe('demo');
      return s;
    });
    expect(after.status).toBe('running');
    expect(JSON.stringify(after.timeline)).toContain('Demo booked for Thursday');
  });
});
