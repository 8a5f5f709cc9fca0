// The keys of this screen as data: the component binds each entry to its action,
// and the footer, the `?` help and the docs read keys and descriptions from here.
import type { KeyTable } from '../../src/app/types.ts';

export const ENGINE_KEYS = {
  previousField: { keys: ['up', 'k'], description: 'Previous field' },
  nextField: { keys: ['down', 'j', 'tab'], description: 'Next field' },
  editField: { keys: ['enter'], description: 'Edit field' },
  register: { keys: ['r'], description: 'Register', dangerous: true },
  unregister: { keys: ['u'], description: 'Unregister', dangerous: true },
  standalone: { keys: ['S'], description: 'Standalone manager', dangerous: true },
  leaveStandalone: { keys: ['L'], description: 'Leave standalone', dangerous: true },
} as const satisfies KeyTable;
