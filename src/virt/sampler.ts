// Domain statistics on one connection: the bulk counters of every domain in
// one call, and the sampler the VM store reads once per tick. The sampler's
// source is hostdeck's libvirt addon in process (src/virt/native/) where it
// is built, else one long-running virsh (virsh-session.ts); HOSTDECK_SAMPLER
// chooses (auto, libvirt, virsh).
import type { SamplerKind } from '../config.ts';
import type { VirtLink } from './link.ts';
import { virshArgs } from './virsh.ts';
import { parseDomstats, SAMPLER_DOMSTATS_ARGS, SAMPLER_RUNNING_ONLY_ARGS, type DomainStatsSample } from './stats.ts';
import { readDomainStartTimes } from './uptime.ts';
import { loadDomstatsAddon, NativeDomstats } from './native/domstats.ts';
import { VirshSession } from './virsh-session.ts';

/** A domain sample from the bulk stats call, with its start time where known (for uptime). */
export interface DomainStats extends DomainStatsSample {
  /** When the domain's QEMU process started (ms since epoch); local qemu:///system only. */
  startedAt?: number;
}

/**
 * Counters for every domain in ONE `virsh domstats --nowait` call (a busy
 * domain, e.g. one taking a snapshot, does not hold up the tick; never a process
 * or round trip per VM), plus start times for uptime. Feed two of these to
 * computeAllRates() for CPU %, disk and network per second.
 */
export async function domainStats(link: VirtLink): Promise<DomainStats[]> {
  const at = Date.now();
  const samples: DomainStats[] = parseDomstats(await link.virsh(virshArgs('domstats', {}, ['--nowait'])), at);
  const running = samples.filter((s) => s.state === 'running' || s.state === 'paused' || s.state === 'blocked').map((s) => s.name);
  const starts = await readDomainStartTimes(link.uri, running);
  for (const s of samples) s.startedAt = starts.get(s.name);
  return samples;
}

/**
 * One bulk statistics call per tick: the `virsh domstats` text for every
 * domain, or (`runningOnly`) for the running ones; null when it is exactly
 * the previous call's.
 */
export interface VmSampler {
  kind: 'libvirt' | 'virsh';
  read: (runningOnly: boolean) => Promise<string | null>;
  close: () => void;
}

/** The sampler for `uri`: in process unless `kind` is virsh or the addon is not built (then `kind` libvirt is an error). */
export function openVmSampler(uri: string, kind: SamplerKind): VmSampler {
  if (kind !== 'virsh') {
    const { addon, reason } = loadDomstatsAddon();
    if (addon) {
      const n = new NativeDomstats(addon, uri);
      return { kind: 'libvirt', read: (running) => n.sample(running ? SAMPLER_RUNNING_ONLY_ARGS : SAMPLER_DOMSTATS_ARGS), close: () => n.close() };
    }
    if (kind === 'libvirt') throw new Error(`HOSTDECK_SAMPLER=libvirt: the in-process sampler is not available: ${reason}`);
  }
  const s = new VirshSession(uri);
  return { kind: 'virsh', read: (running) => s.command(running ? SAMPLER_RUNNING_ONLY_ARGS : SAMPLER_DOMSTATS_ARGS), close: () => s.close() };
}
