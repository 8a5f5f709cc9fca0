// The keys of this screen as data: the component binds each entry to its action,
// and the footer, the `?` help and the docs read keys and descriptions from here.
import type { KeyTable } from '../../src/app/types.ts';

export const CUSTOM_PROPERTIES_KEYS = {
  edit: { keys: ['enter', 'e'], description: 'Set the value / change the rule', dangerous: true },
  add: { keys: ['n'], description: 'Allow a new property (cluster)', dangerous: true },
  remove: { keys: ['ctrl+d', 'delete'], description: 'Unset the value / stop allowing it', dangerous: true },
  refresh: { keys: ['ctrl+r'], description: 'Refresh' },
} as const satisfies KeyTable;
