// The keys of this screen as data: the component binds each entry to its action,
// and the footer, the `?` help and the docs read keys and descriptions from here.
import type { KeyTable } from '../../src/app/types.ts';

export const EVENTS_KEYS = {
  details: { keys: ['enter'], description: 'Details' },
  filterText: { keys: ['/'], description: 'Filter text' },
  severity: { keys: ['s'], description: 'Minimum severity (cycles)' },
  clearFilters: { keys: ['c'], description: 'Clear filters' },
} as const satisfies KeyTable;
