// The host service's history duty: every round one sample of this host
// (/proc), every VM (the one bulk statistics call the console's VM store
// makes, rates between this round's and the last round's counters) and every
// storage domain (statfs of a file domain's directory, as the disk check
// reads it; a block domain's last checked figures), written in ONE
// transaction; VMs by UUID, with a configuration row when a VM's name, vCPUs
// or memory changed. Then, as the same run's follow-up, the hours and days
// that ended are rolled up and what is past its retention is pruned, in
// transactions of at most MAX_ROWS rows with the event loop free between them.
import { readFile } from 'node:fs/promises';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import {
  completedBuckets, DAY_S, DEFAULT_RETENTION, HOUR_S, pruneBefore, type HistoryRetention,
} from '../domain/history-aggregate.ts';
import { busyPercent, diskRates, nicRates, parseDiskstats, parseMeminfo, parseNetDev, parseProcStat, type CpuTicks, type DiskCounters, type IoRate, type NicCounters } from '../domain/host-io.ts';
import { pathUsage } from '../host/diagnostics/files.ts';
import { historyRepo, type Figures, type HostFigure, type NicFigure, type NicSampleRow, type StorageSampleRow, type VmConfigRow, type VmFigure, type VmSampleRow } from '../manager/repos/history.ts';
import { storageDomainRepo, type StorageDomain } from '../manager/repos/storage-domains.ts';
import { computeDomainRates, parseDomstats, type DomainStatsSample } from '../virt/stats.ts';
import { DOMAIN_STATES, type DomainSummary } from '../virt/types.ts';
import type { VmSampler } from '../virt/sampler.ts';
import { explainFull, type Db } from '../manager/db.ts';
import type { Core } from './index.ts';

/** Rows a roll-up or prune transaction writes at most. */
export const MAX_ROWS = 2000;
/** Buckets of a level rolled up in one run at most (a service back after days catches up over a few rounds). */
const MAX_BUCKETS = 24;
/** Every so many rounds the VM list is read again (a vCPU or memory change the statistics do not show). */
const META_EVERY = 10;

/** A VM's figures for the history from two rounds' counters; null where the rounds cannot tell (no earlier round, the VM restarted). */
export function vmFigures(prev: DomainStatsSample | undefined, cur: DomainStatsSample, opts: { hostCpus?: number; maxMemoryKiB?: number } = {}): Figures<VmFigure> {
  // Counters that went back: the VM (its QEMU) started again; a rate across that would be made up.
  const restarted = prev?.cpuTimeNs !== undefined && cur.cpuTimeNs !== undefined && cur.cpuTimeNs < prev.cpuTimeNs;
  const r = computeDomainRates(restarted ? undefined : prev, cur, { hostCpus: opts.hostCpus });
  const active = cur.state === 'running' || cur.state === 'blocked' || cur.state === 'paused';
  // A stopped VM moves nothing: its zeros are known; a running one needs two rounds.
  const known = r.intervalSec > 0 || !active;
  const rate = (v: number) => (known ? Math.round(v) : null);
  return {
    cpu_pct: r.cpuPercent ?? null,
    mem_used_kib: active ? (r.guestUsedKiB ?? r.memoryKiB ?? null) : 0,
    mem_total_kib: r.maxMemoryKiB ?? opts.maxMemoryKiB ?? r.memoryKiB ?? null,
    disk_read_bps: rate(r.diskReadBytesPerSec), disk_write_bps: rate(r.diskWriteBytesPerSec),
    net_rx_bps: rate(r.netRxBytesPerSec), net_tx_bps: rate(r.netTxBytesPerSec),
  };
}

interface HostCounters { at: number; cpu?: CpuTicks; nics: NicCounters[]; disks: DiskCounters[] }

/** A VM's own tap device (libvirt names them vnetN, macvtapN): its traffic is in the VM's samples. */
const VM_TAP = /^(vnet|macvtap)\d+$/;

/** This host's figures from /proc, rates against the last round's counters (null on the first); `nics`: each interface's but the VMs' taps. */
async function hostFigures(prev: HostCounters | undefined, proc = '/proc', clockMs: () => number = Date.now): Promise<{ figures: Figures<HostFigure>; counters: HostCounters; nics: { name: string; figures: Figures<NicFigure> }[] }> {
  const at = clockMs();
  const [stat, mem, net, disk] = await Promise.all(['stat', 'meminfo', 'net/dev', 'diskstats'].map((f) => readFile(`${proc}/${f}`, 'utf8').catch(() => '')));
  const counters: HostCounters = { at, cpu: parseProcStat(stat!).all, nics: parseNetDev(net!).filter((n) => n.name !== 'lo'), disks: parseDiskstats(disk!) };
  const m = parseMeminfo(mem!);
  const sec = prev ? (at - prev.at) / 1000 : 0;
  const sum = (xs: IoRate[], f: (x: IoRate) => number) => (prev && sec > 0 ? Math.round(xs.reduce((a, x) => a + f(x), 0)) : null);
  const nics = nicRates(prev?.nics ?? [], counters.nics, sec);
  const disks = diskRates(prev?.disks ?? [], counters.disks, sec);
  // nicRates keeps counters.nics' order. No rate for an interface new since the last round, or made
  // again (its counters went back): a zero there would be made up.
  const nicRows = counters.nics.flatMap((n, i) => {
    if (VM_TAP.test(n.name)) return [];
    const was = sec > 0 ? prev!.nics.find((p) => p.name === n.name) : undefined;
    const known = was !== undefined && n.rxBytes >= was.rxBytes && n.txBytes >= was.txBytes;
    return [{ name: n.name, figures: { rx_bps: known ? Math.round(nics[i]!.inBps) : null, tx_bps: known ? Math.round(nics[i]!.outBps) : null } }];
  });
  return {
    counters,
    nics: nicRows,
    figures: {
      cpu_pct: prev?.cpu && counters.cpu ? busyPercent(prev.cpu, counters.cpu) : null,
      mem_used_kib: m.usedKiB, mem_total_kib: m.totalKiB, swap_used_kib: Math.max(0, m.swapTotalKiB - m.swapFreeKiB),
      disk_read_bps: sum(disks, (d) => d.inBps), disk_write_bps: sum(disks, (d) => d.outBps),
      net_rx_bps: sum(nics, (n) => n.inBps), net_tx_bps: sum(nics, (n) => n.outBps),
    },
  };
}

/** How long a file domain's statfs may take: a hung NFS server leaves that domain out of the round instead of holding the round up. */
const STATFS_LIMIT_MS = 5000;

/** A storage domain's used and free bytes now: statfs of a file domain's directory, a block domain's last checked figures; undefined when not known. */
export async function storageFigures(d: StorageDomain): Promise<StorageSampleRow | undefined> {
  if (d.status !== 'active') return undefined;
  if (d.device === null && d.path.startsWith('/')) {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => { timer = setTimeout(resolve, STATFS_LIMIT_MS, undefined); });
    const u = await Promise.race([pathUsage(d.path).catch(() => undefined), late]).finally(() => clearTimeout(timer));
    return u && { domainId: d.id, figures: { used_bytes: u.usedKiB * 1024, free_bytes: u.availKiB * 1024 } };
  }
  return d.usedBytes !== null && d.freeBytes !== null ? { domainId: d.id, figures: { used_bytes: d.usedBytes, free_bytes: d.freeBytes } } : undefined;
}

export interface HistoryDutyOptions {
  retention?: HistoryRetention;
  /** The clock (seconds since the epoch); tests move it. */
  now?: () => number;
  maxRows?: number;
  /** Where /proc is (tests hand a tree of their own). */
  procDir?: string;
  /** The clock the host's rates are taken over, in ms (tests step it with their /proc tree). */
  clockMs?: () => number;
}

/** The history duty for one service run: each call samples once, then rolls up and prunes; resolves to what it did. */
export function createHistoryDuty(core: Pick<Core, 'monitor' | 'config'>, db: Db, opts: HistoryDutyOptions = {}): { run: () => Promise<string>; close: () => void } {
  const repo = historyRepo(db);
  const domains = storageDomainRepo(db);
  const retention = opts.retention ?? core.config.history ?? DEFAULT_RETENTION;
  const now = opts.now ?? (() => Math.floor(Date.now() / 1000));
  const maxRows = opts.maxRows ?? MAX_ROWS;
  let sampler: VmSampler | undefined;
  let lastText = '';
  let host: HostCounters | undefined;
  let prevByUuid = new Map<string, DomainStatsSample>();
  let meta = new Map<string, DomainSummary>();
  let hostCpus: number | undefined;
  let rounds = 0;
  const ids = new Map<string, number>();
  const nicIds = new Map<string, number>();
  let configs: Map<number, VmConfigRow> | undefined;
  let pruned = false;

  async function sampleVms(): Promise<{ rows: VmSampleRow[]; changed: VmConfigRow[] }> {
    sampler ??= core.monitor.openVmSampler();
    lastText = (await sampler.read(false)) ?? lastText;
    const samples = parseDomstats(lastText, Date.now());
    if (rounds % META_EVERY === 0 || samples.some((s) => !meta.has(s.name))) {
      meta = new Map((await core.monitor.vmList()).map((d) => [d.name, d]));
      hostCpus ??= await core.monitor.hostCpus();
    }
    const known = samples.filter((s) => meta.has(s.name));
    const missing = known.map((s) => meta.get(s.name)!.uuid).filter((u) => !ids.has(u));
    if (missing.length) for (const [u, id] of repo.vmIds(missing)) ids.set(u, id);
    configs ??= repo.latestConfigs();
    const rows: VmSampleRow[] = [];
    const changed: VmConfigRow[] = [];
    const next = new Map<string, DomainStatsSample>();
    for (const s of known) {
      const m = meta.get(s.name)!;
      const vmId = ids.get(m.uuid)!;
      next.set(m.uuid, s);
      rows.push({ vmId, state: Math.max(0, DOMAIN_STATES.indexOf(s.state)), figures: vmFigures(prevByUuid.get(m.uuid), s, { hostCpus, maxMemoryKiB: m.maxMemoryKiB }) });
      const cfg: VmConfigRow = { vmId, name: s.name, vcpus: s.vcpusCurrent ?? m.vcpus, memoryKiB: s.maxMemoryKiB ?? m.maxMemoryKiB };
      const was = configs.get(vmId);
      if (!was || was.name !== cfg.name || was.vcpus !== cfg.vcpus || was.memoryKiB !== cfg.memoryKiB) changed.push(cfg);
    }
    prevByUuid = next;
    return { rows, changed };
  }

  /** Roll up the ended hours, then days, and prune; the event loop gets a turn between transactions. */
  async function followUp(t: number): Promise<string[]> {
    const did: string[] = [];
    for (const [level, size] of [['hour', HOUR_S], ['day', DAY_S]] as const) {
      const done = repo.doneUntil(level);
      const buckets = completedBuckets(done, level === 'hour' && done === undefined ? repo.firstMinute() : undefined, t, size).slice(0, MAX_BUCKETS);
      for (const b of buckets) {
        repo.rollUp(level, b, maxRows);
        await yieldToLoop();
      }
      if (buckets.length) did.push(`${buckets.length} ${level}${buckets.length === 1 ? '' : 's'} rolled up`);
    }
    // Pruning at the first round and once an hour (after the hour's roll-up): the rest of the time nothing is due.
    if (!pruned || did.length) {
      const gone = repo.prune(pruneBefore(t, retention, { hour: repo.doneUntil('hour'), day: repo.doneUntil('day') }), maxRows);
      pruned = true;
      if (gone) did.push(`${gone} old row${gone === 1 ? '' : 's'} pruned`);
    }
    return did;
  }

  return {
    async run() {
      const t = now();
      const [h, vmsOrError, sds] = await Promise.all([
        hostFigures(host, opts.procDir, opts.clockMs),
        // libvirtd away: this host and its storage are still sampled; the duty fails after writing them.
        sampleVms().catch((e: unknown) => { sampler?.close(); sampler = undefined; prevByUuid = new Map(); return e as Error; }),
        Promise.all(domains.all().map(storageFigures)),
      ]);
      const vms = vmsOrError instanceof Error ? { rows: [], changed: [] } : vmsOrError;
      host = h.counters;
      const storage = sds.filter((x): x is StorageSampleRow => x !== undefined);
      let did: string[];
      let nics: NicSampleRow[];
      try {
        const unknown = h.nics.map((n) => n.name).filter((name) => !nicIds.has(name));
        if (unknown.length) for (const [name, id] of repo.nicIds(unknown)) nicIds.set(name, id);
        nics = h.nics.map((n) => ({ nicId: nicIds.get(n.name)!, figures: n.figures }));
        repo.writeRound({ t, host: h.figures, vms: vms.rows, storage, nics, configs: vms.changed });
        for (const c of vms.changed) configs!.set(c.vmId, c);
        rounds++;
        did = await followUp(t);
      } catch (e) {
        throw explainFull(e, db, 'history');
      }
      if (vmsOrError instanceof Error) throw new Error(`host and storage sampled, the VMs not: ${vmsOrError.message}`);
      const cfg = vms.changed.length ? `, ${vms.changed.length} configuration change${vms.changed.length === 1 ? '' : 's'}` : '';
      return [`host, ${nics.length} interface${nics.length === 1 ? '' : 's'}, ${vms.rows.length} VM${vms.rows.length === 1 ? '' : 's'}, ${storage.length} storage domain${storage.length === 1 ? '' : 's'} sampled${cfg}`, ...did].join('; ');
    },
    close: () => { sampler?.close(); sampler = undefined; },
  };
}
