/**
 * A small real workspace for end-to-end tests of `playbook simulate` and `playbook test`,
 * independent of the reference playbooks: account fields, its one event, a US business calendar, one
 * onboarding playbook, its email template and an account file.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const PLAYBOOK = `account fields
  name: text
  timezone: timezone
  csm: user
  csm_manager: user
  primary_contact: contact
  status: one of active, churned

calendar us-business "US business days"
  timezone account.timezone or "America/New_York"
  working days monday to friday
  working hours 09:00 to 17:00
  holidays "US"

playbook onboarding "Onboarding"
  calendar us-business
  send window 09:00 to 17:00
  exit when account.status is churned

  stage kickoff "Kickoff":
    email account.primary_contact template "welcome"
    wait for event "kickoff.held" up to 10 business days:
      after 3 business days:
        notify account.csm "Kickoff with {account.name} not held yet"
      on timeout:
        escalate to account.csm_manager severity high "No kickoff with {account.name}"
        stop with outcome "stalled"

  stage training "Training":
    task "Run training for {account.name}" for account.csm due in 5 business days as training:
      ask rating "How did it go?" number
    wait for task training up to 15 business days

events
  kickoff.held
`;

export const ACCOUNT = {
  id: 'acme',
  name: 'Acme',
  timezone: 'America/New_York',
  csm: 'sam@example.com',
  csm_manager: 'lee@example.com',
  primary_contact: 'pat@acme.example',
  status: 'active',
};

/** Writes `onboarding.playbook`, `templates/welcome.md` and `acme.json` into `dir`. */
export async function writeWorkspace(dir: string): Promise<void> {
  await mkdir(join(dir, 'templates'), { recursive: true });
  await writeFile(join(dir, 'onboarding.playbook'), PLAYBOOK);
  await writeFile(join(dir, 'templates', 'welcome.md'), 'Subject: Welcome, {account.name}\n\nHello!\n');
  await writeFile(join(dir, 'acme.json'), JSON.stringify(ACCOUNT));
}
