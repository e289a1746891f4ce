/**
 * A report as text: an aligned table for people (percentages with `%`, business time with
 * its unit, versions shortened to 12 characters, `-` for none), CSV for spreadsheets (the
 * column keys as header, values as the JSON has them) or the JSON the API answers.
 */
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
  const heading = `${report.title}, ${report.from} to ${report.to}, by ${report.by}${within}\n`;
  if (report.rows.length === 0) return `${heading}nothing in the period\n`;
  const cells = report.rows.map((r) => report.columns.map((c) => formatCell(c, r[c.key] ?? null)));
  const legend = [...new Set(report.columns.flatMap((c) => (LEGEND[c.type] === undefined ? [] : [LEGEND[c.type]!])))];
  const footer = legend.length === 0 ? '' : `${legend.join(', ')}\n`;
  return `${heading}${alignColumns([report.columns.map((c) => c.header), ...cells]).join('\n')}\n${footer}`;
}

const UNITS: Partial<Record<ReportColumn['type'], string>> = { percent: '%', hours: ' bh', days: ' bd', minutes: ' bmin' };
const LEGEND: Partial<Record<ReportColumn['type'], string>> = { hours: 'bh: business hours', days: 'bd: business days', minutes: 'bmin: business minutes' };

/** A value as the table shows it (the console's dashboard too). */
export function formatCell(column: ReportColumn, value: Cell): string {
  if (value === null) return '-';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (column.key === 'version' && typeof value === 'string') return value.slice(0, 12);
  return typeof value === 'number' ? `${value}${UNITS[column.type] ?? ''}` : value;
}

function csvCell(value: Cell): string {
  return value === null ? '' : String(value);
}
