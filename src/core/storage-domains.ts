// The storage domain use cases: create one on a storage connection (the
// metadata goes onto the storage itself), scan a connection for existing
// domains and import one, activate / maintenance / detach / remove, and the
// libvirt pool and volumes behind each domain. Each job is its own module
// (storage-domain-setup, -lifecycle, -health, storage-volumes) over the
// helpers they share (storage-domain-context); this one puts them together.
//
// Mounting and iSCSI logins belong to the connection service (storage-conn);
// these modules only ask it where a connection's storage is. Every change goes
// through the door; the rows are in the storage domain repository.
import { storageDomainRepo, type StorageDomain } from '../manager/repos/storage-domains.ts';
import type { DomainStatus } from '../domain/storage/domain.ts';
import * as processRunner from '../exec/runner.ts';
import { volumeUseCases } from './storage-volumes.ts';
import { createDomainMonitor, type DomainMonitor, type MonitorDeps } from './storage-domain-monitor.ts';
import { domainContext, type DomainConnections, type DomainServiceDeps } from './storage-domain-context.ts';
import { domainHealth } from './storage-domain-health.ts';
import { domainLifecycle } from './storage-domain-lifecycle.ts';
import { domainSetup } from './storage-domain-setup.ts';
import { systemPrincipal } from './principal.ts';
import { createHostServiceUseCases } from './host-service.ts';
import type { CoreContext } from './index.ts';

export type { Runner } from '../virt/pools.ts';
export { DomainError, DomainInputError, type DomainErrorKind } from '../host/storage/errors.ts';
export type { StorageDomain } from '../manager/repos/storage-domains.ts';
export type { StorageVolume } from '../virt/storage.ts';
export { isConnected, type ConnectionRecord, type DomainConnections, type DomainServiceDeps, type FoundDomain, type Lun, type ProbeResult } from './storage-domain-context.ts';
export type { UploadProgress } from './storage-volumes.ts';

export function createDomainService(deps: DomainServiceDeps) {
  const c = domainContext(deps);
  const health = domainHealth(c);
  return {
    virsh: c.virsh,
    list: (): StorageDomain[] => c.rows(),
    get: (key: string): StorageDomain | undefined => c.byKey(key),
    ...domainSetup(c),
    ...domainLifecycle(c, (d) => health.probe(d)),
    ...health,
    ...volumeUseCases(c),
  };
}

export type DomainService = ReturnType<typeof createDomainService>;

export { createDomainMonitor, HEALTH_INTERVAL_MS, HEALTH_TIMEOUT_MS, type DomainMonitor } from './storage-domain-monitor.ts';

/** The storage domains as the front ends see them: the listing goes through the door like every action. */
export type StorageDomainUseCases = Omit<DomainService, 'list' | 'virsh' | 'probe' | 'recordCheck'> & {
  list(): Promise<StorageDomain[]>;
  /** Domain counts by status (the dashboard's storage line): one query of the state DB, no storage touched. */
  statusCounts(): { status: DomainStatus; n: number }[];
  /** The process's health monitor, started on the first call (the console: once, whoever asks first); it leaves the checks to the host service while that runs. */
  startMonitor(): DomainMonitor;
  /** A health monitor of its own (the foreground monitor verb), not started. */
  newMonitor(opts?: Pick<MonitorDeps, 'onRound' | 'onChange' | 'keepAlive'>): DomainMonitor;
};

/** The use cases over a domain service (the process's, or a test's with its own runner). */
export function domainUseCases(ctx: CoreContext, svc: DomainService): StorageDomainUseCases {
  let shared: DomainMonitor | undefined;
  // The health checks are hostdeck's own work, whoever started the process.
  const newMonitor = (opts: Pick<MonitorDeps, 'onRound' | 'onChange' | 'keepAlive' | 'checkedElsewhere'> = {}) =>
    createDomainMonitor({ ...opts, service: svc, events: ctx.infra.events, principal: systemPrincipal(ctx.door.principal.user) });
  const { virsh: _virsh, probe: _probe, recordCheck: _record, ...rest } = svc;
  return {
    ...rest,
    list: () => ctx.door.act('storage-domain.list', { id: '*' }, { message: 'List the storage domains' }, () => svc.list()),
    statusCounts: () => storageDomainRepo(ctx.infra.db).statusCounts(),
    startMonitor() {
      if (!shared) {
        const hostService = createHostServiceUseCases(ctx);
        shared = newMonitor({ checkedElsewhere: () => hostService.status().running });
        shared.start();
        const started = shared;
        ctx.infra.onClose(() => started.stop());
      }
      return shared;
    },
    newMonitor,
  };
}

/** The domain service of a hostdeck process: this machine's runner, the state DB and the door, libvirt's URI, the connections. */
export function createStorageDomainUseCases(ctx: CoreContext, connections: DomainConnections): StorageDomainUseCases {
  const { infra } = ctx;
  return domainUseCases(ctx, createDomainService({
    runner: { run: processRunner.run, runOk: processRunner.runOk },
    db: infra.db,
    door: ctx.door,
    uri: infra.config.uri,
    connections,
  }));
}
