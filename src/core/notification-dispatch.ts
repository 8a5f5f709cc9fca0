// The notifications duty of the host service: each run queues the events
// written since its cursor (by any process: CLI, console, service) for the
// subscriptions that want them, then makes the due deliveries. Bounded: a
// batch of events per run, a few deliveries per subscription, each attempt
// under a timeout; subscriptions are served side by side, each in event
// order, and one whose attempt fails waits for its backoff, so a slow or dead
// channel neither holds up the others nor the service. After the last attempt
// a delivery is a dead letter (counted on the subscription).
//
// A channel that starts failing raises one event for the streak (and one when
// it works again), in the transaction that records the failure. That event is
// not sent to the subscription it is about: a channel that cannot send would
// otherwise be asked to send news of its own failure, for ever.
import { backoffMs, matches, type NotifyEvent } from '../domain/notifications.ts';
import type { EventInput, EventRecord } from '../manager/events.ts';
import { notificationRepo, type MatchableEvent, type QueuedDelivery, type SubscriptionRow } from '../manager/repos/notifications.ts';
import { send } from '../host/notify-channels.ts';
import { systemPrincipal } from './principal.ts';
import type { CoreContext } from './index.ts';

export interface DispatcherOptions {
  /** One attempt's limit (a webhook's answer, logger's, sendmail's). */
  timeoutMs?: number;
  /** Attempts before a delivery is a dead letter. */
  maxAttempts?: number;
  /** The first retry's wait; each next one doubles, up to backoffMaxMs. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Events looked at per run. */
  batch?: number;
  /** Deliveries per subscription per run. */
  perSubscription?: number;
  /** Milliseconds since the epoch (tests step it to reach a backoff's end). */
  now?: () => number;
}

export const DISPATCH_DEFAULTS = { timeoutMs: 5_000, maxAttempts: 5, backoffBaseMs: 10_000, backoffMaxMs: 600_000, batch: 500, perSubscription: 20 } as const;

/** Events the dispatcher itself raised about a subscription. */
const aboutItself = (e: Pick<MatchableEvent, 'objectType' | 'objectId' | 'channel'>, sub: SubscriptionRow) =>
  e.channel === 'system' && e.objectType === 'notification' && e.objectId === String(sub.id);

export function createNotificationDispatcher(ctx: CoreContext, options: DispatcherOptions = {}): { run: () => Promise<string> } {
  const o = { ...DISPATCH_DEFAULTS, ...options };
  const clock = options.now ?? Date.now;
  const repo = notificationRepo(ctx.infra.db);
  const log = ctx.infra.events;
  const system = systemPrincipal(ctx.door.principal.user);
  const streakEvent = (sub: SubscriptionRow, e: Pick<EventInput, 'severity' | 'message' | 'result'>): EventInput =>
    ({ ...e, source: 'event', objectType: 'notification', objectId: String(sub.id), user: system.user, channel: system.channel });

  const queueNew = (subs: SubscriptionRow[]): number => {
    const cursor = repo.cursor();
    const events = repo.eventsAfter(cursor, o.batch);
    if (!events.length) return 0;
    const deliveries = events.flatMap((e) => subs.filter((s) => e.id > s.afterEventId && matches(s, e) && !aboutItself(e, s)).map((s) => ({ subscriptionId: s.id, eventId: e.id })));
    repo.enqueue(deliveries, events[events.length - 1]!.id, clock());
    return events.length;
  };

  const attempt = async (sub: SubscriptionRow, d: QueuedDelivery, e: EventRecord | undefined): Promise<boolean> => {
    try {
      if (!e) throw new Error(`event ${d.eventId} is no longer in the event log`);
      await send(sub, e as NotifyEvent, { timeoutMs: o.timeoutMs });
    } catch (err) {
      const message = (err as Error).message;
      const tries = d.attempts + 1;
      const nextAt = e && tries < o.maxAttempts ? clock() + backoffMs(tries, o.backoffBaseMs, o.backoffMaxMs) : undefined;
      log.recordChange(() => repo.failed(d, message, nextAt), (began) => (began
        ? streakEvent(sub, { severity: 'error', result: 'failure', message: `Notifications through ${sub.channel} ${sub.target} fail: ${message}` })
        : undefined));
      return false;
    }
    log.recordChange(() => repo.delivered(d), (ended) => (ended
      ? streakEvent(sub, { severity: 'info', result: 'success', message: `Notifications through ${sub.channel} ${sub.target} work again` })
      : undefined));
    return true;
  };

  /**
   * The subscription's deliveries in event order, until one fails or waits
   * for its backoff: the later ones wait behind it, so a dead endpoint gets
   * one attempt per backoff, not one per new event.
   */
  const serve = async (sub: SubscriptionRow) => {
    const tally = { sent: 0, failed: 0 };
    for (const d of repo.pending(sub.id, o.perSubscription)) {
      if (d.nextAt > clock()) break;
      if (await attempt(sub, d, log.get(d.eventId))) tally.sent++;
      else { tally.failed++; break; }
    }
    return tally;
  };

  return {
    async run() {
      const subs = repo.list();
      const looked = queueNew(subs);
      const tallies = await Promise.all(repo.list().map(serve));
      const sent = tallies.reduce((n, t) => n + t.sent, 0);
      const failed = tallies.reduce((n, t) => n + t.failed, 0);
      if (!subs.length) return looked ? `no subscriptions; ${looked} new event${looked === 1 ? '' : 's'} passed` : 'no subscriptions';
      return `${looked} new event${looked === 1 ? '' : 's'}; ${sent} sent${failed ? `, ${failed} failed (retried later or dead-lettered)` : ''}`;
    },
  };
}
