// The keys of this screen as data: the component binds each entry to its action,
// and the footer, the `?` help and the docs read keys and descriptions from here.
import type { KeyTable } from '../../src/app/types.ts';

export const STORAGE_DOMAINS_KEYS = {
  previous: { keys: ['up', 'k'], description: 'Previous' },
  next: { keys: ['down', 'j'], description: 'Next' },
  create: { keys: ['c'], description: 'Create', dangerous: true, modes: ['list'] },
  import: { keys: ['i'], description: 'Import', dangerous: true, modes: ['list'] },
  volumes: { keys: ['enter', 'v'], description: 'Volumes', modes: ['list'] },
  maintenance: { keys: ['m'], description: 'Maintenance', dangerous: true, modes: ['list'] },
  activate: { keys: ['a'], description: 'Activate', dangerous: true, modes: ['list'] },
  detach: { keys: ['D'], description: 'Detach', dangerous: true, modes: ['list'] },
  refresh: { keys: ['r'], description: 'Refresh', modes: ['list', 'volumes'] },
  importOrScan: { keys: ['enter'], description: 'Scan connection, then import the domain found', modes: ['import'] },
  newVolume: { keys: ['n'], description: 'New volume', dangerous: true, modes: ['volumes'] },
  upload: { keys: ['u'], description: 'Upload', dangerous: true, modes: ['volumes'] },
  deleteVolume: { keys: ['x', 'delete'], description: 'Delete volume', dangerous: true, modes: ['volumes'] },
  editField: { keys: ['enter'], description: 'Edit field', modes: ['form'] },
  nextChoice: { keys: ['space'], description: 'Next choice', modes: ['form'] },
  nextField: { keys: ['tab'], description: 'Next field', modes: ['form'] },
  pick: { keys: ['l'], description: 'Pick a LUN or connection', modes: ['form'] },
  submit: { keys: ['s'], description: 'Create domain, start upload or create volume', dangerous: true, modes: ['form'] },
  usePicked: { keys: ['enter'], description: 'Use this LUN or connection', modes: ['picker'] },
  closeTheList: { keys: ['escape'], description: 'Close the list', modes: ['picker'] },
  back: { keys: ['escape'], description: 'Cancel or back to the domains', modes: ['form', 'import', 'volumes'] },
} as const satisfies KeyTable;
