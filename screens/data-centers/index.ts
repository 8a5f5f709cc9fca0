// The data center and cluster screens as data, for screens/index.ts: one
// component (Manager.tsx) in its own chunk, opened on either list; and the
// Host screen beside them.
import type { ScreenDef } from '../../src/app/types.ts';
import { hostScreen } from '../manager-host/index.ts';

export const managerScreens: ScreenDef[] = [
  {
    id: 'data-centers',
    title: 'Data centers',
    aliases: ['dc', 'datacenter', 'data-center', 'manager', 'standalone'],
    description: 'Data centers of the standalone manager: status from their storage domains and host; create, edit, remove.',
    load: () => import('./Manager.tsx').then((m) => m.makeManagerScreen('dc')),
  },
  {
    id: 'clusters',
    title: 'Clusters',
    aliases: ['cluster', 'cpu-type', 'overcommit'],
    description: 'Clusters: CPU type, memory over-commit, their VMs and this host; create, edit, remove.',
    load: () => import('./Manager.tsx').then((m) => m.makeManagerScreen('cluster')),
  },
  // This host as the manager's host object, the tab between Clusters and Networks.
  hostScreen,
];
