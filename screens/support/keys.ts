// The keys of this screen as data: the component binds each entry to its action,
// and the footer, the `?` help and the docs read keys and descriptions from here.
import type { KeyTable } from '../../src/app/types.ts';

export const SUPPORT_KEYS = {
  bundle: { keys: ['b'], description: 'Write a bundle', dangerous: true, effect: 'writes a tar.gz (up to 50 MiB) in /var/tmp' },
  copy: { keys: ['c'], description: 'Copy to the removable disk', dangerous: true, effect: 'writes the bundle onto the selected removable disk' },
  refresh: { keys: ['ctrl+r'], description: 'Look for removable disks again' },
} as const satisfies KeyTable;
