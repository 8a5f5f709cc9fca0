// The keys of this screen as data: the component binds each entry to its action,
// and the footer, the `?` help and the docs read keys and descriptions from here.
import type { KeyTable } from '../../src/app/types.ts';

export const DASHBOARD_KEYS = {
  previousMenuEntry: { keys: ['up', 'k'], description: 'Previous menu entry', group: 'Menu' },
  nextMenuEntry: { keys: ['down', 'j'], description: 'Next menu entry', group: 'Menu' },
  open: { keys: ['enter'], description: 'Open', group: 'Menu' },
  refresh: { keys: ['r'], description: 'Refresh', group: 'Dashboard' },
} as const satisfies KeyTable;
