// Every screen of the console, as data. The first is the home screen.
import type { PaletteAction, ScreenDef } from '../src/app/types.ts';
import { Dashboard } from './dashboard/Dashboard.tsx';
import { EventDetail, Events } from './events/Events.tsx';
import { engineScreen } from './engine/index.ts';
import { hostMonitorScreen } from './host-monitor/HostMonitor.tsx';
import { vmDetailScreen, vmListScreen } from './vms/index.ts';
import { vmLifecycleScreens } from './vm-create/index.ts';
import { networkScreens } from './network/index.ts';
import { storageDomainsScreen } from './storage-domains/index.ts';
import { storageConnectionsScreen } from './storage-connections/index.ts';

export const SCREENS: ScreenDef[] = [
  { id: 'dashboard', title: 'Dashboard', key: 'h', aliases: ['home', 'host', 'status'], description: "This host's identity, resources, network and libvirt at a glance.", component: Dashboard },
  { id: 'events', title: 'Events', key: 'e', aliases: ['ev', 'log', 'audit'], description: 'Every change made through hostdeck, live, with filters.', component: Events },
  { id: 'event', title: 'Event', inMenu: false, description: 'One event in full.', component: EventDetail },
  vmListScreen,
  vmDetailScreen,
  ...vmLifecycleScreens,
  hostMonitorScreen,
  engineScreen,
  storageDomainsScreen,
  storageConnectionsScreen,
  ...networkScreens,
];

export const ACTIONS: PaletteAction[] = [];
