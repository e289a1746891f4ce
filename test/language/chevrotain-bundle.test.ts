/**
 * The front end loads chevrotain from the one-file build its package ships; it must be the
 * same chevrotain as the package entry (the one the types describe).
 */
import * as entry from 'chevrotain';
import { describe, expect, it } from 'vitest';
import * as front from '../../src/language/chevrotain.js';

describe('chevrotain for the front end', () => {
  it('is the version of the installed package', async () => {
    const bundle = (await import(new URL('../chevrotain.mjs', import.meta.resolve('chevrotain')).href)) as typeof entry;
    expect(bundle.VERSION).toBe(entry.VERSION);
    expect(Object.keys(bundle).sort()).toEqual(Object.keys(entry).sort());
  });

  it('gives every value the front end uses', () => {
    for (const [name, value] of Object.entries(front)) expect(value, name).toBeDefined();
  });
});
