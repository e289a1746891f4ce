/**
 * The operator commands against a real Temporal dev server (visibility needs one) with a
 * worker in this process: playbook versioning, `list` filters, and bad input of every kind.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { userInfo } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { startLocalStack, type LocalStack } from '../../src/ops/local-stack.js';
import { findFreePort } from '../../src/servers/ports.js';
import { accountWorkflowId } from '../../src/temporal/account-contract.js';
import { connect } from '../../src/temporal/client.js';
import { DEFAULT_MAX_EVENT_PAYLOAD_BYTES } from '../../src/temporal/event-limits.js';
import { cli, eventually, sandbox, statusOf, type Sandbox } from './helpers.js';

interface Listed {
  workflowId: string;
  version: string;
  accountId: string;
}

describe('operator commands on a dev server', () => {
  let box: Sandbox;
  let stack: LocalStack;
  const run = (...args: string[]) => cli(box.configFile, ...args);
  const start = (accountId: string, csm = 'ann@example.com') =>
    run('start', box.playbook, '--account', box.account({ id: accountId, name: `Account ${accountId}`, csm }));

  beforeAll(async () => {
    box = sandbox('ops-commands');
    const port = await findFreePort();
    box.configure(`127.0.0.1:${port}`);
    stack = await startLocalStack({ config: loadConfig({ path: box.configFile }), port, uiPort: false });
  });
  afterAll(async () => {
    await stack?.stop();
    rmSync(box.dir, { recursive: true, force: true });
  });

  describe('versioning', () => {
    it('keeps a running run on the version it started with while new starts use the changed playbook', async () => {
      const first = await start('v-a');
      expect(first.code).toBe(0);
      const versionA = /version\s+(\w+)/.exec(first.stdout)![1]!;

      writeFileSync(box.playbook, readFileSync(box.playbook, 'utf8').replace('Trial started for', 'Your trial began,'));
      const second = await start('v-b');
      expect(second.code).toBe(0);
      const versionB = /version\s+(\w+)/.exec(second.stdout)![1]!;
      expect(versionB).not.toBe(versionA);

      expect((await statusOf(box.configFile, 'v-a')).version).toBe(versionA);
      expect((await statusOf(box.configFile, 'v-b')).version).toBe(versionB);
      // The old run goes on with its own program: it takes the event and moves to its next stage.
      expect((await run('event', 'v-a', 'demo.booked', '--data', '{"date": "Friday"}')).code).toBe(0);
      const moved = await eventually(async () => {
        const s = await statusOf(box.configFile, 'v-a');
        expect(s.stage).toBe('demo');
        return s;
      });
      expect(JSON.stringify(moved.timeline)).toContain('Trial started for Account v-a');

      const listed = await eventually(async () => {
        const out = await run('list', '--playbook', 'trial', '--json');
        const runs = JSON.parse(out.stdout) as Listed[];
        expect(runs.map((r) => r.accountId).sort()).toEqual(expect.arrayContaining(['v-a', 'v-b']));
        return runs;
      });
      expect(listed.find((r) => r.accountId === 'v-a')!.version).toBe(versionA);
      expect(listed.find((r) => r.accountId === 'v-b')!.version).toBe(versionB);
      const onlyA = JSON.parse((await run('list', '--version', versionA, '--json')).stdout) as Listed[];
      expect(onlyA.map((r) => r.accountId)).toEqual(['v-a']);
      const table = (await run('list', '--playbook', 'trial')).stdout;
      expect(table).toContain(versionA.slice(0, 12));
      expect(table).toContain(versionB.slice(0, 12));
    });
  });

  describe('list filters', () => {
    beforeAll(async () => {
      await start('f-welcome', 'wendy@example.com');
      await start('f-demo', 'dan@example.com');
      await start('f-paused', 'pat@example.com');
      // By account id, the commands find runs through visibility, which shows a new run a moment later.
      await eventually(async () => expect((await run('event', 'f-demo', 'demo.booked', '--data', '{"date": "Monday"}')).code).toBe(0));
      await eventually(async () => expect((await run('pause', 'f-paused')).code).toBe(0));
    });

    const accountsListed = async (...filters: string[]) => {
      const out = await run('list', ...filters, '--json');
      expect(out.code).toBe(0);
      return (JSON.parse(out.stdout) as Listed[])
        .map((r) => r.accountId)
        .filter((id) => id.startsWith('f-'))
        .sort();
    };

    it('filters by stage', async () => {
      await eventually(async () => expect(await accountsListed('--stage', 'demo')).toEqual(['f-demo']));
      expect(await accountsListed('--stage', 'welcome')).toEqual(['f-paused', 'f-welcome']);
    });

    it('filters by status', async () => {
      await eventually(async () => expect(await accountsListed('--status', 'paused')).toEqual(['f-paused']));
      expect(await accountsListed('--status', 'running')).toEqual(['f-demo', 'f-welcome']);
    });

    it('filters by the assignee of an open task', async () => {
      await eventually(async () => expect(await accountsListed('--assignee', 'dan@example.com')).toEqual(['f-demo']));
      expect(await accountsListed('--assignee', 'nobody@example.com')).toEqual([]);
    });
  });

  describe('task changes and controls', () => {
    it('reassigns, snoozes and closes a task and pauses the run, naming --as or the OS user on the timeline; the closed task ends its wait', async () => {
      expect((await start('life')).code).toBe(0);
      await eventually(async () => expect((await statusOf(box.configFile, 'life')).openTasks).toHaveLength(1));
      const reassigned = await run('reassign', 'life', 'call', 'bob@example.com', '--as', 'ann@example.com');
      expect(reassigned).toMatchObject({ code: 0, stdout: 'reassigned to bob@example.com task call of trial (playbook:trial:life)\n' });
      expect((await run('snooze', 'life', 'call', 'next week')).code).toBe(2);
      const past = await run('snooze', 'life', 'call', '2020-01-01T00:00:00Z');
      expect(past.code).toBe(1);
      expect(past.stderr).toMatch(/^playbook: cannot snooze task call: task call: snooze until an instant after now/);
      const until = new Date(Date.now() + 86_400_000).toISOString();
      expect((await run('snooze', 'life', 'call', until, '--as', 'bob@example.com')).code).toBe(0);
      expect((await statusOf(box.configFile, 'life')).openTasks).toEqual([
        expect.objectContaining({ name: 'call', assignee: 'bob@example.com', snoozedUntil: until }),
      ]);
      expect((await run('close', 'life', 'call', '--reason', '', '--as', 'bob@example.com')).code).toBe(2);
      expect((await run('close', 'life', 'call', '--reason', 'reached them by chat', '--as', 'bob@example.com')).code).toBe(0);
      expect((await run('pause', 'life', '--as', 'ops@example.com')).code).toBe(0);
      expect((await run('resume', 'life')).code).toBe(0);
      expect((await run('event', 'life', 'demo.booked', '--data', '{"date": "Friday"}')).code).toBe(0);
      const done = await eventually(async () => {
        const s = await statusOf(box.configFile, 'life');
        expect(s.status).toBe('completed');
        return s;
      });
      const attributed = (done.timeline as Array<{ kind: string; by?: string }>).filter((e) => e.by !== undefined).map((e) => `${e.kind} by ${e.by}`);
      expect(attributed).toEqual([
        'task-reassigned by ann@example.com',
        'task-snoozed by bob@example.com',
        'task-closed by bob@example.com',
        'pause by ops@example.com',
        `resume by ${userInfo().username}`,
      ]);
      expect((done.timeline as Array<{ kind: string }>).map((e) => e.kind).slice(-4)).toEqual(['note', 'timeout', 'note', 'complete']);
    });
  });

  describe('bad input', () => {
    beforeAll(async () => {
      await start('bad');
      await eventually(async () => expect((await run('status', 'bad')).code).toBe(0));
    });

    it('reports an account without runs', async () => {
      const out = await run('status', 'nobody');
      expect(out).toMatchObject({ code: 1, stdout: '' });
      expect(out.stderr).toBe('playbook: account nobody has no runs\n');
    });

    it('records a wrong event payload as refused and keeps the run going', async () => {
      const out = await run('event', 'bad', 'demo.booked', '--data', '"next week"');
      expect(out.code).toBe(1);
      expect(out.stderr).toContain('event "demo.booked" refused by trial (playbook:trial:bad): the payload of event "demo.booked" must be a JSON object');
      const status = await statusOf(box.configFile, 'bad');
      expect(status).toMatchObject({ status: 'running', stage: 'welcome', outcome: 'running' });
      expect(status.rejected).toEqual([expect.objectContaining({ reason: expect.stringContaining('must be a JSON object') })]);
    });

    it('refuses a payload that does not fit the declared event before any run gets it', async () => {
      const out = await run('event', 'bad', 'demo.booked', '--data', '{"date": 5, "room": "B"}');
      expect(out).toMatchObject({ code: 1, stdout: '' });
      expect(out.stderr).toBe(
        'playbook: --data: event "demo.booked" for trial: payload.date: expected text, got 5; payload.room: not a field of this event (its fields are date)\n',
      );
      // Only the refusal of the earlier test: this payload never reached the run.
      expect((await statusOf(box.configFile, 'bad')).rejected).toHaveLength(1);
    });

    it('refuses an event no run of the account waits for', async () => {
      const out = await run('event', 'bad', 'contract.signed');
      expect(out.code).toBe(1);
      expect(out.stderr).toBe('playbook: no open run of account bad waits for event "contract.signed" (open: trial)\n');
    });

    it("refuses wrong task answers with the run's reason", async () => {
      const out = await run('complete', 'bad', 'call', '--answers', '{"reached": "maybe"}');
      expect(out.code).toBe(1);
      expect(out.stderr).toMatch(/^playbook: cannot complete task call: .*reached/);
      expect((await statusOf(box.configFile, 'bad')).openTasks).toEqual([expect.objectContaining({ name: 'call' })]);
      const good = await run('complete', 'bad', 'call', '--answers', '{"reached": true}');
      expect(good).toMatchObject({ code: 0, stdout: 'completed task call of trial (playbook:trial:bad)\n' });
    });

    it('refuses a task the account has not open', async () => {
      const out = await run('complete', 'bad', 'training');
      expect(out.code).toBe(1);
      expect(out.stderr).toContain('no open run of account bad has an open task "training"');
    });

    it('reports a run that is already open instead of starting another', async () => {
      const out = await start('bad');
      expect(out.code).toBe(1);
      expect(out.stderr).toBe('playbook: a run of trial for account bad is already open (workflow id playbook:trial:bad)\n');
    });

    it('rejects account data that does not fit the account fields', async () => {
      const out = await run('start', box.playbook, '--account', box.account({ id: 'typo', name: 'Typo', csm: 'not an email', segmnt: 'smb' }));
      expect(out.code).toBe(1);
      expect(out.stderr).toContain('account.csm');
      expect(out.stderr).toContain('account.segmnt: not a declared account field');
    });

    it('rejects an account file that is not JSON', async () => {
      const file = box.account({ id: 'broken' });
      writeFileSync(file, '{ "id": "broken", ');
      const out = await run('start', box.playbook, '--account', file);
      expect(out.code).toBe(1);
      expect(out.stderr).toMatch(/^playbook: account file .* is not valid JSON/);
    });

    it('refuses --data over api.maxEventPayloadBytes before sending anything', async () => {
      const before = await statusOf(box.configFile, 'bad');
      const out = await run('event', 'bad', 'demo.booked', '--data', JSON.stringify({ date: 'x'.repeat(DEFAULT_MAX_EVENT_PAYLOAD_BYTES) }));
      expect(out.code).toBe(1);
      expect(out.stderr).toBe(
        `playbook: --data: the event payload is ${DEFAULT_MAX_EVENT_PAYLOAD_BYTES + 11} bytes as JSON; at most ${DEFAULT_MAX_EVENT_PAYLOAD_BYTES} are accepted (api.maxEventPayloadBytes)\n`,
      );
      const after = await statusOf(box.configFile, 'bad');
      expect([after.timeline, after.rejected, after.stage]).toEqual([before.timeline, before.rejected, before.stage]);
    });

    it('rejects --data that is not JSON before sending anything', async () => {
      const out = await run('event', 'bad', 'demo.booked', '--data', '{date: friday}');
      expect(out.code).toBe(2);
      expect(out.stderr).toMatch(/^playbook: --data is not valid JSON/);
    });
  });
  describe('accounts restore', () => {
    it('starts a terminated entity again with the data it held; refuses a running entity and an unknown account', async () => {
      const file = path.join(box.dir, 'restore.json');
      writeFileSync(file, JSON.stringify([{ id: 'r-1', name: 'Restored Inc', csm: 'ann@example.com' }]));
      expect((await run('deploy', path.dirname(box.playbook))).code).toBe(0);
      expect((await run('accounts', 'import', file)).code).toBe(0);
      await eventually(async () => expect(JSON.parse((await run('accounts', 'show', 'r-1', '--json')).stdout).data.name).toBe('Restored Inc'));
      const client = await connect(stack.config.temporal);
      try {
        await client.workflow.getHandle(accountWorkflowId('r-1')).terminate('the test ends the entity');
      } finally {
        await client.connection.close();
      }
      const upsert = await run('accounts', 'import', file);
      expect(upsert.code).toBe(1);
      expect(upsert.stderr).toContain("account r-1's entity ended (terminated); restore it with `playbook accounts restore r-1`");

      const restored = await run('accounts', 'restore', 'r-1');
      expect(restored).toMatchObject({ code: 0, stderr: '' });
      expect(restored.stdout).toBe('account r-1 restored (its entity had ended: terminated): 2 fields, 0 open runs, 0 trigger log entries, 0 inputs waiting\n');
      const shown = JSON.parse((await run('accounts', 'show', 'r-1', '--json')).stdout) as { data: Record<string, unknown> };
      expect(shown.data).toMatchObject({ id: 'r-1', name: 'Restored Inc', csm: 'ann@example.com' });

      const again = await run('accounts', 'restore', 'r-1');
      expect(again).toMatchObject({ code: 1, stdout: '' });
      expect(again.stderr).toBe("playbook: account r-1's entity is running: there is nothing to restore\n");
      const unknown = await run('accounts', 'restore', 'nobody-here');
      expect(unknown).toMatchObject({ code: 1, stdout: '' });
      expect(unknown.stderr).toMatch(/^playbook: .*nobody-here/);
    });
  });
});
