/**
 * Playbooks (csops): what is deployed, which version, who deployed it when, how many firings
 * its enrollment throttle keeps queued, whether it is disabled (with disable / enable behind a confirmation), its source highlighted (as kept in
 * the store at deploy, of the current version or one of its deployments), the diagram, and its
 * runs by version and stage.
 */
import type * as z from 'zod';
import type { deployedSummarySchema } from '../../api/schemas/playbooks.js';
import { playbookToMermaid } from '../../graph/mermaid.js';
import { playbookSource } from '../../store/playbook-sources.js';
import { runCounts } from '../../store/reads.js';
import { getRelease } from '../../temporal/registry-client.js';
import { query } from '../api-client.js';
import { PageRefusal, requireCsops, type PageContext } from '../context.js';
import { html, pathOf, type Html } from '../html.js';
import { highlightPlaybook } from '../highlight.js';
import { csrfField, page } from '../layout.js';
import { diagramBlock, shortVersion } from './runs.js';

type Deployed = z.infer<typeof deployedSummarySchema>;

export async function playbooksPage(ctx: PageContext, flash?: string): Promise<Html> {
  requireCsops(ctx, 'The playbooks page');
  const deployed = await ctx.api.get<Deployed>('/v1/playbooks');
  return page(
    { title: 'Playbooks', session: ctx.session, section: 'playbooks' },
    html`<h1>Deployed playbooks</h1>
      ${flash === undefined ? '' : html`<p class="notice" role="status">${flash}</p>`}
      ${deployed.deployedAt === null ? html`<p class="empty">Nothing is deployed yet: <code>playbook deploy</code> deploys a workspace.</p>` : html`<p class="muted">Last deployment ${deployed.deployedAt} (generation ${deployed.generation}).</p>`}
      ${
        deployed.playbooks.length === 0
          ? ''
          : html`<div class="table-wrap" tabindex="0">
              <table>
                <caption class="visually-hidden">
                  Deployed playbooks
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Playbook</th>
                    <th scope="col">Version</th>
                    <th scope="col">Deployed</th>
                    <th scope="col">By</th>
                    <th scope="col">Triggers</th>
                    <th scope="col">Throttle</th>
                    <th scope="col">Starts</th>
                  </tr>
                </thead>
                <tbody>
                  ${deployed.playbooks.map(
                    (p) =>
                      html`<tr>
                        <td><a href="${pathOf('/playbooks', p.id)}">${p.id}</a>${p.title === null ? '' : html`<br /><span class="muted">${p.title}</span>`}</td>
                        <td><code>${shortVersion(p.version)}</code></td>
                        <td>${p.deployedAt}</td>
                        <td>${p.deployedBy}</td>
                        <td>${p.triggerText.join('; ')}</td>
                        <td>${throttleCell(p)}</td>
                        <td>${switchCell(ctx, p)}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
      }`,
  );
}

export const SWITCHES = ['disable', 'enable'] as const;
export type Switch = (typeof SWITCHES)[number];

/** `start at most N per day` and how many firings wait in its queue for later days; empty without the line. */
export function throttleCell(p: Deployed['playbooks'][number]): Html | '' {
  if (p.throttle === undefined) return '';
  const { perDay, queued } = p.throttle;
  return html`${perDay} per day<br /><span class="${queued === 0 ? 'muted' : 'status status-queued'}">${queued} queued</span>`;
}

/** Enabled, or a disabled badge naming who switched it off when; and the form that switches it. */
function switchCell(ctx: PageContext, p: Deployed['playbooks'][number]): Html {
  const action: Switch = p.enabled ? 'disable' : 'enable';
  return html`${p.enabled ? html`<span class="muted">enabled</span>` : html`<span class="status status-disabled">disabled</span><br /><span class="muted">by ${p.switchedBy ?? '-'} at ${p.switchedAt ?? '-'}</span>`}
    <form method="post" action="${pathOf('/playbooks', p.id)}/${action}">
      ${csrfField(ctx.session)}
      <button type="submit" ${action === 'disable' ? html` class="danger"` : ''}>${action === 'disable' ? 'Disable' : 'Enable'}</button>
    </form>`;
}

/** The confirmation a switch asks for before it acts; disabling offers to pause the open runs too. */
export function switchConfirmPage(ctx: PageContext, id: string, action: Switch): Html {
  const form = (extra: Html | '', label: string, kind: string) =>
    html`<form method="post" action="${pathOf('/playbooks', id)}/${action}" class="controls">
      ${csrfField(ctx.session)}
      <input type="hidden" name="confirm" value="yes" />
      ${extra}
      <button type="submit" class="${kind}">${label}</button>
    </form>`;
  return page(
    { title: `${action === 'disable' ? 'Disable' : 'Enable'} ${id}?`, session: ctx.session, section: 'playbooks' },
    action === 'disable'
      ? html`<h1>Disable ${id}?</h1>
          <p>
            No trigger and no manual start starts a run of it until it is enabled again; each refused firing is in the account's trigger log. Its open runs go
            on, unless you pause them too.
          </p>
          ${form('', 'Yes, disable', 'danger')}
          ${form(html`<input type="hidden" name="pauseRuns" value="yes" />`, 'Yes, disable and pause its open runs', 'danger')}
          <p><a href="/playbooks">No, go back</a></p>`
      : html`<h1>Enable ${id}?</h1>
          <p>
            Its triggers and manual starts start runs again, from the next firing on; firings while it was disabled are not made up. The runs its disable paused
            are resumed.
          </p>
          ${form('', 'Yes, enable', 'primary')}
          <p><a href="/playbooks">No, go back</a></p>`,
  );
}

/** A playbook's page; `version` (one of its deployments) chooses whose source it shows, else the current one's. */
export async function playbookPage(ctx: PageContext, id: string, version?: string): Promise<Html> {
  requireCsops(ctx, 'The playbooks page');
  const deployed = await ctx.api.get<Deployed>('/v1/playbooks');
  const playbook = deployed.playbooks.find((p) => p.id === id);
  if (playbook === undefined) throw new PageRefusal(404, 'No such playbook', `No playbook ${id} is deployed.`);
  const shown = version ?? playbook.version;
  if (shown !== playbook.version && !playbook.history.some((h) => h.version === shown)) {
    throw new PageRefusal(404, 'No such version', `Playbook ${id} was never deployed as version ${shown}.`);
  }
  const [release, counts, source] = await Promise.all([
    getRelease(ctx.client, id),
    ctx.store === null ? null : runCounts(ctx.store, id),
    sourceBlock(ctx, id, shown, shown === playbook.version),
  ]);
  return page(
    { title: id, session: ctx.session, section: 'playbooks', diagrams: release !== null },
    html`<p class="crumbs"><a href="/playbooks">Playbooks</a></p>
      <h1>${id}${playbook.title === null ? '' : html` <span class="muted">${playbook.title}</span>`}</h1>
      <dl class="facts">
        <dt>Version</dt>
        <dd><code>${playbook.version}</code></dd>
        <dt>Deployed</dt>
        <dd>${playbook.deployedAt} by ${playbook.deployedBy}</dd>
        <dt>Triggers</dt>
        <dd>${playbook.triggerText.length === 0 ? 'none' : playbook.triggerText.join('; ')}</dd>
      </dl>
      <section aria-labelledby="runs-by">
        <h2 id="runs-by">Runs by version and stage</h2>
        ${
          counts === null
            ? html`<p class="muted">Run counts are read from the store, and none is configured.</p>`
            : counts.length === 0
              ? html`<p class="empty">No runs yet.</p>`
              : html`<div class="table-wrap" tabindex="0">
                  <table>
                    <caption class="visually-hidden">
                      Runs of ${id} by version, stage and status
                    </caption>
                    <thead>
                      <tr>
                        <th scope="col">Version</th>
                        <th scope="col">Stage</th>
                        <th scope="col">Status</th>
                        <th scope="col">Runs</th>
                      </tr>
                    </thead>
                    <tbody>
                      ${counts.map(
                        (c) =>
                          html`<tr>
                            <td><code>${shortVersion(c.version)}</code></td>
                            <td>${c.stage ?? ''}</td>
                            <td>${c.status}</td>
                            <td>
                              <a href="/runs${query({ playbook: id, version: c.version, status: c.status, ...(c.stage !== null && { stage: c.stage }) })}"
                                >${c.runs}</a
                              >
                            </td>
                          </tr>`,
                      )}
                    </tbody>
                  </table>
                </div>`
        }
      </section>
      ${source}
      <section aria-labelledby="history">
        <h2 id="history">Deployments</h2>
        <ul>
          ${[{ version: playbook.version, deployedAt: playbook.deployedAt, deployedBy: playbook.deployedBy }, ...playbook.history].map(
            (h, i) =>
              html`<li>
                <a
                  href="${pathOf('/playbooks', id)}${i === 0 ? '' : query({ version: h.version })}#source"
                  ${h.version === shown ? html` aria-current="true"` : ''}
                  ><code>${shortVersion(h.version)}</code></a
                >
                ${h.deployedAt} by ${h.deployedBy}${i === 0 ? ' (current)' : ''}
              </li>`,
          )}
        </ul>
      </section>
      ${
        release === null
          ? ''
          : html`<section aria-labelledby="diagram">
              <h2 id="diagram">Diagram</h2>
              ${diagramBlock(playbookToMermaid(release.program, id), `Flowchart of playbook ${id}`)}
            </section>`
      }`,
  );
}

/** The kept source of one version, highlighted; a version deployed before sources were kept says so. */
async function sourceBlock(ctx: PageContext, id: string, version: string, current: boolean): Promise<Html> {
  const kept = ctx.store === null ? undefined : await playbookSource(ctx.store, id, version);
  const heading = html`<h2 id="source">
    Source <span class="muted">of ${current ? 'the current version' : 'version'} <code>${shortVersion(version)}</code></span>
  </h2>`;
  const body =
    kept === undefined
      ? html`<p class="muted">Sources are kept in the store, and none is configured.</p>`
      : kept === null
        ? html`<p class="empty">Source not kept for this version: it was deployed before deploys kept the source text.</p>`
        : html`<p class="muted">${kept.file}, from line ${kept.line}; deployed ${kept.deployedAt} by ${kept.deployedBy}.</p>
            <div class="source-wrap" tabindex="0" role="region" aria-label="Source of ${id}">${await highlightPlaybook(kept.text, kept.line)}</div>`;
  return html`<section aria-labelledby="source">${heading} ${body}</section>`;
}
