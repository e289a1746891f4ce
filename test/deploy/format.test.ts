/** What `playbook deploy` and `playbook deployed` print. */
import { describe, expect, it } from 'vitest';
import { describeTrigger } from '../../src/ir/describe-trigger.js';
import { deployedJson, formatDeployed, formatDeployResult } from '../../src/deploy/format.js';
import type { DeployResult } from '../../src/temporal/registry-contract.js';

const result: DeployResult = {
  generation: 3,
  added: [{ id: 'onboarding-enterprise', version: '3f2a9c1d0e4b5a67' }],
  changed: [{ id: 'renewal-readiness', from: '0a1b2c3d4e5f6071', to: '9e8d7c6b5a493827' }],
  removed: [{ id: 'old-check', version: '1234567890abcdef' }],
  unchanged: [{ id: 're-engagement', version: 'aaaabbbbccccdddd' }],
  fieldsChanged: false,
};
const nothing: DeployResult = { generation: 3, added: [], changed: [], removed: [], unchanged: result.unchanged, fieldsChanged: false };

describe('formatDeployResult', () => {
  it('lists new, changed, removed and unchanged playbooks and how the accounts were told', () => {
    expect(formatDeployResult({ dryRun: false, result, notified: { via: 'batch', jobId: 'triggers-changed-3-x' } })).toBe(
      [
        'deployed generation 3',
        '  new        onboarding-enterprise  3f2a9c1d0e4b5a67',
        '  changed    renewal-readiness      0a1b2c3d4e5f6071 → 9e8d7c6b5a493827',
        '  removed    old-check              1234567890abcdef',
        '  unchanged  re-engagement          aaaabbbbccccdddd',
        'account entities told to re-read their triggers (batch operation triggers-changed-3-x)',
        '',
      ].join('\n'),
    );
  });

  it('says when nothing changed', () => {
    expect(formatDeployResult({ dryRun: false, result: nothing, notified: null })).toBe(
      'nothing changed (generation 3)\n  unchanged  re-engagement  aaaabbbbccccdddd\n',
    );
  });

  it('says a dry run registered nothing', () => {
    expect(
      formatDeployResult({ dryRun: true, result: { ...result, fieldsChanged: true }, notified: null })
        .split('\n')
        .slice(0, 1),
    ).toEqual(['dry run, nothing registered: deploying would make generation 3']);
    expect(formatDeployResult({ dryRun: true, result: { ...result, fieldsChanged: true }, notified: null })).toContain('\n  account fields changed\n');
    expect(formatDeployResult({ dryRun: true, result: nothing, notified: null })).toMatch(
      /^dry run, nothing registered: nothing would change \(generation 3\)\n/,
    );
  });

  it('shows signalled accounts and a failed notification as a warning', () => {
    expect(formatDeployResult({ dryRun: false, result, notified: { via: 'signals', count: 2 } })).toContain(
      '\naccount entities told to re-read their triggers (2 signalled)\n',
    );
    expect(formatDeployResult({ dryRun: false, result, notified: { via: 'none', problem: 'server busy' } })).toContain(
      '\nwarning: account entities were not told to re-read their triggers (server busy); they re-read them daily\n',
    );
  });
});

const field = (name: string) => ({ op: 'field' as const, field: name });
const lit = (value: string | number) => ({ op: 'lit' as const, type: typeof value === 'number' ? ('number' as const) : ('text' as const), value });

describe('describeTrigger', () => {
  it('writes each trigger kind as the playbook line declares it', () => {
    expect(describeTrigger({ kind: 'manual' })).toBe('manual');
    expect(
      describeTrigger({ kind: 'event', name: 'account.created', where: { op: 'compare', cmp: '=', left: field('segment'), right: lit('enterprise') } }),
    ).toBe('on event "account.created" where account.segment = enterprise');
    // The `as` name is part of the line: a `where` reading the payload names what it declared.
    expect(
      describeTrigger({
        kind: 'event',
        name: 'nps.response',
        as: 'response',
        where: { op: 'compare', cmp: '<=', left: { op: 'eventField', event: 'response', path: ['score'] }, right: lit(6) },
      }),
    ).toBe('on event "nps.response" as response where response.score <= 6');
    expect(describeTrigger({ kind: 'relative', offset: { amount: 90, unit: 'day' }, direction: 'before', field: 'renewal_date', where: null })).toBe(
      '90 days before account.renewal_date',
    );
    expect(describeTrigger({ kind: 'when', condition: { op: 'compare', cmp: '<', left: field('health'), right: lit(50) } })).toBe('when account.health < 50');
  });
});

describe('formatDeployed', () => {
  const summary = {
    generation: 2,
    deployedAt: '2026-01-06T10:00:00.000Z',
    fields: {},
    playbooks: [
      {
        id: 'renewal-readiness',
        title: '90-day renewal readiness',
        version: '9e8d7c6b5a493827',
        deployedAt: '2026-01-06T10:00:00.000Z',
        deployedBy: 'cli:bob',
        triggers: [
          { kind: 'relative' as const, offset: { amount: 90, unit: 'day' as const }, direction: 'before' as const, field: 'renewal_date', where: null },
        ],
        history: [{ version: '0a1b2c3d4e5f6071', deployedAt: '2026-01-05T10:00:00.000Z', deployedBy: 'cli:ann' }],
        enabled: true,
        switchedBy: null,
        switchedAt: null,
      },
      {
        id: 'check',
        title: null,
        version: 'aaaabbbbccccdddd',
        deployedAt: '2026-01-05T10:00:00.000Z',
        deployedBy: 'cli:ann',
        triggers: [{ kind: 'manual' as const }, { kind: 'event' as const, name: 'check.now', where: null }],
        history: [],
        enabled: true,
        switchedBy: null,
        switchedAt: null,
      },
    ],
  };

  it('shows each playbook with its version, who deployed it when, and its triggers', () => {
    expect(formatDeployed(summary)).toBe(
      [
        'generation 2, last changed 2026-01-06 10:00:00Z',
        '',
        'renewal-readiness "90-day renewal readiness"',
        '  version  9e8d7c6b5a493827 (deployed 2026-01-06 10:00:00Z by cli:bob; 1 earlier version)',
        '  trigger  90 days before account.renewal_date',
        '',
        'check',
        '  version  aaaabbbbccccdddd (deployed 2026-01-05 10:00:00Z by cli:ann)',
        '  trigger  manual',
        '  trigger  on event "check.now"',
        '',
      ].join('\n'),
    );
  });

  it('marks a disabled playbook with who switched it off when', () => {
    const off = { ...summary, playbooks: [{ ...summary.playbooks[1]!, enabled: false, switchedBy: 'cli:cy', switchedAt: '2026-01-07T08:30:00.000Z' }] };
    expect(formatDeployed(off)).toBe(
      [
        'generation 2, last changed 2026-01-06 10:00:00Z',
        '',
        'check  [disabled]',
        '  version  aaaabbbbccccdddd (deployed 2026-01-05 10:00:00Z by cli:ann)',
        '  disabled by cli:cy at 2026-01-07 08:30:00Z: no new runs start (`playbook enable check`)',
        '  trigger  manual',
        '  trigger  on event "check.now"',
        '',
      ].join('\n'),
    );
  });

  it('says when nothing is deployed', () => {
    expect(formatDeployed({ generation: 0, deployedAt: null, fields: {}, playbooks: [] })).toBe('nothing is deployed (generation 0): run `playbook deploy`\n');
  });

  it('adds the triggers as text to the JSON', () => {
    expect((deployedJson(summary) as { playbooks: Array<{ triggerText: string[] }> }).playbooks[1]!.triggerText).toEqual(['manual', 'on event "check.now"']);
  });
});
