/**
 * The worker's default cache size: from its memory budget (worker.memoryMb, else half of the
 * process's memory, at most 2 GB), less a reserve, at the measured 0.6 MB a run, never below the floor.
 */
import { totalmem } from 'node:os';
import { expect, test } from 'vitest';
import { UserError } from '../../src/errors.js';
import { defaultMaxCachedWorkflows, maxCachedWorkflowsFor, processMemory, WORKER_MEMORY_ENV, workerMemoryBudget } from '../../src/temporal/worker.js';

const MB = 1024 * 1024;
const GB = 1024 * MB;

test('a worker caches a run per 0.6 MB of its memory budget above a 768 MB reserve', () => {
  expect(maxCachedWorkflowsFor(2 * GB)).toBe(2133);
  expect(maxCachedWorkflowsFor(8 * GB)).toBe(12_373);
});

test('the budget is worker.memoryMb when set, else half of the process memory, at most 2 GB', () => {
  expect(workerMemoryBudget(3000, {})).toBe(3000 * MB);
  expect(workerMemoryBudget(null, { [WORKER_MEMORY_ENV]: '2048' })).toBe(1 * GB);
  expect(workerMemoryBudget(null, { [WORKER_MEMORY_ENV]: '65536' })).toBe(2 * GB);
  // 10,000 waiting runs on a default worker: 2,133 cached, the rest replayed when they wake.
  expect(defaultMaxCachedWorkflows(null, { [WORKER_MEMORY_ENV]: '65536' })).toBe(2133);
});

test('a small budget still caches the floor of 100 runs', () => {
  expect(maxCachedWorkflowsFor(512 * MB)).toBe(100);
  expect(maxCachedWorkflowsFor(800 * MB)).toBe(100);
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
