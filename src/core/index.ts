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
import type { StorageConnection } from '../domain/storage/connection.ts';
import type { StorageConnectionUseCases } from './storage-connections.ts';
import type { StorageDomainUseCases } from './storage-domains.ts';
import { storageDomainRepo } from '../manager/repos/storage-domains.ts';
import { connectionMountPath, processMountRoot } from '../host/storage/mount-path.ts';
import { createNetworkUseCases, type NetworkUseCases } from './network.ts';
import { createHookUseCases, type HookUseCases } from './hooks.ts';
import type { SupportUseCases } from './support.ts';
import type { LogUseCases } from './logs.ts';
import type { DiagnosticsUseCases } from './diagnostics.ts';
import { lazyUseCases, type Lazy } from './lazy.ts';
import type { TemplateUseCases } from './templates.ts';
import type { PoolUseCases } from './pools.ts';
import type { ManagerUseCases } from './manager.ts';
import type { LogicalNetworkUseCases } from './logical-networks.ts';
import type { CustomPropertyUseCases } from './custom-properties.ts';
import type { HostNetworkUseCases } from './host-networks.ts';
import type { VmDeviceUseCases } from './vm-devices.ts';
import type { HistoryUseCases } from './history.ts';
import type { ReportUseCases } from './reports.ts';
import type { AlertUseCases } from './alerts.ts';
import type { NotificationUseCases } from './notifications.ts';
import type { UserUseCases } from './users.ts';
import type { PermissionUseCases } from './permissions.ts';
import type { Access } from './access.ts';
import type { SystemSettingsUseCases } from './system-settings.ts';
import type { PowerUseCases } from './power.ts';
import type { ConsoleGettyUseCases } from './console-getty.ts';
import { createHostServiceUseCases, type HostServiceUseCases } from './host-service.ts';

/** The storage connections as the core offers them: loaded on first use, the mount path at once. */
export type CoreStorageConnections = Lazy<Omit<StorageConnectionUseCases, 'mountPath'>> & Pick<StorageConnectionUseCases, 'mountPath'>;
/** The storage domains as the core offers them: loaded on first use, the counts by status at once. */
export type CoreStorageDomains = Lazy<Omit<StorageDomainUseCases, 'statusCounts'>> & Pick<StorageDomainUseCases, 'statusCounts'>;

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
  readonly storageConnections: CoreStorageConnections;
  readonly storageDomains: CoreStorageDomains;
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
  /** VM pools: thin, stateless VMs from a template that users take and give back (loaded on first use). */
  readonly pools: Lazy<PoolUseCases>;
  /** The host service (`hostdeck serve`): whether it runs, its duties; stop it; run it. */
  readonly hostService: HostServiceUseCases;
  /** The standalone manager: its mode, data centers, clusters and this host as a host object (built on first use). */
  readonly manager: ManagerUseCases;
  /** The manager's logical networks and vNIC profiles (not the host's network configuration: `network`; built on first use). */
  readonly logicalNetworks: Lazy<LogicalNetworkUseCases>;
  /** Custom VM properties: the names each cluster allows and each VM's values, which its hooks get (loaded on first use). */
  readonly customProperties: Lazy<CustomPropertyUseCases>;
  /** Logical networks on this host's NICs and bonds, through the network's safe apply (built on first use). */
  readonly hostNetworks: Lazy<HostNetworkUseCases>;
  /** A VM's NICs and disks: list, add and remove (hot-plugged while it runs; loaded on first use). */
  readonly vmDevices: Lazy<VmDeviceUseCases>;
  /** The history of this host, its VMs and storage domains kept in the state DB, and the service's sampler of it (loaded on first use). */
  readonly history: Lazy<HistoryUseCases>;
  /** Ad hoc read-only SQL on the state database and the report views it is meant for (loaded on first use). */
  readonly reports: Lazy<ReportUseCases>;
  /** Open alerts, their thresholds, and the service's evaluator of them (loaded on first use). */
  readonly alerts: Lazy<AlertUseCases>;
  /** Notification subscriptions (syslog, mail, webhook) and the service's dispatcher of them (loaded on first use). */
  readonly notifications: Lazy<NotificationUseCases>;
  /** The internal domain's users: passwords, lockout, login (loaded on first use). */
  readonly users: Lazy<UserUseCases>;
  /** Roles and permissions: who may take which action on which object (loaded on first use). */
  readonly permissions: Lazy<PermissionUseCases>;
  /** The node's system settings: time zone, NTP, clock, SSH, root password, remote logging (loaded on first use). */
  readonly system: Lazy<SystemSettingsUseCases>;
  /** Reboot or power off this host (its VMs taken down first), restart libvirtd or the host service (loaded on first use). */
  readonly power: Lazy<PowerUseCases>;
  /** hostdeck instead of the login prompt on tty1 and ttyS0 (systemd drop-ins; loaded on first use). */
  readonly consoleGetty: Lazy<ConsoleGettyUseCases>;
}

export function createCore(infra: Services, principal: Principal): Core {
  // Permissions are looked up only for an identity that logged in; the module loads then.
  let access: Promise<Access> | undefined;
  const loadAccess = () => (access ??= import('./access.ts').then((m) => m.accessOf(infra)));
  const door = createDoor(principal, infra.events, {
    readOnly: infra.config.readOnly, engineLock: vmLockReader(infra),
    access: { check: async (...a) => (await loadAccess()).check(...a), chain: async (...a) => (await loadAccess()).chain(...a) },
  });
  const ctx: CoreContext = { infra, door };
  const vms = createVmUseCases(ctx);
  let storageConnections: Promise<StorageConnectionUseCases> | undefined;
  const connections = () => (storageConnections ??= import('./storage-connections.ts').then((m) => m.createStorageConnectionUseCases(ctx)));
  let templates: Promise<TemplateUseCases> | undefined;
  let manager: Promise<ManagerUseCases> | undefined;
  const loadManager = () => (manager ??= import('./manager.ts').then((m) => m.createManagerUseCases(ctx)));
  let hostService: HostServiceUseCases | undefined;
  const network = createNetworkUseCases(ctx);
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
    // Loaded on first use; what the dashboard and the connection list show at once (domain counts by status,
    // a mount path) comes from small modules. The state DB opens only when storage is asked about.
    storageConnections: lazyUseCases(connections, { mountPath: (c: StorageConnection) => connectionMountPath(c, processMountRoot()) }),
    storageDomains: lazyUseCases(async () => (await import('./storage-domains.ts')).createStorageDomainUseCases(ctx, await connections()), {
      statusCounts: () => storageDomainRepo(infra.db).statusCounts(),
    }),
    network,
    support: lazyUseCases(() => import('./support.ts').then((m) => m.createSupportUseCases(ctx))),
    hooks: createHookUseCases(ctx),
    diagnostics: lazyUseCases(() => import('./diagnostics.ts').then((m) => m.createDiagnosticsUseCases(ctx))),
    logs: lazyUseCases(() => import('./logs.ts').then((m) => m.createLogUseCases(ctx))),
    // Its own chunk: the console's first frame does not load it.
    templates: () => (templates ??= import('./templates.ts').then((m) => m.createTemplateUseCases(ctx))),
    pools: lazyUseCases(() => import('./pools.ts').then((m) => m.createPoolUseCases(ctx))),
    get hostService() { return (hostService ??= createHostServiceUseCases(ctx)); },
    manager: lazyUseCases(loadManager, {
      dataCenters: lazyUseCases(async () => (await loadManager()).dataCenters),
      clusters: lazyUseCases(async () => (await loadManager()).clusters),
      host: lazyUseCases(async () => (await loadManager()).host),
    }),
    logicalNetworks: lazyUseCases(() => import('./logical-networks.ts').then((m) => m.createLogicalNetworkUseCases(ctx))),
    customProperties: lazyUseCases(() => import('./custom-properties.ts').then((m) => m.createCustomPropertyUseCases(ctx))),
    hostNetworks: lazyUseCases(() => import('./host-networks.ts').then((m) => m.createHostNetworkUseCases(ctx, network))),
    vmDevices: lazyUseCases(() => import('./vm-devices.ts').then((m) => m.createVmDeviceUseCases(ctx))),
    history: lazyUseCases(() => import('./history.ts').then((m) => m.createHistoryUseCases(ctx))),
    reports: lazyUseCases(() => import('./reports.ts').then((m) => m.createReportUseCases(ctx))),
    alerts: lazyUseCases(() => import('./alerts.ts').then((m) => m.createAlertUseCases(ctx))),
    notifications: lazyUseCases(() => import('./notifications.ts').then((m) => m.createNotificationUseCases(ctx))),
    users: lazyUseCases(() => import('./users.ts').then((m) => m.createUserUseCases(ctx))),
    permissions: lazyUseCases(() => import('./permissions.ts').then((m) => m.createPermissionUseCases(ctx))),
    system: lazyUseCases(() => import('./system-settings.ts').then((m) => m.createSystemSettingsUseCases(ctx))),
    power: lazyUseCases(() => import('./power.ts').then((m) => m.createPowerUseCases(ctx, { vms, manager: loadManager }))),
    consoleGetty: lazyUseCases(() => import('./console-getty.ts').then((m) => m.createConsoleGettyUseCases(ctx))),
  };
}

export { ACTION_CATALOG, actionDef, mutatingActions, type ActionDef, type ActionId, type ObjectKind } from './catalog.ts';
export type { Principal } from './principal.ts';
