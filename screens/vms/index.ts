// The VM screens: the live list and one VM's detail (each its own chunk, loaded when first opened).
import type { ScreenDef } from '../../src/app/types.ts';

export const vmListScreen: ScreenDef = {
  id: 'vms', title: 'Virtual machines', key: 'v', aliases: ['vm', 'vms', 'domains', 'virt-top'],
  description: 'Every VM live: state, CPU, memory, disk and network, sorted and filtered.',
  load: () => import('./VmList.tsx').then((m) => m.VmList),
};

export const vmDetailScreen: ScreenDef = {
  id: 'vm', title: 'VM', inMenu: false, palette: false, object: 'vm',
  description: "One VM's configuration and its CPU, memory, disk and network charts.",
  load: () => import('./VmDetail.tsx').then((m) => m.VmDetail),
};
