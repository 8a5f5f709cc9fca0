// The Host screen as data, for screens/index.ts: this host as the manager's
// host object (its own chunk).
import type { ScreenDef } from '../../src/app/types.ts';

export const hostScreen: ScreenDef = {
  id: 'host',
  title: 'Host',
  aliases: ['host object', 'maintenance', 'activate', 'hosts', 'reboot', 'poweroff', 'power off', 'shutdown host', 'restart libvirtd'],
  description: 'This host as a host object of the manager: cluster, status (and why), CPU, memory, VMs; maintenance and activate; reboot or power off the host (its VMs shut down or saved first), restart libvirtd or the host service.',
  load: () => import('./Host.tsx').then((m) => m.HostScreen),
};
