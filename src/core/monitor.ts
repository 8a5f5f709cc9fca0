// What the live VM figures are read from (the VM list and detail, the
// dashboard's counts, `hostdeck top`): the statistics sampler of the libvirt
// connection, the VM list and host CPUs for the figures the sampler lacks,
// start times for uptime, and lifecycle events that call for a tick at once.
// Nothing here mutates, so nothing goes through the door.
import type { SamplerKind } from '../config.ts';
import type { DomainSummary } from '../virt/types.ts';
import type { DomainEvent } from '../virt/events.ts';
import { openVmSampler, type VmSampler } from '../virt/sampler.ts';
import { readDomainStartTimes } from '../virt/uptime.ts';
import type { CoreContext } from './index.ts';

export type { SamplerKind, VmSampler, DomainSummary, DomainEvent };
// The pure figures the VM store computes from the sampler's text.
export { computeDomainRates, parseDomstats, uptimeSeconds, type DomainStatsSample } from '../virt/stats.ts';
export { countByState, type DomainStateName } from '../virt/types.ts';

export interface MonitorUseCases {
  /** The libvirt URI the figures come from (for messages). */
  readonly uri: string;
  /** A new statistics sampler: `kind`, else the configuration's (HOSTDECK_SAMPLER), else auto. The caller closes it. */
  openVmSampler(kind?: SamplerKind): VmSampler;
  /** Every defined VM with the figures the sampler does not give (UUID, id, sizes). */
  vmList(): Promise<DomainSummary[]>;
  /** The host's CPU count (for CPU % of the host); undefined when unknown. */
  hostCpus(): Promise<number | undefined>;
  /** When each of these running VMs started (ms since the epoch), where it can be known. */
  vmStartTimes(names: readonly string[]): Promise<Map<string, number>>;
  /** Lifecycle events as libvirt sends them; returns the unsubscribe function. */
  onVmEvent(fn: (e: DomainEvent) => void): () => void;
}

export function createMonitorUseCases(ctx: Pick<CoreContext, 'infra'>): MonitorUseCases {
  const virt = ctx.infra.virt;
  return {
    uri: virt.uri,
    openVmSampler: (kind) => openVmSampler(virt.uri, kind ?? ctx.infra.config.sampler ?? 'auto'),
    vmList: () => virt.domainList(),
    hostCpus: () => virt.nodeInfo().then((n) => n.cpus, () => undefined),
    vmStartTimes: (names) => readDomainStartTimes(virt.uri, names),
    onVmEvent: (fn) => virt.onDomainEvent(fn),
  };
}
