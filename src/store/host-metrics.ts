// Live host metrics for the host monitor: CPU total and per core (/proc/stat),
// memory and swap (systeminformation, which reads /proc/meminfo; loaded on
// first use so start-up does not pay for it), load, per-NIC and per-disk
// throughput (/proc/net/dev, /proc/diskstats), the busiest and largest
// processes (/proc/PID/stat, src/store/processes.ts), and every 15 s the file
// systems and temperatures the core reads (statfs and hwmon files). No
// program is started on a tick: systeminformation's CPU load runs a shell
// pipeline, its file systems df, its temperatures sensors. History in
// fixed-size rings. Runs only while the host monitor is shown.
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { HistoryClock, historyCapacity, SeriesRing, seriesPoints, type Point } from '../domain/history.ts';
import { busyPercent, diskRates, nicRates, parseDiskstats, parseNetDev, parseProcStat, type CpuTemperatures, type CpuTicks, type DiskCounters, type IoRate, type NicCounters } from '../domain/host-io.ts';
import type { HostUseCases } from '../core/host.ts';
import type { FsFigures } from '../domain/fs-usage.ts';
import type { ProcessTop } from '../domain/processes.ts';
import { createPollLoop } from './poller.ts';
import { createProcessSampler, type ProcessSamplerOptions } from './processes.ts';

export interface HostMetrics {
  at: number;
  cpuPercent: number;
  cores: number[];
  memory: { totalBytes: number; usedBytes: number; availableBytes: number; swapTotalBytes: number; swapUsedBytes: number };
  load: [number, number, number];
  nics: IoRate[];
  disks: IoRate[];
  /** df's figures (used and available), so the monitor's Use% is the dashboard's and df's. */
  filesystems: (FsFigures & { mount: string; fs: string })[];
  /** °C; main is the package/CPU figure where the hardware reports one. */
  temperatures?: CpuTemperatures;
  /** The busiest and the largest processes (CPU % from this tick's and the last tick's /proc/PID/stat). */
  processes: ProcessTop;
}

export const HOST_SERIES = ['cpu', 'memory', 'swap', 'netRx', 'netTx', 'diskRead', 'diskWrite'] as const;
export type HostSeries = (typeof HOST_SERIES)[number];

export interface HostMetricsState { data?: HostMetrics; error?: string; loading: boolean; intervalMs: number }

export interface HostMetricsStore {
  getSnapshot: () => HostMetricsState;
  subscribe: (fn: () => void) => () => void;
  refresh: () => Promise<void>;
  setIntervalMs: (ms: number) => void;
  history: (series: HostSeries, windowMs: number, now?: number) => Point[];
  stop: () => void;
}

type SI = typeof import('systeminformation');
let siPromise: Promise<SI> | undefined;
const loadSi = () => (siPromise ??= import('systeminformation').then((m) => ((m as unknown as { default?: SI }).default ?? m) as SI));

/** Where the slow figures come from: the core's host use cases. */
export type HostFigures = Pick<HostUseCases, 'filesystems' | 'temperatures'>;

export function createHostMetricsStore(host: HostFigures, opts: { intervalMs?: number; historySeconds?: number; procDir?: string; processes?: Omit<ProcessSamplerOptions, 'procDir'> } = {}): HostMetricsStore {
  let intervalMs = opts.intervalMs ?? 1000;
  const proc = opts.procDir ?? '/proc';
  const processes = createProcessSampler({ ...opts.processes, procDir: proc });
  const clock = new HistoryClock(historyCapacity(intervalMs, opts.historySeconds ?? 3600));
  const ring = new SeriesRing(clock.capacity, HOST_SERIES.length);
  let state: HostMetricsState = { loading: true, intervalMs };
  const subs = new Set<() => void>();
  let prev: { at: number; nics: NicCounters[]; disks: DiskCounters[]; cpu?: CpuTicks; cpus: CpuTicks[] } | undefined;
  let slow: { at: number; filesystems: HostMetrics['filesystems']; temperatures?: HostMetrics['temperatures'] } | undefined;

  const emit = () => { for (const s of subs) s(); };

  async function slowFigures(at: number): Promise<NonNullable<typeof slow>> {
    if (slow && at - slow.at < 15_000) return slow;
    const [fs, temperatures] = await Promise.all([host.filesystems().catch(() => []), host.temperatures().catch(() => undefined)]);
    slow = { at, filesystems: fs.map((f) => ({ mount: f.mount, fs: f.source, usedKiB: f.usedKiB, availKiB: f.availKiB })), temperatures };
    return slow;
  }

  async function sample(): Promise<void> {
    const si = await loadSi();
    const at = Date.now();
    const [statText, mem, netText, diskText] = await Promise.all([readFile(`${proc}/stat`, 'utf8'), si.mem(), readFile(`${proc}/net/dev`, 'utf8').catch(() => ''), readFile(`${proc}/diskstats`, 'utf8').catch(() => '')]);
    const cpu = parseProcStat(statText);
    const nicsNow = parseNetDev(netText).filter((n) => n.name !== 'lo');
    const disksNow = parseDiskstats(diskText);
    const sec = prev ? (at - prev.at) / 1000 : 0;
    const nics = nicRates(prev?.nics ?? [], nicsNow, sec);
    const disks = diskRates(prev?.disks ?? [], disksNow, sec);
    const cpuPercent = cpu.all ? busyPercent(prev?.cpu, cpu.all) : 0;
    const cores = cpu.cpus.map((c, i) => busyPercent(prev?.cpus[i], c));
    prev = { at, nics: nicsNow, disks: disksNow, cpu: cpu.all, cpus: cpu.cpus };
    const s = await slowFigures(at);
    const la = loadavg();
    const data: HostMetrics = {
      at,
      cpuPercent,
      cores,
      memory: { totalBytes: mem.total, usedBytes: mem.total - mem.available, availableBytes: mem.available, swapTotalBytes: mem.swaptotal, swapUsedBytes: mem.swapused },
      load: [la[0]!, la[1]!, la[2]!],
      nics, disks, filesystems: s.filesystems, temperatures: s.temperatures,
      processes: processes.sample(at),
    };
    const sum = (xs: IoRate[], f: (x: IoRate) => number) => xs.reduce((a, x) => a + f(x), 0);
    const slot = clock.push(at);
    ring.write(slot, [data.cpuPercent, data.memory.usedBytes, data.memory.swapUsedBytes, sum(nics, (n) => n.inBps), sum(nics, (n) => n.outBps), sum(disks, (d) => d.inBps), sum(disks, (d) => d.outBps)]);
    state = { data, loading: false, intervalMs };
  }

  const loop = createPollLoop(sample, {
    intervalMs,
    backoffMs: (ms) => 2 * ms,
    watching: () => subs.size > 0,
    settled(outcome) {
      if (!outcome.ok) state = { ...state, error: outcome.error.message, loading: false };
      emit();
    },
  });

  return {
    getSnapshot: () => state,
    subscribe(fn) {
      subs.add(fn);
      if (subs.size === 1) loop.start(state.data ? Date.now() - state.data.at : Infinity);
      return () => { subs.delete(fn); if (subs.size === 0) loop.pause(); };
    },
    refresh: loop.run,
    setIntervalMs(ms) { intervalMs = Math.max(500, Math.min(10_000, ms)); state = { ...state, intervalMs }; emit(); loop.setInterval(intervalMs); },
    history(series, windowMs, now = Date.now()) {
      return seriesPoints(clock, ring, HOST_SERIES.indexOf(series), clock.slotsSince(now - windowMs));
    },
    stop: loop.stop,
  };
}
