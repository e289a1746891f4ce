import { describe, expect, it } from 'vitest';
import { deployedTriggerNamer, formatAccount, RECENT_TRIGGERS } from '../../src/accounts/format-account.js';
import type { AccountState, TriggerRecord } from '../../src/temporal/account-contract.js';

const base: AccountState = {
  accountId: 'acct-acme-001',
  data: { id: 'acct-acme-001', name: 'Acme Corporation', arr: 240000, strategic: true, renewal_date: null },
  openRuns: [],
  planned: [],
  conditions: {},
  triggerLog: [],
  endedRuns: [],
  alerts: [],
  generation: 1,
};

describe('accounts show, human form', () => {
  it('prints the data aligned and says none for empty sections', () => {
    expect(formatAccount(base)).toBe(
      [
        'account acct-acme-001',
        'data:',
        '  name          Acme Corporation',
        '  arr           240000',
        '  strategic     yes',
        '  renewal_date  -',
        'open runs:',
        '  none',
        'planned date triggers:',
        '  none',
        'when conditions:',
        '  none',
        'recent triggers:',
        '  none',
        '',
      ].join('\n'),
    );
  });

  it('prints runs, planned firings, conditions and the newest triggers as aligned tables', () => {
    const deployed = deployedTriggerNamer([
      {
        id: 'renewal-readiness',
        title: null,
        version: 'v1',
        deployedAt: '2026-01-01T00:00:00.000Z',
        deployedBy: 'ops',
        triggers: [{ kind: 'relative', offset: { amount: 90, unit: 'day' }, direction: 'before', field: 'renewal_date', where: null }],
        history: [],
      },
    ]);
    const record = (i: number): TriggerRecord => ({
      at: `2026-01-${String(i).padStart(2, '0')}T14:00:00.000Z`,
      playbook: 'support-escalation',
      kind: 'event',
      detail: 'event "ticket.escalated"',
      outcome: i === 12 ? 'alreadyOpen' : 'started',
      workflowId: 'playbook:support-escalation:acct-acme-001:SUP-48213',
    });
    const text = formatAccount(
      {
        ...base,
        openRuns: ['playbook:support-escalation:acct-acme-001:SUP-48213'],
        planned: [{ playbook: 'renewal-readiness', trigger: 0, field: 'renewal_date', date: '2026-04-20', fireAt: '2026-01-20T14:00:00.000Z' }],
        conditions: { 're-engagement#1': false },
        triggerLog: Array.from({ length: 12 }, (_, i) => record(i + 1)),
      },
      deployed,
    );
    expect(text).toContain(
      [
        'open runs:',
        '  playbook:support-escalation:acct-acme-001:SUP-48213',
        'planned date triggers:',
        '  FIRES AT           PLAYBOOK           TRIGGER                              DATE',
        '  2026-01-20 14:00Z  renewal-readiness  90 days before account.renewal_date  2026-04-20',
        'when conditions:',
        '  re-engagement  trigger #2  false',
        `recent triggers (last ${RECENT_TRIGGERS} of 12):`,
        '  AT                 PLAYBOOK            KIND   DETAIL                    OUTCOME       RUN',
        '  2026-01-03 14:00Z  support-escalation  event  event "ticket.escalated"  started       playbook:support-escalation:acct-acme-001:SUP-48213',
      ].join('\n'),
    );
    expect(text).toContain(
      '2026-01-12 14:00Z  support-escalation  event  event "ticket.escalated"  already open  playbook:support-escalation:acct-acme-001:SUP-48213\n',
    );
    expect(text).not.toContain('2026-01-02 14:00Z');
  });

  it('says what the enrollment throttle did: queued with its position, started from its queue, dropped with the reason', () => {
    const fired = { playbook: 'welcome', kind: 'event', detail: 'event "signed.up"' } as const;
    const text = formatAccount({
      ...base,
      triggerLog: [
        { ...fired, at: '2026-01-05T10:00:00.000Z', outcome: 'queued', note: 'by the enrollment throttle (2 per day), position 3' },
        { ...fired, at: '2026-01-06T23:00:00.000Z', outcome: 'dropped', error: 'its run playbook:welcome:acct-acme-001 is open' },
      ],
    });
    expect(text).toContain('event "signed.up"  queued by the enrollment throttle (2 per day), position 3  -\n');
    expect(text).toContain('event "signed.up"  dropped                                                    its run playbook:welcome:acct-acme-001 is open\n');
  });
});

describe('accounts show with a store', () => {
  it('shows the trigger log and the recent events from the store, oldest first, a refused start and the triggers an event fired', () => {
    const at = (minute: number) => new Date(Date.UTC(2026, 0, 6, 9, minute)).toISOString();
    const text = formatAccount(base, deployedTriggerNamer([]), {
      triggers: [
        {
          seq: 3,
          at: at(2),
          playbook: 'nope',
          kind: 'manual',
          detail: 'manual by ann',
          outcome: 'refused',
          workflowId: null,
          version: null,
          error: 'playbook nope is not deployed',
          note: null,
          eventSeq: null,
        },
        {
          seq: 1,
          at: at(1),
          playbook: 'welcome',
          kind: 'event',
          detail: 'event "account.created"',
          outcome: 'started',
          workflowId: 'playbook:welcome:acme',
          version: 'v1',
          error: null,
          note: null,
          eventSeq: 0,
        },
      ],
      events: [
        {
          seq: 0,
          eventId: 'crm-1',
          name: 'account.created',
          payload: null,
          source: 'api:crm',
          receivedAt: at(1),
          outcome: 'applied',
          reachedRuns: ['playbook:rescue:acme'],
          error: null,
          triggers: [{ seq: 1, playbook: 'welcome', outcome: 'started', workflowId: 'playbook:welcome:acme' }],
        },
      ],
    });
    expect(text.split('\n').slice(-8)).toEqual([
      'recent triggers (from the store):',
      '  AT                 PLAYBOOK  KIND    DETAIL                   OUTCOME  RUN',
      '  2026-01-06 09:01Z  welcome   event   event "account.created"  started  playbook:welcome:acme',
      '  2026-01-06 09:02Z  nope      manual  manual by ann            refused  playbook nope is not deployed',
      'recent events (from the store):',
      '  RECEIVED           EVENT            FROM     OUTCOME  REACHED               FIRED',
      '  2026-01-06 09:01Z  account.created  api:crm  applied  playbook:rescue:acme  welcome started',
      '',
    ]);
  });
});
