// The keys of the Host screen as data: the component binds each entry to its
// action, and the footer, the `?` help and the docs read them from here.
import type { KeyTable } from '../../src/app/types.ts';

export const HOST_KEYS = {
  maintenance: { keys: ['m'], description: 'Maintenance', dangerous: true },
  maintenanceStopVms: { keys: ['M'], description: 'Maintenance, shutting the VMs down', dangerous: true },
  activate: { keys: ['a'], description: 'Activate', dangerous: true },
  refresh: { keys: ['r'], description: 'Refresh' },
} as const satisfies KeyTable;
