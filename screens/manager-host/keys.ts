// The keys of the Host screen as data: the component binds each entry to its
// action, and the footer, the `?` help and the docs read them from here.
import type { KeyTable } from '../../src/app/types.ts';

export const HOST_KEYS = {
  maintenance: { keys: ['m'], description: 'Maintenance', dangerous: true },
  maintenanceStopVms: { keys: ['M'], description: 'Maintenance, shutting the VMs down', dangerous: true },
  activate: { keys: ['a'], description: 'Activate', dangerous: true },
  reboot: { keys: ['b'], description: 'Reboot the host…', dangerous: true },
  rebootSave: { keys: ['B'], description: 'Reboot the host, saving the VMs…', dangerous: true },
  poweroff: { keys: ['o'], description: 'Power the host off…', dangerous: true },
  poweroffSave: { keys: ['O'], description: 'Power the host off, saving the VMs…', dangerous: true },
  restartLibvirtd: { keys: ['L'], description: 'Restart libvirtd', dangerous: true },
  restartService: { keys: ['S'], description: 'Restart the host service', dangerous: true },
  refresh: { keys: ['r'], description: 'Refresh' },
} as const satisfies KeyTable;
