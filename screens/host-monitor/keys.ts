// The keys of this screen as data: the component binds each entry to its action,
// and the footer, the `?` help and the docs read keys and descriptions from here.
import type { KeyTable } from '../../src/app/types.ts';

export const HOST_MONITOR_KEYS = {
  longerWindow: { keys: ['>'], description: 'Longer window', group: 'Charts' },
  shorterWindow: { keys: ['<'], description: 'Shorter window', group: 'Charts' },
  refreshFaster: { keys: ['+'], description: 'Refresh faster', group: 'Refresh' },
  refreshSlower: { keys: ['-'], description: 'Refresh slower', group: 'Refresh' },
  processesByCpu: { keys: ['P'], description: 'Processes by CPU', group: 'Processes' },
  processesByMemory: { keys: ['M'], description: 'Processes by memory', group: 'Processes' },
} as const satisfies KeyTable;
