// The keys of the Host networks screen as data (the footer, the `?` help and
// the docs read them): attach and detach, the manager forms' keys, and the
// Network screen's keep / roll back while an apply waits for confirmation.
import type { KeyTable } from '../../src/app/types.ts';
import { MANAGER_KEYS } from '../data-centers/keys.ts';
import { NETWORK_KEYS } from '../network/keys.ts';

/** The keys of the host's logical networks (`:hostnet`): attach and detach through the safe apply, with its confirmation. */
export const HOSTNET_KEYS = {
  attach: { keys: ['a'], description: 'Attach a logical network to a NIC or bond (asks first)', dangerous: true, modes: ['list'] },
  detach: { keys: ['x', 'delete'], description: 'Detach the selected network (asks first)', dangerous: true, modes: ['list'] },
  refresh: MANAGER_KEYS.refresh,
  editField: MANAGER_KEYS.editField,
  nextChoice: MANAGER_KEYS.nextChoice,
  previousField: MANAGER_KEYS.previousField,
  nextField: MANAGER_KEYS.nextField,
  submit: { keys: ['s'], description: 'Attach', dangerous: true, modes: ['form'] },
  back: MANAGER_KEYS.back,
  keepThisConfiguration: NETWORK_KEYS.keepThisConfiguration,
  rollBackNow: NETWORK_KEYS.rollBackNow,
  done: { keys: ['escape'], description: 'Back to the list', modes: ['apply'] },
} as const satisfies KeyTable;
