// The Hooks screen as data, for screens/index.ts (its own chunk, loaded when first opened).
import type { ScreenDef } from '../../src/app/types.ts';

export const hooksScreen: ScreenDef = {
  id: 'hooks', title: 'Hooks', aliases: ['hook', 'vdsm hooks', 'hook scripts', 'before_vm_start'],
  description: 'The hook points (before_/after_ each VM and network action) and their scripts in the order they run; a script that does not run says why.',
  load: () => import('./Hooks.tsx').then((m) => m.Hooks),
};
