// The keys of this screen as data: the component binds each entry to its action,
// and the footer, the `?` help and the docs read keys and descriptions from here.
import type { KeyTable } from '../../src/app/types.ts';

export const VM_CREATE_KEYS = {
  nextField: { keys: ['down', 'j'], description: 'Next field', modes: ['step'] },
  previousField: { keys: ['up', 'k'], description: 'Previous field', modes: ['step', 'edit', 'clone'] },
  editOrChoose: { keys: ['enter'], description: 'Edit field or next choice', modes: ['step'] },
  nextChoice: { keys: ['right', 'space'], description: 'Next choice', modes: ['step'] },
  previousChoice: { keys: ['left'], description: 'Previous choice', modes: ['step'] },
  nextStep: { keys: [']', 'pagedown'], description: 'Next step', modes: ['step'] },
  previousStep: { keys: ['[', 'pageup'], description: 'Previous step', modes: ['step', 'summary'] },
  addNic: { keys: ['a'], description: 'Add a NIC', modes: ['step'] },
  removeNic: { keys: ['x'], description: 'Remove this NIC', modes: ['step'] },
  leave: { keys: ['escape'], description: 'Back (asks before discarding what was entered)', modes: ['step', 'summary'] },
  startAfterCreate: { keys: ['s'], description: 'Start after create on/off', modes: ['summary'] },
  create: { keys: ['enter', 'c'], description: 'Create (and start)', dangerous: true, modes: ['summary'] },
  formNextField: { keys: ['down', 'j', 'tab'], description: 'Next field', modes: ['edit', 'clone'] },
  editField: { keys: ['enter'], description: 'Edit field', modes: ['edit', 'clone'] },
  apply: { keys: ['a'], description: 'Apply', dangerous: true, modes: ['edit'] },
  clone: { keys: ['a'], description: 'Clone', dangerous: true, modes: ['clone'] },
  deleteKeepDisks: { keys: ['k'], description: 'Delete, keep disks', dangerous: true, modes: ['delete'] },
  deleteAndRemoveDisks: { keys: ['r'], description: 'Delete and remove disks', dangerous: true, modes: ['delete'] },
} as const satisfies KeyTable;
