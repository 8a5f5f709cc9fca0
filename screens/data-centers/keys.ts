// The keys of the data center and cluster screens as data: the component binds
// each entry to its action, and the footer, the `?` help and the docs read
// keys and descriptions from here.
import type { KeyTable } from '../../src/app/types.ts';

export const MANAGER_KEYS = {
  filter: { keys: ['/'], description: 'Filter', modes: ['list'] },
  create: { keys: ['c'], description: 'Create', dangerous: true, modes: ['list'] },
  edit: { keys: ['e'], description: 'Edit', dangerous: true, modes: ['list'] },
  remove: { keys: ['x', 'delete'], description: 'Remove', dangerous: true, modes: ['list'] },
  other: { keys: ['t'], description: 'Clusters / data centers', modes: ['list'] },
  refresh: { keys: ['r'], description: 'Refresh', modes: ['list'] },
  properties: { keys: ['P'], description: 'Custom VM properties the cluster allows', modes: ['list'] },
  editField: { keys: ['enter'], description: 'Edit field', modes: ['form'] },
  nextChoice: { keys: ['space'], description: 'Next choice', modes: ['form'] },
  previousField: { keys: ['up', 'k'], description: 'Previous field', modes: ['form'] },
  nextField: { keys: ['down', 'j', 'tab'], description: 'Next field', modes: ['form'] },
  submit: { keys: ['s'], description: 'Save', dangerous: true, modes: ['form'] },
  back: { keys: ['escape'], description: 'Cancel', modes: ['form'] },
} as const satisfies KeyTable;
