/**
 * Accounts: a searchable list (name, segment, CSM, renewal date, open runs) and an account's
 * page (its data, its runs and their stages, one timeline across all its runs past and present
 * from the store, planned date triggers, the trigger log, alerts, and starting a manual playbook). Built from the account entities through the API; the
 * columns come from `LIST_FIELDS` so a stored accounts table can feed the same rows.
 */
import type * as z from 'zod';
import type { accountStateSchema } from '../../api/schemas/accounts.js';
import type { accountTimelineSchema } from '../../api/schemas/account-records.js';
import type { deployedSummarySchema } from '../../api/schemas/playbooks.js';
import type { runListSchema } from '../../api/schemas/runs.js';
import { triggerOutcomeText } from '../../accounts/format-account.js';
import { listAccountIds } from '../../temporal/account-client.js';
import { runAddressOf, type RunAddress } from '../../api/run-path.js';
import { runKeyOfWorkflowId } from '../../temporal/contract.js';
import { mapLimit } from '../../util/map-limit.js';
import { ConsoleError, query } from '../api-client.js';
import type { PageContext } from '../context.js';
import { html, pathOf, type Html } from '../html.js';
import { csrfField, page } from '../layout.js';
import { runPath, shortVersion, timelineList } from './runs.js';

/** A run's name among the account's: its playbook, and a keyed run's key. */
function runName(run: RunAddress): string {
  return run.key.length === 0 ? run.playbook : `${run.playbook} (${run.key.join(', ')})`;
}

type AccountState = z.infer<typeof accountStateSchema>;
type Deployed = z.infer<typeof deployedSummarySchema>;
type RunList = z.infer<typeof runListSchema>;
type AccountTimeline = z.infer<typeof accountTimelineSchema>;

/** The account fields the list shows, when the deployed fields have them. */
const LIST_FIELDS = [
  ['name', 'Name'],
  ['segment', 'Segment'],
  ['csm', 'CSM'],
  ['renewal_date', 'Renewal'],
] as const;
const PAGE_SIZE = 50;
const ACCOUNT_SCAN_LIMIT = 1000;
const READ_CONCURRENCY = 8;
/** Timeline entries an account page shows, newest first; older ones are on the next page. */
export const TIMELINE_PAGE = 2000;
/** The most the API gives in one answer (`accountPageQuerySchema`). */
const API_PAGE = 1000;

export async function accountsPage(ctx: PageContext, search: { q?: string; page?: string }): Promise<Html> {
  const ids = await listAccountIds(ctx.client, ACCOUNT_SCAN_LIMIT);
  // Each account through the API: a csm sees those of its book only (the others answer 404).
  const states = await mapLimit(ids, READ_CONCURRENCY, (id) => readAccount(ctx, id));
  const q = search.q?.trim().toLowerCase() ?? '';
  const matching = states.filter(
    (s): s is AccountState =>
      s !== null && (q === '' || [s.accountId, ...Object.values(s.data)].some((v) => typeof v === 'string' && v.toLowerCase().includes(q))),
  );
  const pageNumber = Math.max(1, Number.parseInt(search.page ?? '1', 10) || 1);
  const shown = matching.slice((pageNumber - 1) * PAGE_SIZE, pageNumber * PAGE_SIZE);
  return page(
    { title: 'Accounts', session: ctx.session, section: 'accounts' },
    html`<h1>Accounts</h1>
      <form class="filters" method="get" action="/accounts" role="search">
        <label>Search <input type="search" name="q" value="${search.q ?? ''}" /></label>
        <button type="submit">Search</button>
      </form>
      <p class="muted">${matching.length === 1 ? '1 account' : `${matching.length} accounts`}</p>
      ${
        shown.length === 0
          ? html`<p class="empty">No accounts${q === '' ? '' : ' match'}.</p>`
          : html`<div class="table-wrap" tabindex="0">
              <table>
                <caption class="visually-hidden">
                  Accounts
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Account</th>
                    ${LIST_FIELDS.map(([, label]) => html`<th scope="col">${label}</th>`)}
                    <th scope="col">Open runs</th>
                  </tr>
                </thead>
                <tbody>
                  ${shown.map(
                    (s) =>
                      html`<tr>
                        <td><a href="${pathOf('/accounts', s.accountId)}">${s.accountId}</a></td>
                        ${LIST_FIELDS.map(([field]) => html`<td>${valueText(s.data[field])}</td>`)}
                        <td>${s.openRuns.length}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
      }
      <nav aria-label="Pages" class="pages">
        ${pageNumber > 1 ? html`<a href="/accounts${query({ q: search.q, page: String(pageNumber - 1) })}">Previous page</a>` : ''}
        ${pageNumber * PAGE_SIZE < matching.length ? html`<a href="/accounts${query({ q: search.q, page: String(pageNumber + 1) })}">Next page</a>` : ''}
      </nav>`,
  );
}

async function readAccount(ctx: PageContext, id: string): Promise<AccountState | null> {
  try {
    return await ctx.api.get<AccountState>(pathOf('/v1/accounts', id));
  } catch (e) {
    if (e instanceof ConsoleError && e.status === 404) return null;
    throw e;
  }
}

function valueText(value: unknown): string {
  return value === null || value === undefined ? '' : value === true ? 'yes' : value === false ? 'no' : String(value);
}

export interface StartResult {
  ok: boolean;
  message: string;
}

/** The account's page; `olderThan` (the timeline's cursor) shows older timeline entries. */
export async function accountPage(ctx: PageContext, accountId: string, started?: StartResult, olderThan?: string): Promise<Html> {
  const state = await ctx.api.get<AccountState>(pathOf('/v1/accounts', accountId));
  const [runs, deployed, timeline] = await Promise.all([
    ctx.api.get<RunList>(`/v1/runs${query({ accountId, limit: '100' })}`),
    ctx.api.get<Deployed>('/v1/playbooks'),
    readTimeline(ctx, accountId, olderThan),
  ]);
  const manual = deployed.playbooks.filter((p) => p.triggers.some((t) => t.kind === 'manual'));
  // The store has a run a moment after it starts; the account's entity knows it at once.
  const listed = new Set(runs.runs.map((r) => r.workflowId));
  const starting = state.openRuns
    .filter((workflowId) => !listed.has(workflowId))
    .flatMap((workflowId): RunAddress[] =>
      deployed.playbooks.flatMap((p) => {
        const key = runKeyOfWorkflowId(workflowId, p.id, accountId);
        return key === null ? [] : [{ playbook: p.id, accountId, key }];
      }),
    );
  const { id: _, ...fields } = state.data;
  return page(
    { title: accountId, session: ctx.session, section: 'accounts' },
    html`<p class="crumbs"><a href="/accounts">Accounts</a></p>
      <h1>${typeof state.data.name === 'string' ? state.data.name : accountId} <span class="muted">${accountId}</span></h1>
      ${started === undefined ? '' : html`<p class="${started.ok ? 'notice' : 'problem'}" role="${started.ok ? 'status' : 'alert'}">${started.message}</p>`}
      <section aria-labelledby="data">
        <h2 id="data">Data</h2>
        <dl class="facts">
          ${Object.entries(fields).map(
            ([k, v]) =>
              html`<dt>${k}</dt>
                <dd>${valueText(v)}</dd>`,
          )}
        </dl>
      </section>
      <section aria-labelledby="runs">
        <h2 id="runs">Runs</h2>
        ${
          runs.runs.length + starting.length === 0
            ? html`<p class="empty">No runs.</p>`
            : html`<ul class="cards">
                ${starting.map(
                  (run) =>
                    html`<li class="card">
                      <a class="card-title" href="${runPath(run)}">${runName(run)}</a><span class="meta">running · just started</span>
                    </li>`,
                )}
                ${runs.runs.map(
                  (r) =>
                    html`<li class="card">
                      <a class="card-title" href="${runPath(runAddressOf({ playbook: r.playbook ?? '', accountId, workflowId: r.workflowId }))}"
                        >${runName(runAddressOf({ playbook: r.playbook ?? '', accountId, workflowId: r.workflowId }))}</a
                      ><span class="meta"
                        >${r.status ?? r.execution.toLowerCase()}${r.stage === null ? '' : ` · stage ${r.stage}`} · <code>${shortVersion(r.version)}</code> ·
                        started ${r.startTime.slice(0, 10)}</span
                      >
                    </li>`,
                )}
              </ul>`
        }
      </section>
      <section aria-labelledby="timeline">
        <h2 id="timeline">Timeline <span class="muted">of all its runs, newest first</span></h2>
        ${await timelineSection(ctx, accountId, timeline, olderThan)}
      </section>
      ${
        manual.length === 0
          ? ''
          : html`<section aria-labelledby="start">
              <h2 id="start">Start a playbook</h2>
              <form method="post" action="${pathOf('/accounts', accountId)}/start" class="filters">
                ${csrfField(ctx.session)}
                <label
                  >Playbook
                  <select name="playbook">
                    ${manual.map((p) => html`<option value="${p.id}">${p.id}${p.title === null ? '' : ` — ${p.title}`}</option>`)}
                  </select></label
                >
                <button type="submit">Start</button>
              </form>
            </section>`
      }
      ${
        state.planned.length === 0
          ? ''
          : html`<section aria-labelledby="planned">
              <h2 id="planned">Planned date triggers</h2>
              <ul>
                ${state.planned.map((p) => html`<li>${p.playbook} on ${p.fireAt} (${p.field} ${p.date})</li>`)}
              </ul>
            </section>`
      }
      <section aria-labelledby="triggers">
        <h2 id="triggers">Trigger log</h2>
        ${
          state.triggerLog.length === 0
            ? html`<p class="empty">Nothing triggered yet.</p>`
            : html`<div class="table-wrap" tabindex="0">
                <table>
                  <caption class="visually-hidden">
                    Trigger log, oldest first
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">At</th>
                      <th scope="col">Playbook</th>
                      <th scope="col">Trigger</th>
                      <th scope="col">Outcome</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${state.triggerLog.map(
                      (t) =>
                        html`<tr>
                          <td>${t.at}</td>
                          <td>${t.playbook}</td>
                          <td>${t.kind} ${t.detail}</td>
                          <td>${triggerOutcomeText(t)}${t.error === undefined ? '' : `: ${t.error}`}</td>
                        </tr>`,
                    )}
                  </tbody>
                </table>
              </div>`
        }
      </section>
      ${
        state.alerts.length === 0
          ? ''
          : html`<section aria-labelledby="alerts">
              <h2 id="alerts">Alerts</h2>
              <ul>
                ${state.alerts.map((a) => html`<li>${a.at}: ${a.message}</li>`)}
              </ul>
            </section>`
      }`,
  );
}

/** Up to `TIMELINE_PAGE` entries of the account's timeline from `cursor` on; null without a store. */
async function readTimeline(
  ctx: PageContext,
  accountId: string,
  cursor?: string,
): Promise<{ entries: AccountTimeline['entries']; next: string | null } | null> {
  if (ctx.store === null) return null;
  const entries: AccountTimeline['entries'] = [];
  let next = cursor ?? null;
  do {
    const limit = String(Math.min(API_PAGE, TIMELINE_PAGE - entries.length));
    try {
      const page = await ctx.api.get<AccountTimeline>(`${pathOf('/v1/accounts', accountId)}/timeline${query({ limit, cursor: next ?? undefined })}`);
      entries.push(...page.entries);
      next = page.next;
    } catch (e) {
      // The store has an account a moment after its entity: nothing on its timeline yet.
      if (e instanceof ConsoleError && e.status === 404 && entries.length === 0) return { entries, next: null };
      throw e;
    }
  } while (next !== null && entries.length < TIMELINE_PAGE);
  return { entries, next };
}

async function timelineSection(
  ctx: PageContext,
  accountId: string,
  timeline: { entries: AccountTimeline['entries']; next: string | null } | null,
  olderThan: string | undefined,
): Promise<Html> {
  if (timeline === null) return html`<p class="muted">The timeline across runs is read from the store, and none is configured.</p>`;
  if (timeline.entries.length === 0) return html`<p class="empty">Nothing on the timeline${olderThan === undefined ? ' yet' : ' before these'}.</p>`;
  const calendars = await ctx.calendars.ofAll(timeline.entries.map((e) => e.workflowId));
  return html`${timelineList(timeline.entries.map((e) => ({ entry: e.entry, calendar: calendars.get(e.workflowId)!, run: runAddressOf({ playbook: e.playbook, accountId, workflowId: e.workflowId }) })))}
    <nav aria-label="Timeline pages" class="pages">
      ${olderThan === undefined ? '' : html`<a href="${pathOf('/accounts', accountId)}#timeline">Newest entries</a>`}
      ${timeline.next === null ? '' : html`<a href="${pathOf('/accounts', accountId)}${query({ older: timeline.next })}#timeline">Older entries</a>`}
    </nav>`;
}

/** Starts a manual playbook for the account through the API; a refusal comes back with its reason. */
export async function startFor(ctx: PageContext, accountId: string, playbook: string): Promise<StartResult> {
  try {
    await ctx.api.post(`${pathOf('/v1/playbooks', playbook)}/runs`, { accountId });
    return { ok: true, message: `Started ${playbook}.` };
  } catch (e) {
    if (e instanceof ConsoleError && e.status < 500 && e.status !== 401) return { ok: false, message: `Not started: ${e.message}` };
    throw e;
  }
}
