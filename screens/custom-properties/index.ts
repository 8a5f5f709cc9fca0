// The Custom properties screen as data, for screens/index.ts (its own chunk,
// loaded when first opened): a VM's values (params.vm) or the names a cluster
// allows with their rules (params.cluster); opened with P from the VM list,
// a VM's detail or the clusters screen.
import type { ScreenDef } from '../../src/app/types.ts';

export const customPropertiesScreen: ScreenDef = {
  id: 'custom-properties', title: 'Custom properties', inMenu: false, palette: false,
  description: "Custom VM properties: the names a cluster allows with the rule for their values, and a VM's values, which its hooks get.",
  load: () => import('./CustomProperties.tsx').then((m) => m.CustomProperties),
};
