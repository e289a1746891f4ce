import type { IrProgram, SingleWaitTargetIr, StepIr, WaitTargetIr } from '../ir/types.js';

export type TaskStepIr = Extract<StepIr, { kind: 'task' }>;

/** Every step in `steps`, nested ones included, in source order. */
export function* allSteps(steps: StepIr[]): Generator<StepIr> {
  for (const step of steps) {
    yield step;
    for (const block of childBlocks(step)) yield* allSteps(block);
  }
}

/** The step lists directly inside `step`, in source order. */
function childBlocks(step: StepIr): StepIr[][] {
  switch (step.kind) {
    case 'waitFor':
      return [...step.rungs.map((r) => r.body), ...(step.onTimeout ? [step.onTimeout] : [])];
    case 'if':
      return [...step.branches.map((b) => b.body), ...(step.else ? [step.else] : [])];
    case 'repeat':
    case 'stage':
      return [step.body];
    default:
      return [];
  }
}

/** The task steps of every playbook in the program by task name (tasks share one namespace per run). */
export function taskSteps(program: IrProgram): Map<string, TaskStepIr> {
  const tasks = new Map<string, TaskStepIr>();
  for (const playbook of Object.values(program.playbooks)) {
    for (const step of allSteps(playbook.body)) if (step.kind === 'task') tasks.set(step.task, step);
  }
  return tasks;
}

/** What a `wait for` waits for: its one target, or each of `wait for any of`. */
export function waitTargets(target: WaitTargetIr): SingleWaitTargetIr[] {
  return target.kind === 'anyOf' ? target.of : [target];
}
