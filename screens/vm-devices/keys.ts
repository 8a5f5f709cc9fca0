// The keys of this screen as data: the component binds each entry to its action,
// and the footer, the `?` help and the docs read keys and descriptions from here.
import type { KeyTable } from '../../src/app/types.ts';

export const VM_DEVICES_KEYS = {
  addNic: { keys: ['i'], description: 'Add a NIC (hot-plugged while the VM runs)', dangerous: true },
  attachDisk: { keys: ['a'], description: 'Attach a disk (hot-plugged while the VM runs)', dangerous: true },
  remove: { keys: ['ctrl+d', 'delete'], description: 'Remove the NIC / detach the disk', dangerous: true },
  refresh: { keys: ['ctrl+r'], description: 'Refresh' },
} as const satisfies KeyTable;
