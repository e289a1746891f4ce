/**
 * THE interpreter of the IR. It runs one program for one account against `Effects` and uses
 * nothing else for time, waiting, side effects or concurrency, so the simulator and the
 * Temporal workflow produce identical timelines. Semantics where LANGUAGE.md is silent:
 *
 * Time
 * - Each branch keeps its own playbook time `t`: after a sleep it is the instant slept to,
 *   after a wait for a condition it is `now()`, and actions take no playbook time (the
 *   activity's real latency on Temporal never shifts later steps or entries).
 * - Entries are emitted when a step starts its action, before the action completes, so
 *   their order never depends on activity completion order. A permanent failure adds an
 *   `escalate` entry (severity high, to the playbook owner) and the run goes on. A recipient
 *   field without an address is such a failure too, without performing anything.
 *
 * Steps
 * - `email` is deferred to the send window's next opening in the playbook's calendar; the
 *   branch sleeps until then, so the next step (e.g. `wait 3 days`) counts from the send.
 * - `task` opens the task in the run state before its action; creating a task again (in a
 *   loop) reopens it and forgets earlier answers. Tasks share one namespace per run.
 * - `wait until` a missing date continues at once, like a past one.
 * - `wait for`: `after` rungs fire in time order (source order on ties) only while the wait
 *   lasts; a rung due at or after the deadline never fires. Each rung body is a concurrent
 *   branch, cancelled when the wait ends. An event received at any time since the run
 *   started and not consumed yet satisfies `wait for event` (the oldest first); a condition
 *   is evaluated when the wait starts and again whenever run data changes, never merely
 *   because time passed (so both clocks agree). A `wait for task` whose task is closed
 *   (not completed) ends then as at its deadline: `timeout` entry, then `on timeout`.
 * - `repeat every D`: the `until` condition is checked before each round, `at most N` after
 *   each round (so the loop ends right after its last round). Rounds start D apart counted
 *   from the previous round's start; a round that overruns starts the next one at once.
 * - `set` performs the write, then updates the run's view of the account (so an `exit when`
 *   it triggers still lets the write reach the account record).
 * - `run playbook` runs the child inline in the same run, in its own calendar, send window
 *   and `exit when` scope; its entries carry `playbook`. `stop` and `exit when` inside the
 *   child end only the child (`stop`/`exit` entries with `playbook`), then the parent goes
 *   on, back in the stage it was in.
 * - `exit when` is checked at the start and synchronously on every data change (account
 *   update, `set` step, event, task completion), at the instant of the change; it is not
 *   re-checked merely because time passed. It cancels everything still running.
 * - `pause`: no step starts while paused (checked before each step); timers keep counting, a
 *   step held back starts at the resume instant. Pause and resume add `pause` / `resume`
 *   entries naming who sent them (run-state.ts).
 *
 * Goals (the entry playbook's, goals.ts) watch the entries and the data and add `goal-met` and
 * `goal-missed`; each has a branch of its own for its deadline and never holds the run up.
 *
 * Entries: a child playbook has its own `start` and `complete` entries. Inputs add `event`,
 * `task-completed`, `task-reassigned`, `task-snoozed`, `task-closed` (line of the task step)
 * and, per field of an account update, `set` entries; completing a task closes it in the run only (the task store is told by whoever
 * completed it).
 *
 * Idempotency keys: `<node>#<n>` where node is the step id (`<child id>/<step id>` inside a
 * child playbook) and n counts the executions of that step in this run, 1 for the first.
 *
 * Continue-as-new: at a repeat round boundary in the main branch (no rung scope active) the
 * interpreter asks `shouldContinueAsNew()`; if so the run unwinds and resolves to a
 * `RunSnapshot` from which `run(fx, snapshot)` resumes at the same point. Where the effects
 * offer `blockedHop`, the main branch also hops from wherever it is blocked (a wait, a wait
 * for, a send window, a pause, between rounds) once no rung body of its wait still runs: the
 * snapshot keeps the wait's start, the rungs already fired and the instant slept to.
 */
import { addDuration, dateToInstant, defaultCalendar, isValidDate, nextWindowOpening, type ResolvedCalendar } from '../calendar/index.js';
import type { AccountData, AccountValue, ContactPolicyIr, ExprIr, IrProgram, PlaybookIr, RecipientIr, StepIr, TemplateIr } from '../ir/types.js';
import { CancelToken } from './cancel-token.js';
import {
  Cancelled,
  type Action,
  type ActionResult,
  type ContactDecision,
  type Effects,
  type EmailAction,
  type EmailQuestion,
  type EmailSender,
  type Scope,
} from './effects.js';
import { evaluate, isTrue, type ExprEnv, type Value } from './expr.js';
import { GoalWatch, goalWatch } from './goals.js';
import { setEntry, type EntryBody, type RunState, type RunStateData } from './run-state.js';
import type { PositionFrame, RunSnapshot } from './snapshot.js';
import { localisedTemplate } from './template-locale.js';
import { renderText } from './text.js';
import { isoInstant, type RunOutcome } from './timeline.js';
import { describeTarget, waitCheck } from './wait-target.js';

const never = (): boolean => false;

export type Outcome = { outcome: RunOutcome; label: string | null };
export type RunResult = ({ kind: 'ended' } & Outcome) | { kind: 'continueAsNew'; snapshot: RunSnapshot };

export interface RunEnv {
  program: IrProgram;
  /** A resolved calendar for every calendar id in `program.calendars`. */
  calendars: Record<string, ResolvedCalendar>;
  /** Role name → address for `role "x"` recipients; unknown roles render as `role:<name>`. */
  roles: Record<string, string>;
  /** Send windows compared as local wall-clock times, for runs recorded before the `send-window-instants` patch. */
  wallClockWindows?: boolean;
  /**
   * Whether v2 emails (lists, several `to`, `cc`, `bcc`, `from`: `emailEach`) are sent as such,
   * asked when one is reached: false for runs recorded before the `email-parties` patch, which
   * sent every email to its first recipient only (and none to a list field).
   */
  emailParties?: () => boolean;
  /** Applies `program.contactPolicy`; false for runs recorded before the `contact-policy` patch. Default true. */
  contactPolicy?: boolean;
  /**
   * Asks the contact policy in a `contact` action of its own before each email, for runs
   * recorded before the `contact-in-email` patch. Otherwise the email's own action carries the
   * question (`contact`) and sends only when the answer is to send now (`emailAsking`).
   */
  contactApart?: boolean;
}

type StepOf<K extends StepIr['kind']> = Extract<StepIr, { kind: K }>;

/** One line of execution: the main body, or a rung running beside a wait. */
interface Branch {
  fx: Effects;
  /** Playbook time of this branch. */
  t: number;
  token: CancelToken;
  /** Inside an `after` rung, where continue-as-new may not happen. */
  inRung: boolean;
}

/** One running playbook (the entry one or a child) and how it ended, once it has. */
interface PlaybookRun {
  playbook: PlaybookIr;
  calendar: ResolvedCalendar;
  /** Prefix of idempotency keys: '' for the entry playbook, '<id>/' for a child. */
  keyPrefix: string;
  /** The `playbook` of its entries: set for a child. */
  child: string | undefined;
  /** The values its `run playbook … with` gave its parameters (empty for the entry playbook). */
  params: Readonly<Record<string, Value>>;
  ended: ({ at: number } & Outcome) | null;
  cancelBody(): void;
}

/** Where a block runs: its playbook and the container frames leading to it (for snapshots). */
interface Ctx {
  run: PlaybookRun;
  path: PositionFrame[];
}

/** Unwinds the run to hand a snapshot to the caller. */
class ContinueAsNew {
  constructor(readonly snapshot: RunSnapshot) {}
}

export class Interpreter {
  private fault: unknown = null;
  private abortAll: () => void = () => {};
  /** The entry playbook's goals, when it has any, and their watches (cancelled once the run ends or hops). */
  private goals: GoalWatch | null = null;
  private readonly watches: Array<Scope<void>> = [];

  constructor(
    private readonly env: RunEnv,
    private readonly state: RunState,
  ) {}

  /** Runs the program from its start, or from `resume`, until it ends or continues as new. */
  async run(fx: Effects, resume?: RunSnapshot): Promise<RunResult> {
    const root: Branch = { fx, t: resume?.at ?? fx.now(), token: new CancelToken(null), inRung: false };
    const entry = this.playbookIr(this.env.program.entry);
    // Before anything is emitted or received: the goals see every entry, the start included.
    if (entry.goals) {
      const calendar = this.calendarOf(entry);
      this.goals = new GoalWatch(entry.goals, this.state, calendar, (condition, at) =>
        isTrue(evaluate(condition, new RunExprEnv(this.state.data, at, calendar, {}))),
      );
    }
    try {
      const outcome = await this.runPlaybook(entry, root, [], resume?.position);
      return { kind: 'ended', ...outcome };
    } catch (e) {
      if (e instanceof ContinueAsNew) return { kind: 'continueAsNew', snapshot: e.snapshot };
      throw this.fault ?? e;
    } finally {
      for (const watch of this.watches) watch.cancel();
    }
  }

  /**
   * One branch per goal beside the body, started right after the run's start (or its resume)
   * so both clocks make its timer at the same point: once the goal is anchored it waits until
   * its deadline for the goal to be met, and records it missed then if it is still pending. It
   * never holds the run up, and no other step moves its timer. None without goals.
   */
  private watchGoals(fx: Effects): void {
    const goals = this.goals;
    if (goals === null) return;
    for (const goal of goals.goals) {
      const record = () => goals.record(goal.id);
      const what = goalWatch(goal.id);
      this.watches.push(
        fx.scope(async (wfx) => {
          try {
            // Anchored already (at the start): no await before the timer, so it is made before the body's first step on both clocks.
            if (record().state === 'pending' && record().deadline === undefined)
              await wfx.waitFor(() => record().state !== 'pending' || record().deadline !== undefined, null, what);
            const deadline = record().deadline;
            if (record().state !== 'pending' || deadline === undefined) return;
            if (!(await wfx.waitFor(() => record().state !== 'pending', deadline, what))) goals.deadlineReached(goal);
          } catch (e) {
            if (!(e instanceof Cancelled)) this.abort(e);
          }
        }),
      );
    }
  }

  // -------------------------------------------------------------------------------------
  // Playbooks

  private async runPlaybook(
    playbook: PlaybookIr,
    b: Branch,
    path: PositionFrame[],
    resume?: PositionFrame[],
    params: Readonly<Record<string, Value>> = {},
  ): Promise<Outcome> {
    const isEntry = playbook.id === this.env.program.entry;
    const token = new CancelToken(b.token);
    let scope: Scope<void> | null = null;
    const run: PlaybookRun = {
      playbook,
      calendar: this.calendarOf(playbook),
      keyPrefix: isEntry ? '' : `${playbook.id}/`,
      child: isEntry ? undefined : playbook.id,
      params,
      ended: null,
      cancelBody: () => {
        token.cancel();
        scope?.cancel();
      },
    };
    const ctx: Ctx = { run, path };
    if (!resume) {
      this.emit(ctx, { kind: 'start', text: playbook.title ?? playbook.id, line: playbook.line }, b.t);
      if (this.exitHolds(run, b.t)) {
        this.end(ctx, { outcome: 'exited', label: null }, b.t, playbook.line);
        return { outcome: 'exited', label: null };
      }
    }
    if (isEntry) this.watchGoals(b.fx);
    const unlisten =
      playbook.exitWhen.length === 0
        ? () => {}
        : this.state.onChange((at) => {
            if (!token.isCancelled && this.exitHolds(run, at)) this.end(ctx, { outcome: 'exited', label: null }, at, playbook.line);
          });
    const body: Branch = { fx: b.fx, t: b.t, token, inRung: b.inRung };
    scope = b.fx.scope((fx) => this.block(playbook.body, Object.assign(body, { fx }), ctx, resume));
    if (isEntry) this.abortAll = run.cancelBody;
    try {
      await scope.join();
    } catch (e) {
      if (!(e instanceof Cancelled) || run.ended === null) throw e;
    } finally {
      unlisten();
    }
    if (run.ended) {
      b.t = run.ended.at;
      return { outcome: run.ended.outcome, label: run.ended.label };
    }
    b.t = body.t;
    this.end(ctx, { outcome: 'completed', label: null }, body.t, playbook.line);
    return { outcome: 'completed', label: null };
  }

  /** Records how a playbook ended (once) and cancels whatever of it still runs. */
  private end(ctx: Ctx, outcome: Outcome, at: number, line: number): void {
    const { run } = ctx;
    if (run.ended) return;
    run.ended = { at, ...outcome };
    const kind = outcome.outcome === 'completed' ? 'complete' : outcome.outcome === 'stopped' ? 'stop' : 'exit';
    const entry: EntryBody = { kind, text: outcome.label ?? undefined, line, playbook: run.child };
    if (run.child === undefined) this.state.end(entry, at);
    else this.emit(ctx, entry, at);
    run.cancelBody();
  }

  private exitHolds(run: PlaybookRun, at: number): boolean {
    return run.playbook.exitWhen.some((condition) => this.holds(condition, run, at));
  }

  // -------------------------------------------------------------------------------------
  // Blocks and steps

  /** Runs `steps` in order; with `resume`, starts at the step its first frame names. */
  private async block(steps: StepIr[], b: Branch, ctx: Ctx, resume?: PositionFrame[]): Promise<void> {
    let i = 0;
    if (resume) {
      const node = resume[0]?.node;
      i = steps.findIndex((s) => s.id === node);
      if (i < 0) throw new Error(`snapshot position names step ${String(node)}, which is not in this block`);
      // Held while paused: the step has not started yet.
      if (resume[0]!.kind !== 'paused') {
        await this.step(steps[i]!, b, ctx, resume);
        i++;
      }
    }
    for (; i < steps.length; i++) {
      if (b.token.isCancelled) throw new Cancelled();
      if (this.state.data.paused) {
        const woke = await this.blockedWait(b, () => !this.state.data.paused, null, 'resume');
        if (woke === 'hop') throw this.hop(b, [...ctx.path, { node: steps[i]!.id, kind: 'paused' }]);
        b.t = Math.max(b.t, b.fx.now());
        if (b.token.isCancelled) throw new Cancelled();
      }
      // Steps without waiting return nothing: no promise to allocate and await.
      const pending = this.step(steps[i]!, b, ctx);
      if (pending) await pending;
    }
  }

  private step(step: StepIr, b: Branch, ctx: Ctx, resume?: PositionFrame[]): Promise<void> | void {
    const { run } = ctx;
    switch (step.kind) {
      case 'email':
        return this.email(step, b, ctx, resume);
      case 'notify': {
        const to = this.address(step.to, 'notification', b, ctx, step.line);
        if (to === null) return;
        const text = renderText(step.text, this.exprEnv(run, b.t));
        this.emit(ctx, { kind: 'notify', to, text, line: step.line }, b.t);
        return this.perform(b, ctx, step.line, { kind: 'notify', ...this.keyed(step, ctx), to, text }, `notification to ${to}`);
      }
      case 'task':
        return this.task(step, b, ctx);
      case 'escalate': {
        const to = this.address(step.to, 'escalation', b, ctx, step.line);
        if (to === null) return;
        const { severity } = step;
        const text = renderText(step.text, this.exprEnv(run, b.t));
        this.emit(ctx, { kind: 'escalate', to, text, severity, line: step.line }, b.t);
        return this.perform(b, ctx, step.line, { kind: 'escalate', ...this.keyed(step, ctx), to, text, severity }, `escalation to ${to}`);
      }
      case 'wait':
        return this.sleep(b, resume ? sleptTo(resume) : addDuration(b.t, step.duration, run.calendar), sleepingAt(ctx, step));
      case 'waitUntil': {
        if (resume) return this.sleep(b, sleptTo(resume), sleepingAt(ctx, step));
        const date = evaluate(step.at, this.exprEnv(run, b.t));
        return typeof date === 'string' && isValidDate(date) ? this.sleep(b, dateToInstant(date, run.calendar), sleepingAt(ctx, step)) : undefined;
      }
      case 'waitFor':
        return this.waitFor(step, b, ctx, resume);
      case 'if':
        return this.choose(step, b, ctx, resume);
      case 'repeat':
        return this.repeat(step, b, ctx, resume);
      case 'set':
        return this.set(step, b, ctx);
      case 'webhook': {
        const env = this.exprEnv(run, b.t);
        const fields: Record<string, AccountValue> = {};
        for (const f of step.fields) fields[f.name] = evaluate(f.value, env);
        this.emit(ctx, { kind: 'webhook', text: step.endpoint, data: fields, line: step.line }, b.t);
        return this.perform(b, ctx, step.line, { kind: 'webhook', ...this.keyed(step, ctx), endpoint: step.endpoint, fields }, `webhook "${step.endpoint}"`);
      }
      case 'runPlaybook':
        return this.runChild(step, b, ctx, resume);
      case 'stage':
        if (!resume) {
          this.state.data.stage = step.stage;
          this.emit(ctx, { kind: 'stage', text: step.title ?? step.stage, line: step.line }, b.t);
        }
        return this.block(step.body, b, within(ctx, { node: step.id, kind: 'stage' }), resume?.slice(1));
      case 'note':
        this.emit(ctx, { kind: 'note', text: renderText(step.text, this.exprEnv(run, b.t)), line: step.line }, b.t);
        return;
      case 'stop':
        this.end(ctx, { outcome: 'stopped', label: step.outcome }, b.t, step.line);
        throw new Cancelled();
    }
  }

  private async email(step: StepOf<'email'>, b: Branch, ctx: Ctx, resume?: PositionFrame[]): Promise<void> {
    if (isV2Email(step, this.state.data.account) && this.env.emailParties?.() === true) return this.emailEach(step, b, ctx, resume);
    const { run } = ctx;
    const template = this.env.program.templates[step.template];
    if (!template) return this.failed(ctx, step.line, `email not sent: template "${step.template}" is missing`, b.t);
    const frame = resume?.[0];
    // Resumed in the wait for the send window or the contact policy: the recipient is the one resolved before it.
    const to = frame?.kind === 'sleeping' ? frame.to! : this.address(step.to, 'email', b, ctx, step.line);
    if (to === null) return;
    if (frame?.kind === 'sleeping') await this.sleep(b, frame.until, sleepingAt(ctx, step, to, frame.decided));
    else if (run.playbook.sendWindow)
      await this.sleep(b, nextWindowOpening(b.t, run.playbook.sendWindow, run.calendar, this.env.wallClockWindows === true), sleepingAt(ctx, step, to));
    const policy = this.env.contactPolicy === false || step.ignoringPolicy ? undefined : this.env.program.contactPolicy;
    if (policy && !(frame?.kind === 'sleeping' && frame.decided)) {
      const node = run.keyPrefix + step.id;
      // The key the email's send will have; its iteration is taken once the email is done with
      // (sent, skipped, failed), or by its send after a deferral.
      const key = `${node}#${(this.state.data.iterations[node] ?? 0) + 1}`;
      if (this.env.contactApart === true) {
        const decision = await this.contact(key, step.line, b, ctx, to, policy);
        if (decision === null) return;
        if (decision.kind === 'skip') {
          this.emit(ctx, { kind: 'suppressed', to, text: decision.reason, template: step.template, line: step.line }, b.t);
          return;
        }
        if (decision.kind === 'defer') await this.sleep(b, decision.until, sleepingAt(ctx, step, to, true));
      } else {
        const { subject, body, locale } = this.rendered(template, this.exprEnv(run, b.t));
        const action: EmailAction = { kind: 'email', key, playbook: run.playbook.id, to, template: step.template, subject, body };
        const entry: EntryBody = { kind: 'email', to, text: subject, template: step.template, locale, line: step.line };
        const until = await this.emailAsking(b, ctx, step.line, action, entry, policy);
        if (until === null) {
          this.state.nextIteration(node);
          return;
        }
        await this.sleep(b, until, sleepingAt(ctx, step, to, true));
      }
    }
    const { subject, body, locale } = this.rendered(template, this.exprEnv(run, b.t));
    this.emit(ctx, { kind: 'email', to, text: subject, template: step.template, locale, line: step.line }, b.t);
    const result = await this.performed(
      b,
      ctx,
      step.line,
      { kind: 'email', ...this.keyed(step, ctx), to, template: step.template, subject, body },
      `email to ${to}`,
    );
    if (result.ok && result.suppressed !== undefined)
      this.emit(ctx, { kind: 'suppressed', to, text: result.suppressed, template: step.template, line: step.line }, b.t);
  }

  /**
   * A v2 email (several `to`, a list field, `cc`, `bcc` or `from`): after the send window, one
   * message for each `to` address, in order and each once, with its own idempotency key
   * `<node>#<n>/<address>` when there can be more than one (so a retry or replay never sends one
   * twice, and a changed list never shifts keys); `cc` and `bcc` go on each. Recipients and
   * sender are read when the messages go out. A `to` field without an address is a failure for
   * it alone; a `cc` or `bcc` field without one is left out. Under the contact policy each
   * message gets its own decision (keyed by its own key with `:contact`), in order: a skipped
   * one is recorded `suppressed`, a deferred one waits for its instant before the next is
   * decided. The iteration is taken when every message is done, so a run resumed in a deferral
   * (its frame holds that message's address and the ones after it) keeps its keys.
   */
  private async emailEach(step: StepOf<'email'>, b: Branch, ctx: Ctx, resume?: PositionFrame[]): Promise<void> {
    const { run } = ctx;
    const template = this.env.program.templates[step.template];
    if (!template) return this.failed(ctx, step.line, `email not sent: template "${step.template}" is missing`, b.t);
    const frame = resume?.[0];
    const deferred = frame?.kind === 'sleeping' && frame.decided && frame.to !== undefined ? { to: frame.to, rest: frame.rest ?? [] } : undefined;
    if (frame?.kind === 'sleeping') await this.sleep(b, frame.until, sleepingAt(ctx, step, deferred?.to, deferred && true, deferred?.rest));
    else if (run.playbook.sendWindow)
      await this.sleep(b, nextWindowOpening(b.t, run.playbook.sendWindow, run.calendar, this.env.wallClockWindows === true), sleepingAt(ctx, step));
    const toRecipients = [step.to, ...(step.alsoTo ?? [])];
    const to = deferred ? [deferred.to, ...deferred.rest] : unique(toRecipients.flatMap((r) => this.addresses(r, 'email', b, ctx, step.line)));
    const cc = unique(step.cc?.flatMap((r) => this.addresses(r, null, b, ctx, step.line)) ?? []);
    const bcc = unique(step.bcc?.flatMap((r) => this.addresses(r, null, b, ctx, step.line)) ?? []);
    let from: EmailSender | undefined;
    if (step.from?.kind === 'address') from = { address: step.from.address, name: step.from.name };
    else if (step.from) {
      const value = this.state.data.account[step.from.field];
      if (typeof value !== 'string' || value === '')
        return this.failed(ctx, step.line, `email not sent: account.${step.from.field} (its sender) has no address`, b.t);
      from = { address: value, name: null };
    }
    if (to.length === 0) return;
    const node = run.keyPrefix + step.id;
    const key = `${node}#${(this.state.data.iterations[node] ?? 0) + 1}`;
    const playbook = run.playbook.id;
    const each = step.alsoTo !== undefined || toRecipients.some((r) => r.kind === 'field' && Array.isArray(this.state.data.account[r.field]));
    const parties = {
      ...(cc.length > 0 && { cc }),
      ...(bcc.length > 0 && { bcc }),
    };
    const shownFrom = from && (from.name === null ? from.address : `${from.name} <${from.address}>`);
    const policy = this.env.contactPolicy === false || step.ignoringPolicy ? undefined : this.env.program.contactPolicy;
    for (const [i, address] of to.entries()) {
      const messageKey = each ? `${key}/${address.toLowerCase()}` : key;
      const message = (): { action: EmailAction; entry: EntryBody } => {
        const { subject, body, locale } = this.rendered(template, this.exprEnv(run, b.t));
        return {
          action: {
            kind: 'email',
            key: messageKey,
            playbook,
            to: address,
            template: step.template,
            subject,
            body,
            ...parties,
            ...(from && { from }),
          },
          entry: {
            kind: 'email',
            to: address,
            text: subject,
            template: step.template,
            locale,
            line: step.line,
            ...parties,
            ...(shownFrom && { from: shownFrom }),
          },
        };
      };
      if (policy && !(deferred && i === 0)) {
        let until: number | null;
        if (this.env.contactApart === true) {
          const decision = await this.contact(messageKey, step.line, b, ctx, address, policy);
          if (decision === null) continue;
          if (decision.kind === 'skip') {
            this.emit(ctx, { kind: 'suppressed', to: address, text: decision.reason, template: step.template, line: step.line }, b.t);
            continue;
          }
          until = decision.kind === 'defer' ? decision.until : null;
        } else {
          const { action, entry } = message();
          until = await this.emailAsking(b, ctx, step.line, action, entry, policy);
          if (until === null) continue;
        }
        if (until !== null) await this.sleep(b, until, sleepingAt(ctx, step, address, true, to.slice(i + 1)));
      }
      const { action, entry } = message();
      this.emit(ctx, entry, b.t);
      const result = await this.performed(b, ctx, step.line, action, `email to ${address}`);
      if (result.ok && result.suppressed !== undefined)
        this.emit(ctx, { kind: 'suppressed', to: address, text: result.suppressed, template: step.template, line: step.line }, b.t);
    }
    this.state.nextIteration(node);
  }

  /** An email's subject and body from the variant of `template` for the account's locale as it is now (`locale`: that variant's, absent for the template itself). */
  private rendered(template: TemplateIr, env: ExprEnv): { subject: string; body: string; locale?: string } {
    const { text, locale } = localisedTemplate(template, this.state.data.account.locale);
    return { subject: renderText(text.subject, env), body: renderText(text.body, env), ...(locale !== undefined && { locale }) };
  }

  /**
   * The contact policy's answer for an email to `to` at the branch's time, asked of the store
   * (or the simulation) by an action whose key is the email's key (`key`: the one its send
   * will have) with `:contact`; null, with an escalation, when it could not be asked (the email
   * is then not sent). A recipient the store has suppressed is skipped before any decision
   * (the answer's `suppressed`: nothing is reserved).
   */
  private async contact(key: string, line: number, b: Branch, ctx: Ctx, to: string, policy: ContactPolicyIr): Promise<ContactDecision | null> {
    const action: Action = { kind: 'contact', key: `${key}:contact`, playbook: ctx.run.playbook.id, to, ...this.contactQuestion(b, ctx, policy) };
    const result = await this.performed(b, ctx, line, action, `email to ${to} not sent: the contact policy`);
    if (!result.ok) return null;
    return decisionOf(result, b.t);
  }

  /** What the contact policy is asked about an email at the branch's time, but its recipient. */
  private contactQuestion(b: Branch, ctx: Ctx, policy: ContactPolicyIr): EmailQuestion {
    const { run } = ctx;
    const calendar = { ...run.calendar, holidays: holidaysNear(run.calendar.holidays, b.t) };
    return { at: b.t, policy, calendar, sendWindow: run.playbook.sendWindow };
  }

  /**
   * An email under the contact policy in one action: it carries the question (`contact`), and
   * the activity decides (keyed like a `contact` action, the email's key with `:contact`) and
   * sends only when the answer is to send now, which saves a decision's own round trip. Sent:
   * its `entry` is recorded then; skipped (or suppressed before any decision): `suppressed`;
   * failed: an escalation. Null then, else the instant a deferred email waits for, to be sent
   * as decided.
   */
  private async emailAsking(b: Branch, ctx: Ctx, line: number, action: EmailAction, entry: EntryBody, policy: ContactPolicyIr): Promise<number | null> {
    const result = await this.performed(b, ctx, line, { ...action, contact: this.contactQuestion(b, ctx, policy) }, `email to ${action.to}`);
    if (!result.ok) return null;
    const decision = decisionOf(result, b.t);
    if (decision.kind === 'defer') return decision.until;
    if (decision.kind === 'send') this.emit(ctx, entry, b.t);
    const suppressed = decision.kind === 'skip' ? decision.reason : result.suppressed;
    if (suppressed !== undefined) this.emit(ctx, { kind: 'suppressed', to: action.to, text: suppressed, template: action.template, line }, b.t);
    return null;
  }

  private async task(step: StepOf<'task'>, b: Branch, ctx: Ctx): Promise<void> {
    const { run } = ctx;
    const title = renderText(step.title, this.exprEnv(run, b.t));
    const due = step.due ? addDuration(b.t, step.due, run.calendar) : null;
    this.state.openTask(step.task, { title, line: step.line, playbook: run.child, asks: step.asks, done: false, answers: {} });
    const assignee = this.address(step.assignee, 'task', b, ctx, step.line);
    if (assignee === null) return;
    this.emit(ctx, { kind: 'task', to: assignee, text: title, task: step.task, due: due === null ? undefined : isoInstant(due), line: step.line }, b.t);
    const action: Action = { kind: 'task', ...this.keyed(step, ctx), task: step.task, title, assignee, due, asks: step.asks };
    await this.perform(b, ctx, step.line, action, `task for ${assignee}`);
  }

  private async set(step: StepOf<'set'>, b: Branch, ctx: Ctx): Promise<void> {
    const value = evaluate(step.value, this.exprEnv(ctx.run, b.t));
    this.emit(ctx, { ...setEntry(step.field, value), line: step.line }, b.t);
    await this.perform(b, ctx, step.line, { kind: 'set', ...this.keyed(step, ctx), field: step.field, value }, `set ${step.field}`);
    this.state.setField(step.field, value, b.t);
  }

  /**
   * The child's parameters are evaluated once, in the caller, when it starts; the frame keeps
   * them so a run resumed after continue-as-new reads the same values (not today's account).
   */
  private async runChild(step: StepOf<'runPlaybook'>, b: Branch, ctx: Ctx, resume?: PositionFrame[]): Promise<void> {
    const frame = resume?.[0]?.kind === 'child' ? resume[0] : undefined;
    const outerStage = frame ? frame.stage : this.state.data.stage;
    const child = this.playbookIr(step.playbook);
    let params: Record<string, Value> | undefined = frame?.params;
    if (!frame && (step.with || child.parameters)) {
      const env = this.exprEnv(ctx.run, b.t);
      const defaults = (child.parameters ?? []).flatMap((p) => (p.default === undefined ? [] : [[p.name, p.default] as const]));
      params = { ...Object.fromEntries(defaults), ...Object.fromEntries((step.with ?? []).map((arg) => [arg.name, evaluate(arg.value, env)])) };
    }
    const path = [...ctx.path, { node: step.id, kind: 'child' as const, stage: outerStage, ...(params && { params }) }];
    await this.runPlaybook(child, b, path, resume?.slice(1), params);
    this.state.data.stage = outerStage;
  }

  // -------------------------------------------------------------------------------------
  // Waiting

  /** Sleeps to `until`; `at` is where the main branch is then, should it hop meanwhile. */
  private sleep(b: Branch, until: number, at?: (until: number) => PositionFrame[]): Promise<void> | void {
    if (until <= b.t) return;
    if (at === undefined || b.inRung || b.fx.blockedHop === null) return b.fx.sleepUntil(until).then(() => void (b.t = until));
    return this.blockedWait(b, never, until, 'time').then((woke) => {
      if (woke === 'hop') throw this.hop(b, at(until));
      b.t = until;
    });
  }

  /**
   * `fx.waitFor`; in the main branch, 'hop' instead once the run should continue as new from
   * here and `quiet()` (no rung body of the wait still running). A wait whose deadline has
   * been reached ends as it would have. `waitDeadline`: see `Effects.waitFor`.
   */
  private async blockedWait(
    b: Branch,
    cond: () => boolean,
    deadline: number | null,
    what: string,
    quiet?: () => boolean,
    waitDeadline: number | null = deadline,
  ): Promise<boolean | 'hop'> {
    const hop = b.inRung ? null : b.fx.blockedHop;
    if (hop === null) return b.fx.waitFor(cond, deadline, what, waitDeadline);
    const woke = await b.fx.waitFor(() => cond() || ((quiet?.() ?? true) && hop.due()), deadline, what, waitDeadline);
    if (!woke || cond()) return woke;
    return deadline !== null && b.fx.now() >= deadline ? false : 'hop';
  }

  /** The main branch stops where it is blocked: the run unwinds to hand over `position`. */
  private hop(b: Branch, position: PositionFrame[]): ContinueAsNew {
    b.fx.blockedHop!.begin();
    return new ContinueAsNew(this.snapshot(b.t, position));
  }

  private async waitFor(step: StepOf<'waitFor'>, b: Branch, ctx: Ctx, resume?: PositionFrame[]): Promise<void> {
    const timeoutFrame = within(ctx, { node: step.id, kind: 'timeout' });
    const frame = resume?.[0];
    if (resume && frame?.kind !== 'waiting') return this.block(step.onTimeout ?? [], b, timeoutFrame, resume.slice(1));
    const { run } = ctx;
    const start = frame?.kind === 'waiting' ? frame.since : b.t;
    const deadline = step.upTo ? addDuration(start, step.upTo, run.calendar) : null;
    const rungs = step.rungs
      .map((rung) => ({ rung, at: addDuration(start, rung.after, run.calendar) }))
      .filter((r) => deadline === null || r.at < deadline)
      .sort((x, y) => x.at - y.at);
    const waiting = describeTarget(step.target);
    const checkFrom = frame?.kind === 'waiting' ? frame.checkedAt : start;
    const satisfied = waitCheck(
      step.target,
      this.state,
      (condition, at, bound) => this.holds(condition, run, at, bound),
      checkFrom,
      () => b.fx.now(),
    );
    const running: Rung[] = [];
    const quiet = () => running.every((r) => r.settled());
    let next = frame?.kind === 'waiting' ? frame.fired : 0;
    try {
      for (;;) {
        const rungAt = rungs[next]?.at ?? null;
        const wake = rungAt === null ? deadline : deadline === null ? rungAt : Math.min(rungAt, deadline);
        const woke = await this.blockedWait(b, satisfied.holds, wake, waiting, quiet, deadline);
        if (woke === 'hop') throw this.hop(b, [...ctx.path, { node: step.id, kind: 'waiting', since: start, fired: next, checkedAt: satisfied.checkedAt() }]);
        if (woke) {
          b.t = Math.max(b.t, b.fx.now());
          // A closed task ends its wait as not completed: the timeout path, at once.
          if (satisfied.closed()) break;
          if (satisfied.claim()) return;
          continue;
        }
        b.t = wake!;
        if (wake === rungAt) {
          running.push(this.fireRung(rungs[next]!.rung.body, b, ctx));
          next++;
          continue;
        }
        break;
      }
    } finally {
      for (const r of running) {
        r.token.cancel();
        r.scope.cancel();
      }
    }
    this.emit(ctx, { kind: 'timeout', text: describeTarget(step.target), line: step.line }, b.t);
    if (step.onTimeout) await this.block(step.onTimeout, b, timeoutFrame);
  }

  /** Starts a rung body as a concurrent branch; a fault in it aborts the whole run. */
  private fireRung(body: StepIr[], b: Branch, ctx: Ctx): Rung {
    const token = new CancelToken(b.token);
    const rung: Branch = { fx: b.fx, t: b.t, token, inRung: true };
    let settled = false;
    const scope = b.fx.scope(async (fx) => {
      try {
        await this.block(body, Object.assign(rung, { fx }), ctx);
      } catch (e) {
        if (!(e instanceof Cancelled)) this.abort(e);
      } finally {
        settled = true;
      }
    });
    return { token, scope, settled: () => settled };
  }

  // -------------------------------------------------------------------------------------
  // Branching and loops

  private async choose(step: StepOf<'if'>, b: Branch, ctx: Ctx, resume?: PositionFrame[]): Promise<void> {
    const frame = resume?.[0];
    let branch: number;
    if (frame?.kind === 'branch') branch = frame.branch;
    else {
      branch = step.branches.findIndex((br) => this.holds(br.condition, ctx.run, b.t));
      if (branch < 0) branch = step.branches.length;
    }
    const body = step.branches[branch]?.body ?? step.else;
    if (body) await this.block(body, b, within(ctx, { node: step.id, kind: 'branch', branch }), resume?.slice(1));
  }

  private async repeat(step: StepOf<'repeat'>, b: Branch, ctx: Ctx, resume?: PositionFrame[]): Promise<void> {
    const { run } = ctx;
    const until = () => step.until !== null && this.holds(step.until, run, b.t);
    const frame = resume?.[0];
    let round = 0;
    let roundStart = b.t;
    let inside: PositionFrame[] | undefined;
    let atBoundary = false;
    if (frame?.kind === 'round') {
      ({ round, roundStart } = frame);
      inside = resume!.length > 1 ? resume!.slice(1) : undefined;
      atBoundary = inside === undefined;
    } else if (until() || step.atMost === 0) return;
    for (;;) {
      if (!atBoundary) {
        if (!inside) {
          round++;
          roundStart = b.t;
        }
        const here: PositionFrame = { node: step.id, kind: 'round', round, roundStart };
        await this.block(step.body, b, within(ctx, here), inside);
        inside = undefined;
        if (step.atMost !== null && round >= step.atMost) return;
        if (!b.inRung && b.fx.shouldContinueAsNew()) throw new ContinueAsNew(this.snapshot(b.t, [...ctx.path, here]));
      }
      atBoundary = false;
      const boundary: PositionFrame[] = [...ctx.path, { node: step.id, kind: 'round', round, roundStart }];
      await this.sleep(b, Math.max(addDuration(roundStart, step.every, run.calendar), b.t), () => boundary);
      if (until()) return;
    }
  }

  private snapshot(at: number, position: PositionFrame[]): RunSnapshot {
    return { at, position, state: JSON.parse(JSON.stringify(this.state.data)) as RunSnapshot['state'] };
  }

  // -------------------------------------------------------------------------------------
  // Actions

  /** The idempotency key of this execution of `step`, and the playbook performing it. */
  private keyed(step: StepIr, ctx: Ctx): { key: string; playbook: string } {
    const node = ctx.run.keyPrefix + step.id;
    return { key: `${node}#${this.state.nextIteration(node)}`, playbook: ctx.run.playbook.id };
  }

  private async perform(b: Branch, ctx: Ctx, line: number, action: Action, what: string): Promise<void> {
    await this.performed(b, ctx, line, action, what);
  }

  /** `perform`, telling what became of the action. */
  private async performed(b: Branch, ctx: Ctx, line: number, action: Action, what: string): Promise<ActionResult> {
    const result = await b.fx.perform(action);
    if (!result.ok) this.failed(ctx, line, `${what} failed: ${result.error}`, b.t);
    return result;
  }

  /** A step that could not do its job: an escalation on the timeline, and the run goes on. */
  private failed(ctx: Ctx, line: number, text: string, at: number): void {
    const owner = ctx.run.playbook.owner ?? undefined;
    this.emit(ctx, { kind: 'escalate', to: owner, text, severity: 'high', line }, at);
  }

  /**
   * Every address a recipient stands for: one, or each of a list field's (v2 emails). A field
   * without an address gives none, with an escalation on the timeline when `what` names what
   * could not be sent (null: left out silently, as `cc` and `bcc` are).
   */
  private addresses(to: RecipientIr, what: string | null, b: Branch, ctx: Ctx, line: number): string[] {
    if (to.kind !== 'field') return [this.address(to, what ?? 'email', b, ctx, line)!];
    const value = this.state.data.account[to.field];
    const list = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string' && v !== '');
    if (list.length === 0 && what !== null) this.failed(ctx, line, `${what} not sent: account.${to.field} has no address`, b.t);
    return list;
  }

  /**
   * The address of a recipient; null, with an escalation on the timeline, when its account
   * field holds none (`what` names what could not be sent).
   */
  private address(to: RecipientIr, what: string, b: Branch, ctx: Ctx, line: number): string | null {
    switch (to.kind) {
      case 'address':
        return to.address;
      case 'role':
        return this.env.roles[to.name] ?? `role:${to.name}`;
      case 'field': {
        const value = this.state.data.account[to.field];
        if (typeof value === 'string' && value !== '') return value;
        this.failed(ctx, line, `${what} not sent: account.${to.field} has no address`, b.t);
        return null;
      }
      case 'param': {
        const value = ctx.run.params[to.param];
        if (typeof value === 'string' && value !== '') return value;
        this.failed(ctx, line, `${what} not sent: params.${to.param} has no address`, b.t);
        return null;
      }
    }
  }

  // -------------------------------------------------------------------------------------
  // Plumbing

  private emit(ctx: Ctx, entry: EntryBody, at: number): void {
    this.state.emit(ctx.run.child === undefined ? entry : { ...entry, playbook: ctx.run.child }, at);
  }

  /** A bug surfaced in a concurrent branch: stop everything and make `run` reject with it. */
  private abort(error: unknown): void {
    this.fault ??= error;
    this.abortAll();
  }

  private holds(condition: ExprIr, run: PlaybookRun, at: number, bound?: Readonly<Record<string, Record<string, unknown>>>): boolean {
    return isTrue(evaluate(condition, this.exprEnv(run, at, bound)));
  }

  private exprEnv(run: PlaybookRun, now: number, bound?: Readonly<Record<string, Record<string, unknown>>>): ExprEnv {
    return new RunExprEnv(this.state.data, now, run.calendar, run.params, bound);
  }

  private calendarOf(playbook: PlaybookIr): ResolvedCalendar {
    if (playbook.calendar === null) return defaultCalendar;
    const calendar = this.env.calendars[playbook.calendar];
    if (!calendar) throw new Error(`calendar "${playbook.calendar}" of playbook ${playbook.id} was not resolved before the run`);
    return calendar;
  }

  private playbookIr(id: string): PlaybookIr {
    const playbook = this.env.program.playbooks[id];
    if (!playbook) throw new Error(`the program has no playbook "${id}"`);
    return playbook;
  }
}

function within(ctx: Ctx, frame: PositionFrame): Ctx {
  return { run: ctx.run, path: [...ctx.path, frame] };
}

/** Where a step sleeping until an instant is, for a hop meanwhile; an email keeps its recipient (and whether the contact policy deferred it). */
function sleepingAt(ctx: Ctx, step: StepIr, to?: string, decided?: true, rest?: string[]): (until: number) => PositionFrame[] {
  return (until) => [
    ...ctx.path,
    {
      node: step.id,
      kind: 'sleeping',
      until,
      ...(to !== undefined && { to }),
      ...(decided && { decided }),
      ...(rest !== undefined && rest.length > 0 && { rest }),
    },
  ];
}

/** The contact policy's answer in `result`: a recipient suppressed before any decision is skipped; no answer is a send now. */
function decisionOf(result: Extract<ActionResult, { ok: true }>, t: number): ContactDecision {
  if (result.contact !== undefined) return result.contact;
  return result.suppressed !== undefined ? { kind: 'skip', reason: result.suppressed } : { kind: 'send', at: t };
}

/** A year and a half of holidays either side of `t`: all a contact-policy decision at `t` can count (it defers at most a year). */
function holidaysNear(holidays: string[], t: number): string[] {
  const year = new Date(t).getUTCFullYear();
  const from = `${year - 2}-01-01`;
  const to = `${year + 2}-12-31`;
  return holidays.filter((d) => d >= from && d <= to);
}

/** Whether an email step uses v2's parties: more than one `to`, a list field, `cc`, `bcc` or `from`. */
function isV2Email(step: StepOf<'email'>, account: AccountData): boolean {
  if (step.alsoTo || step.cc || step.bcc || step.from) return true;
  return step.to.kind === 'field' && Array.isArray(account[step.to.field]);
}

/** Addresses in order, each once (compared lower-cased). */
function unique(addresses: string[]): string[] {
  const seen = new Set<string>();
  return addresses.filter((a) => {
    const k = a.toLowerCase();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function sleptTo(resume: PositionFrame[]): number {
  const frame = resume[0];
  if (frame?.kind !== 'sleeping') throw new Error(`snapshot position at step ${String(frame?.node)} is not a sleep`);
  return frame.until;
}

/** A rung body running beside its wait. */
interface Rung {
  token: CancelToken;
  scope: Scope<void>;
  settled(): boolean;
}

/** What expressions read of a run at one instant. A class rather than closures: one is made for every evaluation. */
class RunExprEnv implements ExprEnv {
  readonly account: AccountData;

  constructor(
    private readonly data: RunStateData,
    readonly now: number,
    readonly calendar: ResolvedCalendar,
    private readonly params: Readonly<Record<string, Value>>,
    /** A `where`'s candidate event, over the run's bindings. */
    private readonly bound?: Readonly<Record<string, Record<string, unknown>>>,
  ) {
    this.account = data.account;
  }

  param(name: string): Value | undefined {
    return this.params[name];
  }

  binding(name: string): Record<string, unknown> | undefined {
    return this.bound?.[name] ?? this.data.bindings[name];
  }

  answer(task: string, ask: string): unknown {
    return this.data.tasks[task]?.answers[ask];
  }
}
