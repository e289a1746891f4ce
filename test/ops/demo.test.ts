/**
 * `playbook demo` in this process against the real reference workspace, on its own dev server
 * and worker: the workspace deployed, the sample accounts imported, runs started by the
 * accounts' own triggers (a `when` condition on import, the events a CRM and a helpdesk send),
 * events reaching the runs through the account entities, and the emails in the dev outbox.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../src/ops/demo/run-demo.js';
import { REFERENCE_PLAYBOOKS as REFERENCE } from '../support/reference-playbooks.js';

const WORKSPACE = path.resolve('playbooks');
const ACME = 'acct-acme-001';
const INITECH = 'acct-initech-027';
const ONBOARDING = `playbook:onboarding-enterprise:${ACME}`;
/** One ladder per ticket: the run key (the ticket's id) ends the workflow id. */
const ESCALATION = `playbook:support-escalation:${INITECH}:SUP-47102`;

/** A table row's cells: columns are aligned with two spaces or more, cells hold single spaces. */
const cells = (line: string) => line.trim().split(/\s{2,}/);

describe('playbook demo', () => {
  const progress: string[] = [];
  let report = '';
  /** The report's blocks, as separated by blank lines. */
  let blocks: string[] = [];

  beforeAll(async () => {
    await runDemo({ workspace: WORKSPACE, progress: (line) => progress.push(line), out: (text) => (report += text) });
    blocks = report.split('\n\n');
  });

  /** The account's trigger log rows without their time: playbook, kind, detail, outcome, run. */
  const triggerLog = (accountId: string) => {
    const block = blocks.find((b) => b.startsWith(`account ${accountId} (`));
    expect(block, `trigger log of ${accountId}`).toBeDefined();
    const [, title, header, ...rows] = block!.trimEnd().split('\n');
    expect([title, cells(header!)]).toEqual(['recent triggers:', ['AT', 'PLAYBOOK', 'KIND', 'DETAIL', 'OUTCOME', 'RUN']]);
    return rows.map((row) => cells(row).slice(1));
  };

  /** The run's status as printed: its timeline rows' cells and the line that says where it is. */
  const runStatus = (workflowId: string) => {
    const [, playbook, accountId] = workflowId.split(':');
    const start = report.indexOf(`${playbook}  version `);
    const end = report.indexOf(`workflow ${workflowId}: `, start);
    expect(
      [start, end].every((i) => i >= 0),
      `status of ${workflowId}`,
    ).toBe(true);
    const timeline = report.slice(start, end);
    expect(timeline).toContain(`account ${accountId}`);
    return {
      entries: timeline
        .split('\n')
        .filter((l) => /^\w{3} \d{4}-/.test(l))
        .map(cells),
      where: report.slice(end).split('\n')[0],
    };
  };

  it('deploys every reference playbook, as `playbook deploy` prints it', () => {
    const lines = blocks[0]!.split('\n');
    expect(lines[0]).toBe('deployed generation 1');
    expect(lines.slice(1, 1 + REFERENCE.length).map((l) => cells(l).slice(0, 2))).toEqual(REFERENCE.map((id) => ['new', id]));
  });

  it('imports every sample account', async () => {
    const files = (await readdir(path.join(WORKSPACE, 'accounts'))).filter((name) => name.endsWith('.json'));
    expect(progress).toContain(`imported ${files.length} accounts`);
  });

  it("starts the runs by the accounts' triggers: events from the CRM and the helpdesk, and a `when` condition on import", () => {
    expect(triggerLog(ACME)).toContainEqual(['onboarding-enterprise', 'event', 'event "account.created"', 'started', ONBOARDING]);
    const initech = triggerLog(INITECH);
    expect(initech).toContainEqual(['support-escalation', 'event', 'event "ticket.escalated"', 'started', ESCALATION]);
    expect(initech.find(([playbook]) => playbook === 're-engagement')).toMatchObject([
      're-engagement',
      'when',
      expect.stringMatching(/^when days since account\.last_login > 30 /),
      'started',
      `playbook:re-engagement:${INITECH}`,
    ]);
  });

  it('delivers the kickoff through the account entity, and the sponsor task completion, to the onboarding run', () => {
    expect(progress).toContain(`sent event kickoff.held to account ${ACME}, whose entity forwards it to the account's open runs`);
    const { entries, where } = runStatus(ONBOARDING);
    expect(entries).toContainEqual(expect.arrayContaining(['event', 'kickoff.held']));
    expect(entries).toContainEqual(expect.arrayContaining(['note', 'Kickoff held with Dana Whitfield and Robert Chen']));
    expect(entries).toContainEqual(expect.arrayContaining(['executive-sponsor-check', 'stop', 'confirmed']));
    expect(where).toBe(`workflow ${ONBOARDING}: running, stage welcome`);
  });

  it("delivers the resolution through the account entity to the ticket's escalation run", () => {
    expect(progress).toContain(`sent event ticket.resolved for ticket SUP-47102 to account ${INITECH}, whose entity forwards it to the account's open runs`);
    const { entries, where } = runStatus(ESCALATION);
    expect(entries).toContainEqual(expect.arrayContaining(['notify', 'Initech has an escalated ticket: SUP-47102 (low priority): Monthly export times out']));
    expect(entries).toContainEqual(expect.arrayContaining(['event', 'ticket.resolved']));
    expect(entries).toContainEqual(expect.arrayContaining(['note', 'Resolved: export job fixed in release 4.2.1']));
    expect(where).toBe(`workflow ${ESCALATION}: running, stage follow-up`);
  });

  it("lists the runs' emails in the dev outbox", () => {
    const outbox = blocks.find((b) => b.startsWith('outbox '));
    expect(outbox).toBeDefined();
    const [, header, ...rows] = outbox!.trimEnd().split('\n');
    expect(cells(header!)).toEqual(['WRITTEN', 'TO', 'SUBJECT']);
    const recipients = rows.map((row) => cells(row)[1]);
    // The welcome email of onboarding; the re-engagement check-in and the escalation's acknowledgement.
    expect(recipients.filter((to) => to === 'dana.whitfield@acme.example').length).toBeGreaterThanOrEqual(1);
    expect(recipients.filter((to) => to === 'bill.lumbergh@initech.example').length).toBeGreaterThanOrEqual(2);
  });

  it("prints a finished run's timeline read from the store, and the shared delivery ledger", () => {
    expect(progress).toContain(
      `cancelled playbook:re-engagement:${INITECH}, as CS Ops would once ${INITECH} answered on the phone; reading it back from the store`,
    );
    const at = report.indexOf('\nread from the store (');
    expect(at).toBeGreaterThan(0);
    const stored = report.slice(at);
    expect(stored).toContain(`workflow playbook:re-engagement:${INITECH}: cancelled, stage outreach`);
    expect(stored).toContain('Checking in on Initech');
    // A send may still be under way as the demo counts.
    expect(stored).toMatch(/the delivery ledger shared by all workers records \d+ sent deliveries, \d+ pending/);
  });
});
