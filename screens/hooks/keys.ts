// The keys of this screen as data: the component binds each entry to its action,
// and the footer, the `?` help and the docs read keys and descriptions from here.
import type { KeyTable } from '../../src/app/types.ts';

export const HOOKS_KEYS = {
  reload: { keys: ['r'], description: 'Read the hook directories again' },
  scriptsOnly: { keys: ['a'], description: 'Only points with scripts / every point' },
} as const satisfies KeyTable;
