/** The checks `checkWorkspace` runs: fresh per run, since some remember what they reported. */
import { mergeRegistries, type CheckRegistry } from '../registry.js';
import { cadenceChecks } from './cadences.js';
import { calendarChecks } from './calendars.js';
import { contactPolicyChecks } from './contact-policy.js';
import { coverageChecks } from './coverage.js';
import { declarationChecks } from './declarations.js';
import { durationChecks } from './durations.js';
import { emailPartyChecks } from './email-parties.js';
import { eventChecks } from './events.js';
import { expressionTypeChecks } from './expression-types.js';
import { goalChecks } from './goals.js';
import { missingValueChecks } from './missing-values.js';
import { playbookNameChecks } from './playbook-names.js';
import { reachabilityChecks } from './reachability.js';
import { referenceChecks } from './references.js';
import { runKeyChecks } from './run-keys.js';
import { runPlaybookChecks } from './run-playbook.js';
import { settingsOnceChecks } from './settings-once.js';
import { templateVariantChecks } from './template-variants.js';
import { timeRangeChecks } from './time-ranges.js';
import { waitChecks } from './waits.js';

export function createCheckRegistry(): CheckRegistry {
  return mergeRegistries({
    declarations: declarationChecks,
    playbookNames: playbookNameChecks,
    references: referenceChecks,
    emailParties: emailPartyChecks,
    events: eventChecks(),
    contactPolicy: contactPolicyChecks(),
    runPlaybook: runPlaybookChecks(),
    expressionTypes: expressionTypeChecks,
    missingValues: missingValueChecks,
    timeRanges: timeRangeChecks,
    calendars: calendarChecks,
    cadences: cadenceChecks,
    runKeys: runKeyChecks,
    settingsOnce: settingsOnceChecks,
    templateVariants: templateVariantChecks(),
    waits: waitChecks,
    goals: goalChecks,
    coverage: coverageChecks,
    durations: durationChecks(),
    reachability: reachabilityChecks,
  });
}
