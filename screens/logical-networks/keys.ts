// The keys of the Logical networks screen as data: the manager screens' keys,
// with p going between the networks and the selected network's vNIC profiles.
// The footer, the `?` help and the docs read keys and descriptions from here.
import type { KeyTable } from '../../src/app/types.ts';
import { MANAGER_KEYS } from '../data-centers/keys.ts';

export const LNET_KEYS = {
  ...MANAGER_KEYS,
  other: { keys: ['p'], description: "Profiles / networks (the selected network's vNIC profiles)", modes: ['list'] },
} as const satisfies KeyTable;
