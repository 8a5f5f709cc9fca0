// The keys of this screen as data: the component binds each entry to its action,
// and the footer, the `?` help and the docs read keys and descriptions from here.
import type { KeyTable } from '../../src/app/types.ts';

export const LOGS_KEYS = {
  source: { keys: ['s'], description: 'Next log source' },
  priority: { keys: ['p'], description: 'Priority (cycles)' },
  filterText: { keys: ['/'], description: 'Filter (regex)' },
  jumpTime: { keys: ['t'], description: 'Jump to a time' },
  clearFilters: { keys: ['c'], description: 'Clear filters' },
  older: { keys: ['pageup', 'k'], description: 'Older page' },
  newer: { keys: ['pagedown', 'j'], description: 'Newer page' },
  end: { keys: ['end', 'G'], description: 'Last page, live' },
} as const satisfies KeyTable;
