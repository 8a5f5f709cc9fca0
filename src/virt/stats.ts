// Bulk domain statistics: one `virsh domstats` per tick for every domain
// (never one process or round trip per VM), a pure parser for its output,
// and the pure rate computation (CPU %, disk and network per second) from
// two samples. Recorded real outputs are in test/fixtures/virsh/domstats-*.
import { domainStateName, type DomainStateName } from './types.ts';

export interface DiskStats {
  /** Target device, e.g. "vda". */
  name: string;
  path?: string;
  rdReqs: number;
  rdBytes: number;
  wrReqs: number;
  wrBytes: number;
  flReqs: number;
  capacityBytes?: number;
  allocationBytes?: number;
  physicalBytes?: number;
}

export interface NicStats {
  /** Host-side device, e.g. "vnet1". */
  name: string;
  /** Received by the guest. */
  rxBytes: number;
  rxPkts: number;
  rxErrs: number;
  rxDrop: number;
  /** Sent by the guest. */
  txBytes: number;
  txPkts: number;
  txErrs: number;
  txDrop: number;
}

/** One domain's counters at one moment, as `virsh domstats` reports them. */
export interface DomainStatsSample {
  name: string;
  /** When the sample was taken (ms since the epoch). */
  at: number;
  state: DomainStateName;
  /** virDomain*Reason for the state (e.g. shutoff 5 = crashed/failed). */
  reason: number;
  /** Total CPU time used by the domain (ns); absent while shut off. */
  cpuTimeNs?: number;
  cpuUserNs?: number;
  cpuSystemNs?: number;
  vcpusCurrent?: number;
  vcpusMax?: number;
  /** Memory the guest has now (balloon), KiB. */
  memoryKiB?: number;
  /** Maximum memory, KiB. */
  maxMemoryKiB?: number;
  /** Guest-reported figures (virtio balloon driver with a stats period), KiB. */
  guest?: { unusedKiB?: number; availableKiB?: number; usableKiB?: number; diskCachesKiB?: number; lastUpdate?: number };
  /** Resident memory of the QEMU process on the host, KiB. */
  rssKiB?: number;
  disks: DiskStats[];
  nics: NicStats[];
  /** Every key=value exactly as reported, for anything not mapped above. */
  raw: Record<string, string>;
}

/**
 * The sampler's `virsh domstats` arguments: only the groups the monitoring
 * figures come from (state; CPU time; vCPUs; balloon: memory current/max and
 * guest-reported; block: disk bytes and requests; interface: rx/tx bytes).
 * Without a group virsh asks for every group the driver has, which on QEMU
 * adds perf, iothread (a monitor round trip per VM), memory bandwidth and
 * dirty-rate figures nobody shows. `--nowait`: a VM busy with a job does not
 * hold up the others.
 */
export const SAMPLER_DOMSTATS_ARGS: readonly string[] = ['domstats', '--nowait', '--state', '--cpu-total', '--vcpu', '--balloon', '--block', '--interface'];

const num = (v: string | undefined): number | undefined => {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
};

/** Parse `virsh domstats` output (any groups, any number of domains). */
export function parseDomstats(text: string, at = Date.now()): DomainStatsSample[] {
  const out: DomainStatsSample[] = [];
  let cur: { name: string; raw: Record<string, string> } | undefined;
  const flush = () => {
    if (cur) out.push(sampleFromRaw(cur.name, cur.raw, at));
    cur = undefined;
  };
  for (const line of text.split('\n')) {
    const dm = /^Domain: '(.*)'\s*$/.exec(line);
    if (dm) {
      flush();
      cur = { name: dm[1]!, raw: {} };
      continue;
    }
    const kv = /^\s+([^=\s]+)=(.*)$/.exec(line);
    if (kv && cur) cur.raw[kv[1]!] = kv[2]!;
  }
  flush();
  return out;
}

function sampleFromRaw(name: string, raw: Record<string, string>, at: number): DomainStatsSample {
  const g = (k: string) => num(raw[k]);
  const disks: DiskStats[] = [];
  for (let i = 0; i < (g('block.count') ?? 0); i++) {
    const p = `block.${i}.`;
    disks.push({
      name: raw[`${p}name`] ?? `disk${i}`,
      path: raw[`${p}path`],
      rdReqs: g(`${p}rd.reqs`) ?? 0,
      rdBytes: g(`${p}rd.bytes`) ?? 0,
      wrReqs: g(`${p}wr.reqs`) ?? 0,
      wrBytes: g(`${p}wr.bytes`) ?? 0,
      flReqs: g(`${p}fl.reqs`) ?? 0,
      capacityBytes: g(`${p}capacity`),
      allocationBytes: g(`${p}allocation`),
      physicalBytes: g(`${p}physical`),
    });
  }
  const nics: NicStats[] = [];
  for (let i = 0; i < (g('net.count') ?? 0); i++) {
    const p = `net.${i}.`;
    nics.push({
      name: raw[`${p}name`] ?? `net${i}`,
      rxBytes: g(`${p}rx.bytes`) ?? 0, rxPkts: g(`${p}rx.pkts`) ?? 0, rxErrs: g(`${p}rx.errs`) ?? 0, rxDrop: g(`${p}rx.drop`) ?? 0,
      txBytes: g(`${p}tx.bytes`) ?? 0, txPkts: g(`${p}tx.pkts`) ?? 0, txErrs: g(`${p}tx.errs`) ?? 0, txDrop: g(`${p}tx.drop`) ?? 0,
    });
  }
  const guest = {
    unusedKiB: g('balloon.unused'), availableKiB: g('balloon.available'), usableKiB: g('balloon.usable'),
    diskCachesKiB: g('balloon.disk_caches'), lastUpdate: g('balloon.last-update'),
  };
  const hasGuest = guest.availableKiB !== undefined || guest.unusedKiB !== undefined || guest.usableKiB !== undefined;
  return {
    name, at,
    state: domainStateName(g('state.state') ?? 0),
    reason: g('state.reason') ?? 0,
    cpuTimeNs: g('cpu.time'), cpuUserNs: g('cpu.user'), cpuSystemNs: g('cpu.system'),
    vcpusCurrent: g('vcpu.current'), vcpusMax: g('vcpu.maximum'),
    memoryKiB: g('balloon.current'), maxMemoryKiB: g('balloon.maximum'),
    guest: hasGuest ? guest : undefined,
    rssKiB: g('balloon.rss'),
    disks, nics, raw,
  };
}

/** Per-second figures for one domain between two samples. */
export interface DomainRates {
  name: string;
  state: DomainStateName;
  /** CPU use as a share of the domain's own vCPUs (0-100). */
  cpuPercent?: number;
  /** CPU use as a share of the whole host (0-100), when the host CPU count is known. */
  cpuPercentHost?: number;
  vcpus?: number;
  memoryKiB?: number;
  maxMemoryKiB?: number;
  /** Memory the guest itself says is in use (available - usable), KiB, when it reports. */
  guestUsedKiB?: number;
  guestAvailableKiB?: number;
  diskReadBytesPerSec: number;
  diskWriteBytesPerSec: number;
  diskReadIops: number;
  diskWriteIops: number;
  netRxBytesPerSec: number;
  netTxBytesPerSec: number;
  /** Per device, keyed by disk target / host NIC name. */
  disks: { name: string; readBytesPerSec: number; writeBytesPerSec: number; readIops: number; writeIops: number }[];
  nics: { name: string; rxBytesPerSec: number; txBytesPerSec: number }[];
  /** Seconds between the two samples. */
  intervalSec: number;
}

/** A counter's rate; a counter that went backwards (VM restarted) counts as no data. */
function rate(prev: number | undefined, cur: number | undefined, sec: number): number {
  if (prev === undefined || cur === undefined || sec <= 0 || cur < prev) return 0;
  return (cur - prev) / sec;
}

/**
 * Rates between two samples of the same domain. CPU % comes from the cpu-time
 * delta over the wall-clock delta. Without a previous sample (first tick, or
 * a domain that just appeared) the per-second figures are 0 and cpuPercent is
 * undefined.
 */
export function computeDomainRates(prev: DomainStatsSample | undefined, cur: DomainStatsSample, opts: { hostCpus?: number } = {}): DomainRates {
  const sec = prev ? (cur.at - prev.at) / 1000 : 0;
  const vcpus = cur.vcpusCurrent;
  let cpuPercent: number | undefined;
  let cpuPercentHost: number | undefined;
  if (prev && sec > 0 && cur.cpuTimeNs !== undefined && prev.cpuTimeNs !== undefined && cur.cpuTimeNs >= prev.cpuTimeNs) {
    const busy = (cur.cpuTimeNs - prev.cpuTimeNs) / 1e9 / sec; // CPUs' worth of time
    cpuPercent = clampPct((busy / Math.max(1, vcpus ?? 1)) * 100);
    if (opts.hostCpus) cpuPercentHost = clampPct((busy / opts.hostCpus) * 100);
  } else if (cur.state !== 'running' && cur.state !== 'blocked') {
    cpuPercent = 0;
    if (opts.hostCpus) cpuPercentHost = 0;
  }
  const prevDisk = new Map(prev?.disks.map((d) => [d.name, d]));
  const disks = cur.disks.map((d) => {
    const p = prevDisk.get(d.name);
    return {
      name: d.name,
      readBytesPerSec: rate(p?.rdBytes, d.rdBytes, sec), writeBytesPerSec: rate(p?.wrBytes, d.wrBytes, sec),
      readIops: rate(p?.rdReqs, d.rdReqs, sec), writeIops: rate(p?.wrReqs, d.wrReqs, sec),
    };
  });
  const prevNic = new Map(prev?.nics.map((n) => [n.name, n]));
  const nics = cur.nics.map((n) => {
    const p = prevNic.get(n.name);
    return { name: n.name, rxBytesPerSec: rate(p?.rxBytes, n.rxBytes, sec), txBytesPerSec: rate(p?.txBytes, n.txBytes, sec) };
  });
  const sum = <T>(xs: T[], f: (x: T) => number) => xs.reduce((a, x) => a + f(x), 0);
  const gAvail = cur.guest?.availableKiB;
  const gUsable = cur.guest?.usableKiB;
  return {
    name: cur.name,
    state: cur.state,
    cpuPercent, cpuPercentHost, vcpus,
    memoryKiB: cur.memoryKiB, maxMemoryKiB: cur.maxMemoryKiB,
    guestUsedKiB: gAvail !== undefined && gUsable !== undefined ? Math.max(0, gAvail - gUsable) : undefined,
    guestAvailableKiB: gAvail,
    diskReadBytesPerSec: sum(disks, (d) => d.readBytesPerSec), diskWriteBytesPerSec: sum(disks, (d) => d.writeBytesPerSec),
    diskReadIops: sum(disks, (d) => d.readIops), diskWriteIops: sum(disks, (d) => d.writeIops),
    netRxBytesPerSec: sum(nics, (n) => n.rxBytesPerSec), netTxBytesPerSec: sum(nics, (n) => n.txBytesPerSec),
    disks, nics, intervalSec: sec,
  };
}

function clampPct(n: number): number {
  return Math.max(0, Math.min(100, n));
}

/** Rates for every domain in `cur`, matched by name with `prev`. */
export function computeAllRates(prev: readonly DomainStatsSample[], cur: readonly DomainStatsSample[], opts: { hostCpus?: number } = {}): DomainRates[] {
  const byName = new Map(prev.map((s) => [s.name, s]));
  return cur.map((s) => computeDomainRates(byName.get(s.name), s, opts));
}

/** Uptime in seconds from a start time (ms since epoch), or undefined. */
export function uptimeSeconds(startedAt: number | undefined, now = Date.now()): number | undefined {
  return startedAt === undefined ? undefined : Math.max(0, Math.floor((now - startedAt) / 1000));
}
