// The core: the only API of the console, the CLI and the REST server. A front
// end builds it once per principal (the console's operator, one CLI run, one
// API request) over the process's infrastructure, and calls the use cases;
// every mutating use case goes through the door (door.ts).
//
// A resource's use cases live in one module here (vms.ts, network.ts, ...),
// built by a factory that takes the CoreContext; add a resource by adding its
// factory to `Core` and `createCore` below.
import type { Config } from '../config.ts';
import type { Services } from '../services.ts';
import { createDoor, type Door } from './door.ts';
import type { ActionId } from './catalog.ts';
import type { Principal } from './principal.ts';
import { vmLockReader } from '../host/engine/state.ts';
import { createVmUseCases, type VmUseCases } from './vms.ts';
import type { SnapshotUseCases } from './snapshots.ts';
import type { DemoUseCases } from './vm-demo.ts';
import { createEngineUseCases, type EngineUseCases } from './engine.ts';
import { createEventUseCases, type EventUseCases } from './events.ts';
import { createHostUseCases, type HostUseCases } from './host.ts';
import { createMonitorUseCases, type MonitorUseCases } from './monitor.ts';
import { createStorageConnectionUseCases, type StorageConnectionUseCases } from './storage-connections.ts';
import { createStorageDomainUseCases, type StorageDomainUseCases } from './storage-domains.ts';
import { createNetworkUseCases, type NetworkUseCases } from './network.ts';
import { createHookUseCases, type HookUseCases } from './hooks.ts';
import type { SupportUseCases } from './support.ts';
import type { LogUseCases } from './logs.ts';
import type { DiagnosticsUseCases } from './diagnostics.ts';
import { lazyUseCases } from './lazy.ts';
import type { TemplateUseCases } from './templates.ts';
import { createManagerUseCases, type ManagerUseCases } from './manager.ts';
import { createHostServiceUseCases, type HostServiceUseCases } from './host-service.ts';

/** What every use-case factory receives. */
export interface CoreContext {
  /** The process's infrastructure: configuration, state DB, event log, libvirt connection. */
  infra: Services;
  door: Door;
}

export interface Core {
  readonly principal: Principal;
  /** Whether the principal may take the action now, and why not (the console's disabled reason). */
  whyNot(action: ActionId): string | undefined;
  readonly readOnly: boolean;
  /** The process's resolved configuration (theme, log file, libvirt URI, state DB path). */
  readonly config: Config;
  /** Close the infrastructure under this core (libvirt connection, state DB): the process is done with it. */
  close(): Promise<void>;
  readonly vms: VmUseCases;
  readonly snapshots: SnapshotUseCases;
  /** The demo VMs (hostdeck demo). */
  readonly demo: DemoUseCases;
  readonly engine: EngineUseCases;
  readonly events: EventUseCases;
  readonly host: HostUseCases;
  /** Live VM figures: the statistics sampler and what the VM store reads beside it. */
  readonly monitor: MonitorUseCases;
  readonly storageConnections: StorageConnectionUseCases;
  readonly storageDomains: StorageDomainUseCases;
  readonly network: NetworkUseCases;
  /** Support bundles: collect, redact, pack; copy to a removable disk. */
  readonly support: SupportUseCases;
  /** The hook points and their scripts (`hostdeck hooks list`); actions run them through aroundHooks. */
  readonly hooks: HookUseCases;
  /** The preflight and health checks and the MTU path test (built on first use). */
  readonly diagnostics: DiagnosticsUseCases;
  /** The log viewer: the journal, /var/log files, hostdeck's log, VMs' libvirt logs. */
  readonly logs: LogUseCases;
  /** Templates and their versions, and VMs made from them (loaded on first use). */
  templates(): Promise<TemplateUseCases>;
  /** The host service (`hostdeck serve`): whether it runs, its duties; stop it; run it. */
  readonly hostService: HostServiceUseCases;
  /** The standalone manager: its mode, data centers, clusters and this host as a host object (built on first use). */
  readonly manager: ManagerUseCases;
}

export function createCore(infra: Services, principal: Principal): Core {
  const door = createDoor(principal, infra.events, { readOnly: infra.config.readOnly, engineLock: vmLockReader(infra) });
  const ctx: CoreContext = { infra, door };
  const vms = createVmUseCases(ctx);
  let storageConnections: StorageConnectionUseCases | undefined;
  let storageDomains: StorageDomainUseCases | undefined;
  let templates: Promise<TemplateUseCases> | undefined;
  let manager: ManagerUseCases | undefined;
  let hostService: HostServiceUseCases | undefined;
  return {
    principal,
    whyNot: door.whyNot,
    readOnly: infra.config.readOnly,
    config: infra.config,
    close: () => infra.close(),
    vms,
    // Loaded on first use (lazy.ts): the console's first frame calls none of these.
    snapshots: lazyUseCases(() => import('./snapshots.ts').then((m) => m.createSnapshotUseCases(ctx))),
    demo: lazyUseCases(() => import('./vm-demo.ts').then((m) => m.createDemoUseCases(ctx, vms))),
    engine: createEngineUseCases(ctx),
    events: createEventUseCases(ctx),
    host: createHostUseCases(ctx),
    monitor: createMonitorUseCases(ctx),
    // Built on first use: the state DB opens only when storage is asked about.
    get storageConnections() { return (storageConnections ??= createStorageConnectionUseCases(ctx)); },
    get storageDomains() { return (storageDomains ??= createStorageDomainUseCases(ctx, this.storageConnections)); },
    network: createNetworkUseCases(ctx),
    support: lazyUseCases(() => import('./support.ts').then((m) => m.createSupportUseCases(ctx))),
    hooks: createHookUseCases(ctx),
    diagnostics: lazyUseCases(() => import('./diagnostics.ts').then((m) => m.createDiagnosticsUseCases(ctx))),
    logs: lazyUseCases(() => import('./logs.ts').then((m) => m.createLogUseCases(ctx))),
    // Its own chunk: the console's first frame does not load it.
    templates: () => (templates ??= import('./templates.ts').then((m) => m.createTemplateUseCases(ctx))),
    get hostService() { return (hostService ??= createHostServiceUseCases(ctx)); },
    get manager() { return (manager ??= createManagerUseCases(ctx)); },
  };
}

export { ACTION_CATALOG, actionDef, mutatingActions, type ActionDef, type ActionId, type ObjectKind } from './catalog.ts';
export type { Principal } from './principal.ts';
