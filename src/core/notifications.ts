// Notification subscriptions: events by source and least severity sent to
// syslog, a mail address (through the host's MTA) or a webhook. Adding and
// removing one is a state-DB change through the door; a test sends one
// message now and says what happened; the host service's notifications duty
// delivers (notification-dispatch.ts).
import { InvalidInputError, NotFoundError } from '../domain/errors.ts';
import { testEvent, validateSubscription, type SubscriptionInput } from '../domain/notifications.ts';
import { notificationRepo, type SubscriptionRow } from '../manager/repos/notifications.ts';
import { send, sendmailMissing } from '../host/notify-channels.ts';
import { createNotificationDispatcher, DISPATCH_DEFAULTS, type DispatcherOptions } from './notification-dispatch.ts';
import type { CoreContext } from './index.ts';

export type { SubscriptionInput, SubscriptionRow };

export interface NotificationView extends SubscriptionRow {
  /** Why the channel cannot send on this host (no MTA), when it cannot. */
  unavailable?: string;
}

export interface NotificationTestResult { id: number; channel: string; target: string; message: string; durationMs: number }

export interface NotificationUseCases {
  list(): Promise<NotificationView[]>;
  /** Checked whole (channel, target, source, min-severity): nothing is written when a rule is broken. */
  add(input: SubscriptionInput): Promise<NotificationView>;
  remove(id: string | number): Promise<void>;
  /** Send a test message through the subscription now (one attempt); a failure says what the channel said. */
  test(id: string | number): Promise<NotificationTestResult>;
  /** The notifications duty of one service run (service-duties.ts). */
  newDispatcher(opts?: DispatcherOptions): { run: () => Promise<string> };
}

export function createNotificationUseCases(ctx: CoreContext): NotificationUseCases {
  const { door } = ctx;
  const repo = notificationRepo(ctx.infra.db);
  const idOf = (raw: string | number): number => {
    const s = String(raw).trim();
    if (!/^[1-9]\d{0,9}$/.test(s)) throw new InvalidInputError([{ field: 'id', message: `id: must be a subscription number (see hostdeck notify list), got ${JSON.stringify(s.slice(0, 40))}` }]);
    return Number(s);
  };
  const mustGet = (id: number): SubscriptionRow => {
    const s = repo.get(id);
    if (!s) throw new NotFoundError(`id: no notification subscription ${id} (see hostdeck notify list)`);
    return s;
  };
  const withAvailability = async (subs: SubscriptionRow[]): Promise<NotificationView[]> => {
    const noMta = subs.some((s) => s.channel === 'mail') ? await sendmailMissing() : undefined;
    return subs.map((s) => (s.channel === 'mail' && noMta ? { ...s, unavailable: noMta } : s));
  };
  const describe = (s: { channel: string; target: string }) => `${s.channel} ${s.target}`;

  return {
    list: () => door.act('notification.list', { id: '*' }, { message: 'List the notification subscriptions' }, () => withAvailability(repo.list())),

    add: (input) => {
      const v = validateSubscription(input);
      const label = (v.ok ? describe(v.value) : `${input.channel ?? '?'} ${input.target ?? '?'}`).slice(0, 120);
      return door.act('notification.add', { id: label }, { message: `Add notification subscription: ${v.ok ? `${v.value.source} events of ${v.value.minSeverity} or worse to ` : ''}${label}` }, async ({ commit }) => {
        if (!v.ok) throw new InvalidInputError(v.errors);
        const id = commit(() => repo.add(v.value));
        return (await withAvailability([mustGet(id)]))[0]!;
      });
    },

    remove: async (raw) => {
      const id = idOf(raw);
      const s = mustGet(id);
      await door.act('notification.remove', { id: String(id) }, { message: `Remove notification subscription ${id} (${describe(s)})` }, ({ commit }) => { commit(() => repo.remove(id)); });
    },

    test: async (raw) => {
      const id = idOf(raw);
      const s = mustGet(id);
      return door.act('notification.test', { id: String(id) }, { message: `Send a test notification through ${describe(s)} (subscription ${id})` }, async () => {
        const began = performance.now();
        await send(s, testEvent(door.principal.user, door.principal.channel, id), { timeoutMs: DISPATCH_DEFAULTS.timeoutMs });
        const durationMs = Math.round(performance.now() - began);
        return { id, channel: s.channel, target: s.target, durationMs, message: `${s.channel === 'mail' ? 'handed to the MTA' : s.channel === 'webhook' ? 'accepted by the endpoint' : 'written'} in ${durationMs} ms` };
      });
    },

    newDispatcher: (opts) => createNotificationDispatcher(ctx, opts),
  };
}
