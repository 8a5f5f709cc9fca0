// The Logical networks screen as data, for screens/index.ts: the manager's
// logical networks and their vNIC profiles (`:lnet`), its own chunk. Not the
// host's network configuration: that is the Network screen (`:network`).
import type { ScreenDef } from '../../src/app/types.ts';

export const logicalNetworksScreen: ScreenDef = {
  id: 'logical-networks',
  title: 'Logical networks',
  aliases: ['lnet', 'logical-network', 'logical network', 'vnic profile', 'profile', 'ovirtmgmt'],
  description: "The manager's logical networks (VLAN, MTU, clusters) and their vNIC profiles; not the host's network configuration (:network).",
  load: () => import('./LogicalNetworks.tsx').then((m) => m.LogicalNetworksScreen),
};
