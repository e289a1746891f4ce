/**
 * The zod schema of a scenario file as parsed from YAML. Instants, `<when>`s and `+<duration>`
 * offsets are parsed here with the same grammar as `playbook simulate`, so a malformed one is
 * reported with its path in the file. Account paths are read later, by `load.ts`.
 */
import * as z from 'zod';
import { parseInstant } from '../calendar/index.js';
import { didYouMeanSuffix } from '../diagnostics/suggest.js';
import { describeValue } from '../ir/value-rules.js';
import { RUN_OUTCOMES, TIMELINE_KINDS } from '../runtime/timeline.js';
import { INSTANT_HELP, WHEN_HELP, parseDuration, parseWhen } from '../simulate/inputs.js';

/** YAML may read `42` or `true` where text was meant (`to: 42`); those are taken as written. */
const text = z.union([z.string(), z.number(), z.boolean()]).transform(String);

const instant = z.string().transform((s, ctx) => {
  const t = parseInstant(s.trim());
  if (t === null) ctx.addIssue({ code: 'custom', message: `"${s}" is not ${INSTANT_HELP}` });
  return t ?? z.NEVER;
});

const when = z.string().transform((s, ctx) => {
  const w = parseWhen(s);
  if (w === null) ctx.addIssue({ code: 'custom', message: `"${s}" is not ${WHEN_HELP}` });
  return w ?? z.NEVER;
});

const offset = z.string().transform((s, ctx) => {
  const d = s.trim().startsWith('+') ? parseDuration(s.trim().slice(1)) : null;
  if (d === null) ctx.addIssue({ code: 'custom', message: `"${s}" is not +<duration> (e.g. +3 business days)` });
  return d ?? z.NEVER;
});

const jsonObject = z.record(z.string(), z.unknown());

/** A path to a JSON file (relative to the scenario file) or the fields themselves. */
const account = z.union([
  z
    .string()
    .min(1)
    .transform((path) => ({ path })),
  jsonObject.transform((fields) => ({ fields })),
]);

const eventInput = z.strictObject({ event: text, at: when, payload: jsonObject.optional() });
const completeInput = z.strictObject({ complete: text, at: when, answers: jsonObject.optional() });
const reassignInput = z.strictObject({ reassign: text, to: text, at: when });
const snoozeInput = z.strictObject({ snooze: text, until: when, at: when });
const closeInput = z.strictObject({ close: text, reason: text, at: when });
const setInput = z.strictObject({
  set: text,
  // YAML has already typed the value: `to: 42` is a number, `to: "42"` text.
  to: z.union([z.string(), z.number(), z.boolean(), z.null()]),
  at: when,
});

/** Each input is recognised by its first key, so errors speak about the right kind of input. */
const input = z.unknown().transform((raw, ctx) => {
  const kinds = [
    ['event', eventInput],
    ['complete', completeInput],
    ['set', setInput],
    ['reassign', reassignInput],
    ['snooze', snoozeInput],
    ['close', closeInput],
  ] as const;
  const record = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? raw : {};
  for (const [key, schema] of kinds) {
    if (!(key in record)) continue;
    const result = schema.safeParse(raw, { error: errorMessage });
    if (result.success) return result.data;
    for (const issue of result.error.issues) ctx.addIssue({ ...issue });
    return z.NEVER;
  }
  ctx.addIssue({ code: 'custom', message: `expected an input with a key event, complete, set, reassign, snooze or close, got ${describeValue(raw)}` });
  return z.NEVER;
});

/** A timeline kind: a misspelt one would match nothing, and under `absent:` pass vacuously. */
const kind = text.transform((k, ctx) => {
  if ((TIMELINE_KINDS as readonly string[]).includes(k)) return k;
  ctx.addIssue({ code: 'custom', message: `unknown kind "${k}"${didYouMeanSuffix(k, TIMELINE_KINDS)}; kinds are ${TIMELINE_KINDS.join(', ')}` });
  return z.NEVER;
});

const touchpoint = z
  .strictObject({
    kind: kind.optional(),
    playbook: text.optional(),
    stage: text.optional(),
    to: text.optional(),
    text: text.optional(),
    'text contains': text.optional(),
    at: instant.optional(),
    after: offset.optional(),
    on: z.enum(['weekend', 'non-working day', 'outside working hours']).optional(),
  })
  .refine((t) => Object.keys(t).length > 0, {
    message: 'a touchpoint needs at least one of kind, playbook, stage, to, text, text contains, at, after, on',
    // An unknown key (a misspelt `kind`) is the real problem; do not also report an empty touchpoint.
    when: (payload) => payload.issues.length === 0,
  })
  .refine((t) => t.at === undefined || t.after === undefined, { message: 'give either at or after, not both' });

const expectation = z.strictObject({
  /** With `trigger`: whether the event starts the run (`no`: its `where` holds it back). */
  started: z.union([z.boolean(), z.enum(['yes', 'no']).transform((v) => v === 'yes')]).optional(),
  outcome: z.enum([...RUN_OUTCOMES, 'running']).optional(),
  label: text.optional(),
  rejected: z.number().int().min(0).optional(),
  timeline: z.array(touchpoint).optional(),
  absent: z.array(touchpoint).optional(),
  /** `goals: { kickoff: met, training: missed }`: the state each named goal of the playbook ends (or stays) in. */
  goals: z.record(z.string(), z.enum(['met', 'missed', 'pending'])).optional(),
});

const scenario = z.strictObject({
  name: text,
  account: account.optional(),
  start: instant.optional(),
  until: when.optional(),
  /** The event that starts the run at `start`, through the playbook's `trigger on event`. */
  trigger: z.strictObject({ event: text, payload: jsonObject.optional() }).optional(),
  inputs: z.array(input).optional(),
  expect: expectation,
});

export const scenarioFileSchema = z.strictObject({
  playbook: text,
  workspace: z.string().optional(),
  account: account.optional(),
  start: instant.optional(),
  until: when.optional(),
  scenarios: z.array(scenario).min(1),
});

export type RawScenarioFile = z.output<typeof scenarioFileSchema>;
export type RawScenario = RawScenarioFile['scenarios'][number];
export type RawInput = NonNullable<RawScenario['inputs']>[number];
export type RawTouchpoint = z.output<typeof touchpoint>;
export type RawAccount = z.output<typeof account>;

/** Every key the format knows, for "did you mean" on unknown keys. */
export const KNOWN_KEYS = [
  ...Object.keys(scenarioFileSchema.shape),
  ...Object.keys(scenario.shape),
  ...Object.keys(expectation.shape),
  ...['kind', 'stage', 'to', 'text', 'text contains', 'at', 'after', 'on'],
  ...['event', 'complete', 'set', 'payload', 'answers', 'trigger', 'started', 'reassign', 'snooze', 'close', 'until', 'reason'],
];

/** Plain-words messages for zod's built-in checks (custom checks bring their own). */
export function errorMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? 'is required'
        : `expected ${issue.expected === 'record' ? 'object' : issue.expected}, got ${describeValue(issue.input)}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map(String).join(', ')}, got ${describeValue(issue.input)}`;
    case 'invalid_union':
      return `expected ${unionExpectation(issue.path)}, got ${describeValue(issue.input)}`;
    case 'too_small':
      return issue.origin === 'array' ? `needs at least ${String(issue.minimum)} item` : `must be at least ${String(issue.minimum)}`;
    default:
      return undefined;
  }
}

function unionExpectation(path: PropertyKey[] | undefined): string {
  const key = path?.[path.length - 1];
  if (key === 'account') return 'a path to an account JSON file or a mapping of fields';
  if (key === 'to') return 'a value (text, number, yes/no or null)';
  return 'text';
}
