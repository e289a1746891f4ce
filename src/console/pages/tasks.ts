/**
 * My tasks (a csm's landing page): open tasks grouped overdue / due today / this week / later
 * / undated, each due time in its run's business time, filtered by playbook and account; and
 * a task's page with the form its `ask` lines make.
 */
import type * as z from 'zod';
import { formatDue, formatLocal, type DueGroup, type ResolvedCalendar } from '../../calendar/index.js';
import type { inboxSchema, taskDetailsSchema } from '../../api/schemas/runs.js';
import { mayBeLeftOut } from '../../runtime/answers.js';
import { runAddressOf, runPathOf, runTitle, type RunAddress } from '../../api/run-path.js';
import { ANSWER_PREFIX } from '../answers.js';
import { query } from '../api-client.js';
import { PageRefusal, type PageContext } from '../context.js';
import { html, pathOf, type Html } from '../html.js';
import { csrfField, page } from '../layout.js';

type Inbox = z.infer<typeof inboxSchema>;
type InboxTask = Inbox['tasks'][number];
export type TaskDetails = z.infer<typeof taskDetailsSchema>;

const INBOX_LIMIT = 1000;

const GROUPS: Array<[DueGroup | 'undated', string]> = [
  ['overdue', 'Overdue'],
  ['today', 'Due today'],
  ['week', 'This week'],
  ['later', 'Later'],
  ['undated', 'No due date'],
];

export interface InboxFilter {
  playbook?: string;
  account?: string;
  /** csops: whose tasks (a csm always sees its own). */
  assignee?: string;
}

export async function tasksPage(ctx: PageContext, filter: InboxFilter): Promise<Html> {
  const { principal } = ctx.session;
  const assignee = principal.role === 'csops' ? filter.assignee || principal.user : principal.user;
  const options = { title: 'My tasks', session: ctx.session, section: 'tasks' as const };
  if (assignee === undefined) {
    return page(
      options,
      html`<h1>Tasks</h1>
        <p>Your token names no user, so you have no tasks of your own. Whose tasks do you want to see?</p>
        ${assigneeForm('')}`,
    );
  }
  const inbox = await ctx.api.get<Inbox>(`/v1/tasks${query({ limit: String(INBOX_LIMIT), ...(principal.role === 'csops' && { assignee }) })}`);
  const tasks = inbox.tasks.filter((t) => (!filter.playbook || t.playbook === filter.playbook) && (!filter.account || t.accountId === filter.account));
  const calendars = await ctx.calendars.ofAll(tasks.filter((t) => t.due !== null).map((t) => t.workflowId));
  const grouped = new Map<string, Array<{ task: InboxTask; due: Html | null }>>();
  for (const task of tasks) {
    const calendar = calendars.get(task.workflowId);
    const due = task.due === null || calendar === undefined ? null : formatDue(Date.parse(task.due), ctx.now, calendar);
    const key = due === null ? 'undated' : due.group;
    grouped.set(key, [...(grouped.get(key) ?? []), { task, due: due === null ? null : dueText(task.due!, due.text, due.group, calendar!) }]);
  }
  const playbooks = [...new Set(inbox.tasks.map((t) => t.playbook))].sort();
  const accounts = [...new Set(inbox.tasks.map((t) => t.accountId))].sort();
  return page(
    options,
    html`<h1>${assignee === principal.user ? 'My tasks' : `Tasks of ${assignee}`}</h1>
      ${principal.role === 'csops' ? assigneeForm(assignee) : ''}
      <form class="filters" method="get" action="/tasks">
        ${principal.role === 'csops' ? html`<input type="hidden" name="assignee" value="${assignee}" />` : ''}
        ${select('playbook', 'Playbook', playbooks, filter.playbook)} ${select('account', 'Account', accounts, filter.account)}
        <button type="submit">Filter</button>
      </form>
      <p class="muted">${tasks.length === 1 ? '1 open task' : `${tasks.length} open tasks`}</p>
      ${GROUPS.filter(([key]) => grouped.has(key)).map(
        ([key, heading]) =>
          html`<section aria-labelledby="group-${key}">
            <h2 id="group-${key}">${heading}</h2>
            <ul class="cards">
              ${grouped.get(key)!.map(({ task, due }) => taskCard(task, due))}
            </ul>
          </section>`,
      )}
      ${tasks.length === 0 ? html`<p class="empty">Nothing open. Tasks the playbooks give you appear here.</p>` : ''}`,
  );
}

function assigneeForm(value: string): Html {
  return html`<form class="filters" method="get" action="/tasks">
    <label>Assignee <input type="email" name="assignee" value="${value}" autocomplete="email" /></label>
    <button type="submit">Show</button>
  </form>`;
}

function select(name: string, label: string, values: string[], current: string | undefined): Html {
  return html`<label
    >${label}
    <select name="${name}">
      <option value="">All</option>
      ${values.map((v) => html`<option value="${v}" ${v === current ? html` selected` : ''}>${v}</option>`)}
    </select></label
  >`;
}

function taskCard(task: InboxTask, due: Html | null): Html {
  return html`<li class="card">
    <a class="card-title" href="${taskPath(runAddressOf(task), task.task)}">${task.title}</a>
    <span class="meta">${task.accountId} · ${task.childPlaybook ?? task.playbook}${task.stage === null ? '' : ` · ${task.stage}`}</span>
    ${due ?? html`<span class="due">no due date</span>`}
  </li>`;
}

function dueText(iso: string, text: string, group: string, calendar: ResolvedCalendar): Html {
  return html`<span class="due due-${group}"><time datetime="${iso}" title="${formatLocal(Date.parse(iso), calendar)}">${text}</time></span>`;
}

/** The console's page of a run's task, or a path under it (`segments`: its change forms). */
export function taskPath(run: RunAddress, task: string, segments: readonly string[] = []): string {
  return runPathOf('/tasks', run, [task, ...segments]);
}

export interface TaskForm {
  entered: Record<string, string>;
  problems: Record<string, string>;
  /** The run's refusal, shown above the form. */
  refusal?: string;
}

/** The task, after checking a csm may open it: in its book (the API answers 404 otherwise) and assigned to it. */
export async function loadTask(ctx: PageContext, run: RunAddress, task: string): Promise<TaskDetails> {
  const details = await ctx.api.get<TaskDetails>(runPathOf('/v1/runs', run, ['tasks', task]));
  const { principal } = ctx.session;
  if (principal.role === 'csm' && details.assignee !== null && details.assignee.toLowerCase() !== principal.user?.toLowerCase()) {
    throw new PageRefusal(403, 'Not your task', `This task is assigned to ${details.assignee}; only they (or CS Ops) can open it.`);
  }
  return details;
}

export async function taskPage(ctx: PageContext, details: TaskDetails, form: TaskForm = { entered: {}, problems: {} }): Promise<Html> {
  const calendar = await ctx.calendars.of(details.workflowId);
  const due = details.due === null ? null : formatDue(Date.parse(details.due), ctx.now, calendar);
  const run = runAddressOf(details);
  const runHref = runPathOf('/runs', run);
  return page(
    { title: details.title, session: ctx.session, section: 'tasks' },
    html`<p class="crumbs"><a href="/tasks">My tasks</a> › <a href="${runHref}">${runTitle(run)}</a></p>
      <h1>${details.title}</h1>
      <dl class="facts">
        <dt>Account</dt>
        <dd><a href="${pathOf('/accounts', details.accountId)}">${details.accountId}</a></dd>
        <dt>Playbook</dt>
        <dd>${details.childPlaybook ?? details.playbook}${details.stage === null ? '' : `, stage ${details.stage}`}</dd>
        <dt>Assignee</dt>
        <dd>${details.assignee ?? 'nobody'}</dd>
        <dt>Due</dt>
        <dd>
          ${due === null ? 'no due date' : dueText(details.due!, `${due.text} (${formatLocal(Date.parse(details.due!), calendar)})`, due.group, calendar)}
        </dd>
        <dt>State</dt>
        <dd>${details.state}</dd>
      </dl>
      ${details.state === 'open' ? html`${completeForm(ctx, details, form)}${otherActions(ctx, details)}` : closedTask(details)}`,
  );
}

function closedTask(details: TaskDetails): Html {
  const answers = Object.entries(details.answers ?? {});
  return html`<section aria-labelledby="answers">
    <h2 id="answers">${details.state === 'completed' ? 'Completed' : 'Closed'}</h2>
    <p>
      ${details.closedAt === null ? '' : `On ${details.closedAt}`}${details.closedBy === null ? '' : ` by ${details.closedBy}`}${details.closeReason === null ? '' : `: ${details.closeReason}`}
    </p>
    ${
      answers.length === 0
        ? ''
        : html`<dl class="facts">
            ${answers.map(
              ([name, value]) =>
                html`<dt>${details.questions.find((q) => q.name === name)?.question ?? name}</dt>
                  <dd>${answerText(value)}</dd>`,
            )}
          </dl>`
    }
  </section>`;
}

function answerText(value: unknown): string {
  return value === true ? 'yes' : value === false ? 'no' : String(value);
}

function completeForm(ctx: PageContext, details: TaskDetails, form: TaskForm): Html {
  const problems = Object.keys(form.problems).length;
  return html`<form class="task-form" method="post" action="${taskPath(runAddressOf(details), details.task)}">
    ${csrfField(ctx.session)}
    <h2>Complete the task</h2>
    ${
      form.refusal !== undefined
        ? html`<p class="problem" role="alert">${form.refusal}</p>`
        : problems > 0
          ? html`<p class="problem" role="alert">${problems === 1 ? 'One answer needs' : `${problems} answers need`} attention.</p>`
          : ''
    }
    ${details.questions.length === 0 ? html`<p>This task asks nothing: complete it when it is done.</p>` : ''}
    ${details.questions.map((q) => field(q, form.entered[q.name] ?? '', form.problems[q.name]))}
    <p class="required-note"><span aria-hidden="true">*</span> required</p>
    <button type="submit" class="primary">Complete</button>
  </form>`;
}

/** How long a task can be snoozed from its page, in days (the API takes any later instant). */
export const SNOOZE_DAYS = [1, 3, 7] as const;

/** Reassign, snooze and close: each a small form posting to the task's path plus the action. */
function otherActions(ctx: PageContext, details: TaskDetails): Html {
  const run = runAddressOf(details);
  return html`<section aria-labelledby="other-actions" class="task-actions">
    <h2 id="other-actions">Other actions</h2>
    <form method="post" action="${taskPath(run, details.task, ['reassign'])}" class="filters">
      ${csrfField(ctx.session)}
      <label>Reassign to <input type="email" name="to" required autocomplete="email" /></label>
      <button type="submit">Reassign</button>
    </form>
    <form method="post" action="${taskPath(run, details.task, ['snooze'])}" class="filters">
      ${csrfField(ctx.session)}
      <label
        >Snooze for
        <select name="days">
          ${SNOOZE_DAYS.map((d) => html`<option value="${String(d)}">${d === 1 ? '1 day' : `${d} days`}</option>`)}
        </select></label
      >
      <button type="submit">Snooze</button>
    </form>
    <form method="post" action="${taskPath(run, details.task, ['close'])}" class="filters">
      ${csrfField(ctx.session)}
      <label>Reason <input type="text" name="reason" required maxlength="500" /></label>
      <button type="submit">Close without completing</button>
    </form>
  </section>`;
}

function field(q: TaskDetails['questions'][number], value: string, problem: string | undefined): Html {
  const id = `f-${q.name}`;
  const name = `${ANSWER_PREFIX}${q.name}`;
  const required = !mayBeLeftOut(q);
  const mark = required
    ? html` <span class="required" aria-hidden="true">*</span>`
    : q.default !== undefined
      ? html` <span class="default-note">(if left empty: ${String(q.default)})</span>`
      : html` <span class="default-note">(optional)</span>`;
  const described = problem === undefined ? '' : html` aria-invalid="true" aria-describedby="${id}-error"`;
  const error = problem === undefined ? '' : html`<p class="field-error" id="${id}-error">${problem}</p>`;
  const req = required ? html` aria-required="true"` : '';
  switch (q.type.type) {
    case 'yes/no':
      return html`<fieldset class="field${problem === undefined ? '' : ' invalid'}" ${described}${req} role="radiogroup">
        <legend>${q.question}${mark}</legend>
        <label><input type="radio" name="${name}" value="true" ${value === 'true' ? html` checked` : ''} /> Yes</label>
        <label><input type="radio" name="${name}" value="false" ${value === 'false' ? html` checked` : ''} /> No</label>
        ${error}
      </fieldset>`;
    case 'one of':
      return html`<div class="field${problem === undefined ? '' : ' invalid'}">
        <label for="${id}">${q.question}${mark}</label>
        <select id="${id}" name="${name}" ${described}${req}>
          <option value="">Choose…</option>
          ${(q.type.values ?? []).map((v) => html`<option value="${v}" ${v === value ? html` selected` : ''}>${v}</option>`)}
        </select>
        ${error}
      </div>`;
    case 'text':
      return html`<div class="field${problem === undefined ? '' : ' invalid'}">
        <label for="${id}">${q.question}${mark}</label>
        <textarea id="${id}" name="${name}" rows="3" ${described}${req}>${value}</textarea>
        ${error}
      </div>`;
    default: {
      // Numbers are typed as text: the server's message, not the browser's, says what is wrong.
      const input = q.type.type === 'date' ? html`type="date"` : html`type="text" inputmode="decimal"`;
      return html`<div class="field${problem === undefined ? '' : ' invalid'}">
        <label for="${id}">${q.question}${mark}</label>
        <input id="${id}" name="${name}" ${input} value="${value}" ${described}${req} />
        ${error}
      </div>`;
    }
  }
}
