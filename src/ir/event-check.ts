/**
 * The one check of an event's payload against its declaration in the program's `events`
 * (`IrProgram.events`): every declared field present with a value of its type, nothing else.
 * Used wherever an event enters (the API, `playbook event`, simulations and scenarios).
 * Pure and workflow-safe. A program without `events` (a v1 workspace) takes any payload.
 * Problems are one line each, naming the field: `payload.score: expected a number, got "high"`.
 */
import type { EventIr, IrProgram } from './types.js';
import { describeValue, expectation, fitsType } from './value-rules.js';

/** The problems of `payload` as the payload of `declared`; empty when it fits. */
export function payloadProblems(declared: EventIr, payload: Record<string, unknown> | undefined): string[] {
  const given = payload ?? {};
  const problems: string[] = [];
  for (const [field, type] of Object.entries(declared.fields)) {
    if (!Object.hasOwn(given, field) || given[field] === undefined) problems.push(`payload.${field}: missing (${expectation(type)})`);
    else if (!fitsType(type, given[field])) problems.push(`payload.${field}: ${expectation(type)}, got ${describeValue(given[field])}`);
  }
  const names = Object.keys(declared.fields);
  for (const key of Object.keys(given)) {
    if (Object.hasOwn(declared.fields, key)) continue;
    problems.push(`payload.${key}: not a field of this event (${names.length === 0 ? 'it has no payload' : `its fields are ${names.join(', ')}`})`);
  }
  return problems;
}

/** `payloadProblems` against `program`'s declaration of `name`; none when the program declares no events or not this one. */
export function programPayloadProblems(program: IrProgram, name: string, payload: Record<string, unknown> | undefined): string[] {
  const declared = program.events?.[name];
  return declared === undefined ? [] : payloadProblems(declared, payload);
}
