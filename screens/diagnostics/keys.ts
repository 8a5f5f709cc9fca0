// The keys of this screen as data: the component binds each entry to its action,
// and the footer, the `?` help and the docs read keys and descriptions from here.
import type { KeyTable } from '../../src/app/types.ts';

export const DIAGNOSTICS_KEYS = {
  rerun: { keys: ['r'], description: 'Run the checks again' },
} as const satisfies KeyTable;
