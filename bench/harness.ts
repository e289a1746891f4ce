/**
 * The benchmark harness: a suite measures something and returns rows of figures; the runner
 * prints every suite as a plain table with aligned columns.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** One printed line: a label and its figures (already formatted, e.g. `12.3 ms`). */
export interface Row {
  label: string;
  figures: string[];
}

export interface Suite {
  name: string;
  run(): Promise<Row[]>;
}

export interface MeasureOptions {
  warmup: number;
  iterations: number;
}

export const DEFAULT_MEASURE: MeasureOptions = { warmup: 2, iterations: 7 };

/** Median wall time of `fn` in milliseconds, after `warmup` unmeasured runs. */
export function medianMs(fn: () => unknown, { warmup, iterations }: MeasureOptions = DEFAULT_MEASURE): number {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function ms(value: number): string {
  return `${value.toFixed(value < 10 ? 2 : 1)} ms`;
}

export function perSecond(count: number, milliseconds: number, unit: string): string {
  return `${Math.round((count / milliseconds) * 1000).toLocaleString('en-US')} ${unit}/s`;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** When all `total` got somewhere: `all after 12.3 s`, or how many had when the wait gave up. */
export function allAfter(done: number, total: number, ms: number): string {
  return done >= total ? `all after ${seconds(ms)}` : `only ${done.toLocaleString('en-US')} after ${seconds(ms)}`;
}

/** The suite's rows as text: labels left-aligned, figures right-aligned per column. */
export function formatTable(name: string, rows: Row[]): string {
  const labelWidth = Math.max(0, ...rows.map((r) => r.label.length));
  const columns = Math.max(0, ...rows.map((r) => r.figures.length));
  const widths = Array.from({ length: columns }, (_, c) => Math.max(0, ...rows.map((r) => r.figures[c]?.length ?? 0)));
  const lines = rows.map((r) => [r.label.padEnd(labelWidth), ...r.figures.map((f, c) => f.padStart(widths[c]!))].join('   ').trimEnd());
  return `${name}\n${lines.map((l) => `  ${l}`).join('\n')}\n`;
}

/** Linux's USER_HZ: /proc counts CPU time in these ticks. */
const CLOCK_TICKS = 100;

/**
 * CPU seconds (user and system) so far of this process's child processes named `temporal`
 * (the dev server the benchmark started), read from /proc.
 */
export function serverCpuSeconds(): number {
  const children = readdirSync('/proc/self/task').flatMap((task) => readFileSync(`/proc/self/task/${task}/children`, 'utf8').split(' ').filter(Boolean));
  let ticks = 0;
  for (const pid of children) {
    // Fields 14 and 15 of /proc/<pid>/stat, counted after the parenthesised command name.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (!stat.includes('(temporal)')) continue;
    const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks / CLOCK_TICKS;
}

/** CPU seconds (user and system) so far of this process. */
export function ownCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}
