/**
 * Account-provided text reaches people's terminals only with its control characters made
 * visible: an OSC 8 link, a colour change or a CR/LF that forges a line would otherwise be
 * acted on by the terminal.
 */
import { describe, expect, it } from 'vitest';
import { formatAccount } from '../../src/accounts/format-account.js';
import type { ResolvedCalendar } from '../../src/calendar/index.js';
import { bufferIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { formatRunTable } from '../../src/ops/run-table.js';
import { formatSimulation } from '../../src/simulate/format.js';

const EVIL = 'Acme\x1b]8;;http://evil.example\x07click\x1b]8;;\x07\r\nfake: line\x1b[2J';
const SHOWN = 'Acme\\u001b]8;;http://evil.example\\u0007click\\u001b]8;;\\u0007\\r\\nfake: line\\u001b[2J';
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

const calendar: ResolvedCalendar = { id: null, timezone: 'UTC', workingDays: [1, 2, 3, 4, 5], workingHours: { from: '09:00', to: '17:00' }, holidays: [] };

describe('account text in terminal output', () => {
  it('accounts show: data values and the account id', () => {
    const text = formatAccount({
      accountId: `x${EVIL}`,
      data: { id: `x${EVIL}`, name: EVIL },
      openRuns: [],
      endedRuns: [],
      alerts: [],
      planned: [],
      conditions: {},
      triggerLog: [],
      generation: 1,
    });
    expect(text).not.toMatch(CONTROL);
    expect(text).toContain(`account x${SHOWN}\n`);
    expect(text).toContain(`  name  ${SHOWN}\n`);
  });

  it('list: the account and workflow ids', () => {
    const text = formatRunTable([
      {
        workflowId: `playbook:p:${EVIL}`,
        runId: 'r',
        playbook: 'p',
        version: 'v',
        accountId: EVIL,
        stage: null,
        status: 'running',
        openTaskAssignees: [],
        execution: 'RUNNING',
        startTime: '2026-01-05T14:00:00.000Z',
        closeTime: null,
      },
    ]);
    expect(text).not.toMatch(CONTROL);
    expect(text).toContain(`playbook:p:${SHOWN}  p`);
  });

  it('simulate and status: the header and the timeline text', () => {
    const text = formatSimulation(
      { playbook: 'p', version: 'v', accountId: EVIL, calendar },
      {
        outcome: 'running',
        outcomeLabel: null,
        timeline: [{ at: '2026-01-05T14:00:00.000Z', kind: 'note', stage: null, text: `Hi ${EVIL}`, line: 3 }],
        rejected: [],
      },
    );
    expect(text).not.toMatch(CONTROL);
    expect(text).toContain(`account ${SHOWN}`);
    expect(text).toContain(`Hi ${SHOWN}\n`);
  });

  it('error messages, which quote what the user or the file gave (their own line breaks stay)', async () => {
    const io = bufferIo();
    const argv = [
      'simulate',
      'playbooks/executive-sponsor-check.playbook',
      '--start',
      '2026-01-05T09:00:00Z',
      '--account',
      'missing\x1b]8;;http://evil\x07x\r\x1b[2J.json',
    ];
    expect(await main(argv, io)).toBe(2);
    expect(io.stderr()).toBe('playbook: cannot read account file missing\\u001b]8;;http://evil\\u0007x\\r\\u001b[2J.json: no such file\n');
  });
});
