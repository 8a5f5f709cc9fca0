// The Notifications screen as data, for screens/index.ts (its own chunk, loaded when first opened).
import type { ScreenDef } from '../../src/app/types.ts';

export const notificationsScreen: ScreenDef = {
  id: 'notify', title: 'Notifications', aliases: ['notifications', 'notification', 'webhook', 'subscriptions'],
  description: 'Events sent to syslog, a mail address or a webhook by the host service: subscriptions with their delivered, failed and dead-letter counts; add, test, remove.',
  load: () => import('./Notifications.tsx').then((m) => m.Notifications),
};
