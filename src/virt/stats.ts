// Bulk domain statistics: one `virsh domstats` per tick for every domain
// (never one process or round trip per VM), a pure parser for its output,
// and the pure rate computation (CPU %, disk and network per second) from
// two samples. Recorded real outputs are in test/fixtures/virsh/domstats-*.
import { domainStateName, type DomainStateName } from './types.ts';
import { virshArgs } from './virsh.ts';

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
  /** virDomain*Reason for the state (e.g. shutoff 3 = crashed, 5 = saved, 6 = failed to start). */
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
const SAMPLER_FLAGS = ['--nowait', '--state', '--cpu-total', '--vcpu', '--balloon', '--block', '--interface'] as const;
export const SAMPLER_DOMSTATS_ARGS = virshArgs('domstats', {}, SAMPLER_FLAGS);

/** The same for running domains only (`--list-running`: VIR_CONNECT_GET_ALL_DOMAINS_STATS_RUNNING). */
export const SAMPLER_RUNNING_ONLY_ARGS = virshArgs('domstats', {}, [...SAMPLER_FLAGS, '--list-running']);

/**
 * Parse `virsh domstats` output (any groups, any number of domains).
 *
 * Hand-rolled: one pass over the text with indexOf, each line's value put
 * straight into its field (a real host's 1000 domains are ~50 000 lines per
 * tick; a regex and a record entry per line took ~150 ms). `raw`, every
 * key=value as reported, is built only when something reads it.
 */
export function parseDomstats(text: string, at = Date.now()): DomainStatsSample[] {
  const out: DomainStatsSample[] = [];
  let cur: DomainStatsSample | undefined;
  let b: Building = { stateCode: 0, blockCount: 0, netCount: 0 };
  let rawFrom = 0;
  const len = text.length;
  let pos = 0;
  while (pos < len) {
    let eol = text.indexOf('\n', pos);
    if (eol < 0) eol = len;
    if (text.startsWith(DOMAIN, pos)) {
      // Domain: '<name>' (the name may contain quotes: up to the last one on the line)
      const q = text.lastIndexOf("'", eol - 1);
      if (q > pos + DOMAIN.length - 1 && text.slice(q + 1, eol).trim() === '') {
        if (cur) { finish(cur, b); setRaw(cur, text, rawFrom, pos); }
        cur = newSample(text.slice(pos + DOMAIN.length, q), at);
        b = { stateCode: 0, blockCount: 0, netCount: 0 };
        rawFrom = eol + 1;
        pos = eol + 1;
        continue;
      }
    }
    if (cur) {
      // "  key=value": at least one blank, a key without blanks, '=', the rest.
      let k = pos;
      while (k < eol && (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9)) k++;
      const eq = k > pos ? text.indexOf('=', k) : -1;
      if (eq > k && eq < eol) {
        let blank = false;
        for (let i = k; i < eq; i++) { const c = text.charCodeAt(i); if (c === 32 || c === 9) { blank = true; break; } }
        if (!blank) put(cur, b, text.slice(k, eq), text.slice(eq + 1, eol));
      }
    }
    pos = eol + 1;
  }
  if (cur) { finish(cur, b); setRaw(cur, text, rawFrom, len); }
  return out;

  function newSample(name: string, when: number): DomainStatsSample {
    // Every field present from the start (one object shape for all samples).
    const smp: DomainStatsSample = {
      name, at: when, state: 'nostate', reason: 0, cpuTimeNs: undefined, cpuUserNs: undefined, cpuSystemNs: undefined,
      vcpusCurrent: undefined, vcpusMax: undefined, memoryKiB: undefined, maxMemoryKiB: undefined, guest: undefined, rssKiB: undefined,
      disks: [], nics: [], raw: {},
    };
    out.push(smp);
    return smp;
  }
}

const DOMAIN = "Domain: '";

const num = (v: string | undefined): number | undefined => {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
};

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Guest = NonNullable<DomainStatsSample['guest']>;

/** Top-level keys and where they go. */
const FIELDS: Record<string, (s: Mutable<DomainStatsSample>, v: string, b: Building) => void> = {
  'state.state': (_s, v, b) => { b.stateCode = num(v) ?? 0; },
  'state.reason': (s, v) => { s.reason = num(v) ?? 0; },
  'cpu.time': (s, v) => { s.cpuTimeNs = num(v); },
  'cpu.user': (s, v) => { s.cpuUserNs = num(v); },
  'cpu.system': (s, v) => { s.cpuSystemNs = num(v); },
  'vcpu.current': (s, v) => { s.vcpusCurrent = num(v); },
  'vcpu.maximum': (s, v) => { s.vcpusMax = num(v); },
  'balloon.current': (s, v) => { s.memoryKiB = num(v); },
  'balloon.maximum': (s, v) => { s.maxMemoryKiB = num(v); },
  'balloon.rss': (s, v) => { s.rssKiB = num(v); },
  'balloon.unused': (_s, v, b) => { guestOf(b).unusedKiB = num(v); },
  'balloon.available': (_s, v, b) => { guestOf(b).availableKiB = num(v); },
  'balloon.usable': (_s, v, b) => { guestOf(b).usableKiB = num(v); },
  'balloon.disk_caches': (_s, v, b) => { guestOf(b).diskCachesKiB = num(v); },
  'balloon.last-update': (_s, v, b) => { guestOf(b).lastUpdate = num(v); },
  'block.count': (_s, v, b) => { b.blockCount = num(v) ?? 0; },
  'net.count': (_s, v, b) => { b.netCount = num(v) ?? 0; },
};

const DISK_FIELDS: Record<string, (d: DiskStats, v: string) => void> = {
  name: (d, v) => { d.name = v; },
  path: (d, v) => { d.path = v; },
  'rd.reqs': (d, v) => { d.rdReqs = num(v) ?? 0; },
  'rd.bytes': (d, v) => { d.rdBytes = num(v) ?? 0; },
  'wr.reqs': (d, v) => { d.wrReqs = num(v) ?? 0; },
  'wr.bytes': (d, v) => { d.wrBytes = num(v) ?? 0; },
  'fl.reqs': (d, v) => { d.flReqs = num(v) ?? 0; },
  capacity: (d, v) => { d.capacityBytes = num(v); },
  allocation: (d, v) => { d.allocationBytes = num(v); },
  physical: (d, v) => { d.physicalBytes = num(v); },
};

const NIC_FIELDS: Record<string, (n: NicStats, v: string) => void> = {
  name: (n, v) => { n.name = v; },
  'rx.bytes': (n, v) => { n.rxBytes = num(v) ?? 0; },
  'rx.pkts': (n, v) => { n.rxPkts = num(v) ?? 0; },
  'rx.errs': (n, v) => { n.rxErrs = num(v) ?? 0; },
  'rx.drop': (n, v) => { n.rxDrop = num(v) ?? 0; },
  'tx.bytes': (n, v) => { n.txBytes = num(v) ?? 0; },
  'tx.pkts': (n, v) => { n.txPkts = num(v) ?? 0; },
  'tx.errs': (n, v) => { n.txErrs = num(v) ?? 0; },
  'tx.drop': (n, v) => { n.txDrop = num(v) ?? 0; },
};

/** What the parser keeps beside a sample while it reads the sample's lines. */
interface Building { stateCode: number; blockCount: number; netCount: number; guestSeen?: Guest }

function guestOf(b: Building): Guest {
  return (b.guestSeen ??= {});
}

function indexed<T>(list: T[], i: number, make: (i: number) => T): T {
  while (list.length <= i) list.push(make(list.length));
  return list[i]!;
}

const newDisk = (i: number): DiskStats => ({ name: `disk${i}`, path: undefined, rdReqs: 0, rdBytes: 0, wrReqs: 0, wrBytes: 0, flReqs: 0, capacityBytes: undefined, allocationBytes: undefined, physicalBytes: undefined });
const newNic = (i: number): NicStats => ({ name: `net${i}`, rxBytes: 0, rxPkts: 0, rxErrs: 0, rxDrop: 0, txBytes: 0, txPkts: 0, txErrs: 0, txDrop: 0 });

function put(smp: DomainStatsSample, b: Building, key: string, value: string): void {
  const s = smp as Mutable<DomainStatsSample>;
  const f = FIELDS[key];
  if (f) { f(s, value, b); return; }
  // block.<i>.<field> and net.<i>.<field>
  const isBlock = key.startsWith('block.');
  if (!isBlock && !key.startsWith('net.')) return;
  const from = isBlock ? 6 : 4;
  const dot = key.indexOf('.', from);
  if (dot <= from) return;
  const i = Number(key.slice(from, dot));
  if (!Number.isInteger(i) || i < 0 || i > 4096) return;
  const field = key.slice(dot + 1);
  if (isBlock) { const df = DISK_FIELDS[field]; if (df) df(indexed(s.disks, i, newDisk), value); } else { const nf = NIC_FIELDS[field]; if (nf) nf(indexed(s.nics, i, newNic), value); }
}

/** block.count / net.count say how many devices there are: exactly that many, as reported. */
function finish(smp: DomainStatsSample, b: Building): void {
  const s = smp as Mutable<DomainStatsSample>;
  s.state = domainStateName(b.stateCode);
  const blocks = b.blockCount;
  if (s.disks.length > blocks) s.disks.length = blocks;
  while (s.disks.length < blocks) s.disks.push(newDisk(s.disks.length));
  const nets = b.netCount;
  if (s.nics.length > nets) s.nics.length = nets;
  while (s.nics.length < nets) s.nics.push(newNic(s.nics.length));
  const g = b.guestSeen;
  s.guest = g && (g.availableKiB !== undefined || g.unusedKiB !== undefined || g.usableKiB !== undefined)
    ? { unusedKiB: g.unusedKiB, availableKiB: g.availableKiB, usableKiB: g.usableKiB, diskCachesKiB: g.diskCachesKiB, lastUpdate: g.lastUpdate }
    : undefined;
}

/** `raw`: the domain's key=value lines, parsed on first read. */
function setRaw(smp: DomainStatsSample, text: string, from: number, to: number): void {
  let raw: Record<string, string> | undefined;
  Object.defineProperty(smp, 'raw', {
    enumerable: true,
    configurable: true,
    get: () => (raw ??= rawLines(text.slice(from, to))),
    set: (v: Record<string, string>) => { raw = v; },
  });
}

function rawLines(block: string): Record<string, string> {
  const raw: Record<string, string> = {};
  for (const line of block.split('\n')) {
    const kv = /^\s+([^=\s]+)=(.*)$/.exec(line);
    if (kv) raw[kv[1]!] = kv[2]!;
  }
  return raw;
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
