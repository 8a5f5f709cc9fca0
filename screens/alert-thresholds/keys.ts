// The keys of the Alert thresholds screen as data: the component binds each entry to
// its action, and the footer, the `?` help and the docs read them from here.
import type { KeyTable } from '../../src/app/types.ts';

export const ALERT_THRESHOLD_KEYS = {
  edit: { keys: ['enter', 'e'], description: 'Set the threshold', dangerous: true, modes: ['list'] },
  reset: { keys: ['x', 'delete'], description: 'Reset to the default', dangerous: true, modes: ['list'] },
  refresh: { keys: ['r'], description: 'Refresh', modes: ['list'] },
  editField: { keys: ['enter'], description: 'Edit field', modes: ['form'] },
  nextField: { keys: ['tab', 'down'], description: 'Next field', modes: ['form'] },
  previousField: { keys: ['up'], description: 'Previous field', modes: ['form'] },
  submit: { keys: ['s'], description: 'Save the threshold', dangerous: true, modes: ['form'] },
  back: { keys: ['escape'], description: 'Cancel', modes: ['form'] },
} as const satisfies KeyTable;
