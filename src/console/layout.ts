/** The page shell every console page shares: head with the bundled stylesheet, navigation for the signed-in role, sign-out. */
import { html, type Html, type Renderable } from './html.js';
import type { Session } from './sessions.js';

export interface PageOptions {
  title: string;
  /** Null on the sign-in page and on errors before signing in. */
  session: Session | null;
  /** Which navigation entry is current. */
  section?: 'tasks' | 'runs' | 'accounts' | 'playbooks' | 'dashboard';
  /** Load the diagram script (Mermaid) on this page. */
  diagrams?: boolean;
  /** Load the chart script (Chart.js) on this page. */
  charts?: boolean;
}

export function page({ title, session, section, diagrams = false, charts = false }: PageOptions, body: Renderable): Html {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · Playbooks</title>
        <link rel="stylesheet" href="/assets/console.css" />
        ${
          diagrams
            ? html`<script src="/assets/mermaid.min.js" defer></script>
                <script src="/assets/diagram.js" defer></script>`
            : ''
        }
        ${
          charts
            ? html`<script src="/assets/chart.umd.min.js" defer></script>
                <script src="/assets/charts.js" defer></script>`
            : ''
        }
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header class="top">
          <a class="brand" href="/">Playbooks</a>
          ${session === null ? '' : navigation(session, section)}
        </header>
        <main id="main" tabindex="-1">${body}</main>
      </body>
    </html> `;
}

function navigation(session: Session, section: PageOptions['section']): Html {
  const { principal } = session;
  const entries: Array<[NonNullable<PageOptions['section']>, string, string]> = [
    ['tasks', '/tasks', 'My tasks'],
    ['runs', '/runs', 'Runs'],
    ['accounts', '/accounts', 'Accounts'],
    ['dashboard', '/dashboard', 'Dashboard'],
    ...(principal.role === 'csops' ? [['playbooks', '/playbooks', 'Playbooks'] as [NonNullable<PageOptions['section']>, string, string]] : []),
  ];
  return html`<nav aria-label="Main">
      <ul>
        ${entries.map(([key, href, label]) => html`<li><a href="${href}" ${key === section ? html` aria-current="page"` : ''}>${label}</a></li>`)}
      </ul>
    </nav>
    <form class="signout" method="post" action="/sign-out">
      ${csrfField(session)}
      <span class="who">${principal.user ?? principal.name} · ${principal.role}</span>
      <button type="submit">Sign out</button>
    </form>`;
}

/** The hidden field every form of a signed-in page carries; POSTs without it are refused. */
export function csrfField(session: Session): Html {
  return html`<input type="hidden" name="_csrf" value="${session.csrf}" />`;
}

export function errorPage(status: number, heading: string, message: string, session: Session | null): Html {
  return page(
    { title: heading, session },
    html`<h1>${heading}</h1>
      <p class="problem" role="alert">${message}</p>
      <p class="muted">HTTP ${status}</p>
      <p><a href="/">Back to the start page</a></p>`,
  );
}
