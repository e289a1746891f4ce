/**
 * The worker's default cache size: from the memory the process may use (half of it, less a
 * reserve, at 1 MB a run), bounded by the V8 heap, never below the floor.
 */
import { totalmem } from 'node:os';
import { expect, test } from 'vitest';
import { UserError } from '../../src/errors.js';
import { maxCachedWorkflowsFor, processMemory, WORKER_MEMORY_ENV } from '../../src/temporal/worker.js';

const MB = 1024 * 1024;
const GB = 1024 * MB;

test('a worker caches a run per MB of half its memory above a 512 MB reserve', () => {
  expect(maxCachedWorkflowsFor({ memory: 4 * GB, heapLimit: 4 * GB })).toBe(1536);
  expect(maxCachedWorkflowsFor({ memory: 24 * GB, heapLimit: 8 * GB })).toBe(11_776);
});

test('the V8 heap bounds the cache when it is the smaller budget', () => {
  // 16 GB of memory would allow 7,680 runs; a 1 GB heap holds (1024 - 256) × 4 of them.
  expect(maxCachedWorkflowsFor({ memory: 16 * GB, heapLimit: 1 * GB })).toBe(3072);
});

test('a small machine still caches the floor of 100 runs', () => {
  expect(maxCachedWorkflowsFor({ memory: 512 * MB, heapLimit: 512 * MB })).toBe(100);
  expect(maxCachedWorkflowsFor({ memory: 1 * GB, heapLimit: 4 * GB })).toBe(100);
});

test(`${WORKER_MEMORY_ENV} names the process's memory, else the machine's RAM or a lower cgroup limit counts`, () => {
  expect(processMemory({ [WORKER_MEMORY_ENV]: '2048' })).toBe(2 * GB);
  const memory = processMemory({});
  expect(memory).toBeGreaterThan(0);
  expect(memory).toBeLessThanOrEqual(totalmem());
});

test(`a bad ${WORKER_MEMORY_ENV} is a one-line user error`, () => {
  for (const bad of ['', 'lots', '1.5', '-1', '0']) {
    expect(() => processMemory({ [WORKER_MEMORY_ENV]: bad })).toThrow(UserError);
  }
  expect(() => processMemory({ [WORKER_MEMORY_ENV]: '2GB' })).toThrow(`${WORKER_MEMORY_ENV} must be a whole number of megabytes, got "2GB"`);
});
