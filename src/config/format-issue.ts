/**
 * One zod issue as the problem half of a `config: <key>: <problem>` message, worded for the
 * person editing the file ("expected a number, got \"abc\"") rather than zod's defaults.
 */
import type { z } from 'zod';
import { didYouMeanSuffix } from '../diagnostics/suggest.js';

export interface KeyedProblem {
  path: PropertyKey[];
  problem: string;
}

/** `schema` is the root schema, used to suggest the intended key for a misspelt one. */
export function describeIssue(issue: z.core.$ZodIssue, schema: z.ZodType): KeyedProblem {
  const path = [...issue.path];
  const input = 'input' in issue ? issue.input : undefined;
  switch (issue.code) {
    case 'invalid_type':
      return { path, problem: input === undefined ? 'is required' : `expected ${article(issue.expected)}, got ${show(input)}` };
    case 'invalid_value':
      return { path, problem: `expected one of ${issue.values.map(show).join(', ')}, got ${show(input)}` };
    case 'unrecognized_keys': {
      const key = issue.keys[0] ?? '';
      return { path: [...path, key], problem: `unknown key${didYouMeanSuffix(key, keysAt(schema, path))}` };
    }
    case 'invalid_union': {
      // A discriminated union reports its tag key and allowed tags (not in zod's issue type).
      const { options: tags, discriminator } = issue as { options?: unknown; discriminator?: unknown };
      if (Array.isArray(tags) && typeof discriminator === 'string') {
        const tag = typeof input === 'object' && input !== null ? (input as Record<string, unknown>)[discriminator] : input;
        return { path, problem: `expected one of ${tags.map(show).join(', ')}, got ${show(tag)}` };
      }
      // The value had the right shape for one alternative: its problem is the one to report.
      // A misspelt key explains its missing neighbour, so it goes first.
      const wrongShape = (e: z.core.$ZodIssue) => e.path.length === 0 && (e.code === 'invalid_type' || e.code === 'invalid_value');
      const branch = issue.errors.find((errors) => !errors.some(wrongShape));
      const inner = branch?.find((e) => e.code === 'unrecognized_keys') ?? branch?.[0];
      if (inner) return describeIssue({ ...inner, path: [...path, ...inner.path] }, schema);
      return { path, problem: `expected ${unionShapes(schema, path)}, got ${show(input)}` };
    }
    case 'too_small':
    case 'too_big':
      if (issue.origin === 'number') {
        const bound = issue.code === 'too_small' ? `at least ${issue.minimum}` : `at most ${issue.maximum}`;
        return { path, problem: `expected a number ${bound}, got ${show(input)}` };
      }
      return { path, problem: issue.message };
    default:
      return { path, problem: issue.message };
  }
}

function article(type: string): string {
  const noun = type === 'record' ? 'object' : type === 'int' ? 'whole number' : type;
  return /^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return JSON.stringify(value);
}

/** Minimal view of zod 4's schema definitions, enough to walk to the object at a key path. */
interface SchemaDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  values?: unknown[];
}

function def(schema: z.ZodType): SchemaDef {
  return (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;
}

/** The schemas that a value at `path` may match, wrappers (optional, default) removed. */
function schemasAt(schema: z.ZodType, path: readonly PropertyKey[]): z.ZodType[] {
  let current = [schema];
  for (const key of path) current = current.flatMap(unwrap).flatMap((s) => child(s, String(key)));
  return current.flatMap(unwrap);
}

function unwrap(schema: z.ZodType): z.ZodType[] {
  const d = def(schema);
  if (d.innerType) return unwrap(d.innerType);
  if (d.type === 'pipe' && d.in) return unwrap(d.in);
  if (d.type === 'union' && d.options) return d.options.flatMap(unwrap);
  return [schema];
}

function child(schema: z.ZodType, key: string): z.ZodType[] {
  const d = def(schema);
  if (d.type === 'object' && d.shape?.[key]) return [d.shape[key]];
  if (d.type === 'record' && d.valueType) return [d.valueType];
  return [];
}

function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  return schemasAt(schema, path).flatMap((s) => Object.keys(def(s).shape ?? {}));
}

/** `"email", a string or an object` for a union of literals and plain shapes. */
function unionShapes(schema: z.ZodType, path: readonly PropertyKey[]): string {
  const kinds = [
    ...new Set(
      schemasAt(schema, path).flatMap((s) => {
        const d = def(s);
        return d.type === 'literal' && d.values ? d.values.map(show) : [article(d.type)];
      }),
    ),
  ];
  if (kinds.length === 0) return 'a valid value';
  return kinds.length === 1 ? kinds[0]! : `${kinds.slice(0, -1).join(', ')} or ${kinds.at(-1)}`;
}
