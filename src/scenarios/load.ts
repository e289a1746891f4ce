/**
 * Reads a scenario file: YAML → zod validation → `ScenarioFile`, with account files read and
 * merged and the workspace found. Every problem is reported as `file:line:col: path: message`
 * (lines from the YAML parser), all of them at once, as one `UserError` (exit 1).
 */
import { readdir, readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { LineCounter, parseDocument, isMap, isScalar, type Document, type Node as YamlNode } from 'yaml';
import type * as z from 'zod';
import { readAccountJson } from '../accounts/load.js';
import { UserError } from '../errors.js';
import { didYouMeanSuffix } from '../diagnostics/suggest.js';
import { describeValue } from '../ir/value-rules.js';
import type { SimInput } from '../simulate/simulate.js';
import type { SourcedInput } from '../simulate/inputs.js';
import {
  KNOWN_KEYS,
  errorMessage,
  scenarioFileSchema,
  type RawAccount,
  type RawInput,
  type RawScenario,
  type RawScenarioFile,
  type RawTouchpoint,
} from './schema.js';
import type { Scenario, ScenarioFile, Touchpoint } from './types.js';

type Path = Array<string | number>;

/** Locates YAML paths in the source, for messages. */
class SourceMap {
  private readonly lines = new LineCounter();
  readonly doc: Document;

  constructor(
    readonly file: string,
    text: string,
  ) {
    this.doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: false });
  }

  /** `file:line:col` of the node at `path` (or of `key` in it), or of its nearest existing ancestor. */
  where(path: Path, key?: string): string {
    const offset = this.offset(path, key);
    if (offset < 0) return this.file;
    const pos = this.lines.linePos(offset);
    return `${this.file}:${pos.line}:${pos.col}`;
  }

  line(path: Path): number | null {
    const offset = this.offset(path);
    return offset < 0 ? null : this.lines.linePos(offset).line;
  }

  /** Source offset of the node at `path` (or of `key` in it) or its nearest existing ancestor; -1 when unknown. */
  offset(path: Path, key?: string): number {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = depth === 0 ? this.doc.contents : (this.doc.getIn(path.slice(0, depth), true) as YamlNode | undefined);
      if (!node?.range) continue;
      const keyNode =
        depth === path.length && key !== undefined && isMap(node) ? node.items.find((p) => isScalar(p.key) && p.key.value === key)?.key : undefined;
      return isScalar(keyNode) && keyNode.range ? keyNode.range[0] : node.range[0];
    }
    return -1;
  }

  yamlErrors(): string[] {
    return this.doc.errors.map((e) => {
      const pos = this.lines.linePos(e.pos[0]);
      return `${this.file}:${pos.line}:${pos.col}: ${e.message.split('\n')[0]}`;
    });
  }
}

/** `scenarios[0].inputs[1].at` */
function dotted(path: Path): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** Messages for zod's issues, in the order of their positions in the file. */
function issueMessages(source: SourceMap, issues: z.core.$ZodIssue[]): string[] {
  const located = issues.flatMap((issue) => {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        offset: source.offset(path, key),
        text: `${source.where(path, key)}: ${dotted([...path, key])}: unknown key "${key}"${didYouMeanSuffix(key, KNOWN_KEYS)}`,
      }));
    }
    const at = path.length === 0 ? '' : `${dotted(path)}: `;
    return [{ offset: source.offset(path), text: `${source.where(path)}: ${at}${issue.message}` }];
  });
  return located.sort((a, b) => a.offset - b.offset).map((l) => l.text);
}

export async function loadScenarioFile(file: string): Promise<ScenarioFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read scenario file ${file}: ${(e as Error).message}`, 'usage');
  }
  const source = new SourceMap(file, text);
  const yamlErrors = source.yamlErrors();
  if (yamlErrors.length > 0) throw new UserError(yamlErrors.join('\n'), 'invalid');
  const parsed = scenarioFileSchema.safeParse(source.doc.toJS(), { error: errorMessage });
  if (!parsed.success) throw new UserError(issueMessages(source, parsed.error.issues).join('\n'), 'invalid');
  return build(source, parsed.data);
}

async function build(source: SourceMap, raw: RawScenarioFile): Promise<ScenarioFile> {
  const dir = dirname(source.file);
  const problems: string[] = [];
  const sharedAccount = raw.account && (await readAccount(raw.account, dir, source, ['account'], problems));
  const scenarios: Scenario[] = [];
  const names = new Set<string>();
  for (const [i, s] of raw.scenarios.entries()) {
    const path: Path = ['scenarios', i];
    const problem = (key: string, message: string): void => void problems.push(`${source.where([...path, key])}: ${dotted([...path, key])}: ${message}`);
    if (names.has(s.name)) problem('name', `another scenario in this file is already named "${s.name}"`);
    names.add(s.name);
    const account = await scenarioAccount(s, sharedAccount, raw.account !== undefined, dir, source, path, problems);
    const start = s.start ?? raw.start;
    if (start === undefined) problem('start', 'no start: give start: in the scenario or at the top of the file');
    if (account === undefined || start === undefined) continue;
    const until = s.until ?? raw.until;
    scenarios.push({
      name: s.name,
      line: source.line(path),
      account,
      start,
      ...(until !== undefined && { until }),
      ...(s.trigger !== undefined && { trigger: { name: s.trigger.event, payload: s.trigger.payload ?? {} } }),
      inputs: (s.inputs ?? []).map((input, j) => sourcedInput(input, source.line([...path, 'inputs', j]), j)),
      expect: {
        ...(s.expect.started !== undefined && { started: s.expect.started }),
        ...(s.expect.outcome !== undefined && { outcome: s.expect.outcome }),
        ...(s.expect.label !== undefined && { label: s.expect.label }),
        rejected: s.expect.rejected ?? 0,
        timeline: (s.expect.timeline ?? []).map((t, j) => touchpoint(t, source.line([...path, 'expect', 'timeline', j]))),
        absent: (s.expect.absent ?? []).map((t, j) => touchpoint(t, source.line([...path, 'expect', 'absent', j]))),
        goals: Object.entries(s.expect.goals ?? {}).map(([goal, state]) => ({ goal, state, line: source.line([...path, 'expect', 'goals', goal]) })),
      },
    });
  }
  const workspace = raw.workspace === undefined ? await findWorkspace(dir) : besideFile(dir, raw.workspace);
  if (workspace === null)
    problems.push(`${source.where(['playbook'])}: no .playbook files in ${dir} or its parent folder; give workspace: (relative to this file)`);
  if (problems.length > 0 || workspace === null) throw new UserError(problems.join('\n'), 'invalid');
  return { path: source.file, playbook: raw.playbook, workspace, scenarios };
}

/**
 * The shared account with the scenario's overrides: a mapping merges, a path replaces.
 * Undefined, with the problem recorded, when there is none or its file is unusable.
 */
async function scenarioAccount(
  s: RawScenario,
  shared: Record<string, unknown> | undefined,
  sharedGiven: boolean,
  dir: string,
  source: SourceMap,
  path: Path,
  problems: string[],
): Promise<Record<string, unknown> | undefined> {
  if (s.account === undefined) {
    // A shared account that failed to load is reported once, not again for every scenario.
    if (shared === undefined && !sharedGiven)
      problems.push(`${source.where(path)}: ${dotted(path)}: no account: give account: in the scenario or at the top of the file`);
    return shared;
  }
  if ('fields' in s.account) return { ...shared, ...s.account.fields };
  return readAccount(s.account, dir, source, [...path, 'account'], problems);
}

/** Account JSON from a mapping or a file; undefined (with a problem recorded) when the file is unusable. */
async function readAccount(account: RawAccount, dir: string, source: SourceMap, path: Path, problems: string[]): Promise<Record<string, unknown> | undefined> {
  if ('fields' in account) return account.fields;
  try {
    const file = besideFile(dir, account.path);
    const data = await readAccountJson(file);
    if (typeof data === 'object' && data !== null && !Array.isArray(data)) return data as Record<string, unknown>;
    problems.push(`${source.where(path)}: ${dotted(path)}: ${file} holds ${describeValue(data)}, not a JSON object`);
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    problems.push(`${source.where(path)}: ${dotted(path)}: ${e.message}`);
  }
  return undefined;
}

function sourcedInput(raw: RawInput, line: number | null, index: number): SourcedInput {
  const source = `inputs[${index}]${line === null ? '' : ` (line ${line})`}`;
  let input: SimInput;
  if ('event' in raw) input = { at: raw.at, kind: 'event', name: raw.event, payload: raw.payload ?? {} };
  else if ('complete' in raw) input = { at: raw.at, kind: 'complete', task: raw.complete, answers: raw.answers ?? {} };
  else if ('reassign' in raw) input = { at: raw.at, kind: 'reassign', task: raw.reassign, to: raw.to };
  else if ('snooze' in raw) input = { at: raw.at, kind: 'snooze', task: raw.snooze, until: raw.until };
  else if ('close' in raw) input = { at: raw.at, kind: 'close', task: raw.close, reason: raw.reason };
  else input = { at: raw.at, kind: 'set', field: raw.set, value: raw.to };
  return { input, source };
}

function touchpoint(raw: RawTouchpoint, line: number | null): Touchpoint {
  const { 'text contains': textContains, ...rest } = raw;
  return { ...rest, ...(textContains !== undefined && { textContains }), line };
}

/** A path written in a scenario file: relative to the file's folder unless absolute. */
function besideFile(dir: string, path: string): string {
  return isAbsolute(path) ? path : join(dir, path);
}

/**
 * The scenario file's folder when it holds `.playbook` files, else its parent folder when
 * that does (`playbooks/tests/x.scenarios.yaml` tests `playbooks/`); else null. The search
 * stops there so that a stray file far up the tree is never taken for the workspace.
 */
async function findWorkspace(dir: string): Promise<string | null> {
  for (const candidate of [dir, join(dir, '..')]) {
    const entries = await readdir(candidate).catch(() => [] as string[]);
    if (entries.some((e) => e.endsWith('.playbook'))) return candidate;
  }
  return null;
}
