// The Host networks screen as data, for screens/index.ts: the manager's
// logical networks on this host's NICs and bonds ("setup host networks",
// `:hostnet`), its own chunk.
import type { ScreenDef } from '../../src/app/types.ts';

/** This host's NICs and bonds with the logical networks on them ("setup host networks", `:hostnet`). */
export const hostNetworksScreen: ScreenDef = {
  id: 'host-networks',
  title: 'Host networks',
  aliases: ['hostnet', 'host network', 'setup host networks', 'attach network'],
  description: "Logical networks on this host's NICs and bonds: attach or detach through the safe network apply.",
  load: () => import('./HostNetworks.tsx').then((m) => m.HostNetworksScreen),
};
