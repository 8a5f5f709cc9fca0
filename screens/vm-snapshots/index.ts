// The Snapshots screen as data, for screens/index.ts (its own chunk, loaded when first opened).
import type { ScreenDef } from '../../src/app/types.ts';

export const vmSnapshotsScreen: ScreenDef = {
  id: 'vm-snapshots', title: 'Snapshots', inMenu: false, palette: false, object: 'vm',
  description: "A VM's snapshots as a tree: take, revert, delete.",
  load: () => import('./VmSnapshots.tsx').then((m) => m.VmSnapshots),
};
