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
import * as bounces from './012-bounces.js';

export const MIGRATIONS: Record<string, Migration> = {
  '001-delivery-ledger': deliveryLedger,
  '002-runs-and-timelines': runsAndTimelines,
  '003-suppressions': suppressions,
  '004-accounts-and-events': accountsAndEvents,
  '005-delivery-details': deliveryDetails,
  '006-task-lifecycle': taskLifecycle,
  '007-sent-and-inbound-emails': sentAndInboundEmails,
  '012-bounces': bounces,
};
