// The keys of the Notifications screen as data: the component binds each entry to
// its action, and the footer, the `?` help and the docs read them from here.
import type { KeyTable } from '../../src/app/types.ts';

export const NOTIFICATIONS_KEYS = {
  add: { keys: ['n'], description: 'Add a subscription', dangerous: true, modes: ['list'] },
  test: { keys: ['t'], description: 'Send a test message now', dangerous: true, modes: ['list'] },
  remove: { keys: ['x', 'delete'], description: 'Remove the subscription', dangerous: true, modes: ['list'] },
  refresh: { keys: ['r'], description: 'Refresh', modes: ['list'] },
  editField: { keys: ['enter'], description: 'Edit field (a choice: next)', modes: ['form'] },
  nextChoice: { keys: ['space'], description: 'Next choice', modes: ['form'] },
  nextField: { keys: ['tab', 'down'], description: 'Next field', modes: ['form'] },
  previousField: { keys: ['up'], description: 'Previous field', modes: ['form'] },
  submit: { keys: ['s'], description: 'Add the subscription', dangerous: true, modes: ['form'] },
  back: { keys: ['escape'], description: 'Cancel', modes: ['form'] },
} as const satisfies KeyTable;
