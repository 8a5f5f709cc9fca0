// The keys of the Reports screens as data (one table; `modes` says which
// screen: sql, the read-only SQL screen; built-in, the built-in reports): each
// component binds its entries to their actions, and the footer, the `?` help
// and the docs read keys and descriptions from here.
import type { KeyTable } from '../../src/app/types.ts';

export const REPORTS_KEYS = {
  edit: { keys: ['e', '/'], description: 'Edit the query (Enter runs it, Esc leaves it)', modes: ['sql'] },
  run: { keys: ['r'], description: 'Run the query again', modes: ['sql'] },
  limit: { keys: ['l'], description: 'Row limit (cycles)', modes: ['sql'] },
  timeout: { keys: ['t'], description: 'Time limit (cycles)', modes: ['sql'] },
  views: { keys: ['v'], description: 'Show the views and their columns', modes: ['sql'] },
  reportRun: { keys: ['enter', 'r'], description: 'Run the selected report', modes: ['built-in'] },
  reportEdit: { keys: ['e'], description: 'Set the range and scope (Enter runs it, Esc leaves it)', modes: ['built-in'] },
  reportExport: { keys: ['x'], description: 'Export the result to a new file (.html, .csv or .json)', modes: ['built-in'] },
  scrollDown: { keys: ['pagedown'], description: 'Scroll the result down', modes: ['built-in'] },
  scrollUp: { keys: ['pageup'], description: 'Scroll the result up', modes: ['built-in'] },
} as const satisfies KeyTable;
