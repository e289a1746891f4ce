import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkWorkspace } from '../../src/check/check.js';
import { lowerPlaybook } from '../../src/ir/lower.js';
import { parseIr } from '../../src/ir/schema.js';
import type { ExprIr, IrProgram } from '../../src/ir/types.js';
import { buildWorkspace } from '../../src/workspace/build.js';
import { flattenSteps, TEMPLATE } from './helpers.js';

const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/all-constructs.playbook');

function lowerFixture(): IrProgram {
  const workspace = buildWorkspace(
    'fixtures',
    [{ path: 'fixtures/all-constructs.playbook', relPath: 'all-constructs.playbook', text: readFileSync(FIXTURE, 'utf8') }],
    [{ path: 'fixtures/templates/welcome-enterprise.md', relPath: 'templates/welcome-enterprise.md', text: TEMPLATE }],
  );
  const { diagnostics, model } = checkWorkspace(workspace);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return lowerPlaybook(model, 'all-constructs');
}

/** The `op` of every expression node in a JSON value. */
function ops(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(ops);
  if (value === null || typeof value !== 'object') return [];
  const own = 'op' in value ? [(value as ExprIr).op] : [];
  return [...own, ...Object.values(value).flatMap(ops)];
}

describe('lowering the all-constructs fixture', () => {
  const program = lowerFixture();
  const all = Object.values(program.playbooks).flatMap((p) => flattenSteps(p.body));

  it('passes the schema, also after a JSON round trip', () => {
    expect(parseIr(JSON.parse(JSON.stringify(program)))).toEqual(program);
  });

  it('holds every step kind, trigger kind and expression operator', () => {
    expect(new Set(all.map((s) => s.kind))).toEqual(
      new Set([
        'email',
        'notify',
        'task',
        'escalate',
        'wait',
        'waitUntil',
        'waitFor',
        'if',
        'repeat',
        'set',
        'webhook',
        'runPlaybook',
        'stage',
        'note',
        'stop',
      ]),
    );
    expect(program.playbooks['all-constructs']!.triggers.map((t) => t.kind)).toEqual(['manual', 'event', 'relative', 'relative', 'when']);
    expect(new Set(ops(program))).toEqual(
      new Set([
        'field',
        'eventField',
        'answer',
        'param',
        'lit',
        'today',
        'compare',
        'in',
        'and',
        'or',
        'not',
        'daysUntil',
        'daysSince',
        'businessDaysSince',
        'offset',
        'arith',
      ]),
    );
  });

  it('gives every step an id unique in its playbook and a source line', () => {
    for (const playbook of Object.values(program.playbooks)) {
      const ids = flattenSteps(playbook.body).map((s) => s.id);
      expect(new Set(ids).size).toBe(ids.length);
    }
    expect(all.every((s) => Number.isInteger(s.line) && s.line > 0)).toBe(true);
  });

  it('brings along the child playbook, both calendars and only the template used', () => {
    expect(Object.keys(program.playbooks)).toEqual(['all-constructs', 'follow-up', 'renewal-prep']);
    expect(Object.keys(program.calendars)).toEqual(['emea-support', 'us-business']);
    expect(program.calendars['emea-support']).toMatchObject({ timezone: [{ zone: 'Europe/Berlin' }], workingDays: [1, 2, 3, 4, 5], workingHours: null });
    expect(program.calendars['us-business']!.holidays).toEqual([
      { date: '2026-12-24', name: 'Office closed' },
      { date: '2026-12-31', name: null },
    ]);
    expect(Object.keys(program.templates)).toEqual(['welcome-enterprise']);
  });

  it('lowers parameters, the with list and params references; a playbook with parameters has no trigger', () => {
    const child = program.playbooks['follow-up']!;
    expect(child.parameters).toEqual([
      { name: 'owner', type: { type: 'user' } },
      { name: 'days', type: { type: 'number' } },
      { name: 'due', type: { type: 'date' } },
      { name: 'urgent', type: { type: 'yes/no' } },
      { name: 'channel', type: { type: 'text' }, default: 'phone' },
    ]);
    expect(child.triggers).toEqual([]);
    expect(child.body[0]).toMatchObject({ kind: 'task', assignee: { kind: 'param', param: 'owner' } });
    const call = all.find((s) => s.kind === 'runPlaybook' && s.playbook === 'follow-up');
    expect(call).toMatchObject({ with: [{ name: 'owner', value: { op: 'field', field: 'csm' } }, { name: 'days' }, { name: 'due' }, { name: 'urgent' }] });
    expect(all.find((s) => s.kind === 'runPlaybook' && s.playbook === 'renewal-prep')).not.toHaveProperty('with');
    expect(program.playbooks['renewal-prep']).not.toHaveProperty('parameters');
  });

  it('lowers goals with every milestone and anchor, `start` when none is written; other playbooks have no goals key', () => {
    const goals = program.playbooks['all-constructs']!.goals!;
    expect(goals.map((g) => [g.id, g.title, g.target, g.milestone.kind, g.anchor.kind])).toEqual([
      ['kickoff', 'Kickoff within 10 business days', 90, 'event', 'start'],
      ['training', 'Admin trained within 15 business days of kickoff', 85, 'taskDone', 'event'],
      ['adoption', null, 80, 'stage', 'taskCreated'],
      ['healthy', 'Healthy in the first quarter', 75.5, 'condition', 'stage'],
      ['kickoff-fast', 'Kickoff within a week', 100, 'event', 'start'],
    ]);
    expect(goals[1]).toMatchObject({ milestone: { task: 'training' }, anchor: { event: 'kickoff.held' }, within: { amount: 15, unit: 'business day' } });
    expect(goals[3]!.milestone).toMatchObject({ condition: { op: 'compare', cmp: '>=' } });
    expect(goals.every((g) => Number.isInteger(g.line) && g.line > 0)).toBe(true);
    expect(program.playbooks['follow-up']).not.toHaveProperty('goals');
  });

  it('keeps escaped quotes and braces of literals as written', () => {
    const note = all.find((s) => s.kind === 'note' && typeof s.text[0] === 'string' && s.text[0].startsWith('Literal'));
    expect(note).toMatchObject({ text: ['Literal {braces} and a backslash \\ in a note'] });
  });
});
