// The VM devices screen as data, for screens/index.ts (its own chunk, loaded when first opened).
import type { ScreenDef } from '../../src/app/types.ts';

export const vmDevicesScreen: ScreenDef = {
  id: 'vm-devices', title: 'NICs and disks', inMenu: false, palette: false, object: 'vm',
  description: "A VM's NICs and disks: add and remove them, hot-plugged while it runs.",
  load: () => import('./VmDevices.tsx').then((m) => m.VmDevices),
};
