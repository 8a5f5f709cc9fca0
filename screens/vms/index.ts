// The VM screens: the live list and one VM's detail.
import type { ScreenDef } from '../../src/app/types.ts';
import { VmDetail } from './VmDetail.tsx';
import { VmList } from './VmList.tsx';

export const vmListScreen: ScreenDef = {
  id: 'vms', title: 'Virtual machines', key: 'v', aliases: ['vm', 'vms', 'domains', 'top', 'virt-top'],
  description: 'Every VM live: state, CPU, memory, disk and network, sorted and filtered.',
  component: VmList,
};

export const vmDetailScreen: ScreenDef = {
  id: 'vm', title: 'VM', inMenu: false, aliases: ['vm detail'],
  description: "One VM's configuration and its CPU, memory, disk and network charts.",
  component: VmDetail,
};
