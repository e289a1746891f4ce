/**
 * `GET /v1/reports/<kpi>`: the built-in KPIs (docs/kpis.md) from the store, computed by the
 * same `runReport` as `playbook report`; a csm's figures count the accounts of its book only.
 */
import { parseDateOrInstant } from '../../calendar/index.js';
import { KPIS, runReport } from '../../reports/index.js';
import type { ReportBy } from '../../reports/types.js';
import { bookOf } from '../book.js';
import type { ApiDeps } from '../deps.js';
import { requireStore } from '../require-store.js';
import { principalOf } from '../request-context.js';
import { errorResponses } from '../schemas/errors.js';
import { reportQuerySchema, reportSchema } from '../schemas/reports.js';
import type { ApiApp } from '../app.js';

export function registerReportRoutes(app: ApiApp, { client, store }: ApiDeps): void {
  for (const kpi of Object.values(KPIS)) {
    app.get(
      `/v1/reports/${kpi.name}`,
      {
        config: { access: 'reports:read' },
        schema: {
          summary: kpi.title,
          description:
            `Defined in docs/kpis.md. The period is \`[from, to)\`; \`by\` is one of ${kpi.by.join(', ')}. ` +
            'Read from the store; without one configured, 400. A csm counts the accounts of its book of business only. Roles: csm, csops.',
          tags: ['reports'],
          querystring: reportQuerySchema(kpi),
          response: { 200: reportSchema(kpi), ...errorResponses() },
        },
      },
      async (request) => {
        const db = requireStore(store, 'reports are computed from the store');
        const { from, to, asOf, by, within, playbook } = request.query as {
          from?: string;
          to?: string;
          asOf?: string;
          by?: ReportBy;
          within?: number;
          playbook?: string;
        };
        const book = bookOf(client, principalOf(request));
        return runReport(db, kpi.name, {
          ...(from !== undefined && { from: parseDateOrInstant(from)! }),
          ...(to !== undefined && { to: parseDateOrInstant(to)! }),
          ...(asOf !== undefined && { asOf: parseDateOrInstant(asOf)! }),
          ...(by !== undefined && { by }),
          ...(within !== undefined && { within }),
          ...(playbook !== undefined && { playbook }),
          ...(book !== null && { book: await book.scope() }),
        });
      },
    );
  }
}
