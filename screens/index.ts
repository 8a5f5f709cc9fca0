// Every screen of the console, as data. The first is the home screen. A screen
// given by `load` (a dynamic import) is its own chunk, loaded when first opened.
import type { PaletteAction, ScreenDef } from '../src/app/types.ts';
import { Dashboard } from './dashboard/Dashboard.tsx';
import { engineScreen } from './engine/index.ts';
import { hostMonitorScreen } from './host-monitor/index.ts';
import { vmDetailScreen, vmListScreen } from './vms/index.ts';
import { vmLifecycleScreens } from './vm-create/index.ts';
import { networkScreens } from './network/index.ts';
import { storageDomainsScreen } from './storage-domains/index.ts';
import { storageConnectionsScreen } from './storage-connections/index.ts';

export const SCREENS: ScreenDef[] = [
  { id: 'dashboard', title: 'Dashboard', key: 'h', aliases: ['home', 'host', 'status'], description: "This host's identity, resources, network and libvirt at a glance.", component: Dashboard },
  { id: 'events', title: 'Events', key: 'e', aliases: ['ev', 'log', 'audit'], description: 'Every change made through hostdeck, live, with filters.', load: () => import('./events/Events.tsx').then((m) => m.Events) },
  { id: 'event', title: 'Event', inMenu: false, description: 'One event in full.', load: () => import('./events/Events.tsx').then((m) => m.EventDetail) },
  vmListScreen,
  vmDetailScreen,
  ...vmLifecycleScreens,
  hostMonitorScreen,
  engineScreen,
  ...networkScreens,
  storageDomainsScreen,
  storageConnectionsScreen,
];

export const ACTIONS: PaletteAction[] = [];
