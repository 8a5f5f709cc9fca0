// Live stores the dashboard and header read: host overview and libvirt.
import { hostOverview, managementIp, type HostOverview } from '../host/system.ts';
import type { Services } from '../services.ts';
import { engineState, stateWords, type EngineStatus } from '../host/engine/state.ts';
import type { ConnectionStatus, DomainSummary } from '../virt/types.ts';
import { createPolledStore, type PolledStore } from './poller.ts';
import { trace } from '../trace.ts';
import { createVmStore, type VmStore } from './vms.ts';
import { createMonitorUseCases } from '../core/monitor.ts';
import { createHostMetricsStore, type HostMetricsStore } from './host-metrics.ts';

export interface VirtSnapshot {
  status: ConnectionStatus;
  /** Not filled any more: VM lists and counts come from the `vms` store (one bulk call per tick). */
  domains?: DomainSummary[];
}

/** What the header shows of the host on every screen. */
export interface HostIdentity { hostname: string; ip?: string }

export interface Stores {
  host: PolledStore<HostOverview>;
  /** Hostname and management IP for the header: read every 30 s, and with every read of `host`. */
  identity: PolledStore<HostIdentity>;
  virt: PolledStore<VirtSnapshot>;
  /** Unconfigured, standalone, or registered to an engine (and its approval). */
  mode: PolledStore<EngineStatus>;
  /** Every VM with its live figures and history (VM list, VM detail, dashboard counts). */
  vms: VmStore;
  /** The host's live metrics and history (host monitor only). */
  hostMetrics: HostMetricsStore;
  stop: () => void;
}

/** The header's mode text. */
export function modeLabel(s: EngineStatus | undefined): string {
  if (!s) return '…';
  if (s.mode === 'registered') return `engine ${s.engine}: ${stateWords(s.state)}`;
  return s.mode;
}

const IDENTITY_MS = 30_000;

export function createStores(services: Services, refreshMs = 2000, opts: { engineStatus?: () => EngineStatus; monitorMs?: number; samplersAfter?: Promise<unknown> } = {}): Stores {
  // The header needs only the name and address: it does not keep the whole
  // host overview polling behind screens that do not show it. Each read of
  // the host store (dashboard) updates it too.
  const identityOf = (h: HostOverview): HostIdentity => ({ hostname: h.hostname, ip: managementIp(h) });
  const identity = createPolledStore<HostIdentity>(async () => identityOf(await hostOverview()), IDENTITY_MS);
  const host = createPolledStore(() => hostOverview().then((h) => { identity.offer(identityOf(h)); return h; }).finally(() => trace('host data')), refreshMs);
  const virt = createPolledStore<VirtSnapshot>(async () => {
    try {
      // A cheap round trip that notices a daemon that went away; the VMs come from the vms store.
      await services.virt.call((hv) => hv.connectGetHostname());
      trace('libvirt data');
      return { status: services.virt.getStatus() };
    } catch {
      // Disconnected: the status says why; the poll keeps its interval and the connection its own backoff.
      return { status: services.virt.getStatus() };
    }
  }, refreshMs);
  const status = opts.engineStatus ?? (() => engineState(services));
  const mode = createPolledStore(async () => status(), refreshMs);
  // A connection state change shows at once, not at the next poll.
  // The VM sampler starts a virsh: not before the console's first frame (samplersAfter).
  const vms = createVmStore(createMonitorUseCases({ infra: services }), { intervalMs: opts.monitorMs ?? 1000, startAfter: opts.samplersAfter });
  const hostMetrics = createHostMetricsStore({ intervalMs: opts.monitorMs ?? 1000 });
  // libvirtd back: the VM figures now, not after the sampler's error backoff (up to 30 s).
  const off = services.virt.onStatus((s) => { void virt.refresh(); if (s.state === 'connected') void vms.refresh(); });
  return { host, identity, virt, mode, vms, hostMetrics, stop: () => { off(); host.stop(); identity.stop(); virt.stop(); mode.stop(); vms.stop(); hostMetrics.stop(); } };
}
