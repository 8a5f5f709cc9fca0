// The Events screens as data, for screens/index.ts: the live list and one event (their own chunk).
import type { ScreenDef } from '../../src/app/types.ts';

export const eventScreens: ScreenDef[] = [
  { id: 'events', title: 'Events', key: 'e', aliases: ['ev', 'log', 'audit'], description: 'Every change made through hostdeck, live, with filters.', load: () => import('./Events.tsx').then((m) => m.Events) },
  { id: 'event', title: 'Event', inMenu: false, palette: false, object: 'event', description: 'One event in full.', load: () => import('./Events.tsx').then((m) => m.EventDetail) },
];
