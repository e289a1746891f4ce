/**
 * The zod schema of the IR, for IR read from outside the compiler (files, workflow inputs,
 * stored runs). Each schema is annotated with its type from `types.ts`, so the compiler
 * proves the two agree. Objects are strict: an unknown key is an error, not silently dropped.
 *
 * Not for the Temporal workflow bundle (it must not contain zod): workflow code imports
 * only `types.ts`.
 */
import { z } from 'zod';
import { SEVERITIES } from '../language/ast.js';
import {
  IR_VERSION,
  type AskIr,
  type AskTypeIr,
  type CalendarIr,
  type DurationIr,
  type ExprIr,
  type FieldTypeIr,
  type GoalPointIr,
  type IrProgram,
  type PlaybookIr,
  type RecipientIr,
  type SenderIr,
  type StepIr,
  type TemplateIr,
  type TextIr,
  type TriggerIr,
  type WaitTargetIr,
} from './types.js';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time HH:MM');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD');
const line = z.number().int().positive();
const scalarFieldType = z.enum(['text', 'number', 'date', 'yes/no', 'timezone', 'user', 'contact']);
const severity = z.enum(SEVERITIES);
const direction = z.enum(['before', 'after']);
const timeRange = z.strictObject({ from: hhmm, to: hhmm });

const durationSchema: z.ZodType<DurationIr> = z.strictObject({
  amount: z.number().nonnegative(),
  unit: z.enum(['minute', 'hour', 'day', 'week', 'month', 'quarter', 'year', 'business day', 'business hour']),
});

const exprSchema: z.ZodType<ExprIr> = z.lazy(() =>
  z.discriminatedUnion('op', [
    z.strictObject({ op: z.literal('field'), field: z.string() }),
    z.strictObject({ op: z.literal('eventField'), event: z.string(), path: z.array(z.string()) }),
    z.strictObject({ op: z.literal('answer'), task: z.string(), ask: z.string() }),
    z.strictObject({ op: z.literal('param'), param: z.string() }),
    z.strictObject({
      op: z.literal('lit'),
      type: z.enum(['text', 'number', 'date', 'yes/no']),
      value: z.union([z.string(), z.number(), z.boolean()], { error: 'expected a string, number or boolean literal' }),
    }),
    z.strictObject({ op: z.literal('today') }),
    z.strictObject({
      op: z.literal('compare'),
      cmp: z.enum(['=', '!=', '<', '<=', '>', '>=']),
      left: exprSchema,
      right: exprSchema,
    }),
    z.strictObject({ op: z.literal('in'), negated: z.boolean(), left: exprSchema, list: z.array(exprSchema) }),
    z.strictObject({ op: z.enum(['and', 'or']), left: exprSchema, right: exprSchema }),
    z.strictObject({ op: z.literal('not'), operand: exprSchema }),
    z.strictObject({ op: z.enum(['daysUntil', 'daysSince', 'businessDaysSince']), operand: exprSchema }),
    z.strictObject({ op: z.literal('offset'), offset: durationSchema, direction, base: exprSchema }),
    z.strictObject({ op: z.literal('arith'), arith: z.enum(['+', '-', '*', '/']), left: exprSchema, right: exprSchema }),
    z.strictObject({ op: z.literal('isEmpty'), negated: z.boolean(), operand: exprSchema }),
  ]),
);

const textSchema: z.ZodType<TextIr> = z.array(z.union([z.string(), exprSchema]));

const recipientSchema: z.ZodType<RecipientIr> = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('field'), field: z.string() }),
  z.strictObject({ kind: z.literal('param'), param: z.string() }),
  z.strictObject({ kind: z.literal('role'), name: z.string() }),
  z.strictObject({ kind: z.literal('address'), address: z.string() }),
]);

const senderSchema: z.ZodType<SenderIr> = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('field'), field: z.string() }),
  z.strictObject({ kind: z.literal('address'), address: z.string(), name: z.string().nullable() }),
]);

const askTypeSchema: z.ZodType<AskTypeIr> = z.union([
  z.strictObject({ type: z.enum(['yes/no', 'text', 'number', 'date']) }),
  z.strictObject({ type: z.literal('one of'), values: z.array(z.string()).min(1) }),
]);

const askSchema: z.ZodType<AskIr> = z.strictObject({
  name: z.string(),
  question: z.string(),
  type: askTypeSchema,
  optional: z.literal(true).optional(),
  default: z.union([z.string(), z.number(), z.boolean()]).optional(),
});

const singleWaitTargets = [
  z.strictObject({ kind: z.literal('event'), name: z.string(), as: z.string().nullable(), where: exprSchema.optional() }),
  z.strictObject({ kind: z.literal('task'), task: z.string() }),
  z.strictObject({ kind: z.literal('condition'), condition: exprSchema }),
] as const;

const waitTargetSchema: z.ZodType<WaitTargetIr> = z.discriminatedUnion('kind', [
  ...singleWaitTargets,
  z.strictObject({ kind: z.literal('anyOf'), of: z.array(z.discriminatedUnion('kind', [...singleWaitTargets])).min(1) }),
]);

const stepBase = { id: z.string().min(1), line };

const stepSchema: z.ZodType<StepIr> = z.lazy(() => {
  const block = z.array(stepSchema);
  return z.discriminatedUnion('kind', [
    z.strictObject({
      ...stepBase,
      kind: z.literal('email'),
      to: recipientSchema,
      template: z.string(),
      alsoTo: z.array(recipientSchema).optional(),
      cc: z.array(recipientSchema).optional(),
      bcc: z.array(recipientSchema).optional(),
      from: senderSchema.optional(),
      ignoringPolicy: z.literal(true).optional(),
    }),
    z.strictObject({ ...stepBase, kind: z.literal('notify'), to: recipientSchema, text: textSchema }),
    z.strictObject({
      ...stepBase,
      kind: z.literal('task'),
      task: z.string(),
      title: textSchema,
      assignee: recipientSchema,
      due: durationSchema.nullable(),
      asks: z.array(askSchema),
    }),
    z.strictObject({ ...stepBase, kind: z.literal('escalate'), to: recipientSchema, severity, text: textSchema }),
    z.strictObject({ ...stepBase, kind: z.literal('wait'), duration: durationSchema }),
    z.strictObject({ ...stepBase, kind: z.literal('waitUntil'), at: exprSchema }),
    z.strictObject({
      ...stepBase,
      kind: z.literal('waitFor'),
      target: waitTargetSchema,
      upTo: durationSchema.nullable(),
      rungs: z.array(z.strictObject({ after: durationSchema, line, body: block })),
      onTimeout: block.nullable(),
    }),
    z.strictObject({
      ...stepBase,
      kind: z.literal('if'),
      branches: z.array(z.strictObject({ condition: exprSchema, line, body: block })).min(1),
      else: block.nullable(),
    }),
    z.strictObject({
      ...stepBase,
      kind: z.literal('repeat'),
      every: durationSchema,
      atMost: z.number().int().positive().nullable(),
      until: exprSchema.nullable(),
      body: block,
    }),
    z.strictObject({ ...stepBase, kind: z.literal('set'), field: z.string(), value: exprSchema }),
    z.strictObject({
      ...stepBase,
      kind: z.literal('webhook'),
      endpoint: z.string(),
      fields: z.array(z.strictObject({ name: z.string(), value: exprSchema })),
    }),
    z.strictObject({
      ...stepBase,
      kind: z.literal('runPlaybook'),
      playbook: z.string(),
      with: z
        .array(z.strictObject({ name: z.string(), value: exprSchema }))
        .min(1)
        .optional(),
    }),
    z.strictObject({
      ...stepBase,
      kind: z.literal('stage'),
      stage: z.string(),
      title: z.string().nullable(),
      body: block,
    }),
    z.strictObject({ ...stepBase, kind: z.literal('note'), text: textSchema }),
    z.strictObject({ ...stepBase, kind: z.literal('stop'), outcome: z.string().nullable() }),
  ]);
});

const guards = { unlessRunning: z.string().optional(), atMostOncePer: durationSchema.optional() };

const triggerSchema: z.ZodType<TriggerIr> = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('manual') }),
  z.strictObject({ kind: z.literal('event'), name: z.string(), as: z.string().optional(), where: exprSchema.nullable(), ...guards }),
  z.strictObject({
    kind: z.literal('relative'),
    offset: durationSchema,
    direction,
    field: z.string(),
    where: exprSchema.nullable(),
    ...guards,
  }),
  z.strictObject({ kind: z.literal('when'), condition: exprSchema, ...guards }),
  z.strictObject({
    kind: z.literal('every'),
    period: z.strictObject({ amount: z.number().int().min(1), unit: z.enum(['week', 'month', 'quarter']) }),
    on: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('firstBusinessDay') }),
      z.strictObject({ kind: z.literal('day'), day: z.number().int().min(1).max(31) }),
      z.strictObject({ kind: z.literal('weekday'), weekday: z.number().int().min(1).max(7) }),
    ]),
    where: exprSchema.nullable(),
    ...guards,
  }),
]);

const goalPointSchema: z.ZodType<GoalPointIr> = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('start') }),
  z.strictObject({ kind: z.literal('event'), event: z.string() }),
  z.strictObject({ kind: z.literal('taskDone'), task: z.string() }),
  z.strictObject({ kind: z.literal('taskCreated'), task: z.string() }),
  z.strictObject({ kind: z.literal('stage'), stage: z.string() }),
  z.strictObject({ kind: z.literal('condition'), condition: exprSchema }),
]);

const playbookSchema: z.ZodType<PlaybookIr> = z.strictObject({
  id: z.string(),
  title: z.string().nullable(),
  file: z.string(),
  line,
  owner: z.string().nullable(),
  description: z.string().nullable(),
  triggers: z.array(triggerSchema),
  calendar: z.string().nullable(),
  sendWindow: timeRange.nullable(),
  exitWhen: z.array(exprSchema),
  runKey: z.array(exprSchema).min(1).optional(),
  throttle: z.strictObject({ perDay: z.number().int().min(1) }).optional(),
  parameters: z
    .array(
      z.strictObject({
        name: z.string(),
        type: z.strictObject({ type: z.enum(['text', 'number', 'date', 'yes/no', 'user', 'contact']) }),
        default: z.union([z.string(), z.number(), z.boolean()]).optional(),
      }),
    )
    .min(1)
    .optional(),
  goals: z
    .array(
      z.strictObject({
        id: z.string(),
        title: z.string().nullable(),
        target: z.number().min(1).max(100),
        milestone: goalPointSchema,
        within: durationSchema,
        anchor: goalPointSchema,
        line,
      }),
    )
    .min(1)
    .optional(),
  body: z.array(stepSchema),
});

const calendarSchema: z.ZodType<CalendarIr> = z.strictObject({
  id: z.string(),
  title: z.string().nullable(),
  timezone: z.array(z.union([z.strictObject({ field: z.string() }), z.strictObject({ zone: z.string() })])),
  workingDays: z.array(z.number().int().min(1).max(7)),
  workingHours: timeRange.nullable(),
  holidayCountries: z.array(z.string()),
  holidaySources: z.array(z.array(z.union([z.strictObject({ field: z.string() }), z.strictObject({ code: z.string() })]))).optional(),
  holidays: z.array(z.strictObject({ date: isoDate, name: z.string().nullable() })),
});

const fieldTypeSchema: z.ZodType<FieldTypeIr> = z.union([
  z.strictObject({ type: scalarFieldType }),
  z.strictObject({ type: z.literal('one of'), values: z.array(z.string()).min(1) }),
  z.strictObject({ type: z.literal('list'), of: scalarFieldType }),
]);

const templateText = { subject: textSchema, body: textSchema };
const templateSchema: z.ZodType<TemplateIr> = z.strictObject({ ...templateText, locales: z.record(z.string(), z.strictObject(templateText)).optional() });

export const irProgramSchema: z.ZodType<IrProgram> = z
  .strictObject({
    irVersion: z.literal(IR_VERSION, { error: `unsupported IR version; this build reads irVersion ${IR_VERSION}` }),
    entry: z.string(),
    playbooks: z.record(z.string(), playbookSchema),
    calendars: z.record(z.string(), calendarSchema),
    fields: z.record(z.string(), fieldTypeSchema),
    templates: z.record(z.string(), templateSchema),
    events: z.record(z.string(), z.strictObject({ fields: z.record(z.string(), fieldTypeSchema) })).optional(),
    contactPolicy: z
      .strictObject({
        caps: z.array(z.strictObject({ count: z.number().int().positive(), days: z.number().int().positive(), business: z.boolean() })).min(1),
        whenCapped: z.enum(['defer', 'skip']),
      })
      .optional(),
  })
  .refine((p) => Object.hasOwn(p.playbooks, p.entry), {
    message: 'the entry playbook is not among the playbooks',
    path: ['entry'],
  });

/** One reason an IR document was rejected, with where it is (`playbooks.x.body[2].to`). */
export interface IrIssue {
  path: string;
  message: string;
}

/** Thrown by `parseIr`; its message names the first failing path, `issues` lists them all. */
export class InvalidIrError extends Error {
  constructor(readonly issues: IrIssue[]) {
    const first = issues[0];
    super(first ? `invalid IR at ${first.path}: ${first.message}` : 'invalid IR');
    this.name = 'InvalidIrError';
  }
}

/** Validates IR from outside (a file, a workflow input) and returns it typed. */
export function parseIr(json: unknown): IrProgram {
  const result = irProgramSchema.safeParse(json);
  if (result.success) return result.data;
  throw new InvalidIrError(result.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })));
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? String(key) : `.${String(key)}`)).join('');
}
