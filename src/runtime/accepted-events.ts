/**
 * Which events a program accepts: the ones a step waits for or a trigger starts on. Pure.
 */
import type { IrProgram } from '../ir/types.js';
import { allSteps } from './ir-walk.js';

export function acceptedEvents(program: IrProgram): Set<string> {
  const events = new Set<string>();
  for (const playbook of Object.values(program.playbooks)) {
    for (const trigger of playbook.triggers) if (trigger.kind === 'event') events.add(trigger.name);
    for (const step of allSteps(playbook.body)) {
      if (step.kind === 'waitFor' && step.target.kind === 'event') events.add(step.target.name);
    }
  }
  return events;
}

export function acceptsEvent(program: IrProgram, name: string): boolean {
  return acceptedEvents(program).has(name);
}
