/**
 * The simulator's speed: one year of every reference playbook for many accounts, each with
 * its own start instant, time zone, field values and inputs (events and task completions at
 * plausible business-day offsets, answers that fit the asks), drawn from a seeded random
 * source so every run of the benchmark simulates the same work. Each account runs the whole
 * per-account path of `playbook simulate`: input checks, calendar resolution, simulation.
 */
import { readdir, readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateAccount } from '../src/accounts/validate.js';
import { compileFile } from '../src/compile/compile.js';
import type { AccountData, AskIr, FieldTypeIr, IrProgram } from '../src/ir/types.js';
import { allSteps, taskSteps } from '../src/runtime/ir-walk.js';
import { simulateChecked } from '../src/simulate/cli-run.js';
import type { SourcedInput } from '../src/simulate/inputs.js';
import { loadWorkspace } from '../src/workspace/load.js';
import { mulberry32 } from '../test/support/prng.js';
import { perSecond, type Row, type Suite } from './harness.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REFERENCE_DIR = path.join(ROOT, 'playbooks');
const ACCOUNTS_PER_PLAYBOOK = 10_000;
const SEED = 20260105;
const ONE_YEAR = { offset: { amount: 365, unit: 'day' as const } };
const ZONES = ['America/New_York', 'America/Chicago', 'America/Los_Angeles', 'Europe/London', 'Europe/Berlin', 'Asia/Tokyo', 'Australia/Sydney'];
const TOUCHPOINT_KINDS = new Set(['email', 'notify', 'task', 'escalate', 'webhook']);

export const simulation: Suite = {
  name: `simulator (one year per account, ${ACCOUNTS_PER_PLAYBOOK.toLocaleString('en-US')} accounts per reference playbook)`,
  async run() {
    const rows: Row[] = [];
    let totalRuns = 0;
    let totalTouchpoints = 0;
    let totalMs = 0;
    for (const { id, program, base } of await referencePrograms()) {
      const random = mulberry32(SEED);
      const started = performance.now();
      let touchpoints = 0;
      for (let i = 0; i < ACCOUNTS_PER_PLAYBOOK; i++) {
        const start = randomStart(random);
        const { result } = await simulateChecked({
          program,
          account: randomAccount(program, base, i, start, random),
          start,
          inputs: randomInputs(program, random),
          until: ONE_YEAR,
        });
        for (const entry of result.timeline) if (TOUCHPOINT_KINDS.has(entry.kind)) touchpoints++;
      }
      const elapsed = performance.now() - started;
      rows.push(row(id, ACCOUNTS_PER_PLAYBOOK, touchpoints, elapsed));
      totalRuns += ACCOUNTS_PER_PLAYBOOK;
      totalTouchpoints += touchpoints;
      totalMs += elapsed;
    }
    rows.push(row('total', totalRuns, totalTouchpoints, totalMs));
    return rows;
  },
};

/** Runs/s, touchpoints (email, notify, task, escalate, webhook)/s and µs per account-year. */
function row(label: string, runs: number, touchpoints: number, ms: number): Row {
  return {
    label,
    figures: [
      perSecond(runs, ms, 'runs'),
      perSecond(touchpoints, ms, 'touchpoints'),
      `${Math.round((ms * 1000) / runs).toLocaleString('en-US')} µs/account-year`,
    ],
  };
}

interface Reference {
  id: string;
  program: IrProgram;
  /** A reference account (playbooks/accounts) the random accounts vary. */
  base: AccountData;
}

async function referencePrograms(): Promise<Reference[]> {
  const workspace = await loadWorkspace(REFERENCE_DIR);
  const accountDir = path.join(REFERENCE_DIR, 'accounts');
  const accountJson = await Promise.all(
    (await readdir(accountDir)).filter((f) => f.endsWith('.json')).map(async (f) => JSON.parse(await readFile(path.join(accountDir, f), 'utf8')) as unknown),
  );
  const references: Reference[] = [];
  for (const file of workspace.files) {
    for (const d of file.ast.declarations) {
      if (d.kind !== 'playbook') continue;
      const { program } = await compileFile(file.path, { playbook: d.id.name, workspace: REFERENCE_DIR });
      const valid = accountJson.map((a) => validateAccount(program.fields, a)).find((r) => r.ok);
      if (!valid?.ok) throw new Error(`no reference account in ${accountDir} fits the fields of ${d.id.name}`);
      references.push({ id: d.id.name, program, base: valid.value });
    }
  }
  return references;
}

/** A working-hours-ish instant somewhere in 2026. */
function randomStart(random: () => number): number {
  const day = Math.floor(random() * 365);
  const minute = 12 * 60 + Math.floor(random() * 10 * 60);
  return Date.UTC(2026, 0, 1) + day * 86_400_000 + minute * 60_000;
}

/** The base account with a new id, zone, numbers and dates (within a year of the start). */
function randomAccount(program: IrProgram, base: AccountData, index: number, start: number, random: () => number): AccountData {
  const account: AccountData = { ...base, id: `bench-${index}` };
  for (const [field, type] of Object.entries(program.fields)) {
    const value = randomValue(type, start, random);
    if (value !== undefined) account[field] = value;
  }
  return account;
}

function randomValue(type: FieldTypeIr, start: number, random: () => number): string | number | undefined {
  switch (type.type) {
    case 'number':
      return Math.round(random() * 100);
    case 'date':
      return new Date(start + Math.round((random() * 2 - 1) * 365) * 86_400_000).toISOString().slice(0, 10);
    case 'timezone':
      return pick(ZONES, random);
    case 'one of':
      // Mostly the base value's world: keep status-like fields active so exits stay rare.
      return random() < 0.8 ? undefined : pick(type.values, random);
    default:
      return undefined;
  }
}

/** For each event waited for and each named task: usually an input, 1–15 business days in. */
function randomInputs(program: IrProgram, random: () => number): SourcedInput[] {
  const inputs: SourcedInput[] = [];
  const at = () => ({ offset: { amount: 1 + Math.floor(random() * 15), unit: 'business day' as const } });
  for (const playbook of Object.values(program.playbooks)) {
    for (const step of allSteps(playbook.body)) {
      if (step.kind === 'waitFor' && step.target.kind === 'event' && random() < 0.7) {
        inputs.push({ input: { at: at(), kind: 'event', name: step.target.name, payload: {} }, source: 'bench' });
      }
    }
  }
  for (const [task, step] of taskSteps(program)) {
    if (task !== step.id && random() < 0.7) {
      inputs.push({ input: { at: at(), kind: 'complete', task, answers: randomAnswers(step.asks, random) }, source: 'bench' });
    }
  }
  return inputs;
}

function randomAnswers(asks: AskIr[], random: () => number): Record<string, unknown> {
  return Object.fromEntries(
    asks.map((ask) => {
      switch (ask.type.type) {
        case 'yes/no':
          return [ask.name, random() < 0.5];
        case 'number':
          return [ask.name, Math.floor(random() * 10)];
        case 'text':
          return [ask.name, 'benchmark answer'];
        case 'date':
          return [ask.name, '2026-06-30'];
        case 'one of':
          return [ask.name, pick(ask.type.values, random)];
      }
    }),
  );
}

function pick<T>(values: readonly T[], random: () => number): T {
  return values[Math.floor(random() * values.length)]!;
}
