/**
 * Two playbooks emailing one contact under `at most 2 emails per contact per 5 business days`
 * (defer or skip): `welcome` emails at once and again a business day later, `checkin` two
 * hours after the start and again a day later. Started together on Monday 2026-03-02 09:00
 * in New York, the third and fourth emails find the cap full.
 *
 * And the v2 email form under a policy (`partiesProgram`): one playbook emailing the primary
 * contact, then every stakeholder (a `list of contact`, the primary contact among them) with the
 * CSM on cc, under `at most 1 emails per contact per 1 week`: each `to` contact's message is
 * decided alone.
 */
import { checkWorkspace } from '../../src/check/check.js';
import { resolveProgramCalendars } from '../../src/calendar/resolve.js';
import { lowerPlaybook } from '../../src/ir/lower.js';
import type { AccountData, IrProgram } from '../../src/ir/types.js';
import { buildWorkspace } from '../../src/workspace/build.js';

export const START = Date.parse('2026-03-02T14:00:00Z');
export const ACCOUNT: AccountData = { id: 'acme', primary_contact: 'pat@acme.example' };
export const PLAYBOOK_IDS = ['welcome', 'checkin'] as const;

export function policyWorkspace(whenCapped: 'defer' | 'skip', ignoring = false) {
  const source = `account fields
  primary_contact: contact

contact policy
  at most 2 emails per contact per 5 business days
  when capped ${whenCapped}

calendar us-business
  timezone "America/New_York"
  working days monday to friday
  working hours 09:00 to 17:00

playbook welcome "Welcome"
  trigger manual
  calendar us-business
  email account.primary_contact template "hello"
  wait 1 business day
  email account.primary_contact template "hello"${ignoring ? ' ignoring contact policy' : ''}

playbook checkin "Check-in"
  trigger manual
  calendar us-business
  wait 2 hours
  email account.primary_contact template "hello"
  wait 1 day
  email account.primary_contact template "hello"
`;
  return buildWorkspace(
    'ws',
    [{ path: 'ws/main.playbook', relPath: 'main.playbook', text: source }],
    [{ path: 'ws/templates/hello.md', relPath: 'templates/hello.md', text: 'Subject: Hello\n\nHello.\n' }],
  );
}

/** The programs of both playbooks; throws when the workspace does not check clean. */
export function policyPrograms(whenCapped: 'defer' | 'skip', ignoring = false): IrProgram[] {
  const { diagnostics, model } = checkWorkspace(policyWorkspace(whenCapped, ignoring));
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((d) => d.message).join('; '));
  return PLAYBOOK_IDS.map((id) => lowerPlaybook(model, id));
}

export const calendarsOf = (program: IrProgram) => resolveProgramCalendars(program, ACCOUNT, START);

export const PARTIES_ACCOUNT: AccountData = {
  id: 'acme',
  primary_contact: 'pat@acme.example',
  stakeholders: ['pat@acme.example', 'kim@acme.example'],
  csm: 'sam@us.example',
};

/** The v2 email playbook under a weekly cap of one email per contact; throws when it does not check clean. */
export function partiesProgram(whenCapped: 'defer' | 'skip', ignoring = false): IrProgram {
  const source = `account fields
  primary_contact: contact
  stakeholders: list of contact
  csm: user

contact policy
  at most 1 emails per contact per 1 week
  when capped ${whenCapped}

playbook welcome "Welcome"
  trigger manual
  email account.primary_contact template "hello"
  email account.stakeholders cc account.csm template "hello"${ignoring ? ' ignoring contact policy' : ''}
`;
  const ws = buildWorkspace(
    'ws',
    [{ path: 'ws/main.playbook', relPath: 'main.playbook', text: source }],
    [{ path: 'ws/templates/hello.md', relPath: 'templates/hello.md', text: 'Subject: Hello\n\nHello.\n' }],
  );
  const { diagnostics, model } = checkWorkspace(ws);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((d) => d.message).join('; '));
  return lowerPlaybook(model, 'welcome');
}
