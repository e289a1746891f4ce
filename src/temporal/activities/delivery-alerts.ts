/**
 * A delivery that failed for good is told to people, not only written on the run's timeline:
 * the playbook's owner and `delivery.alertTo` get a notice through their notify route, but
 * never through the channel that failed (email failed: only a Slack route will do; a Slack
 * post failed: email instead). Whom it reached, or why nobody could be told, comes back as
 * words for the failure's message (so the run's status shows it) and goes to the worker's
 * log. Never throws: the delivery's own failure stays the activity's outcome.
 */
import type { NotifyConfig, NotifyRoute } from '../../config/types.js';
import type { EmailSender } from '../../sinks/email.js';
import { routeFor, sendNotice } from './notifier.js';

export interface FailedDelivery {
  /** The delivery's idempotency key; each alert's key is derived from it. */
  key: string;
  /** `email to jane@acme.example`, `webhook crm-sync`. */
  what: string;
  error: string;
  /** The channel that failed, which alerts avoid; null when it was neither email nor Slack. */
  channel: NotifyRoute['kind'] | null;
  /** Where it comes from (playbook, account), shown under the alert. */
  context: string;
  /** The playbook's owner and the configured CS Ops address, when there are any. */
  recipients: string[];
}

export type DeliveryAlerts = (failed: FailedDelivery) => Promise<string>;

export function createDeliveryAlerts(notify: NotifyConfig, email: EmailSender, from: string, log: (message: string) => void): DeliveryAlerts {
  return async (failed) => {
    const told: string[] = [];
    const untold: string[] = [];
    const text = `Delivery failed for good: ${failed.what}: ${failed.error}`;
    for (const to of [...new Set(failed.recipients)]) {
      const route = alertRoute(notify, to, failed.channel);
      if (route === null) {
        untold.push(`${to} (email is what failed and no Slack route is configured)`);
        continue;
      }
      try {
        await sendNotice(route, { key: `${failed.key}/alert/${to}`, to, text, context: failed.context }, email, from);
        told.push(`${to} by ${route.kind === 'slack' ? 'Slack' : 'email'}`);
      } catch (e) {
        untold.push(`${to} (${(e as Error).message})`);
      }
    }
    const outcome = [told.length > 0 ? `told ${told.join(', ')}` : '', untold.length > 0 ? `NOT told ${untold.join(', ')}` : '']
      .filter((p) => p !== '')
      .join('; ');
    const line = `delivery failed for good: ${failed.what}: ${failed.error} (${failed.context})${outcome === '' ? '; nobody to tell (no owner, no delivery.alertTo)' : `; ${outcome}`}`;
    log(line);
    return outcome;
  };
}

/** The recipient's route unless it is the failed channel: then email instead of Slack, or nothing. */
function alertRoute(notify: NotifyConfig, to: string, failed: NotifyRoute['kind'] | null): NotifyRoute | null {
  const route = routeFor(notify, to);
  if (route.kind !== failed) return route;
  return route.kind === 'slack' ? { kind: 'email' } : null;
}
