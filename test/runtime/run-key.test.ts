/**
 * Run keys (`one run per account and ticket.id`): the values that name a run, in its workflow
 * id; v1 playbooks keep `playbook:<playbook>:<account>`.
 */
import { describe, expect, it } from 'vitest';
import { defaultCalendar } from '../../src/calendar/index.js';
import type { PlaybookIr } from '../../src/ir/types.js';
import { runKeyOf } from '../../src/runtime/run-key.js';
import { workflowIdOf } from '../../src/temporal/contract.js';

const playbook = (runKey?: PlaybookIr['runKey']): PlaybookIr => ({
  id: 'ladder',
  title: null,
  file: 'ladder.playbook',
  line: 1,
  owner: null,
  description: null,
  triggers: [{ kind: 'event', name: 'ticket.escalated', as: 'ticket', where: null }],
  calendar: null,
  sendWindow: null,
  exitWhen: [],
  ...(runKey && { runKey }),
  body: [],
});
const keyed = playbook([{ op: 'eventField', event: 'ticket', path: ['id'] }]);
const keyOf = (p: PlaybookIr, bindings?: Record<string, Record<string, unknown>>) => runKeyOf(p, { id: 'acme' }, bindings, 0, defaultCalendar);

describe('run keys', () => {
  it('are empty for a playbook without one, whose workflow id stays as in v1', () => {
    expect(keyOf(playbook(), { ticket: { id: 'T-1' } })).toEqual({ key: [] });
    expect(workflowIdOf('ladder', 'acme', [])).toBe('playbook:ladder:acme');
    expect(workflowIdOf('ladder', 'acme')).toBe('playbook:ladder:acme');
  });

  it('read the triggering event, so two tickets name two runs and the same ticket the same run', () => {
    const id = (ticket: string) => {
      const k = keyOf(keyed, { ticket: { id: ticket } });
      return 'key' in k ? workflowIdOf('ladder', 'acme', k.key) : k.missing;
    };
    expect(id('T-1')).toBe('playbook:ladder:acme:T-1');
    expect(id('T-2')).toBe('playbook:ladder:acme:T-2');
    expect(id('T-1')).toBe(id('T-1'));
  });

  it('encode a `:` in a value, and name the part that has no value', () => {
    const k = keyOf(keyed, { ticket: { id: 'zendesk:42' } });
    expect('key' in k && workflowIdOf('ladder', 'acme', k.key)).toBe('playbook:ladder:acme:zendesk%3A42');
    expect(keyOf(keyed)).toEqual({ missing: 'ticket.id' });
    expect(keyOf(keyed, { ticket: { id: '' } })).toEqual({ missing: 'ticket.id' });
  });
});
