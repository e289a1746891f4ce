/**
 * Lowering of a checked workspace to the IR program of one playbook: that playbook, every
 * playbook it runs with `run playbook` (transitively), the calendars those use, all account
 * fields, and the email templates they send. Records are filled in key order, so the
 * program (and its pretty JSON) does not depend on the order files were read in.
 */
import type { CheckedWorkspace, EventSymbol, PlaybookSymbol } from '../check/model.js';
import { compareStrings } from '../util/compare-strings.js';
import { lowerCalendar, lowerPlaybookDecl } from './lower-declarations.js';
import { lowerText } from './lower-expr.js';
import { allSteps } from './lower-steps.js';
import { allSteps as allStepIrs, waitTargets } from '../runtime/ir-walk.js';
import { lowerContactPolicy } from './contact-policy.js';
import type { TemplateFile } from '../workspace/types.js';
import { IR_VERSION, type EventIr, type IrProgram, type PlaybookIr, type TemplateTextIr } from './types.js';

/** Precondition: `model` comes from a check without errors and holds `playbookId`. */
export function lowerPlaybook(model: CheckedWorkspace, playbookId: string): IrProgram {
  const ids = playbookClosure(model, playbookId).sort(compareStrings);
  const playbooks = ids.map((id) => lowerPlaybookSymbol(model, id));
  const calendarIds = unique(playbooks.flatMap((p) => (p.calendar === null ? [] : [p.calendar])));
  const eventNames = unique(
    playbooks.flatMap((p) => [
      ...p.triggers.flatMap((t) => (t.kind === 'event' ? [t.name] : [])),
      ...[...allStepIrs(p.body)].flatMap((s) => (s.kind === 'waitFor' ? waitTargets(s.target).flatMap((t) => (t.kind === 'event' ? [t.name] : [])) : [])),
      // A goal's event is sent to the run like a waited one (its payload checked alike).
      ...(p.goals ?? []).flatMap((g) => [g.milestone, g.anchor].flatMap((point) => (point.kind === 'event' ? [point.event] : []))),
    ]),
  );
  const governed = playbooks.some((p) => [...allStepIrs(p.body)].some((s) => s.kind === 'email' && s.ignoringPolicy !== true));
  const templateNames = unique(ids.flatMap((id) => allSteps(symbol(model, id).decl.body).flatMap((s) => (s.kind === 'email' ? [s.template.value] : []))));
  return {
    irVersion: IR_VERSION,
    entry: playbookId,
    playbooks: Object.fromEntries(playbooks.map((p) => [p.id, p])),
    calendars: Object.fromEntries(
      calendarIds.map((id) => {
        const calendar = model.calendars.get(id);
        if (!calendar) throw new Error(`internal: calendar "${id}" is not in the checked workspace`);
        return [id, lowerCalendar(calendar.decl)];
      }),
    ),
    fields: Object.fromEntries([...model.fields.values()].sort((a, b) => compareStrings(a.name, b.name)).map((f) => [f.name, f.type])),
    templates: Object.fromEntries(
      templateNames.map((name) => {
        const template = model.templates.get(name);
        if (!template) throw new Error(`internal: template "${name}" is not in the checked workspace`);
        const variants = [...(model.templateVariants.get(name) ?? [])].sort(([a], [b]) => compareStrings(a, b));
        return [
          name,
          {
            ...lowerTemplateText(model, template),
            ...(variants.length > 0 && { locales: Object.fromEntries(variants.map(([locale, variant]) => [locale, lowerTemplateText(model, variant)])) }),
          },
        ];
      }),
    ),
    ...(model.events !== null && { events: Object.fromEntries(eventNames.map((name) => [name, lowerEvent(model.events!.get(name))])) }),
    ...(model.contactPolicy !== null && governed && { contactPolicy: lowerContactPolicy(model.contactPolicy) }),
  };
}

function lowerTemplateText(model: CheckedWorkspace, template: TemplateFile): TemplateTextIr {
  return { subject: lowerText(template.subject, model.refs), body: lowerText(template.body, model.refs) };
}

/** Precondition: the check found no undeclared event names, so `event` is there. */
function lowerEvent(event: EventSymbol | undefined): EventIr {
  if (!event) throw new Error('internal: an event is not in the checked workspace');
  return { fields: Object.fromEntries([...event.fields.values()].map((f) => [f.name, f.type])) };
}

/** `playbookId` and every playbook reachable from it through `run playbook`. */
function playbookClosure(model: CheckedWorkspace, playbookId: string): string[] {
  const seen = new Set<string>();
  const pending = [playbookId];
  for (let id = pending.pop(); id !== undefined; id = pending.pop()) {
    if (seen.has(id)) continue;
    seen.add(id);
    for (const step of allSteps(symbol(model, id).decl.body)) {
      if (step.kind === 'runPlaybook') pending.push(step.playbook.name);
    }
  }
  return [...seen];
}

function lowerPlaybookSymbol(model: CheckedWorkspace, id: string): PlaybookIr {
  const { decl, file } = symbol(model, id);
  return lowerPlaybookDecl(decl, file.relPath, model.refs);
}

function symbol(model: CheckedWorkspace, id: string): PlaybookSymbol {
  const found = model.playbooks.get(id);
  if (!found) throw new Error(`internal: playbook "${id}" is not in the checked workspace`);
  return found;
}

function unique(values: string[]): string[] {
  return [...new Set(values)].sort(compareStrings);
}
