// The keys of the Reports/SQL screen as data: the component binds each entry to its action,
// and the footer, the `?` help and the docs read keys and descriptions from here.
import type { KeyTable } from '../../src/app/types.ts';

export const REPORT_SQL_KEYS = {
  edit: { keys: ['e', '/'], description: 'Edit the query (Enter runs it, Esc leaves it)' },
  run: { keys: ['r'], description: 'Run the query again' },
  limit: { keys: ['l'], description: 'Row limit (cycles)' },
  timeout: { keys: ['t'], description: 'Time limit (cycles)' },
  views: { keys: ['v'], description: 'Show the views and their columns' },
} as const satisfies KeyTable;
