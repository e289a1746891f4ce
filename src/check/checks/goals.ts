/**
 * Goals: the tasks and stages a milestone or anchor names are the playbook's own, the target
 * is a share between 1% and 100%, and the milestone is not the moment its time starts from.
 * Their events are checked with the others' (events.ts), their durations with every duration.
 */
import { didYouMean } from '../../diagnostics/suggest.js';
import type { GoalAnchor, GoalMilestone } from '../../language/ast.js';
import type { CheckRegistry } from '../registry.js';
import { stageIds } from './playbook-names.js';

export const goalChecks: CheckRegistry = {
  header: [
    (node, accept, ctx) => {
      if (node.kind !== 'goal' || !ctx.playbook) return;
      const { goal } = node;
      const tasks = (ctx.scope?.bindings ?? []).filter((b) => b.kind === 'task').map((b) => b.name);
      const stages = stageIds(ctx.playbook).map((s) => s.ident.name);
      for (const point of [goal.milestone, ...(goal.anchor ? [goal.anchor] : [])]) {
        if ((point.kind === 'taskDone' || point.kind === 'taskCreated') && !tasks.includes(point.task.name)) {
          accept('PB2170', point.task.span, `no task of this playbook is named \`${point.task.name}\``, {
            hint: didYouMean(point.task.name, tasks) ?? `name a task with \`as ${point.task.name}\` at the end of its \`task\` line`,
          });
        }
        if (point.kind === 'stage' && !stages.includes(point.stage.name)) {
          accept('PB2171', point.stage.span, `this playbook has no stage \`${point.stage.name}\``, {
            hint: didYouMean(point.stage.name, stages) ?? 'name a `stage <id>` of this playbook',
          });
        }
      }
      const target = goal.target.value;
      if (target < 1 || target > 100) {
        accept('PB2173', goal.target.span, `a goal's target is a share of runs from 1% to 100%, not ${target}%`, {
          hint: 'write e.g. `target 90%`',
        });
      }
      if (goal.anchor && samePoint(goal.milestone, goal.anchor)) {
        accept('PB2174', goal.anchor.span, `goal \`${goal.id.name}\` counts from its own milestone, so it is met the moment it starts`, {
          hint: 'count from `start` (leave out `of …`) or from an earlier moment',
        });
      }
    },
  ],
};

/** Whether a milestone and an anchor name the same moment: an event, or a stage reached. */
function samePoint(milestone: GoalMilestone, anchor: GoalAnchor): boolean {
  if (milestone.kind === 'event' && anchor.kind === 'event') return milestone.name.value === anchor.name.value;
  if (milestone.kind === 'stage' && anchor.kind === 'stage') return milestone.stage.name === anchor.stage.name;
  return false;
}
