/** Who is in a csm's book of business: the accounts whose user fields name it, and its grants. */
import { describe, expect, it } from 'vitest';
import { inBook } from '../../src/api/book.js';
import type { Principal } from '../../src/api/tokens/store.js';

const FIELDS = {
  name: { type: 'text' },
  notes: { type: 'text' },
  csm: { type: 'user' },
  csm_manager: { type: 'user' },
} as const;

const ann: Principal = { name: 'ann', role: 'csm', user: 'Ann@Example.com', createdAt: '2026-05-04T10:00:00Z' };

describe('book of business', () => {
  it('holds the accounts any user field names the csm in, whatever the case', () => {
    expect(inBook(ann, FIELDS, { id: 'a', csm: 'ann@example.com' })).toBe(true);
    expect(inBook(ann, FIELDS, { id: 'b', csm: 'bob@example.com', csm_manager: 'ANN@example.com' })).toBe(true);
  });

  it('leaves out accounts where only a field of another type, or nothing, names the csm', () => {
    expect(inBook(ann, FIELDS, { id: 'c', csm: 'bob@example.com', notes: 'ann@example.com' })).toBe(false);
    expect(inBook(ann, FIELDS, { id: 'd', name: 'ann@example.com' })).toBe(false);
    expect(inBook(ann, {}, { id: 'e', csm: 'ann@example.com' })).toBe(false);
  });

  it('holds the granted accounts too', () => {
    expect(inBook({ ...ann, grants: ['f'] }, FIELDS, { id: 'f', csm: 'bob@example.com' })).toBe(true);
    expect(inBook({ ...ann, grants: ['f'] }, FIELDS, { id: 'g' })).toBe(false);
  });
});
