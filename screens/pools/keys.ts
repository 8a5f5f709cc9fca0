// The keys of the Pools screen as data: the component binds each entry to its
// action, and the footer, the `?` help and the docs read them from here.
import type { KeyTable } from '../../src/app/types.ts';

export const POOLS_KEYS = {
  details: { keys: ['enter'], description: 'Its VMs, users and states', modes: ['list'] },
  filter: { keys: ['/'], description: 'Filter', modes: ['list'] },
  sortName: { keys: ['1'], description: 'Sort by name', group: 'Sort', modes: ['list'] },
  sortSize: { keys: ['2'], description: 'Sort by size', group: 'Sort', modes: ['list'] },
  sortAssigned: { keys: ['3'], description: 'Sort by VMs assigned', group: 'Sort', modes: ['list'] },
  create: { keys: ['c'], description: 'Create a pool', dangerous: true, modes: ['list'] },
  take: { keys: ['t'], description: 'Take a VM for a user', dangerous: true, modes: ['list'] },
  grow: { keys: ['+'], description: 'Grow by one VM', dangerous: true, modes: ['list'] },
  shrink: { keys: ['-'], description: 'Shrink by one VM', dangerous: true, modes: ['list'] },
  remove: { keys: ['x', 'delete'], description: 'Remove the pool', dangerous: true, modes: ['list'] },
  refresh: { keys: ['r'], description: 'Refresh', modes: ['list', 'details'] },
  giveBack: { keys: ['b'], description: 'Return the VM to the pool', dangerous: true, modes: ['details'] },
  editField: { keys: ['enter'], description: 'Edit field (a choice: next)', modes: ['form'] },
  nextChoice: { keys: ['space'], description: 'Next choice', modes: ['form'] },
  nextField: { keys: ['tab', 'down'], description: 'Next field', modes: ['form'] },
  previousField: { keys: ['up'], description: 'Previous field', modes: ['form'] },
  submit: { keys: ['s'], description: 'Create the pool or take the VM', dangerous: true, modes: ['form'] },
  back: { keys: ['escape'], description: 'Cancel or back to the list', modes: ['form', 'details'] },
} as const satisfies KeyTable;
