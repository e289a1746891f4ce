/**
 * The front end's speed: parse + check + lower, on the reference workspace and on a
 * generated 10,000-line playbook, against the `yaml` package parsing the same content
 * (the peer baseline, measured in the same run), plus the CPU time of a whole
 * `playbook check playbooks/` process, checking afresh (`--no-cache`) and showing a stored
 * result.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { checkWorkspace } from '../src/check/check.js';
import { lowerPlaybook } from '../src/ir/lower.js';
import { buildWorkspace } from '../src/workspace/build.js';
import { loadWorkspace } from '../src/workspace/load.js';
import type { SourceText } from '../src/workspace/types.js';
import { generatePlaybook } from './generate.js';
import { DEFAULT_MEASURE, medianMs, ms, perSecond, type Row, type Suite } from './harness.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REFERENCE_DIR = path.join(ROOT, 'playbooks');
const GENERATED_LINES = 10_000;

export const frontend: Suite = {
  name: `front end (parse + check + lower; median of ${DEFAULT_MEASURE.iterations} runs after ${DEFAULT_MEASURE.warmup} warm-ups)`,
  async run() {
    const reference = await referenceSources();
    const generated = generatePlaybook(GENERATED_LINES);
    const generatedSources = {
      playbooks: [{ path: 'generated.playbook', relPath: 'generated.playbook', text: generated.source }],
      templates: generated.templates.map(({ name, text }) => ({ path: `templates/${name}.md`, relPath: `templates/${name}.md`, text })),
    };
    const referenceMs = medianMs(() => compileAll(reference));
    const generatedMs = medianMs(() => compileAll(generatedSources));
    const yamlMs = medianMs(() => parseYaml(generated.yaml));
    const timed = (label: string, milliseconds: number, lines: number): Row => ({
      label,
      figures: [ms(milliseconds), perSecond(lines, milliseconds, 'lines')],
    });
    return [
      timed(`reference workspace (${reference.lines} lines)`, referenceMs, reference.lines),
      timed(`generated playbook (${generated.lines} lines)`, generatedMs, generated.lines),
      ...phaseRows(generatedSources).map(([phase, phaseMs]) => timed(`  ${phase}`, phaseMs, generated.lines)),
      timed('yaml.parse of the same content', yamlMs, generated.lines),
      { label: 'ratio ours / yaml', figures: [`${(generatedMs / yamlMs).toFixed(2)}×`] },
      checkProcessRow('checking afresh', ['--no-cache']),
      checkProcessRow('result stored', []),
    ];
  },
};

interface Sources {
  playbooks: SourceText[];
  templates: SourceText[];
  lines?: number;
}

/** The reference workspace's texts, read once so the measurement excludes disk reads. */
async function referenceSources(): Promise<Sources & { lines: number }> {
  const ws = await loadWorkspace(REFERENCE_DIR);
  const strip = ({ path: p, relPath, text }: SourceText): SourceText => ({ path: p, relPath, text });
  const lines = ws.files.reduce((n, f) => n + f.text.split('\n').length, 0);
  return { playbooks: ws.files.map(strip), templates: ws.templates.map(strip), lines };
}

/** Parses and checks the sources and lowers every playbook; a check error aborts the run. */
function compileAll({ playbooks, templates }: Sources): void {
  const ws = buildWorkspace('.', playbooks, templates);
  const { diagnostics, model } = checkWorkspace(ws);
  const error = diagnostics.find((d) => d.severity === 'error');
  if (error) throw new Error(`benchmark input does not check: ${error.span.file}:${error.span.start.line}: ${error.message}`);
  for (const id of model.playbooks.keys()) lowerPlaybook(model, id);
}

/** Each phase of `compileAll` timed on its own, given the previous phase's result. */
function phaseRows({ playbooks, templates }: Sources): Array<[string, number]> {
  const ws = buildWorkspace('.', playbooks, templates);
  const { model } = checkWorkspace(ws);
  return [
    ['parse', medianMs(() => buildWorkspace('.', playbooks, templates))],
    ['check', medianMs(() => checkWorkspace(ws))],
    ['lower', medianMs(() => [...model.playbooks.keys()].forEach((id) => lowerPlaybook(model, id)))],
  ];
}

/**
 * User + system CPU of one `node bin/playbook.js check playbooks/` process, read by the child
 * itself at exit by `cpu-probe.cjs` and handed back on file descriptor 3. The stored result is
 * the one the run before it wrote (or an earlier check's, when the sources are unchanged).
 */
function checkProcessRow(what: string, flags: string[]): Row {
  const label = `process \`playbook check playbooks/\`, ${what}`;
  if (flags.length === 0) spawnSync(process.execPath, ['bin/playbook.js', 'check', 'playbooks/'], { cwd: ROOT, stdio: 'ignore' });
  const child = spawnSync(process.execPath, ['--require', './bench/cpu-probe.cjs', 'bin/playbook.js', 'check', 'playbooks/', ...flags], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  const report = child.output[3];
  if (child.status !== 0 || !report) {
    return { label, figures: [`failed (exit ${child.status ?? child.signal}): ${String(child.stderr).split('\n')[0]}`] };
  }
  const [user, system] = JSON.parse(report) as [number, number];
  return { label, figures: [ms((user + system) / 1000), `user ${ms(user / 1000)}`, `sys ${ms(system / 1000)}`] };
}
