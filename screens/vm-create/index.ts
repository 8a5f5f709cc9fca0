// The lifecycle screens: the new VM wizard, edit, clone and delete (each loaded
// when first opened).
import type { ScreenDef } from '../../src/app/types.ts';

export const vmLifecycleScreens: ScreenDef[] = [
  { id: 'vm-create', action: 'vm.create', title: 'New VM', aliases: ['create vm', 'new vm'], description: 'Create a VM step by step, with a summary before anything is defined.', load: () => import('./VmCreate.tsx').then((m) => m.VmCreate) },
  { id: 'vm-edit', palette: false, object: 'vm', action: 'vm.edit', title: 'Edit VM', inMenu: false, description: "Change a VM's vCPUs, memory and description.", load: () => import('./VmForms.tsx').then((m) => m.VmEdit) },
  { id: 'vm-clone', palette: false, object: 'vm', action: 'vm.clone', title: 'Clone VM', inMenu: false, description: 'Copy a shut-off VM with its disks.', load: () => import('./VmForms.tsx').then((m) => m.VmClone) },
  { id: 'vm-delete', palette: false, object: 'vm', action: 'vm.delete', title: 'Delete VM', inMenu: false, description: 'Delete a VM, keeping or removing its disks.', load: () => import('./VmForms.tsx').then((m) => m.VmDelete) },
];
