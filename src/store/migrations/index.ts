/**
 * Every migration, in order. Names sort in the order they run and are never renamed once
 * released: the migration table records them, and a store migrates forward from any earlier
 * version by running the ones it has not seen.
 */
import type { Migration } from 'kysely';
import * as deliveryLedger from './001-delivery-ledger.js';
import * as runsAndTimelines from './002-runs-and-timelines.js';
import * as suppressions from './003-suppressions.js';
import * as accountsAndEvents from './004-accounts-and-events.js';
import * as deliveryDetails from './005-delivery-details.js';
import * as taskLifecycle from './006-task-lifecycle.js';
import * as sentAndInboundEmails from './007-sent-and-inbound-emails.js';
import * as signatureReplaysAndEventPayloads from './008-signature-replays-and-event-payloads.js';
import * as taskNoticeOutbox from './009-task-notice-outbox.js';
import * as deliveryProviderIds from './010-delivery-provider-ids.js';
import * as playbookSources from './011-playbook-sources.js';
import * as bounces from './012-bounces.js';
import * as contactReservations from './013-contact-reservations.js';
import * as playbookSwitches from './014-playbook-switches.js';
import * as throttledTriggers from './015-throttled-triggers.js';
import * as reports from './016-reports.js';
import * as coverages from './017-coverages.js';
import * as goalDigests from './018-goal-digests.js';
import * as goalWindows from './019-goal-windows.js';

export const MIGRATIONS: Record<string, Migration> = {
  '001-delivery-ledger': deliveryLedger,
  '002-runs-and-timelines': runsAndTimelines,
  '003-suppressions': suppressions,
  '004-accounts-and-events': accountsAndEvents,
  '005-delivery-details': deliveryDetails,
  '006-task-lifecycle': taskLifecycle,
  '007-sent-and-inbound-emails': sentAndInboundEmails,
  '008-signature-replays-and-event-payloads': signatureReplaysAndEventPayloads,
  '009-task-notice-outbox': taskNoticeOutbox,
  '010-delivery-provider-ids': deliveryProviderIds,
  '011-playbook-sources': playbookSources,
  '012-bounces': bounces,
  '013-contact-reservations': contactReservations,
  '014-playbook-switches': playbookSwitches,
  '015-throttled-triggers': throttledTriggers,
  '016-reports': reports,
  '017-coverages': coverages,
  '018-goal-digests': goalDigests,
  '019-goal-windows': goalWindows,
};
