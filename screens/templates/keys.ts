// The keys of the Templates screen as data: the component binds each entry to
// its action, and the footer, the `?` help and the docs read them from here.
import type { KeyTable } from '../../src/app/types.ts';

export const TEMPLATES_KEYS = {
  details: { keys: ['enter'], description: 'Versions, hardware and VMs', modes: ['list'] },
  filter: { keys: ['/'], description: 'Filter', modes: ['list'] },
  sortName: { keys: ['1'], description: 'Sort by name', group: 'Sort', modes: ['list'] },
  sortCreated: { keys: ['2'], description: 'Sort by creation time', group: 'Sort', modes: ['list'] },
  sortVms: { keys: ['3'], description: 'Sort by VMs made from it', group: 'Sort', modes: ['list'] },
  create: { keys: ['c'], description: 'Make a template from a VM', dangerous: true, modes: ['list'] },
  remove: { keys: ['x', 'delete'], description: 'Remove the template', dangerous: true, modes: ['list'] },
  refresh: { keys: ['r'], description: 'Refresh', modes: ['list'] },
  editField: { keys: ['enter'], description: 'Edit field (a choice: next)', modes: ['form'] },
  nextChoice: { keys: ['space'], description: 'Next choice', modes: ['form'] },
  nextField: { keys: ['tab', 'down'], description: 'Next field', modes: ['form'] },
  previousField: { keys: ['up'], description: 'Previous field', modes: ['form'] },
  submit: { keys: ['s'], description: 'Make the template', dangerous: true, modes: ['form'] },
  back: { keys: ['escape'], description: 'Cancel or back to the list', modes: ['form', 'details'] },
} as const satisfies KeyTable;
