/**
 * The dashboard: the built-in reports (docs/kpis.md) as charts, each with its numbers in a
 * table beside it, and the at-risk list linking to its runs and tasks. Each panel is one
 * report of `runReport`, read through the API (`/v1/reports/<kpi>`), so a csm sees its book's
 * figures and a report added there is one entry of `PANELS` here. The charts are drawn in the
 * browser from the tables (`assets/console/charts.js`, Chart.js served by `serve`): the
 * numbers a person reads and the bars they see are one set.
 */
import type { ReportRow, Report, ReportBy, KpiName, Cell } from '../../reports/types.js';
import { runAddressOf } from '../../api/run-path.js';
import { formatCell } from '../../reports/render.js';
import { query } from '../api-client.js';
import type { PageContext } from '../context.js';
import { html, type Html } from '../html.js';
import { page } from '../layout.js';
import { runPath } from './runs.js';
import { taskPath } from './tasks.js';

/**
 * How a panel draws its report: bars of some columns per row, side by side (labelled by other
 * columns), or a line per series over an x column; `percent` scales the axis 0–100%.
 */
export type ChartSpec =
  { type: 'bar'; label: string[]; values: string[]; percent?: boolean } | { type: 'line'; x: string; series: string[]; value: string; percent?: boolean };

export interface Panel {
  report: KpiName;
  title: string;
  by?: ReportBy;
  /** Null: a list, the table alone. */
  chart: ChartSpec | null;
  /** The page a row links to, and which cell holds the link. */
  link?: { column: string; href(row: ReportRow): string | null };
  /** What the panel says when the report has no rows. */
  empty: string;
}

/** A run's page, or its task's for a task row: keyed runs carry their key (`?key=`). */
function atRiskHref(row: ReportRow): string | null {
  if (typeof row.playbook !== 'string' || typeof row.account !== 'string' || typeof row.run !== 'string' || typeof row.item !== 'string') return null;
  const run = runAddressOf({ playbook: row.playbook, accountId: row.account, workflowId: row.run });
  return row.kind === 'task' ? taskPath(run, row.item) : runPath(run);
}

export const PANELS: readonly Panel[] = [
  {
    report: 'at-risk',
    title: 'At risk',
    chart: null,
    link: { column: 'item', href: atRiskHref },
    empty: 'Nothing at risk: no pending goal is under 20% of its window, no open task is due within 4 business hours.',
  },
  {
    report: 'goals',
    title: 'Goal attainment against target',
    chart: { type: 'bar', label: ['playbook', 'goal'], values: ['attainmentPercent', 'target'], percent: true },
    empty: 'No goal was met or missed in the period.',
  },
  {
    report: 'goal-trend',
    title: 'Goal attainment per week',
    chart: { type: 'line', x: 'week', series: ['playbook', 'goal'], value: 'attainmentPercent', percent: true },
    empty: 'No goal was met or missed in the period.',
  },
  {
    report: 'funnel',
    title: 'Stage funnel',
    chart: { type: 'bar', label: ['playbook', 'stage'], values: ['reached'] },
    empty: 'No run started in the period.',
  },
  {
    report: 'on-time',
    by: 'csm',
    title: 'Tasks on time per CSM',
    chart: { type: 'bar', label: ['csm'], values: ['onTimePercent'], percent: true },
    empty: 'No task was due in the period.',
  },
  {
    report: 'coverage',
    title: 'Coverage against target',
    chart: { type: 'bar', label: ['coverage'], values: ['coveragePercent', 'target'], percent: true },
    empty: 'No coverage is deployed.',
  },
];

export interface DashboardFilter {
  from?: string;
  to?: string;
  playbook?: string;
  /** The reports' "now" (an instant); absent: now. */
  asOf?: string;
}

export async function dashboardPage(ctx: PageContext, filter: DashboardFilter): Promise<Html> {
  const params = query({ from: filter.from, to: filter.to, playbook: filter.playbook, asOf: filter.asOf });
  const [reports, deployed] = await Promise.all([
    Promise.all(PANELS.map((p) => ctx.api.get<Report>(`/v1/reports/${p.report}${withBy(params, p.by)}`))),
    ctx.api.get<{ playbooks: Array<{ id: string }> }>('/v1/playbooks'),
  ]);
  const { from, to } = reports[0]!;
  const playbooks = [...new Set([...deployed.playbooks.map((p) => p.id), ...(filter.playbook ? [filter.playbook] : [])])].sort();
  const book = ctx.session.principal.role === 'csm' ? 'the accounts of your book' : 'every account';
  return page(
    { title: 'Dashboard', session: ctx.session, section: 'dashboard', charts: true },
    html`<h1>Dashboard</h1>
      <form class="filters" method="get" action="/dashboard">
        <label>From <input type="date" name="from" value="${from.slice(0, 10)}" /></label>
        <label>To (before) <input type="date" name="to" value="${to.slice(0, 10)}" /></label>
        <label
          >Playbook
          <select name="playbook">
            <option value="">All</option>
            ${playbooks.map((p) => html`<option value="${p}" ${p === filter.playbook ? html` selected` : ''}>${p}</option>`)}
          </select></label
        >
        ${filter.asOf === undefined ? '' : html`<input type="hidden" name="asOf" value="${filter.asOf}" />`}
        <button type="submit">Show</button>
      </form>
      <p class="muted">
        ${from.slice(0, 10)} to ${to.slice(0, 10)} (UTC, the end excluded), ${filter.playbook ? `playbook ${filter.playbook}` : 'every playbook'}, ${book}; at
        risk as of ${reports[0]!.asOf.slice(0, 16).replace('T', ' ')}Z. Business time is each run's calendar's (docs/kpis.md).
      </p>
      <div class="panels">${PANELS.map((p, i) => panel(p, reports[i]!))}</div>`,
  );
}

function withBy(params: string, by: ReportBy | undefined): string {
  if (by === undefined) return params;
  return params === '' ? `?by=${by}` : `${params}&by=${by}`;
}

function panel(p: Panel, report: Report): Html {
  const id = `panel-${p.report}`;
  return html`<section class="panel${p.chart === null ? ' panel-wide' : ''}" id="${id}" aria-labelledby="${id}-title" data-report="${p.report}">
    <h2 id="${id}-title">${p.title}</h2>
    ${
      report.rows.length === 0
        ? html`<p class="empty">${p.empty}</p>`
        : html`${
              p.chart === null
                ? ''
                : html`<figure class="chart">
                    <canvas role="img" aria-label="${p.title}: a chart of the table below"></canvas>
                  </figure>`
            }
            <div class="table-wrap" tabindex="0">
              <table class="figures" ${p.chart === null ? '' : html` data-chart="${JSON.stringify(p.chart)}"`}>
                <caption class="visually-hidden">
                  ${p.title}
                </caption>
                <thead>
                  <tr>
                    ${report.columns.map((c) => html`<th scope="col" data-key="${c.key}">${c.header.toLowerCase()}</th>`)}
                  </tr>
                </thead>
                <tbody>
                  ${report.rows.map(
                    (row) =>
                      html`<tr>
                        ${report.columns.map((c) => cell(c.key, formatCell(c, row[c.key] ?? null), row[c.key] ?? null, p.link?.column === c.key ? p.link.href(row) : null))}
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
    }
  </section>`;
}

/** A cell shows the report's text for its value and keeps the value itself in `data-value` (JSON) for the chart and for tests. */
function cell(key: string, text: string, value: Cell, href: string | null): Html {
  const shown = href === null ? text : html`<a href="${href}">${text}</a>`;
  return html`<td data-key="${key}" data-value="${JSON.stringify(value)}">${shown}</td>`;
}
