// The network screens as data, for screens/index.ts: the Network screen, its
// forms, the apply/confirm screen, the tools and the first-run wizard. They
// share one store (inventory, live links, the staged changes and the apply),
// over the shell's core (core.network) unless given other use cases (tests).
import type { ScreenDef } from '../../src/app/types.ts';
import { createNetStore, type NetService, type NetStore } from '../../src/store/net.ts';
import { createNetworkWizardScreen } from '../network-wizard/index.ts';

export interface NetworkScreenDeps {
  /** The network use cases; default: the shell's core.network, taken when the first network screen opens. */
  net?: NetService;
  /** Seconds to confirm an apply (HOSTDECK_NET_CONFIRM_TIMEOUT, default 60). */
  confirmTimeoutS?: () => number;
  pollMs?: number;
  slowPollMs?: number;
  /** Runs before any of the screens loads. */
  prepare?: () => Promise<unknown>;
}

export function confirmTimeoutFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.HOSTDECK_NET_CONFIRM_TIMEOUT);
  return Number.isInteger(n) && n >= 10 && n <= 3600 ? n : 60;
}

export function createNetworkScreens(deps: NetworkScreenDeps): { screens: ScreenDef[]; store: NetStore } {
  const store = createNetStore({ net: deps.net, pollMs: deps.pollMs, slowPollMs: deps.slowPollMs });
  const confirmTimeoutS = deps.confirmTimeoutS ?? (() => confirmTimeoutFromEnv());
  const prepared = <T>(load: () => Promise<T>) => () => (deps.prepare ? deps.prepare().then(load) : load());
  // Each screen is its own chunk, loaded when it first opens.
  const screens: ScreenDef[] = [
    { id: 'network', title: 'Network', key: 'n', aliases: ['net', 'nic', 'nics', 'bond', 'vlan', 'bridge', 'ip', 'dns', 'lldp'], description: 'NICs, bonds, VLANs and bridges with link, addresses and LLDP; change them with a safe apply.', load: prepared(() => import('./NetworkScreen.tsx').then((m) => m.makeNetworkScreen(store))) },
    { id: 'net-form', action: 'network.stage', title: 'Network change', inMenu: false, palette: false /* opens for a kind of change, from the Network screen's keys */, description: 'Stage a network change.', load: prepared(() => import('./NetForm.tsx').then((m) => m.makeNetFormScreen(store))) },
    { id: 'net-apply', action: 'network.apply', title: 'Apply network', inMenu: false, description: 'Apply the staged network changes and confirm them.', load: prepared(() => import('./ApplyScreen.tsx').then((m) => m.makeApplyScreen(store, { confirmTimeoutS }))) },
    { id: 'net-tools', title: 'Network tools', aliases: ['ping', 'test network', 'reset network', 'emergency'], inMenu: false, description: 'Test network; emergency network reset.', load: prepared(() => import('./ToolsScreen.tsx').then((m) => m.makeToolsScreen(store))) },
    createNetworkWizardScreen(store, prepared),
  ];
  return { screens, store };
}

export const networkScreens: ScreenDef[] = createNetworkScreens({}).screens;
