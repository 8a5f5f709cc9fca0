// The keys of this screen as data: the component binds each entry to its action,
// and the footer, the `?` help and the docs read keys and descriptions from here.
import type { KeyTable } from '../../src/app/types.ts';

export const VM_SNAPSHOTS_KEYS = {
  snapshot: { keys: ['n'], description: 'Snapshot (with memory when running)', dangerous: true },
  diskOnlySnapshot: { keys: ['N'], description: 'Disk-only snapshot', dangerous: true },
  revert: { keys: ['r'], description: 'Revert', dangerous: true },
  delete: { keys: ['ctrl+d', 'delete'], description: 'Delete', dangerous: true },
  refresh: { keys: ['ctrl+r'], description: 'Refresh' },
} as const satisfies KeyTable;
