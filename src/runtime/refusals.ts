/**
 * The words of every refusal of a run input, on both clocks (the run state, the simulator,
 * the workflow's input desk) and in the CLI's checks before anything runs. Pure.
 */
export const refusal = {
  ended: 'the run has already ended',
  beforeStart: 'it is before the run starts',
  /** `accepted`: the program's `acceptedEvents`; `hint` goes after the name (a "did you mean"). */
  eventNotAccepted(name: string, accepted: ReadonlySet<string>, hint = ''): string {
    const listed = accepted.size === 0 ? 'it waits for no events' : `it waits for ${[...accepted].map((e) => `"${e}"`).join(', ')}`;
    return `the playbook never waits for event "${name}"${hint}; ${listed}`;
  },
  /** Nothing takes the event: `none` says what was looked at (`no open run of account a1`, `no deployed playbook`). */
  noneWaitsFor: (none: string, name: string, hint = '') => `${none} waits for event "${name}"${hint}`,
  eventWithoutName: (sent: string) => `an event needs a name (text), got ${sent}`,
  payloadNotObject: (name: string) => `the payload of event "${name}" must be a JSON object`,
  taskNameNotText: 'the task name must be a non-empty text',
  answersNotObject: (task: string) => `the answers to task ${task} must be a JSON object`,
  noSuchTask: (task: string) => `the playbook has no task "${task}"`,
  taskNotCreated: (task: string) => `task ${task} has not been created yet`,
  taskCompleted: (task: string) => `task ${task} is already completed`,
  taskClosed: (task: string) => `task ${task} is closed`,
  assigneeNotText: (task: string) => `task ${task}: the new assignee must be a non-empty text (an email address)`,
  reasonNotText: (task: string) => `task ${task}: closing it needs a reason (a non-empty text)`,
  untilNotInstant: (task: string) => `task ${task}: snooze needs \`until\`, an instant (epoch ms or ISO-8601 with an offset)`,
  /** `now`: the run's current instant, UTC ISO-8601. */
  snoozeNotLater: (task: string, now: string) => `task ${task}: snooze until an instant after now (${now})`,
  /** `asks`: the unanswered asks, at least one. */
  answersRequired(task: string, asks: string[]): string {
    const named = asks.map((a) => `\`${a}\``).join(', ');
    return asks.length === 1 ? `task ${task}: answer ${named} is required` : `task ${task}: answers ${named} are required`;
  },
} as const;
