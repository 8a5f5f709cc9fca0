// The first-run network wizard as data. It shares the Network screens' store,
// so screens/network/index.ts builds it with that store.
import type { ScreenDef } from '../../src/app/types.ts';
import type { NetStore } from '../../src/store/net.ts';

/** `prepared` runs the network screens' shared preparation before the wizard's chunk loads. */
export function createNetworkWizardScreen(store: NetStore, prepared: <T>(load: () => Promise<T>) => () => Promise<T>): ScreenDef {
  return {
    id: 'network-wizard', action: 'network.stage', title: 'Network setup wizard', aliases: ['wizard', 'first run', 'setup', 'install'], inMenu: false,
    description: 'First-run network setup: management NIC or bond, VLAN, IP, DNS, host name, then apply.',
    load: prepared(() => import('./Wizard.tsx').then((m) => m.makeWizardScreen(store))),
  };
}
