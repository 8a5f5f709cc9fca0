// Every screen of the console, as data, each defined by its folder's index.ts.
// The first is the home screen. A screen given by `load` (a dynamic import) is
// its own chunk, loaded when first opened.
import type { PaletteAction, ScreenDef } from '../src/app/types.ts';
import { dashboardScreen } from './dashboard/index.ts';
import { eventScreens } from './events/index.ts';
import { engineScreen } from './engine/index.ts';
import { hostMonitorScreen } from './host-monitor/index.ts';
import { vmDetailScreen, vmListScreen } from './vms/index.ts';
import { vmLifecycleScreens } from './vm-create/index.ts';
import { vmSnapshotsScreen } from './vm-snapshots/index.ts';
import { vmDevicesScreen } from './vm-devices/index.ts';
import { networkScreens } from './network/index.ts';
import { storageDomainsScreen } from './storage-domains/index.ts';
import { storageConnectionsScreen } from './storage-connections/index.ts';
import { supportScreen } from './support/index.ts';
import { logsScreen } from './logs/index.ts';
import { diagnosticsScreen } from './diagnostics/index.ts';
import { hooksScreen } from './hooks/index.ts';
import { customPropertiesScreen } from './custom-properties/index.ts';
import { templatesScreen } from './templates/index.ts';
import { poolsScreen } from './pools/index.ts';
import { managerScreens } from './data-centers/index.ts';
import { logicalNetworksScreen } from './logical-networks/index.ts';
import { hostNetworksScreen } from './host-networks/index.ts';
import { builtinReportsScreen, reportSqlScreen } from './reports/index.ts';
import { notificationsScreen } from './notifications/index.ts';
import { alertThresholdsScreen } from './alert-thresholds/index.ts';
import { systemScreen } from './system/index.ts';

export const SCREENS: ScreenDef[] = [
  dashboardScreen,
  ...eventScreens,
  vmListScreen,
  vmDetailScreen,
  ...vmLifecycleScreens,
  vmSnapshotsScreen,
  vmDevicesScreen,
  hostMonitorScreen,
  engineScreen,
  ...managerScreens,
  ...networkScreens,
  logicalNetworksScreen,
  hostNetworksScreen,
  storageDomainsScreen,
  storageConnectionsScreen,
  templatesScreen,
  poolsScreen,
  supportScreen,
  logsScreen,
  diagnosticsScreen,
  hooksScreen,
  customPropertiesScreen,
  builtinReportsScreen,
  reportSqlScreen,
  notificationsScreen,
  alertThresholdsScreen,
  systemScreen,
];

export const ACTIONS: PaletteAction[] = [];
