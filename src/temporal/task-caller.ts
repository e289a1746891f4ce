/**
 * Whose task a completion or change (reassign, snooze, close) may touch, decided inside the
 * run (the `completeTask` and `changeTask` updates' validators), so no event opening or
 * reassigning the task can slip in between the check and the completion. A csm completes or
 * changes only a task open now and assigned to its user; other roles any task. A completion without a caller (the CLI, histories from before callers
 * were sent) is not checked, as before. Pure; workflow code.
 */
import type { OpenTask } from './contract.js';

/**
 * Why the caller of the `completeTask` (or `changeTask`) update `update` may not complete (or
 * change) it, or null; `doing` names it in the refusal.
 */
export function callerProblem(update: unknown, openTask: (name: string) => OpenTask | undefined, doing: 'completes' | 'changes' = 'completes'): string | null {
  const { task, by } = (typeof update === 'object' && update !== null ? update : {}) as { task?: unknown; by?: unknown };
  if (by === undefined) return null;
  const { role, user } = (typeof by === 'object' && by !== null ? by : {}) as { role?: unknown; user?: unknown };
  if (typeof role !== 'string' || (user !== undefined && typeof user !== 'string')) return 'the caller must be { role, user? } with text values';
  if (role !== 'csm') return null;
  const open = openTask(String(task));
  if (open === undefined) return `task ${String(task)} is not open`;
  if (open.assignee === null || user === undefined || open.assignee.toLowerCase() !== user.toLowerCase()) {
    return `task ${String(task)} is assigned to ${open.assignee ?? 'nobody'}; a csm token ${doing} only tasks assigned to its user (${user ?? 'none'})`;
  }
  return null;
}
