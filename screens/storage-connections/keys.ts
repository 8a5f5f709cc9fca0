// The keys of this screen as data: the component binds each entry to its action,
// and the footer, the `?` help and the docs read keys and descriptions from here.
import type { KeyTable } from '../../src/app/types.ts';

export const STORAGE_CONNECTIONS_KEYS = {
  previous: { keys: ['up', 'k'], description: 'Previous', modes: ['list', 'discover'] },
  next: { keys: ['down', 'j'], description: 'Next', modes: ['list', 'discover'] },
  add: { keys: ['a'], description: 'Add', dangerous: true, modes: ['list'] },
  connect: { keys: ['c'], description: 'Connect', dangerous: true, modes: ['list'] },
  disconnect: { keys: ['x'], description: 'Disconnect', dangerous: true, modes: ['list'] },
  remove: { keys: ['delete', 'D'], description: 'Remove', dangerous: true, modes: ['list'] },
  reconnectAtBootOnOff: { keys: ['p'], description: 'Reconnect at boot on/off', dangerous: true, modes: ['list'] },
  luns: { keys: ['l'], description: 'LUNs', modes: ['list'] },
  iscsiDiscovery: { keys: ['i'], description: 'iSCSI discovery', dangerous: true, modes: ['list'] },
  fcHBAs: { keys: ['f'], description: 'FC HBAs', modes: ['list'] },
  refresh: { keys: ['r'], description: 'Refresh', modes: ['list'] },
  previousField: { keys: ['up', 'k'], description: 'Previous field', modes: ['form'] },
  nextField: { keys: ['down', 'j', 'tab'], description: 'Next field', modes: ['form'] },
  previousChoice: { keys: ['left'], description: 'Previous choice', modes: ['form'] },
  nextChoice: { keys: ['right', 'space'], description: 'Next choice', modes: ['form'] },
  editField: { keys: ['enter'], description: 'Edit field', modes: ['form'] },
  save: { keys: ['s'], description: 'Save (and connect when Connect now is yes)', dangerous: true, modes: ['form'] },
  useThisTarget: { keys: ['enter'], description: 'Use this target', modes: ['discover'] },
  editPortal: { keys: ['e'], description: 'Edit portal', modes: ['discover'] },
  discoveryCHAPUser: { keys: ['u'], description: 'Discovery CHAP user', modes: ['discover'] },
  discoveryCHAPSecret: { keys: ['w'], description: 'Discovery CHAP secret', modes: ['discover'] },
  discoverAgain: { keys: ['r'], description: 'Discover again', dangerous: true, modes: ['discover'] },
  backToTheList: { keys: ['escape'], description: 'Back to the list', modes: ['form', 'discover', 'luns', 'fc'] },
} as const satisfies KeyTable;
