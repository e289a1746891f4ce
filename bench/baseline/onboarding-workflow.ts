/**
 * The benchmark baseline: `playbooks/onboarding-enterprise.playbook` (with its child
 * `executive-sponsor-check`, inline as the interpreter runs it) written by hand as an
 * idiomatic Temporal TypeScript workflow: the same steps, waits, escalation rungs, timeouts,
 * send window and `exit when`, the same activities, and the same signals, update and search
 * attributes as the product's `playbook` workflow, so one driver runs both and their
 * histories compare like for like. Not used by the product.
 */
import { CancellationScope, condition, isCancellation, setHandler, sleep, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { addDuration, nextWindowOpening, type ResolvedCalendar } from '../../src/calendar/index.js';
import type { AccountValue, DurationIr, Severity } from '../../src/ir/types.js';
import type { RunRef } from '../../src/temporal/activities/options.js';
import { accountUpdatedSignal, completeTaskUpdate, eventSignal, searchAttributes } from '../../src/temporal/contract.js';
import { activities, performer, type RunOutcome } from './workflow-kit.js';

/** The account fields this playbook reads, typed as a hand-written workflow would type them. */
export interface OnboardingAccount {
  id: string;
  name: string;
  csm: string;
  csm_manager: string;
  primary_contact: string;
  executive_sponsor: string;
  arr: number;
  health: number;
  activation_rate: number;
  status: string;
}

export interface OnboardingInput {
  account: OnboardingAccount;
  /** The `us-business` calendar resolved for the account (holidays included). */
  calendar: ResolvedCalendar;
}

const PLAYBOOK = 'onboarding-enterprise';
const SPONSOR_CHECK = 'executive-sponsor-check';
const SEND_WINDOW = { from: '09:00', to: '17:00' };

const businessDays = (amount: number): DurationIr => ({ amount, unit: 'business day' });
const days = (amount: number): DurationIr => ({ amount, unit: 'day' });

/** An `after` rung: non-interrupting, measured from the start of its wait. */
interface Rung {
  after: DurationIr;
  run: () => Promise<void>;
}

/** Ends the child playbook from anywhere inside it, like `stop with outcome`. */
class StopChild extends Error {}

export async function onboardingEnterprise({ account, calendar }: OnboardingInput): Promise<RunOutcome> {
  const info = workflowInfo();
  const run: RunRef = { workflowId: info.workflowId, runId: info.firstExecutionRunId, accountId: account.id };
  const events: string[] = [];
  const openTasks = new Map<string, string>();
  const answers: Record<string, Record<string, unknown>> = {};
  const closing: Array<Promise<unknown>> = [];
  let stage = '';
  let status = 'running';
  let shown = { stage: '', status: '', assignees: '' };

  /** Upserts the stage, status and open-task assignees that changed. */
  const publish = () => {
    const assignees = [...new Set(openTasks.values())].sort();
    const updates: SearchAttributeUpdatePair[] = [];
    if (stage !== shown.stage) updates.push({ key: searchAttributes.stage, value: stage });
    if (status !== shown.status) updates.push({ key: searchAttributes.status, value: status });
    if (assignees.join() !== shown.assignees) updates.push({ key: searchAttributes.openTaskAssignees, value: assignees });
    shown = { stage, status, assignees: assignees.join() };
    if (updates.length > 0) upsertSearchAttributes(updates);
  };

  setHandler(eventSignal, ({ name }) => void events.push(name));
  setHandler(accountUpdatedSignal, ({ fields }) => void Object.assign(account, fields));
  setHandler(
    completeTaskUpdate,
    ({ task, answers: given = {} }) => {
      openTasks.delete(task);
      answers[task] = given;
      publish();
      const playbook = task === 'sponsor' ? SPONSOR_CHECK : PLAYBOOK;
      closing.push(activities.closeTask({ ...run, playbook, task, answers: given as Record<string, AccountValue>, key: task }));
    },
    {
      validator: ({ task }) => {
        if (!openTasks.has(task)) throw new Error(`task ${task} is not open`);
      },
    },
  );

  const perform = performer(run);
  const email = async (to: string, subject: string, template: string, playbook = PLAYBOOK) => {
    const opening = nextWindowOpening(Date.now(), SEND_WINDOW, calendar);
    if (opening > Date.now()) await sleep(opening - Date.now());
    await perform({ kind: 'email', to, template, subject, body: `${subject}\n\nYour Customer Success team` }, playbook);
  };
  const notify = (to: string, text: string) => perform({ kind: 'notify', to, text }, PLAYBOOK);
  const escalate = (to: string, text: string, severity: Severity = 'medium', playbook = PLAYBOOK) =>
    perform({ kind: 'escalate', to, text, severity }, playbook);
  const task = async (name: string, title: string, due: DurationIr, playbook = PLAYBOOK) => {
    openTasks.set(name, account.csm);
    publish();
    const dueAt = addDuration(Date.now(), due, calendar);
    await perform({ kind: 'task', task: name, title, assignee: account.csm, due: dueAt, asks: [] }, playbook);
  };
  const enterStage = (name: string) => {
    stage = name;
    publish();
  };
  const taskDone = (name: string) => () => !openTasks.has(name);

  /** Waits until `done()` or `upTo`, firing the rungs meanwhile; false on timeout. */
  const waitWithRungs = async (done: () => boolean, upTo: DurationIr, rungs: Rung[] = []): Promise<boolean> => {
    const start = Date.now();
    const reminders = new CancellationScope();
    const reminding = reminders.run(async () => {
      for (const rung of rungs) {
        await sleep(addDuration(start, rung.after, calendar) - Date.now());
        await rung.run();
      }
    });
    try {
      return await condition(done, addDuration(start, upTo, calendar) - start);
    } finally {
      reminders.cancel();
      await reminding.catch((e: unknown) => {
        if (!isCancellation(e)) throw e;
      });
    }
  };

  const executiveSponsorCheck = async (): Promise<void> => {
    const stop = async (text: string, severity: Severity = 'medium'): Promise<never> => {
      await escalate(account.csm_manager, text, severity, SPONSOR_CHECK);
      throw new StopChild();
    };
    try {
      await task('sponsor', `Confirm the executive sponsor at ${account.name}`, businessDays(3), SPONSOR_CHECK);
      if (!(await waitWithRungs(taskDone('sponsor'), businessDays(5)))) {
        await stop(`Executive sponsor at ${account.name} not confirmed after 5 business days`);
      }
      const sponsor = answers.sponsor!;
      if (sponsor.still_in_role === false) {
        await stop(`Executive sponsor change at ${account.name}; new sponsor: ${String(sponsor.new_sponsor)}`, 'high');
      } else if (sponsor.engagement === 'unreachable') {
        await stop(`The executive sponsor at ${account.name} is unreachable`);
      } else if (sponsor.engagement === 'passive') {
        await email(account.executive_sponsor, `A short check-in on ${account.name}'s goals`, 'executive-sponsor-touchpoint', SPONSOR_CHECK);
      }
    } catch (e) {
      if (!(e instanceof StopChild)) throw e;
    }
  };

  const onboarding = async (): Promise<RunOutcome> => {
    enterStage('kickoff');
    await email(account.primary_contact, `Welcome aboard, ${account.name}`, 'welcome-enterprise');
    await notify(account.csm, `New enterprise account ${account.name} (ARR ${account.arr}): onboarding has started`);
    await task('kickoff', `Schedule the kickoff with ${account.name}`, businessDays(2));
    const held = await waitWithRungs(() => events.includes('kickoff.held'), businessDays(10), [
      { after: businessDays(3), run: () => notify(account.csm, `Kickoff with ${account.name} is not held yet`) },
      { after: businessDays(5), run: () => escalate(account.csm_manager, `Kickoff with ${account.name} is overdue after 5 business days`) },
    ]);
    if (!held) {
      await escalate(account.csm_manager, `No kickoff with ${account.name} after 10 business days`, 'high');
      return { outcome: 'stopped', outcomeLabel: 'stalled' };
    }
    await executiveSponsorCheck();

    enterStage('welcome');
    await task('welcome_call', `Welcome call with ${account.name}: goals, success criteria, admin owners`, businessDays(5));
    const welcomed = await waitWithRungs(taskDone('welcome_call'), businessDays(7), [
      { after: businessDays(5), run: () => notify(account.csm, `The welcome call with ${account.name} is due today`) },
    ]);
    if (!welcomed) await escalate(account.csm_manager, `Welcome call with ${account.name} not logged after 7 business days`);
    if (answers.welcome_call?.admins_named === false) {
      await task('admins', `Get admin owners named by ${account.primary_contact}`, businessDays(3));
    }
    if (answers.welcome_call?.sso_required === true) {
      await notify('role:solutions-engineering', `${account.name} needs SSO before rollout; please schedule the setup`);
    }

    enterStage('training');
    await task('training', `Run admin training for ${account.name}`, businessDays(10));
    const trained = await waitWithRungs(taskDone('training'), businessDays(15), [
      { after: businessDays(10), run: () => notify(account.csm, `Admin training for ${account.name} is due today`) },
    ]);
    if (!trained) await escalate(account.csm_manager, `Admin training for ${account.name} overdue after 15 business days`);
    if (answers.training?.ready_for_rollout === false) {
      await task('readiness', `Agree a rollout readiness plan with the admins of ${account.name}`, businessDays(5));
    }

    enterStage('activation');
    const activated = await waitWithRungs(() => account.activation_rate >= 60, days(30), [
      { after: days(14), run: () => email(account.primary_contact, `Getting your whole team started, ${account.name}`, 'activation-tips') },
      { after: days(21), run: () => notify(account.csm, `${account.name} is at ${account.activation_rate}% seat activation three weeks after training`) },
    ]);
    if (!activated) {
      await perform({ kind: 'set', field: 'status', value: 'at-risk' }, PLAYBOOK);
      account.status = 'at-risk';
      const rate = account.activation_rate;
      await escalate(account.csm_manager, `${account.name} is below 60% seat activation 30 days after training (${rate}%)`, 'high');
      await task('recovery', `Activation recovery plan for ${account.name}`, businessDays(5));
      return { outcome: 'stopped', outcomeLabel: 'not-activated' };
    }
    await email(account.primary_contact, `Onboarding complete for ${account.name}`, 'onboarding-complete');
    const fields = { activation_rate: account.activation_rate, health: account.health };
    await perform({ kind: 'webhook', endpoint: 'crm-onboarding-complete', fields }, PLAYBOOK);
    await notify(account.csm_manager, `${account.name} completed onboarding at ${account.activation_rate}% seat activation`);
    return { outcome: 'completed', outcomeLabel: null };
  };

  // `exit when account.status is churned`: checked at the start and on every account update.
  const churned = () => account.status === 'churned';
  let outcome: RunOutcome = { outcome: 'exited', outcomeLabel: null };
  if (!churned()) {
    const main = new CancellationScope();
    void condition(churned).then(() => main.cancel());
    try {
      outcome = await main.run(onboarding);
    } catch (e) {
      if (!(isCancellation(e) && churned())) throw e;
    }
  }
  openTasks.clear();
  status = outcome.outcome;
  publish();
  await Promise.all(closing);
  return outcome;
}
