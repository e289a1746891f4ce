import { describe, expect, it } from 'vitest';
import { runAddressOf, runKeyOfQuery, runPathOf, workflowIdOfAddress } from '../../src/api/run-path.js';
import { runKeyOfWorkflowId, workflowIdOf } from '../../src/temporal/contract.js';

describe('run addresses', () => {
  it('keeps the plain path of an unkeyed run and adds one key parameter per value, in order', () => {
    expect(runPathOf('/runs', { playbook: 'checkin', accountId: 'acme', key: [] })).toBe('/runs/checkin/acme');
    expect(runPathOf('/tasks', { playbook: 'ticket', accountId: 'a/b', key: ['T/1:a', 'eu'] }, ['triage'], { done: 'paused' })).toBe(
      '/tasks/ticket/a%2Fb/triage?key=T%2F1%3Aa&key=eu&done=paused',
    );
  });

  it('reads back the key of a workflow id, an account with a colon included', () => {
    for (const [accountId, key] of [
      ['acme', []],
      ['acme', ['T:1', 'x/y']],
      ['acme:eu', []],
      ['acme:eu', ['T-2']],
    ] as const) {
      const workflowId = workflowIdOf('ticket', accountId, key);
      expect(runKeyOfWorkflowId(workflowId, 'ticket', accountId)).toEqual(key);
      expect(workflowIdOfAddress(runAddressOf({ playbook: 'ticket', accountId, workflowId }))).toBe(workflowId);
    }
    expect(runKeyOfWorkflowId('playbook:other:acme:T-1', 'ticket', 'acme')).toBeNull();
    expect(runKeyOfQuery(undefined)).toEqual([]);
    expect(runKeyOfQuery('T-1')).toEqual(['T-1']);
    expect(runKeyOfQuery(['T-1', 'eu'])).toEqual(['T-1', 'eu']);
  });
});
