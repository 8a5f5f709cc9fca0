// Live stores the dashboard and header read: host overview and libvirt.
import type { Core } from '../core/index.ts';
import { managementIp, type ConnectionStatus, type HostOverview } from '../core/host.ts';
import { stateWords, type EngineStatus } from '../core/engine.ts';
import type { DomainSummary } from '../core/monitor.ts';
import { createPolledStore, type PolledStore } from './poller.ts';
import { trace } from '../trace.ts';
import { createVmStore, type VmStore } from './vms.ts';
import { createHostMetricsStore, type HostMetricsStore } from './host-metrics.ts';

/** The parts of the core the stores read. */
export type StoreSources = Pick<Core, 'host' | 'engine' | 'monitor'>;

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

export function createStores(core: StoreSources, refreshMs = 2000, opts: { engineStatus?: () => EngineStatus; monitorMs?: number; samplersAfter?: Promise<unknown> } = {}): Stores {
  // The header needs only the name and address: it does not keep the whole
  // host overview polling behind screens that do not show it. Each read of
  // the host store (dashboard) updates it too.
  const identityOf = (h: HostOverview): HostIdentity => ({ hostname: h.hostname, ip: managementIp(h) });
  const identity = createPolledStore<HostIdentity>(async () => identityOf(await core.host.overview()), IDENTITY_MS);
  const host = createPolledStore(() => core.host.overview().then((h) => { identity.offer(identityOf(h)); return h; }).finally(() => trace('host data')), refreshMs);
  // A cheap round trip that notices a daemon that went away (the VMs come from the vms store);
  // disconnected, the status says why: the poll keeps its interval and the connection its own backoff.
  const virt = createPolledStore<VirtSnapshot>(async () => ({ status: await core.host.checkLibvirt().finally(() => trace('libvirt data')) }), refreshMs);
  const mode = createPolledStore(async () => (opts.engineStatus ? opts.engineStatus() : core.engine.show()), refreshMs);
  // A connection state change shows at once, not at the next poll.
  // The VM sampler starts a virsh: not before the console's first frame (samplersAfter).
  const vms = createVmStore(core.monitor, { intervalMs: opts.monitorMs ?? 1000, startAfter: opts.samplersAfter });
  const hostMetrics = createHostMetricsStore(core.host, { intervalMs: opts.monitorMs ?? 1000 });
  // libvirtd back: the VM figures now, not after the sampler's error backoff (up to 30 s).
  const off = core.host.onLibvirtStatus((s) => { void virt.refresh(); if (s.state === 'connected') void vms.refresh(); });
  return { host, identity, virt, mode, vms, hostMetrics, stop: () => { off(); host.stop(); identity.stop(); virt.stop(); mode.stop(); vms.stop(); hostMetrics.stop(); } };
}
