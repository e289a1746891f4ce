/**
 * A report as text: an aligned table for people (percentages with `%`, business time with
 * its unit, versions shortened to 12 characters, `-` for none), CSV for spreadsheets (the
 * column keys as header, values as the JSON has them) or the JSON the API answers.
 */
import { formatUtc } from '../calendar/format-local.js';
import { csvLine } from '../store/export.js';
import { alignColumns } from '../simulate/format.js';
import type { Cell, Report, ReportColumn } from './types.js';

export const REPORT_FORMATS = ['table', 'json', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function renderReport(report: Report, format: ReportFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'csv':
      return [csvLine(report.columns.map((c) => c.key)), ...report.rows.map((r) => csvLine(report.columns.map((c) => csvCell(r[c.key] ?? null))))].join('');
    case 'table':
      return tableOf(report);
  }
}

function tableOf(report: Report): string {
  const within = report.within === null ? '' : `, within ${report.within.amount} ${report.within.unit}${report.within.amount === 1 ? '' : 's'}`;
  // Coverage is a figure at one instant: its period does not change it.
  const when = report.uncovered === undefined ? `${report.from} to ${report.to}` : `as of ${report.asOf}`;
  const heading = `${report.title}, ${when}, by ${report.by}${within}\n`;
  if (report.rows.length === 0) return `${heading}${report.uncovered === undefined ? 'nothing in the period' : 'no coverage is deployed'}\n`;
  const cells = report.rows.map((r) => report.columns.map((c) => formatCell(c, r[c.key] ?? null)));
  const legend = [...new Set(report.columns.flatMap((c) => (LEGEND[c.type] === undefined ? [] : [LEGEND[c.type]!])))];
  const footer = legend.length === 0 ? '' : `${legend.join(', ')}\n`;
  return `${heading}${alignColumns([report.columns.map((c) => c.header), ...cells]).join('\n')}\n${footer}${uncoveredList(report)}`;
}

/** The coverage report's accounts not covered, under its figures. */
function uncoveredList(report: Report): string {
  if (report.uncovered === undefined) return '';
  if (report.uncovered.length === 0) return 'every account is covered\n';
  const lines = report.uncovered.map((u) => [u.coverage, u.account, u.name ?? '-', u.csm ?? '-']);
  return `\nnot covered:\n${alignColumns([['COVERAGE', 'ACCOUNT', 'NAME', 'CSM'], ...lines]).join('\n')}\n`;
}

const UNITS: Partial<Record<ReportColumn['type'], string>> = { percent: '%', hours: ' bh', days: ' bd', minutes: ' bmin' };
const LEGEND: Partial<Record<ReportColumn['type'], string>> = { hours: 'bh: business hours', days: 'bd: business days', minutes: 'bmin: business minutes' };

/** A value as the table shows it (the console's dashboard too). */
export function formatCell(column: ReportColumn, value: Cell): string {
  if (value === null) return '-';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (column.key === 'version' && typeof value === 'string') return value.slice(0, 12);
  if (column.type === 'instant' && typeof value === 'string') return formatUtc(Date.parse(value));
  return typeof value === 'number' ? `${value}${UNITS[column.type] ?? ''}` : value;
}

function csvCell(value: Cell): string {
  return value === null ? '' : String(value);
}
