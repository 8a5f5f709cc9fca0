// The keys of this screen as data: the component binds each entry to its action,
// and the footer, the `?` help and the docs read keys and descriptions from here.
import type { KeyTable } from '../../src/app/types.ts';

export const EVENTS_KEYS = {
  details: { keys: ['enter'], description: 'Details', modes: ['list'] },
  filterText: { keys: ['/'], description: 'Filter text', modes: ['list'] },
  severity: { keys: ['s'], description: 'Minimum severity (cycles)', modes: ['list'] },
  clearFilters: { keys: ['c'], description: 'Clear filters', modes: ['list'] },
  alerts: { keys: ['a'], description: 'Alerts: alert events, open alerts, every event (cycles)', modes: ['list'] },
  logsAtTime: { keys: ['l'], description: 'Logs at its time', modes: ['list', 'detail'] },
  // The detail view steps through the list as it was filtered, the row below or above.
  nextEvent: { keys: ['down', 'j'], description: 'Next event', modes: ['detail'] },
  previousEvent: { keys: ['up', 'k'], description: 'Previous event', modes: ['detail'] },
} as const satisfies KeyTable;
