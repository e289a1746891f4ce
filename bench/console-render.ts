/**
 * The console's render time against the API's JSON for the same data, in the same run, over
 * HTTP to `serve` (the API and console in one Fastify) with the embedded store:
 * - a CSM's inbox (`/tasks`) with 500 open tasks, against `GET /v1/tasks` (what the page reads);
 * - an account page with 2,000 timeline entries across 20 runs, against the API requests the
 *   page makes (`/v1/accounts/:id`, then its runs, the deployed playbooks and two timeline pages
 *   of 1,000, as the page issues them).
 * The rows are written to the store directly (runs, tasks, timeline entries), as the runs'
 * projections write them; the account itself is imported through the API. Target: HTML at
 * most 1.5× the JSON's time.
 */
import { issueToken } from '../src/api/tokens/issue.js';
import { FileTokenStore } from '../src/api/tokens/store.js';
import { openStore, type Store } from '../src/store/connect.js';
import { median, ms, type Row, type Suite } from './harness.js';
import { startProductStack, type ProductStack } from './product-stack.js';

const CSM = 'ann@example.com';
const INBOX_TASKS = 500;
/** The inbox's tasks are on this many accounts of the CSM's book, ten each. */
const INBOX_ACCOUNTS = 50;
const ACCOUNT = 'bench-render';
const TIMELINE_RUNS = 20;
const TIMELINE_ENTRIES = 2000;
const MEASURE = { warmup: 2, iterations: 7 };
const START = Date.parse('2026-11-02T14:00:00Z');

export const consoleRender: Suite = {
  name: `console render vs the API's JSON (median of ${MEASURE.iterations} requests after ${MEASURE.warmup} warm-ups; target ≤ 1.5×)`,
  async run() {
    const stack = await startProductStack({ store: true });
    const store = openStore(stack.config.store!.url);
    try {
      const token = (await issueToken(new FileTokenStore(stack.config.api.tokensFile), { name: 'bench-ann', role: 'csm', user: CSM }, [], new Date())).token;
      const accounts = [
        { id: ACCOUNT, name: 'Bench Render', csm: CSM },
        ...Array.from({ length: INBOX_ACCOUNTS }, (_, k) => ({ id: `inbox-${k}`, name: `Inbox ${k}`, csm: CSM })),
      ];
      await stack.call('POST', '/v1/accounts/bulk', { accounts }, 200);
      await storedAccount(stack, token);
      await writeInbox(store);
      await writeTimeline(store);
      const cookie = await signIn(stack.url, token);
      const page = (route: string) => () => get(`${stack.url}${route}`, { cookie });
      const api = (route: string) => () => get(`${stack.url}${route}`, { authorization: `Bearer ${token}` });

      const inboxHtml = page('/tasks');
      const inboxJson = api('/v1/tasks?limit=1000');
      const account = `/v1/accounts/${ACCOUNT}`;
      const accountJson = async () => {
        await api(account)();
        const [, , first] = await Promise.all([
          api(`/v1/runs?accountId=${ACCOUNT}&limit=100`)(),
          api('/v1/playbooks')(),
          api(`${account}/timeline?limit=1000`)(),
        ]);
        await api(`${account}/timeline?limit=1000&cursor=${encodeURIComponent((JSON.parse(first) as { next: string }).next)}`)();
      };
      const accountHtml = page(`/accounts/${ACCOUNT}`);
      const check = await inboxHtml();
      const shown = (check.match(/class="card"/g) ?? []).length;
      if (shown !== INBOX_TASKS) throw new Error(`the inbox page shows ${shown} tasks, not ${INBOX_TASKS}`);
      if (((await accountHtml()).match(/class="entry /g) ?? []).length !== TIMELINE_ENTRIES) throw new Error('the account page does not show every entry');

      return [
        ...compare(`inbox, ${INBOX_TASKS} open tasks`, await alternate(inboxHtml, inboxJson)),
        ...compare(`account page, ${TIMELINE_ENTRIES.toLocaleString('en-US')} timeline entries`, await alternate(accountHtml, accountJson)),
      ];
    } finally {
      await store.destroy();
      await stack.stop();
    }
  },
};

function compare(what: string, [html, json]: [number, number]): Row[] {
  return [
    { label: `${what}: HTML page`, figures: [ms(html)] },
    { label: `${what}: the API's JSON`, figures: [ms(json)] },
    { label: `${what}: ratio HTML / JSON`, figures: [`${(html / json).toFixed(2)}×`] },
  ];
}

/** Medians of the two, measured in turns so that both see the same machine. */
async function alternate(a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<[number, number]> {
  const times: [number[], number[]] = [[], []];
  for (let i = 0; i < MEASURE.warmup + MEASURE.iterations; i++) {
    for (const [k, fn] of [a, b].entries()) {
      const start = performance.now();
      await fn();
      if (i >= MEASURE.warmup) times[k]!.push(performance.now() - start);
    }
  }
  return [median(times[0]), median(times[1])];
}

async function get(url: string, headers: Record<string, string>): Promise<string> {
  const response = await fetch(url, { headers });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}: ${text.slice(0, 300)}`);
  return text;
}

/** Signs in as the console's form does; the session cookie. */
async function signIn(url: string, token: string): Promise<string> {
  const form = await fetch(`${url}/sign-in`);
  const csrfCookie = form.headers
    .getSetCookie()
    .find((c) => c.startsWith('playbook_sign_in='))!
    .split(';')[0]!;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
  const signed = await fetch(`${url}/sign-in`, {
    method: 'POST',
    headers: { cookie: csrfCookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, token, next: '/' }).toString(),
    redirect: 'manual',
  });
  const session = signed.headers.getSetCookie().find((c) => c.startsWith('playbook_session='));
  if (session === undefined) throw new Error(`signing in answered ${signed.status}`);
  return session.split(';')[0]!;
}

/** The account's projection reaches the store a moment after the import. */
async function storedAccount(stack: ProductStack, token: string): Promise<void> {
  const until = Date.now() + 60_000;
  for (;;) {
    const response = await fetch(`${stack.url}/v1/accounts/${ACCOUNT}/timeline`, { headers: { authorization: `Bearer ${token}` } });
    if (response.status === 200) return;
    if (Date.now() > until) throw new Error(`the store did not have ${ACCOUNT} within 60 s (${response.status})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function runRow(runId: string, workflowId: string, accountId: string, i: number, status: string) {
  const at = new Date(START + i * 60_000);
  return {
    run_id: runId,
    workflow_id: workflowId,
    playbook_id: 'bench-wait',
    playbook_version: 'v-bench',
    account_id: accountId,
    started_by: 'bench',
    status,
    outcome: null,
    outcome_label: null,
    stage: 'waiting',
    started_at: at,
    ended_at: status === 'running' ? null : at,
    updated_at: at,
  };
}

/** 500 open tasks for the CSM, one per run, ten runs on each of 50 accounts, due from two days ago over the coming weeks. */
async function writeInbox(store: Store): Promise<void> {
  const runs = Array.from({ length: INBOX_TASKS }, (_, i) => {
    const account = `inbox-${i % INBOX_ACCOUNTS}`;
    return runRow(`inbox-run-${i}`, `playbook:bench-${Math.floor(i / INBOX_ACCOUNTS)}:${account}`, account, i, 'running');
  });
  await store.insertInto('runs').values(runs).execute();
  const questions = JSON.stringify([{ name: 'done', question: 'Done?', type: { type: 'yes/no' } }]);
  const tasks = runs.map((r, i) => ({
    run_id: r.run_id,
    workflow_id: r.workflow_id,
    seq: 1,
    account_id: r.account_id,
    playbook_id: 'bench-wait',
    name: 'follow',
    title: `Follow up with account ${i}`,
    assignee: CSM,
    due_at: new Date(Date.now() + (i - 50) * 3_600_000),
    questions,
    answers: null,
    state: 'open' as const,
    created_at: r.started_at,
    closed_at: null,
    closed_by: null,
    close_reason: null,
  }));
  for (let i = 0; i < tasks.length; i += 250)
    await store
      .insertInto('tasks')
      .values(tasks.slice(i, i + 250))
      .execute();
}

/** 2,000 entries across 20 runs of the account, all but the newest finished. */
async function writeTimeline(store: Store): Promise<void> {
  const per = TIMELINE_ENTRIES / TIMELINE_RUNS;
  const runs = Array.from({ length: TIMELINE_RUNS }, (_, i) =>
    runRow(`timeline-run-${i}`, `playbook:bench-wait:${ACCOUNT}`, ACCOUNT, i * per, i === TIMELINE_RUNS - 1 ? 'running' : 'completed'),
  );
  await store.insertInto('runs').values(runs).execute();
  const entries = runs.flatMap((r, i) =>
    Array.from({ length: per }, (_, seq) => {
      const at = new Date(START + (i * per + seq) * 60_000).toISOString();
      const entry = {
        at,
        kind: seq % 2 === 0 ? 'notify' : 'event',
        stage: 'waiting',
        line: 10 + seq,
        text: `step ${seq} of run ${i}: told the CSM about the renewal`,
      };
      return { run_id: r.run_id, workflow_id: r.workflow_id, seq, at, kind: entry.kind, stage: entry.stage, entry: JSON.stringify(entry) };
    }),
  );
  for (let i = 0; i < entries.length; i += 500)
    await store
      .insertInto('timeline_entries')
      .values(entries.slice(i, i + 500))
      .execute();
}
