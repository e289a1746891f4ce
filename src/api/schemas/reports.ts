/** `GET /v1/reports/<kpi>`: each KPI's query and answer, built from its columns (src/reports/), so the schema cannot drift from the figures. */
import * as z from 'zod';
import { parseDateOrInstant } from '../../calendar/index.js';
import { GROUP_COLUMNS } from '../../reports/groups.js';
import { REPORT_DIMENSIONS, type Kpi, type ReportColumn } from '../../reports/types.js';

const boundSchema = (what: string) =>
  z
    .string()
    .max(64)
    .refine((text) => parseDateOrInstant(text) !== null, { error: 'expected an ISO-8601 date (YYYY-MM-DD, UTC) or an instant with Z or ±hh:mm' })
    .describe(what);

export function reportQuerySchema(kpi: Kpi) {
  return z.object({
    from: boundSchema('The period starts at this date or instant (default: 90 days before `to`)').optional(),
    to: boundSchema('The period ends before this date or instant (default: `asOf`)').optional(),
    asOf: boundSchema('The report as it stood at this instant: tasks open past their due then are late (default: now)').optional(),
    by: z
      .enum(kpi.by as [string, ...string[]])
      .optional()
      .describe(`Group by (default ${kpi.by[0]})`),
    playbook: z.string().min(1).max(200).optional().describe('Only the runs of this playbook (default: every playbook)'),
    ...(kpi.within !== undefined && {
      within: z.coerce.number().min(0).max(10_000).optional().describe(`In ${kpi.within.unit}s of the run's calendar (default ${kpi.within.default})`),
    }),
  });
}

function cellSchema(column: ReportColumn): z.ZodType {
  switch (column.type) {
    case 'text':
      return z.string().nullable().describe(column.description);
    case 'instant':
      return z.iso.datetime().nullable().describe(column.description);
    case 'count':
      return z.number().int().describe(column.description);
    case 'flag':
      return z.boolean().nullable().describe(column.description);
    default:
      return z.number().nullable().describe(column.description);
  }
}

const columnSchema = z.object({ key: z.string(), header: z.string(), type: z.string(), description: z.string() });

export function reportSchema(kpi: Kpi) {
  const id = kpi.name.replace(/(^|-)(\w)/g, (_, _dash: string, c: string) => c.toUpperCase());
  const groups = Object.fromEntries(REPORT_DIMENSIONS.map((d) => [d, cellSchema(GROUP_COLUMNS[d]).optional()]));
  const own = Object.fromEntries(kpi.columns.map((c) => [c.key, cellSchema(c)]));
  return z
    .object({
      kpi: z.literal(kpi.name),
      title: z.string(),
      from: z.string(),
      to: z.string(),
      asOf: z.string().describe('The report\'s "now": a task still open past its due then is late'),
      by: z.enum(REPORT_DIMENSIONS),
      within: z.object({ amount: z.number(), unit: z.enum(['business day', 'business hour']) }).nullable(),
      columns: z.array(columnSchema).describe('Every column of `rows`, in order'),
      rows: z.array(z.object({ ...groups, ...own })),
      ...(kpi.listsUncovered === true && {
        uncovered: z
          .array(
            z.object({
              coverage: z.string().describe('The coverage’s id'),
              account: z.string().describe('The account’s id'),
              name: z.string().nullable().describe('Its `name` field as of `asOf`'),
              csm: z.string().nullable().describe('Its `csm` field as of `asOf`'),
            }),
          )
          .describe('Every account of a population that no run covers, by coverage then account id'),
      }),
    })
    .meta({ id: `${id}Report` });
}
