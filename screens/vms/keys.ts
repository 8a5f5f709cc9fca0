// The keys of this screen as data: the component binds each entry to its action,
// and the footer, the `?` help and the docs read keys and descriptions from here.
import type { KeyTable } from '../../src/app/types.ts';
import type { SortKey } from '../../src/domain/vm-figures.ts';

export const VMS_KEYS = {
  longerWindow: { keys: ['>'], description: 'Longer window', group: 'Charts' },
  shorterWindow: { keys: ['<'], description: 'Shorter window', group: 'Charts' },
  refreshFaster: { keys: ['+'], description: 'Refresh faster', group: 'Refresh' },
  refreshSlower: { keys: ['-'], description: 'Refresh slower', group: 'Refresh' },
  details: { keys: ['enter'], description: 'Details' },
  filter: { keys: ['/'], description: 'Filter' },
  columns: { keys: ['T'], description: 'Choose columns', group: 'View' },
  create: { keys: ['n'], description: 'New VM', dangerous: true, group: 'VM' },
  start: { keys: ['S'], description: 'Start (or restore a saved VM)', dangerous: true, group: 'VM' },
  shutdown: { keys: ['H'], description: 'Shut down', dangerous: true, group: 'VM' },
  reboot: { keys: ['R'], description: 'Reboot', dangerous: true, group: 'VM' },
  forceOff: { keys: ['F'], description: 'Force off', dangerous: true, group: 'VM' },
  pause: { keys: ['p'], description: 'Pause or resume', dangerous: true, group: 'VM' },
  save: { keys: ['w'], description: 'Save (memory to disk, then stop)', dangerous: true, group: 'VM' },
  autostart: { keys: ['a'], description: 'Autostart on/off', dangerous: true, group: 'VM' },
  edit: { keys: ['e'], description: 'Edit', dangerous: true, group: 'VM' },
  clone: { keys: ['C'], description: 'Clone', dangerous: true, group: 'VM' },
  delete: { keys: ['ctrl+d'], description: 'Delete', dangerous: true, group: 'VM' },
  console: { keys: ['c'], description: 'Console', group: 'VM' },
  display: { keys: ['o'], description: 'Display access', group: 'VM' },
  snapshots: { keys: ['x'], description: 'Snapshots', group: 'VM' },
  devices: { keys: ['D'], description: 'NICs and disks: add, remove (hot-plug while it runs)', group: 'VM' },
  properties: { keys: ['P'], description: 'Custom properties (its hooks get them)', group: 'VM' },
} as const satisfies KeyTable;

/** Sort keys by digit, in column order. */
export const SORT_DIGITS: readonly [string, SortKey, string][] = [
  ['1', 'name', 'name'], ['2', 'state', 'state'], ['3', 'vcpus', 'vCPUs'], ['4', 'cpu', 'CPU %'], ['5', 'memory', 'memory'],
  ['6', 'diskRead', 'disk read'], ['7', 'diskWrite', 'disk write'], ['8', 'netRx', 'net rx'], ['9', 'netTx', 'net tx'], ['0', 'uptime', 'uptime'],
];
