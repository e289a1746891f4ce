import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/ir/canonical.js';

describe('canonicalJson', () => {
  it('sorts object keys at every depth and writes no whitespace', () => {
    const value = { b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } };
    expect(canonicalJson(value)).toBe('{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
  });

  it('gives the same text whatever order the keys were built in', () => {
    const one = { playbooks: { x: 1, y: 2 }, entry: 'x' };
    const other = { entry: 'x', playbooks: { y: 2, x: 1 } };
    expect(canonicalJson(one)).toBe(canonicalJson(other));
  });

  it('sorts keys by code unit, not by locale', () => {
    expect(canonicalJson({ b: 0, B: 0, a: 0, _: 0 })).toBe('{"B":0,"_":0,"a":0,"b":0}');
  });

  it('writes numbers in their shortest round-trip form', () => {
    expect(canonicalJson([1.0, 0.5, 1e21, -0, 50000])).toBe('[1,0.5,1e+21,0,50000]');
  });

  it('escapes strings as JSON does', () => {
    expect(canonicalJson({ 'k"ey': 'line\nquote"' })).toBe('{"k\\"ey":"line\\nquote\\""}');
  });

  it('leaves out undefined members', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
  });

  it('refuses numbers JSON cannot hold', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(/NaN/);
    expect(() => canonicalJson([Infinity])).toThrow(/Infinity/);
  });
});
