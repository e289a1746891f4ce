/**
 * Runs: the list (filtered by playbook, version, stage, status and CSM), a run's page (its
 * timeline, what happens next, its playbook's diagram with the current stage marked) and,
 * for csops, pause / resume / cancel behind a confirmation.
 */
import type * as z from 'zod';
import { formatLocal, type ResolvedCalendar } from '../../calendar/index.js';
import type { runListSchema, runStatusSchema, timelineEntrySchema } from '../../api/schemas/runs.js';
import { playbookToMermaid } from '../../graph/mermaid.js';
import { fetchRunInput, entryCalendar } from '../../ops/run-input.js';
import { runAddressOf, runPathOf, runTitle, workflowIdOfAddress, type RunAddress } from '../../api/run-path.js';
import { RUN_STATUS_NAMES } from '../../temporal/contract.js';
import { query } from '../api-client.js';
import type { PageContext } from '../context.js';
import { html, pathOf, type Html } from '../html.js';
import { csrfField, page } from '../layout.js';
import { taskPath } from './tasks.js';

type RunList = z.infer<typeof runListSchema>;
type RunStatus = z.infer<typeof runStatusSchema>;
type TimelineEntryJson = z.infer<typeof timelineEntrySchema>;

export const RUN_FILTERS = ['playbook', 'version', 'stage', 'status', 'csm'] as const;
export type RunFilter = Partial<Record<(typeof RUN_FILTERS)[number] | 'after', string>>;

export const CONTROLS = ['pause', 'resume', 'cancel'] as const;
export type Control = (typeof CONTROLS)[number];

export async function runsPage(ctx: PageContext, filter: RunFilter): Promise<Html> {
  const { csm, ...rest } = filter;
  const list = await ctx.api.get<RunList>(`/v1/runs${query({ ...rest, assignee: csm, limit: '50' })}`);
  const text = (name: string, label: string, hint?: string) =>
    html`<label
      >${label} <input type="text" name="${name}" value="${filter[name as keyof RunFilter] ?? ''}" ${hint === undefined ? '' : html` placeholder="${hint}"`}
    /></label>`;
  return page(
    { title: 'Runs', session: ctx.session, section: 'runs' },
    html`<h1>Runs</h1>
      <form class="filters" method="get" action="/runs">
        ${text('playbook', 'Playbook')} ${text('version', 'Version')} ${text('stage', 'Stage')}
        <label
          >Status
          <select name="status">
            <option value="">Any</option>
            ${RUN_STATUS_NAMES.map((s) => html`<option value="${s}" ${s === filter.status ? html` selected` : ''}>${s}</option>`)}
          </select></label
        >
        ${text('csm', 'CSM', 'email')}
        <button type="submit">Filter</button>
      </form>
      ${
        list.runs.length === 0
          ? html`<p class="empty">No runs match.</p>`
          : html`<div class="table-wrap" tabindex="0">
              <table>
                <caption class="visually-hidden">
                  Runs, newest first
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Account</th>
                    <th scope="col">Playbook</th>
                    <th scope="col">Version</th>
                    <th scope="col">Stage</th>
                    <th scope="col">Status</th>
                    <th scope="col">Started</th>
                    <th scope="col">Open tasks for</th>
                  </tr>
                </thead>
                <tbody>
                  ${list.runs.map(
                    (r) =>
                      html`<tr>
                        <td>
                          ${r.accountId === null || r.playbook === null ? (r.accountId ?? '') : html`<a href="${runPath(runAddressOf({ playbook: r.playbook, accountId: r.accountId, workflowId: r.workflowId }))}">${r.accountId}</a>`}
                        </td>
                        <td>${r.playbook ?? ''}</td>
                        <td><code>${shortVersion(r.version)}</code></td>
                        <td>${r.stage ?? ''}</td>
                        <td><span class="status status-${r.status ?? r.execution}">${r.status ?? r.execution.toLowerCase()}</span></td>
                        <td>${r.startTime.slice(0, 16).replace('T', ' ')}Z</td>
                        <td>${r.openTaskAssignees.join(', ')}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
      }
      ${list.next === null ? '' : html`<p><a href="/runs${query({ ...filter, after: list.next })}">Next page</a></p>`}`,
  );
}

export function shortVersion(version: string | null): string {
  return version === null ? '' : version.slice(0, 12);
}

/** The console's page of a run, or a path under it (`segments`), with `query` after its key. */
export function runPath(run: RunAddress, segments: readonly string[] = [], query: Record<string, string> = {}): string {
  return runPathOf('/runs', run, segments, query);
}

export async function loadRun(ctx: PageContext, run: RunAddress): Promise<RunStatus> {
  return ctx.api.get<RunStatus>(runPathOf('/v1/runs', run));
}

export async function runPage(ctx: PageContext, run: RunAddress, flash?: string): Promise<Html> {
  const { playbook, accountId } = run;
  const status = await loadRun(ctx, run);
  const workflowId = workflowIdOfAddress(run);
  // The API has answered, so the caller may read this run; its input gives the calendar and the program.
  const input = await fetchRunInput(ctx.client, workflowId).catch(() => null);
  const calendar = input === null ? await ctx.calendars.of(workflowId) : entryCalendar(input);
  const diagram = input === null ? null : playbookToMermaid(input.ir, input.ir.entry, { currentStage: status.stage });
  const live = status.status === 'running' || status.status === 'paused';
  return page(
    { title: runTitle(run), session: ctx.session, section: 'runs', diagrams: diagram !== null },
    html`<p class="crumbs"><a href="/runs">Runs</a> › <a href="${pathOf('/accounts', accountId)}">${accountId}</a></p>
      <h1>${runTitle(run)}</h1>
      ${flash === undefined ? '' : html`<p class="notice" role="status">${flash}</p>`}
      <dl class="facts">
        <dt>Status</dt>
        <dd><span class="status status-${status.status}">${status.status}</span>${status.outcomeLabel === null ? '' : ` (${status.outcomeLabel})`}</dd>
        <dt>Stage</dt>
        <dd>${status.stage ?? 'none'}</dd>
        <dt>Version</dt>
        <dd><code>${shortVersion(status.version)}</code></dd>
        <dt>Times in</dt>
        <dd>${calendar.timezone}${calendar.id === null ? '' : ` (calendar ${calendar.id})`}</dd>
      </dl>
      ${ctx.session.principal.role === 'csops' && live ? controls(ctx, run, status) : ''} ${live ? whatHappensNext(status, calendar, run) : ''}
      <section aria-labelledby="timeline">
        <h2 id="timeline">Timeline</h2>
        ${timelineList(status.timeline.map((entry) => ({ entry, calendar })))}
      </section>
      ${
        diagram === null
          ? ''
          : html`<section aria-labelledby="diagram">
              <h2 id="diagram">Playbook${status.stage === null ? '' : html` <span class="muted">(current stage ${status.stage} marked)</span>`}</h2>
              ${diagramBlock(diagram, `Flowchart of playbook ${playbook}`)}
            </section>`
      }`,
  );
}

/** One timeline entry to show, read in its run's calendar; `run` links to the run it belongs to (on a timeline of many runs). */
export interface ShownEntry {
  entry: TimelineEntryJson;
  calendar: ResolvedCalendar;
  run?: RunAddress;
}

/** A timeline, in the order given: the run's page (oldest first) and the account's (newest first, of all its runs). */
export function timelineList(entries: ShownEntry[]): Html {
  return html`<ol class="timeline">
    ${entries.map(
      ({ entry: e, calendar, run }) =>
        html`<li class="entry entry-${e.kind}">
          <time datetime="${e.at}">${formatLocal(Date.parse(e.at), calendar)}</time>
          <span class="kind">${e.kind}</span>
          <span class="what"
            >${run === undefined ? '' : html`<a href="${runPath(run)}">${run.playbook}</a>: `}${e.text ?? e.task ?? ''}${e.to === undefined ? '' : html` <span class="muted">→ ${e.to}</span>`}${e.playbook === undefined ? '' : html` <span class="muted">(in ${e.playbook})</span>`}</span
          >
        </li>`,
    )}
  </ol>`;
}

/** A Mermaid source the diagram script renders in place; without script, the source stays readable. */
export function diagramBlock(source: string, label: string): Html {
  return html`<figure class="diagram" aria-label="${label}" tabindex="0"><pre class="mermaid-source">${source}</pre></figure>`;
}

function whatHappensNext(status: RunStatus, calendar: ResolvedCalendar, run: RunAddress): Html {
  const when = (iso: string | null) => (iso === null ? null : html`<time datetime="${iso}">${formatLocal(Date.parse(iso), calendar)}</time>`);
  const items = [
    ...status.pendingWaits.map((w) =>
      w.for === 'time'
        ? html`<li>Waiting until ${when(w.deadline) ?? 'an input arrives'}</li>`
        : html`<li>
            Waiting for
            ${w.for}${w.deadline === null ? '' : html`, up to ${when(w.deadline)}`}${w.nextReminder === null ? '' : html`; next reminder ${when(w.nextReminder)}`}
          </li>`,
    ),
    ...status.openTasks.map(
      (t) =>
        html`<li>
          Open task
          <a href="${taskPath(run, t.name)}">${t.title}</a>${t.assignee === null ? '' : ` for ${t.assignee}`}${t.due === null ? '' : html`, due ${when(t.due)}`}
        </li>`,
    ),
    ...status.scheduled.map((s) => html`<li>${s.kind} input scheduled for ${when(s.at)}</li>`),
    ...status.deliveries.map((d) => html`<li>Retrying ${d.action}, attempt ${d.attempt}${d.lastError === null ? '' : `: ${d.lastError}`}</li>`),
    ...(status.goals ?? []).flatMap((g) =>
      g.state === 'pending'
        ? [html`<li>Goal ${g.text} (target ${g.target}%)${g.deadline === null ? ', not started yet' : html`, due by ${when(g.deadline)}`}</li>`]
        : [],
    ),
    ...(status.status === 'paused' ? [html`<li>Paused: no new step starts until it is resumed</li>`] : []),
  ];
  return html`<section aria-labelledby="next">
    <h2 id="next">What happens next</h2>
    ${
      items.length === 0
        ? html`<p class="muted">Nothing pending.</p>`
        : html`<ul class="next">
            ${items}
          </ul>`
    }
  </section>`;
}

function controls(ctx: PageContext, run: RunAddress, status: RunStatus): Html {
  const offered: Control[] = status.status === 'paused' ? ['resume', 'cancel'] : ['pause', 'cancel'];
  return html`<div class="controls">
    ${offered.map(
      (action) =>
        html`<form method="post" action="${runPath(run, [action])}">
          ${csrfField(ctx.session)}
          <button type="submit" ${action === 'cancel' ? html` class="danger"` : ''}>${label(action)}</button>
        </form>`,
    )}
  </div>`;
}

function label(action: Control): string {
  return `${action[0]!.toUpperCase()}${action.slice(1)} run`;
}

const CONSEQUENCES: Record<Control, string> = {
  pause: 'No new step starts while it is paused; its timers keep counting.',
  resume: 'Its steps start again.',
  cancel: 'The run ends at once as cancelled. This cannot be undone.',
};

/** The confirmation a control asks for before it acts. */
export function confirmPage(ctx: PageContext, run: RunAddress, action: Control): Html {
  return page(
    { title: `${label(action)}?`, session: ctx.session, section: 'runs' },
    html`<h1>${label(action)} ${runTitle(run)}?</h1>
      <p>${CONSEQUENCES[action]}</p>
      <form method="post" action="${runPath(run, [action])}" class="controls">
        ${csrfField(ctx.session)}
        <input type="hidden" name="confirm" value="yes" />
        <button type="submit" class="${action === 'cancel' ? 'danger' : 'primary'}">Yes, ${action}</button>
        <a href="${runPath(run)}">No, go back</a>
      </form>`,
  );
}
