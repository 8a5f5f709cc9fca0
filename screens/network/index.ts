// The network screens as data, for screens/index.ts: the Network screen, its
// forms, the apply/confirm screen, the tools and the first-run wizard. They
// share one store (inventory, live links, net-core's service state).
import type { ScreenDef } from '../../src/app/types.ts';
import * as processRunner from '../../src/exec/runner.ts';
import { createNetStore, type NetServiceApi, type NetStore } from '../../src/store/net.ts';
import type { InventoryRunner } from '../../src/host/net/inventory.ts';
import type { Services } from '../../src/services.ts';
import { createNetworkWizardScreen } from '../network-wizard/index.ts';
import { createNetSummaryStore } from './summary.ts';

export interface NetworkScreenDeps {
  runner: InventoryRunner;
  service?: NetServiceApi;
  /** Builds the service from the shell's services when the first network screen opens. */
  makeService?: (services: Services) => NetServiceApi | undefined;
  /** Seconds to confirm an apply (HOSTDECK_NET_CONFIRM_TIMEOUT, default 60). */
  confirmTimeoutS?: () => number;
  pollMs?: number;
  slowPollMs?: number;
  /** Runs before any of the screens loads (the console loads net-core's service here: not at start-up). */
  prepare?: () => Promise<unknown>;
}

export function confirmTimeoutFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.HOSTDECK_NET_CONFIRM_TIMEOUT);
  return Number.isInteger(n) && n >= 10 && n <= 3600 ? n : 60;
}

export function createNetworkScreens(deps: NetworkScreenDeps): { screens: ScreenDef[]; store: NetStore } {
  const store = createNetStore({ runner: deps.runner, service: deps.service, makeService: deps.makeService as ((s: never) => NetServiceApi | undefined) | undefined, pollMs: deps.pollMs, slowPollMs: deps.slowPollMs });
  const confirmTimeoutS = deps.confirmTimeoutS ?? (() => confirmTimeoutFromEnv());
  const prepared = <T>(load: () => Promise<T>) => () => (deps.prepare ? deps.prepare().then(load) : load());
  // Each screen is its own chunk, loaded when it first opens.
  const screens: ScreenDef[] = [
    { id: 'network', title: 'Network', key: 'n', aliases: ['net', 'nic', 'nics', 'bond', 'vlan', 'bridge', 'ip', 'dns', 'lldp'], description: 'NICs, bonds, VLANs and bridges with link, addresses and LLDP; change them with a safe apply.', load: prepared(() => import('./NetworkScreen.tsx').then((m) => m.makeNetworkScreen(store))) },
    { id: 'net-form', title: 'Network change', inMenu: false, description: 'Stage a network change.', load: prepared(() => import('./NetForm.tsx').then((m) => m.makeNetFormScreen(store))) },
    { id: 'net-apply', title: 'Apply network', inMenu: false, description: 'Apply the staged network changes and confirm them.', load: prepared(() => import('./ApplyScreen.tsx').then((m) => m.makeApplyScreen(store, { confirmTimeoutS }))) },
    { id: 'net-tools', title: 'Network tools', aliases: ['ping', 'test network', 'reset network', 'emergency'], inMenu: false, description: 'Test network; emergency network reset.', load: prepared(() => import('./ToolsScreen.tsx').then((m) => m.makeToolsScreen(store))) },
    createNetworkWizardScreen(store, prepared),
  ];
  return { screens, store };
}

const runner: InventoryRunner = { run: processRunner.run, spawnStream: processRunner.spawnStream };

// net-core's service (and the validation, diff and backends it brings) loads
// with the first network screen, not with the console.
let makeNetService: ((services: Services) => NetServiceApi) | undefined;
async function loadNetService(): Promise<void> {
  if (makeNetService) return;
  const [{ createNetworkService, selfCommand }, { adaptNetworkService }] = await Promise.all([import('../../src/host/net/service.ts'), import('./service.ts')]);
  makeNetService = (services) => adaptNetworkService(createNetworkService({ runner, db: services.db, events: services.events, watchdogCommand: selfCommand() }));
}

export const networkScreens: ScreenDef[] = createNetworkScreens({
  runner,
  prepare: loadNetService,
  makeService: (services) => makeNetService?.(services),
}).screens;

/** The dashboard's network line (polled only while the dashboard shows). */
export const networkSummary = createNetSummaryStore(runner);
