/**
 * Robustness of parse + check + render: thousands of seeded random edits of the reference
 * playbooks must never throw, and every diagnostic must point inside a known file.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkWorkspace } from '../../src/check/check.js';
import { bufferIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { renderJson, renderText } from '../../src/diagnostics/render.js';
import type { Span } from '../../src/language/span.js';
import { buildWorkspace } from '../../src/workspace/build.js';
import type { SourceText } from '../../src/workspace/types.js';
import { mulberry32 } from '../support/prng.js';

const PLAYBOOKS = 'playbooks';
const FIXTURE = 'test/fixtures/all-constructs.playbook';
/** Rounds of 2–8 edits each: a few thousand edits in a few seconds. */
const ITERATIONS = 400;

const readDir = (dir: string, ext: string): SourceText[] =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith(ext) && !f.startsWith('.'))
        .sort()
        .map((f) => ({ path: path.join(dir, f), relPath: f, text: readFileSync(path.join(dir, f), 'utf8') }))
    : [];

const references = [
  ...readDir(PLAYBOOKS, '.playbook'),
  ...(existsSync(FIXTURE) ? [{ path: FIXTURE, relPath: 'all-constructs.playbook', text: readFileSync(FIXTURE, 'utf8') }] : []),
];
const fields = references.find((r) => r.relPath === 'fields.playbook');
const templates = readDir(path.join(PLAYBOOKS, 'templates'), '.md').map((t) => ({ ...t, relPath: `templates/${t.relPath}` }));

const INSERTS = [
  '\t',
  '\0',
  ' ',
  '  ',
  '\n',
  ':',
  '"',
  '{',
  '}',
  '.',
  ',',
  '#',
  '\\',
  '😀',
  'é',
  '\u2028',
  '\r',
  '-',
  '9',
  'a',
  'if ',
  'as ',
  'events\n  ',
  ' unless running ',
  ' at most once per ',
  'trigger every quarter on first business day\n  ',
  ' every 2 weeks on monday',
  ' every month on day 31',
  ' on day ',
  ' first business day',
  'one run per account and ',
  '\n  one run per account and x.id\n  ',
  'start at most 50 per day\n  ',
  ' per day',
  ': score number, ',
  ' one of ',
  ' + ',
  ' - ',
  ' * ',
  ' / ',
  ' / 0',
  'contact policy\n  at most 2 emails per contact per 5 business days\n  when capped defer\n',
  'contact policy\n  ',
  ' at most 0 emails per contact per day',
  ' when capped skip',
  ' per 12 hours',
  ' ignoring contact policy',
  ' ignoring ',
  '%',
  '90%',
  ' is empty',
  ' is not empty',
  ' + 1 month',
  ' - 3 business days',
  ' quarters',
  ' years',
  '+',
  '*',
  '/',
  '[',
  ']',
  '(',
  ')',
  ' cc ',
  ' bcc ',
  ' from ',
  ' cc account.csm, "a@b.co"',
  ' bcc role "x"',
  ' from account.csm',
  ' from "Acme <a@b.co>"',
  ' from "<>"',
  ', account.primary_contact',
  ': list of contact',
  ' list of ',
  ' date',
  ' optional',
  ' default ',
  ' default 10',
  ' default "x"',
  ' optional default 2026-06-30',
  ' default account.x',
  'wait for any of up to 3 days:\n    event "kickoff.held"\n    task training\n  ',
  'wait for any of:\n    ',
  ' any of',
  '\n      task training',
  '\n      event "x" as y',
  '\n      account.health > 3',
  '\n  parameters owner user, days number',
  'parameters ',
  ' with owner: account.csm',
  ' with days: params.days, owner: "x"',
  ', due: today + 3 days',
  'params.',
  'params.owner',
  ' for params.owner',
  '\n  goal kickoff "Kickoff soon" target 90%:\n    event "kickoff.held" within 10 business days\n',
  '\n  goal training target 85%:\n    task training done within 5 days of event "kickoff.held"\n',
  '\n  goal x "x" target 120%:\n    account.health > 3 within 3 days of task training created\n',
  'goal ',
  ' target 0%',
  ' within 3 days',
  ' within 2 business hours of stage kickoff',
  ' of start',
  ' of task training done',
  '\n    stage kickoff within 1 week',
  ' done',
  ' created',
  'wait for event "kickoff.held" as kickoff where kickoff.attendees > 2 up to 5 days:\n    ',
  ' where ',
  ' as x where x.id is account.name',
  ' where kickoff.attendees > 2',
  ' where x.',
  '\n      event "x" as y where y.z is "a"',
  '\n      event "kickoff.held" where account.health > 3',
  '\ncoverage renewals "Renewals" target 95%:\n  accounts where days until account.renewal_date <= 90 and account.status is active\n  have run renewal-readiness\n',
  '\ncoverage twice target 150%:\n  have run nowhere\n  have run p\n',
  'coverage ',
  '\n  accounts where ',
  '\n  have run ',
  ' have run x',
];

function mutate(text: string, random: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const at = (s: string) => Math.floor(random() * (s.length + 1));
  let out = text;
  const edits = 2 + Math.floor(random() * 7);
  for (let e = 0; e < edits; e++) {
    const lines = out.split('\n');
    const line = Math.floor(random() * lines.length);
    switch (Math.floor(random() * 10)) {
      case 0: {
        const i = at(out);
        out = out.slice(0, i) + out.slice(i + 1 + Math.floor(random() * 3));
        break;
      }
      case 1: {
        const i = at(out);
        out = out.slice(0, i) + pick(INSERTS) + out.slice(i);
        break;
      }
      case 2: {
        const i = at(out);
        out = out.slice(0, i) + out.slice(i, i + 1).repeat(2) + out.slice(i + 1);
        break;
      }
      case 3:
        lines.splice(line, 1);
        out = lines.join('\n');
        break;
      case 4:
        lines.splice(line, 0, lines[line] ?? '');
        out = lines.join('\n');
        break;
      case 5: {
        const words = (lines[line] ?? '').split(' ');
        const [i, j] = [Math.floor(random() * words.length), Math.floor(random() * words.length)];
        [words[i], words[j]] = [words[j]!, words[i]!];
        lines[line] = words.join(' ');
        out = lines.join('\n');
        break;
      }
      case 6:
        lines[line] = `\t${lines[line] ?? ''}`;
        out = lines.join('\n');
        break;
      case 7:
        lines[line] = random() < 0.5 ? `  ${lines[line] ?? ''}` : (lines[line] ?? '').replace(/^ {1,2}/, '');
        out = lines.join('\n');
        break;
      case 8: {
        const other = Math.floor(random() * lines.length);
        [lines[line], lines[other]] = [lines[other]!, lines[line]!];
        out = lines.join('\n');
        break;
      }
      default:
        if (random() < 0.1) {
          lines[line] = `${lines[line] ?? ''} ${'x'.repeat(5000 + Math.floor(random() * 5000))}`;
          out = lines.join('\n');
        }
        break;
    }
  }
  return out;
}

/** Asserts `span` lies inside a known file: lines and columns within it, start <= end. */
function expectValidSpan(span: Span, sources: ReadonlyMap<string, string>, context: string): void {
  const text = sources.get(span.file);
  expect(text, `${context}: unknown file ${span.file}`).toBeDefined();
  const lines = text!.split(/\r\n|\r|\n/);
  for (const pos of [span.start, span.end]) {
    const line = lines[pos.line - 1];
    expect(line, `${context}: line ${pos.line} outside ${span.file} (${lines.length} lines)`).toBeDefined();
    expect(pos.col >= 1 && pos.col <= line!.length + 1, `${context}: col ${pos.col} outside line ${pos.line} (${line!.length} chars)`).toBe(true);
  }
  const ordered = span.start.line < span.end.line || (span.start.line === span.end.line && span.start.col <= span.end.col);
  expect(ordered, `${context}: span ends before it starts ${JSON.stringify(span)}`).toBe(true);
}

function checkSources(playbooks: SourceText[], templateSources: SourceText[] = []): Diagnostic[] {
  const ws = buildWorkspace(PLAYBOOKS, playbooks, templateSources);
  const { diagnostics } = checkWorkspace(ws);
  for (const d of diagnostics) {
    const context = `${d.code} ${d.message}`;
    expectValidSpan(d.span, ws.sources, context);
    for (const r of d.related ?? []) expectValidSpan(r.span, ws.sources, `${context} (related)`);
  }
  renderText(diagnostics, ws.sources, { color: false });
  renderJson(diagnostics);
  return diagnostics;
}

const one = (text: string, rel = 'fuzz.playbook'): SourceText => ({ path: path.join(PLAYBOOKS, rel), relPath: rel, text });

describe('check fuzzing', () => {
  it('has reference inputs to mutate', () => {
    expect(references.length).toBeGreaterThan(0);
  });

  it(`survives ${ITERATIONS} rounds of random edits of the reference playbooks and templates`, () => {
    const random = mulberry32(20260630);
    for (let i = 0; i < ITERATIONS; i++) {
      const base = references[i % references.length]!;
      const mutated = mutate(base.text, random);
      const companions = fields && fields !== base ? [fields] : [];
      // Every fifth round also mutates one template (parsing all of them every round would dominate the run time).
      const template = i % 5 === 0 ? templates[i % templates.length] : undefined;
      const mutatedTemplates = template ? [{ ...template, text: mutate(template.text, random) }] : [];
      // Every tenth round, a mutated localised variant of it beside it (`<name>.pt-BR.md`).
      if (template && i % 10 === 0) {
        const variant = (p: string) => p.replace(/\.md$/, '.pt-BR.md');
        mutatedTemplates.push({ ...template, path: variant(template.path), relPath: variant(template.relPath), text: mutate(template.text, random) });
      }
      try {
        checkSources([{ ...base, text: mutated }, ...companions], mutatedTemplates);
      } catch (e) {
        const file = path.join(mkdtempSync(path.join(tmpdir(), 'pb-fuzz-')), base.relPath);
        writeFileSync(file, mutated);
        throw new Error(`iteration ${i} (from ${base.path}, saved to ${file}): ${(e as Error).message}`, { cause: e });
      }
    }
  });

  it('survives explicit hostile inputs', () => {
    const binary = String.fromCharCode(...Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
    const deep = Array.from({ length: 300 }, (_, i) => `${'  '.repeat(i + 1)}if account.vip:`).join('\n');
    const inputs = [
      '',
      '\n\n\n',
      binary,
      '\t\t\t\n\tplaybook p\n\t\tnote "x"\n',
      'playbook p\n  note "unterminated\n  notify account.csm "also\n',
      'playbook p\n  note "{account.name"\n  note "{}"\n  note "{{{"\n',
      `playbook p\n${deep}\n${'  '.repeat(301)}note "deep"\n`,
      `playbook p\n  note "${'a'.repeat(1 << 20)}"\n`,
      'playbook p\r\n  note "crlf"\r\n',
      '\uFEFFplaybook p\n  note "bom"\n',
      'calendar\nplaybook\naccount fields\n  :\n',
      'coverage\ncoverage c target 5%\n  accounts where\n  have run\ncoverage d target 1%:\n  accounts where account.x:\n    have run d\n',
    ];
    for (const input of inputs) checkSources([one(input)], [one('Subject: {\n\n{', 'templates/broken.md')]);
  });

  it('survives the CLI on mutated workspaces, in text and JSON', async () => {
    const random = mulberry32(7);
    for (let i = 0; i < 4; i++) {
      const dir = mkdtempSync(path.join(tmpdir(), 'pb-fuzz-cli-'));
      const base = references[i % references.length]!;
      writeFileSync(path.join(dir, base.relPath), mutate(base.text, random));
      mkdirSync(path.join(dir, 'templates'));
      writeFileSync(path.join(dir, 'templates', 'x.md'), mutate('Subject: Hi {account.name}\n\nBody\n', random));
      for (const format of ['text', 'json']) {
        const io = bufferIo();
        const code = await main(['check', dir, '--format', format], io);
        expect([0, 1]).toContain(code);
        expect(io.stderr()).toBe('');
        if (format === 'json') expect(Array.isArray(JSON.parse(io.stdout()))).toBe(true);
      }
    }
  });
});
