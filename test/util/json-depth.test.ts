import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, jsonDepthProblem } from '../../src/util/json-depth.js';

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

describe('jsonDepthProblem', () => {
  it('accepts JSON up to the limit and refuses one level more', () => {
    expect(jsonDepthProblem(nested(MAX_JSON_DEPTH))).toBeNull();
    expect(jsonDepthProblem(`{"a":${nested(MAX_JSON_DEPTH)}}`)).toBe(`nests deeper than ${MAX_JSON_DEPTH} levels of arrays and objects`);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(jsonDepthProblem(JSON.stringify({ a: '\\"' + '['.repeat(1000) }))).toBeNull();
  });

  it('refuses a document of 6,000 levels', () => {
    expect(jsonDepthProblem(nested(6000))).not.toBeNull();
  });
});
