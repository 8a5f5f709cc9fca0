// The lifecycle screens: the new VM wizard, edit, clone, delete and snapshots.
import type { ScreenDef } from '../../src/app/types.ts';
import { VmSnapshots } from '../vm-snapshots/VmSnapshots.tsx';
import { VmCreate } from './VmCreate.tsx';
import { VmClone, VmDelete, VmEdit } from './VmForms.tsx';

export const vmLifecycleScreens: ScreenDef[] = [
  { id: 'vm-create', title: 'New VM', aliases: ['create vm', 'new vm', 'wizard'], description: 'Create a VM step by step, with a summary before anything is defined.', component: VmCreate },
  { id: 'vm-edit', title: 'Edit VM', inMenu: false, description: "Change a VM's vCPUs, memory and description.", component: VmEdit },
  { id: 'vm-clone', title: 'Clone VM', inMenu: false, description: 'Copy a shut-off VM with its disks.', component: VmClone },
  { id: 'vm-delete', title: 'Delete VM', inMenu: false, description: 'Delete a VM, keeping or removing its disks.', component: VmDelete },
  { id: 'vm-snapshots', title: 'Snapshots', inMenu: false, aliases: ['snapshots'], description: "A VM's snapshots as a tree: take, revert, delete.", component: VmSnapshots },
];
