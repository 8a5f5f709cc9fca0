// The Diagnostics screen as data, for screens/index.ts (its own chunk, loaded when first opened).
import type { ScreenDef } from '../../src/app/types.ts';

export const diagnosticsScreen: ScreenDef = {
  id: 'diagnostics', title: 'Diagnostics', key: 'd', aliases: ['diagnose', 'health', 'checks', 'preflight', 'doctor'],
  description: 'Preflight and health checks (KVM, memory, disks, NIC links, time, DNS, certificates, libvirtd, storage), each with its fix.',
  load: () => import('./Diagnostics.tsx').then((m) => m.Diagnostics),
};
