/**
 * Canonical JSON and the content hash that is a playbook's version id.
 *
 * Canonical JSON: object keys sorted by code unit, no whitespace, numbers in JavaScript's
 * shortest round-trip form (`JSON.stringify`), `undefined` object members left out (as JSON
 * does). The same value always gives the same text, whatever order its keys were built in.
 */
import { createHash } from 'node:crypto';
import type { IrProgram, PlaybookIr, StepIr } from './types.js';

/** Length of a version id: the first 16 hex digits (64 bits) of the SHA-256. */
export const VERSION_LENGTH = 16;

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`canonical JSON cannot hold the number ${value}`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (typeof value === 'object') {
    const members = Object.keys(value)
      .sort()
      .flatMap((key) => {
        const member = (value as Record<string, unknown>)[key];
        return member === undefined ? [] : [`${JSON.stringify(key)}:${canonicalJson(member)}`];
      });
    return `{${members.join(',')}}`;
  }
  throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
}

/**
 * The version id of a program: SHA-256 of its canonical JSON without source positions
 * (`file`, `line`), shortened to `VERSION_LENGTH` hex digits. Positions are left out so
 * that adding a comment or a blank line, or moving a file, does not make a new version;
 * any change to what the playbook does (text, timing, structure) does.
 */
export function versionOf(program: IrProgram): string {
  const behaviour = { ...program, playbooks: mapValues(program.playbooks, playbookWithoutPositions) };
  return createHash('sha256').update(canonicalJson(behaviour)).digest('hex').slice(0, VERSION_LENGTH);
}

function playbookWithoutPositions(playbook: PlaybookIr): unknown {
  const { file: _file, line: _line, body, ...rest } = playbook;
  return { ...rest, body: body.map(stepWithoutPositions) };
}

function stepWithoutPositions(step: StepIr): unknown {
  const { line: _line, ...rest } = step;
  const block = (steps: StepIr[]) => steps.map(stepWithoutPositions);
  switch (rest.kind) {
    case 'stage':
    case 'repeat':
      return { ...rest, body: block(rest.body) };
    case 'waitFor':
      return {
        ...rest,
        rungs: rest.rungs.map(({ line: _l, body, ...rung }) => ({ ...rung, body: block(body) })),
        onTimeout: rest.onTimeout && block(rest.onTimeout),
      };
    case 'if':
      return {
        ...rest,
        branches: rest.branches.map(({ line: _l, body, ...branch }) => ({ ...branch, body: block(body) })),
        else: rest.else && block(rest.else),
      };
    default:
      return rest;
  }
}

function mapValues<T, U>(record: Record<string, T>, f: (value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, f(value)]));
}
