/**
 * A large, realistic playbook generated in code, as one structure written two ways: as
 * `.playbook` source (what our front end parses) and as a YAML document with the same
 * content (what the `yaml` package parses, the peer baseline). Stages rotate through
 * onboarding, adoption, renewal and support patterns so every kind of step appears.
 */
import { stringify } from 'yaml';

type Steps = GenStep[];

/** One step, keyed by its keyword; this is also its YAML shape. */
type GenStep =
  | { email: { to: string; template: string } }
  | { notify: { to: string; text: string } }
  | { task: { title: string; for: string; due: string; as?: string; asks?: GenAsk[] } }
  | { escalate: { to: string; severity?: string; text: string } }
  | { wait: string }
  | { wait_for: { target: string; up_to: string; after: Array<{ after: string; steps: Steps }>; on_timeout: Steps } }
  | { if: { condition: string; then: Steps; else: Steps } }
  | { set: { field: string; to: string } }
  | { webhook: { endpoint: string; with: Record<string, string> } }
  | { note: string };

interface GenAsk {
  name: string;
  question: string;
  type: string;
}

interface GenStage {
  id: string;
  title: string;
  steps: Steps;
}

export interface GeneratedPlaybook {
  /** `.playbook` source: account fields, a calendar and one playbook. */
  source: string;
  /** The same content as YAML. */
  yaml: string;
  lines: number;
  /** Email templates the playbook sends, as `templates/<name>.md` texts. */
  templates: Array<{ name: string; text: string }>;
}

const TEMPLATES = ['welcome', 'adoption-tips', 'renewal-heads-up'];

/** Declarations and playbook header, written as source by `writeHeader` and as YAML as is. */
const FIELDS: Record<string, string> = {
  name: 'text',
  segment: 'one of smb, mid-market, enterprise',
  timezone: 'timezone',
  csm: 'user',
  csm_manager: 'user',
  primary_contact: 'contact',
  renewal_date: 'date',
  arr: 'number',
  health: 'number',
  activation_rate: 'number',
  status: 'one of active, at-risk, churned',
};

const CALENDAR = {
  id: 'us-business',
  title: 'US business days',
  timezone: 'account.timezone or "America/New_York"',
  working_days: 'monday to friday',
  working_hours: '09:00 to 17:00',
  holidays: 'US',
};

const PLAYBOOK = {
  id: 'generated',
  title: 'Generated lifecycle playbook',
  owner: 'cs-ops@example.com',
  trigger: 'on event "account.created" where account.segment is enterprise',
  calendar: 'us-business',
  send_window: '09:00 to 17:00',
  exit_when: 'account.status is churned',
};

function writeHeader(): string {
  const fields = Object.entries(FIELDS).map(([name, type]) => `  ${name}: ${type}\n`);
  const c = CALENDAR;
  const p = PLAYBOOK;
  return [
    `account fields\n${fields.join('')}\n`,
    `calendar ${c.id} "${c.title}"\n  timezone ${c.timezone}\n  working days ${c.working_days}\n`,
    `  working hours ${c.working_hours}\n  holidays "${c.holidays}"\n\n`,
    `playbook ${p.id} "${p.title}"\n  owner "${p.owner}"\n  trigger ${p.trigger}\n  calendar ${p.calendar}\n`,
    `  send window ${p.send_window}\n  exit when ${p.exit_when}\n`,
  ].join('');
}

/** Generates stages until the source has at least `minLines` lines. */
export function generatePlaybook(minLines: number): GeneratedPlaybook {
  const stages: GenStage[] = [];
  let source = writeHeader();
  let lines = source.split('\n').length - 1;
  while (lines < minLines) {
    const stage = STAGE_PATTERNS[stages.length % STAGE_PATTERNS.length]!(stages.length);
    stages.push(stage);
    const text = writeStage(stage);
    source += text;
    lines += text.split('\n').length - 1;
  }
  return {
    source,
    yaml: stringify({ account_fields: FIELDS, calendars: [CALENDAR], playbooks: [{ ...PLAYBOOK, stages }] }),
    lines,
    templates: TEMPLATES.map((name) => ({ name, text: `Subject: A note for {account.name}\n\nHello from your team, {account.csm}.\n` })),
  };
}

const STAGE_PATTERNS: Array<(i: number) => GenStage> = [
  (i) => ({
    id: `kickoff-${i}`,
    title: `Kickoff round ${i}`,
    steps: [
      { email: { to: 'account.primary_contact', template: 'welcome' } },
      { notify: { to: 'account.csm', text: `Round ${i} for {account.name} (ARR {account.arr}) has started` } },
      { task: { title: `Schedule kickoff ${i} with {account.name}`, for: 'account.csm', due: '2 business days' } },
      {
        wait_for: {
          target: `event "kickoff-${i}.held"`,
          up_to: '10 business days',
          after: [
            { after: '3 business days', steps: [{ notify: { to: 'account.csm', text: `Kickoff ${i} with {account.name} is not held yet` } }] },
            { after: '5 business days', steps: [{ escalate: { to: 'account.csm_manager', text: `Kickoff ${i} is overdue` } }] },
          ],
          on_timeout: [{ escalate: { to: 'account.csm_manager', severity: 'high', text: `No kickoff ${i} after 10 business days` } }],
        },
      },
      { note: `Kickoff ${i} done for {account.name}` },
    ],
  }),
  (i) => ({
    id: `training-${i}`,
    title: `Admin training ${i}`,
    steps: [
      {
        task: {
          title: `Run admin training ${i} for {account.name}`,
          for: 'account.csm',
          due: '10 business days',
          as: `training_${i}`,
          asks: [
            { name: 'ready', question: 'Are the admins ready to roll out?', type: 'yes/no' },
            { name: 'attendees', question: 'How many admins attended?', type: 'number' },
          ],
        },
      },
      {
        wait_for: {
          target: `task training_${i}`,
          up_to: '15 business days',
          after: [{ after: '10 business days', steps: [{ notify: { to: 'account.csm', text: `Training ${i} is due today` } }] }],
          on_timeout: [{ escalate: { to: 'account.csm_manager', text: `Training ${i} for {account.name} is overdue` } }],
        },
      },
      {
        if: {
          condition: `training_${i}.ready is no`,
          then: [{ task: { title: `Readiness plan ${i} for {account.name}`, for: 'account.csm', due: '5 business days' } }],
          else: [{ email: { to: 'account.primary_contact', template: 'adoption-tips' } }],
        },
      },
    ],
  }),
  (i) => ({
    id: `health-${i}`,
    title: `Health review ${i}`,
    steps: [
      { wait: '7 days' },
      {
        if: {
          condition: 'account.health < 50 or account.activation_rate < 60 or account.health is empty or account.activation_rate is empty',
          then: [
            { set: { field: 'status', to: 'at-risk' } },
            { escalate: { to: 'account.csm_manager', severity: 'high', text: `{account.name} health is {account.health} in review ${i}` } },
          ],
          else: [{ notify: { to: 'account.csm', text: `{account.name} is healthy in review ${i}` } }],
        },
      },
      { webhook: { endpoint: 'crm-health-sync', with: { health: 'account.health', activation_rate: 'account.activation_rate' } } },
    ],
  }),
  (i) => ({
    id: `renewal-${i}`,
    title: `Renewal touchpoint ${i}`,
    steps: [
      { email: { to: 'account.primary_contact', template: 'renewal-heads-up' } },
      {
        wait_for: {
          target: 'account.activation_rate >= 60',
          up_to: '30 days',
          after: [{ after: '14 days', steps: [{ email: { to: 'account.primary_contact', template: 'adoption-tips' } }] }],
          on_timeout: [
            { set: { field: 'status', to: 'at-risk' } },
            { task: { title: `Recovery plan ${i} for {account.name}`, for: 'account.csm', due: '5 business days' } },
          ],
        },
      },
      { note: `Renewal touchpoint ${i} complete` },
    ],
  }),
];

function writeStage(stage: GenStage): string {
  return `\n  stage ${stage.id} "${stage.title}":\n${writeSteps(stage.steps, '    ')}`;
}

function writeSteps(steps: Steps, indent: string): string {
  return steps.map((step) => writeStep(step, indent)).join('');
}

function writeStep(step: GenStep, indent: string): string {
  const deeper = `${indent}  `;
  if ('email' in step) return `${indent}email ${step.email.to} template "${step.email.template}"\n`;
  if ('notify' in step) return `${indent}notify ${step.notify.to} "${step.notify.text}"\n`;
  if ('task' in step) {
    const t = step.task;
    const head = `${indent}task "${t.title}" for ${t.for} due in ${t.due}${t.as ? ` as ${t.as}` : ''}`;
    if (!t.asks) return `${head}\n`;
    return `${head}:\n${t.asks.map((a) => `${deeper}ask ${a.name} "${a.question}" ${a.type}\n`).join('')}`;
  }
  if ('escalate' in step) {
    const e = step.escalate;
    return `${indent}escalate to ${e.to}${e.severity ? ` severity ${e.severity}` : ''} "${e.text}"\n`;
  }
  if ('wait' in step) return `${indent}wait ${step.wait}\n`;
  if ('wait_for' in step) {
    const w = step.wait_for;
    const rungs = w.after.map((r) => `${deeper}after ${r.after}:\n${writeSteps(r.steps, `${deeper}  `)}`).join('');
    return `${indent}wait for ${w.target} up to ${w.up_to}:\n${rungs}${deeper}on timeout:\n${writeSteps(w.on_timeout, `${deeper}  `)}`;
  }
  if ('if' in step) {
    const c = step.if;
    return `${indent}if ${c.condition}:\n${writeSteps(c.then, deeper)}${indent}else:\n${writeSteps(c.else, deeper)}`;
  }
  if ('set' in step) return `${indent}set account.${step.set.field} to ${step.set.to}\n`;
  if ('webhook' in step) {
    const fields = Object.entries(step.webhook.with).map(([name, value]) => `${name}: ${value}`);
    return `${indent}webhook "${step.webhook.endpoint}" with ${fields.join(', ')}\n`;
  }
  return `${indent}note "${step.note}"\n`;
}
