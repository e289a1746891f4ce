import { describe, expect, it } from 'vitest';
import { playbookToMermaid } from '../../src/graph/mermaid.js';
import { lowerFiles, TEMPLATE } from '../ir/helpers.js';

const SMALL = `playbook onboarding "Small onboarding"
  stage kickoff "Kickoff":
    email account.primary_contact template "welcome"
    wait for event "kickoff.held" up to 10 business days:
      after 3 business days:
        notify account.csm "Kickoff for {account.name} not held yet"
      after 5 business days:
        escalate to account.csm_manager "Kickoff overdue"
      on timeout:
        escalate to account.csm_manager severity high "No kickoff"
        stop with outcome "stalled"
  stage adoption:
    if account.arr > 50000:
      task "Plan QBR" for account.csm due in 5 business days as qbr
    else if account.segment is smb:
      note "Self-serve"
    repeat every 1 week at most 4 times:
      notify account.csm "Check usage of {account.name}"
    run playbook renewal

playbook renewal
  note "renewal"
`;

describe('playbookToMermaid', () => {
  it('draws stages, waits with rungs and timeouts, branches, loops and stops (golden)', async () => {
    const program = lowerFiles({ 'main.playbook': SMALL }, 'onboarding', { welcome: TEMPLATE });
    await expect(playbookToMermaid(program)).toMatchFileSnapshot('__snapshots__/small-onboarding.mmd');
  });

  it('labels a `wait for any of` with every waitable, its rungs and its timeout path', () => {
    const source = `playbook trial
  task "Review" for account.csm as review:
    ask converts "Converts?" yes/no
  wait for any of up to 15 business days:
    event "subscription.started" as subscription
    task review
    account.health > 90
    after 5 business days:
      notify account.csm "Review not in yet"
    on timeout:
      stop with outcome "no-decision"
  note "decided"
`;
    const chart = playbookToMermaid(lowerFiles({ 'main.playbook': source }, 'trial'));
    expect(chart).toContain('n1{{"wait for any of event subscription.started as subscription, task review, account.health #62; 90 up to 15 business days"}}');
    expect(chart).toContain('n1 -.->|"after 5 business days"| n1_r0_0');
    expect(chart).toContain('n1 -->|"on timeout"| n1_timeout_0');
  });

  it('is deterministic', () => {
    const draw = () => playbookToMermaid(lowerFiles({ 'main.playbook': SMALL }, 'onboarding', { welcome: TEMPLATE }));
    expect(draw()).toBe(draw());
  });

  it('escapes quotes, brackets and markup in labels', () => {
    const program = lowerFiles({ 'main.playbook': 'playbook p "Say \\"hi\\" [now]"\n  note "a <b> {account.name} (x) | #1 & [y]"\n' }, 'p');
    const text = playbookToMermaid(program);
    expect(text).toContain('start(["p: Say #34;hi#34; #91;now#93;"])');
    expect(text).toContain('n0["note: a #60;b#62; #123;account.name#125; #40;x#41; #124; #35;1 #38; #91;y#93;"]');
  });

  it('lists goals as notes off the start, and none for a playbook without goals', () => {
    const program = lowerFiles(
      {
        'main.playbook':
          'playbook p\n  goal kickoff "K" target 90%:\n    stage kickoff within 3 business days\n  goal seats "S" target 80%:\n    account.arr > 100 within 1 week of stage kickoff\n  stage kickoff:\n    note "k"\n',
      },
      'p',
    );
    const text = playbookToMermaid(program);
    expect(text).toContain('  goal0[/"goal kickoff: stage kickoff within 3 business days, target 90%"/]');
    expect(text).toContain('  goal1[/"goal seats: account.arr #62; 100 within 1 week of stage kickoff, target 80%"/]');
    expect(text).toContain('  start -.- goal0\n  start -.- goal1\n');
    expect(playbookToMermaid(lowerFiles({ 'main.playbook': SMALL }, 'onboarding', { welcome: TEMPLATE }))).not.toContain('goal');
  });

  it('draws a loop without a limit as a dead end and no end node after it', () => {
    const program = lowerFiles({ 'main.playbook': 'playbook p\n  repeat every 1 day:\n    note "tick"\n' }, 'p');
    expect(playbookToMermaid(program)).toBe(
      [
        'flowchart TD',
        '  start(["p"])',
        '  n0{{"repeat every 1 day"}}',
        '  n0_0["note: tick"]',
        '  start --> n0',
        '  n0 --> n0_0',
        '  n0_0 -->|"next round"| n0',
        '',
      ].join('\n'),
    );
  });
});
