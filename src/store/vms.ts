// The VM store: one bulk domain-statistics call per tick for every domain
// through the sampler the core gives (core.monitor; in process through
// hostdeck's libvirt addon, or over one long-running virsh where the addon
// is not built: src/virt/sampler.ts), rates from the
// previous tick (CPU % from cpu-time deltas), per-VM history in fixed-size
// rings, and lifecycle events that trigger a tick at once instead of waiting
// for the next one. Ticks chain timeouts, a tick asked for while one runs
// runs right after it (never two at once), failures back off, and nothing
// runs while no screen is subscribed.
//
// The list, the detail screen, the dashboard's counts and `hostdeck top`
// all read this one store.
import { createPollLoop } from './poller.ts';
import { HistoryClock, historyCapacity, SeriesRing, seriesPoints, type Point } from '../domain/history.ts';
import { deltaMarks, type VmRow } from '../domain/vm-figures.ts';
import { computeDomainRates, countByState, parseDomstats, uptimeSeconds, type DomainStateName, type DomainStatsSample, type DomainSummary, type MonitorUseCases, type SamplerKind, type VmSampler } from '../core/monitor.ts';

/** History series per VM, in ring order. */
export const VM_SERIES = ['cpu', 'memory', 'diskRead', 'diskWrite', 'netRx', 'netTx'] as const;
export type VmSeries = (typeof VM_SERIES)[number];

export interface VmSnapshot {
  /** Rows in libvirt's order (screens sort them). */
  rows: VmRow[];
  byName: ReadonlyMap<string, VmRow>;
  counts: ReturnType<typeof countByState>;
  /** When the last tick's sample was taken. */
  at: number;
  /** How long the last tick took (ms). */
  tickMs: number;
  /** Ticks so far. */
  ticks: number;
  /** Where the statistics come from: libvirt in process, or a virsh. */
  source: VmSampler['kind'];
}

export interface VmStoreState {
  data?: VmSnapshot;
  error?: string;
  loading: boolean;
  intervalMs: number;
}

export interface VmStore {
  getSnapshot: () => VmStoreState;
  subscribe: (fn: () => void) => () => void;
  /** Tick now; a tick asked for while one runs runs right after it. */
  refresh: () => Promise<void>;
  setIntervalMs: (ms: number) => void;
  /** One series of one VM over the last `windowMs`. */
  history: (name: string, series: VmSeries, windowMs: number, now?: number) => Point[];
  /** Bytes held by the history rings (all VMs, fixed by the capacity). */
  historyBytes: () => number;
  stop: () => void;
}

export interface VmStoreOptions {
  intervalMs?: number;
  /** History length in seconds at the starting interval (default one hour). */
  historySeconds?: number;
  /** Subscribe to libvirt's lifecycle events (default true). */
  events?: boolean;
  /** The first tick (which opens the statistics source) waits for this. */
  startAfter?: Promise<unknown>;
  /** Default: the configuration's (HOSTDECK_SAMPLER), else auto. */
  sampler?: SamplerKind;
}

/**
 * Every this many ticks the call covers every domain, whatever the events
 * said (the others ask only for the running ones; see sample()).
 */
export const FULL_SAMPLE_EVERY = 10;

/** States whose counters do not move: carried from the last call over every domain. */
const FROZEN: ReadonlySet<DomainStateName> = new Set(['paused', 'shutoff', 'crashed']);


interface Meta { uuid: string; id: number; vcpus: number; memoryKiB: number; maxMemoryKiB: number }

export function createVmStore(monitor: MonitorUseCases, opts: VmStoreOptions = {}): VmStore {
  let intervalMs = opts.intervalMs ?? 1000;
  const capacity = historyCapacity(intervalMs, opts.historySeconds ?? 3600);
  const clock = new HistoryClock(capacity);
  const rings = new Map<string, SeriesRing>();
  let state: VmStoreState = { loading: true, intervalMs };
  const subs = new Set<() => void>();
  let source: VmSampler | undefined;
  let prevSamples = new Map<string, DomainStatsSample>();
  let prevRows = new Map<string, VmRow>();
  /** The last call's text (a null answer means this again), and the previous text of each kind of call. */
  let lastText = '';
  let prevText: { all?: string; running?: string } = {};
  /** Whether the last tick's figures were moving (a rate above 0, an uptime): then the same counters again are news (rates fall to 0). */
  let moving = true;
  /** Samples of the domains that were paused or shut off at the last call over every domain. */
  let frozen: DomainStatsSample[] = [];
  /** Names of the domains running at the last tick. */
  let runningNames = new Set<string>();
  let fullDue = true;
  let sinceFull = 0;
  const startedAt = new Map<string, number>();
  let meta = new Map<string, Meta>();
  let metaStale = true;
  let hostCpus: number | undefined;
  let ticks = 0;
  let stopped = false;
  let offEvents: (() => void) | undefined;

  const emit = () => { for (const s of subs) s(); };


  async function loadMeta(): Promise<void> {
    const list: DomainSummary[] = await monitor.vmList();
    meta = new Map(list.map((d) => [d.name, { uuid: d.uuid, id: d.id, vcpus: d.vcpus, memoryKiB: d.memoryKiB, maxMemoryKiB: d.maxMemoryKiB }]));
    metaStale = false;
    if (hostCpus === undefined) hostCpus = await monitor.hostCpus();
  }

  /** One tick; resolves true when any figure changed (the screens redraw). */
  async function sample(): Promise<boolean> {
    if (!source && opts.startAfter) await opts.startAfter;
    source ??= monitor.openVmSampler(opts.sampler);
    const src = source;
    const t0 = performance.now();
    const read = async (runningOnly: boolean) => (lastText = (await src.read(runningOnly)) ?? lastText);
    // Paused and shut-off domains' counters do not move, and every change of
    // state comes as a lifecycle event: most ticks ask only for the running
    // domains and carry the others from the last call over every domain.
    // That call comes after any event, after an error, when a domain that
    // ran is no longer running, and every FULL_SAMPLE_EVERY ticks (an event
    // that never arrived).
    let kind: 'all' | 'running' = fullDue || metaStale || !state.data || state.error || opts.events === false || sinceFull + 1 >= FULL_SAMPLE_EVERY ? 'all' : 'running';
    fullDue = false;
    let text = await read(kind === 'running');
    let at = Date.now();
    sinceFull = kind === 'all' ? 0 : sinceFull + 1;
    if (text === prevText[kind] && !moving && !metaStale && state.data && !state.error) {
      // Exactly the same counters as last tick, whose figures were all at
      // rest (nothing runs, e.g. the test driver): the figures stand; only
      // the history gets its point for this tick, the same values as the last one.
      const slot = clock.push(at);
      for (const ring of rings.values()) ring.repeat(slot);
      ticks++;
      state = { data: { ...state.data, at, tickMs: performance.now() - t0, ticks }, loading: false, intervalMs };
      return false;
    }
    let samples = parseDomstats(text, at);
    if (kind === 'running') {
      const now = new Set(samples.map((s) => s.name));
      if ([...runningNames].some((n) => !now.has(n))) {
        // One that ran has stopped or paused (its event has not come yet): read every domain now.
        kind = 'all';
        sinceFull = 0;
        text = await read(false);
        at = Date.now();
        samples = parseDomstats(text, at);
      } else {
        for (const f of frozen) if (!now.has(f.name)) samples.push({ ...f, at });
      }
    }
    prevText = kind === 'all' ? { all: text } : { ...prevText, running: text };
    if (kind === 'all') {
      frozen = samples.filter((s) => FROZEN.has(s.state));
      // Domains in passing states (shutting down, blocked, ...) move on: the next call covers every domain too.
      fullDue = samples.some((s) => s.state !== 'running' && !FROZEN.has(s.state));
    }
    runningNames = new Set(samples.filter((s) => s.state === 'running').map((s) => s.name));
    if (metaStale || samples.some((s) => !meta.has(s.name))) await loadMeta().catch(() => undefined);
    // Start times (uptime): read once per start, from files, for local qemu:///system.
    const justStarted: string[] = [];
    for (const s of samples) {
      const active = s.state === 'running' || s.state === 'paused' || s.state === 'blocked';
      const was = prevSamples.get(s.name);
      const wasActive = was && (was.state === 'running' || was.state === 'paused' || was.state === 'blocked');
      if (!active) startedAt.delete(s.name);
      else if (!startedAt.has(s.name)) justStarted.push(s.name);
      // Seen starting while we watched (any driver): that is its start time.
      if (active && was && !wasActive) startedAt.set(s.name, at);
    }
    if (justStarted.length) {
      const found = await monitor.vmStartTimes(justStarted).catch(() => new Map<string, number>());
      for (const [n, t] of found) startedAt.set(n, t);
    }
    const slot = clock.push(at);
    let changed = samples.length !== prevRows.size;
    const rows: VmRow[] = [];
    const byName = new Map<string, VmRow>();
    const samplesByName = new Map<string, DomainStatsSample>();
    for (const s of samples) {
      samplesByName.set(s.name, s);
      const r = computeDomainRates(prevSamples.get(s.name), s, { hostCpus });
      const m = meta.get(s.name);
      const inactive = s.state === 'shutoff' || s.state === 'crashed';
      const base: Omit<VmRow, 'marks'> = {
        uuid: m?.uuid ?? '', name: s.name, id: m?.id ?? -1, state: s.state,
        vcpus: s.vcpusCurrent ?? m?.vcpus ?? 0,
        memoryKiB: s.memoryKiB ?? m?.memoryKiB ?? 0,
        maxMemoryKiB: s.maxMemoryKiB ?? m?.maxMemoryKiB ?? 0,
        cpuTimeNs: s.cpuTimeNs ?? 0,
        // An inactive domain has no CPU figure (libvirt reports no CPU time for it): shown as "-", not as 0.0.
        cpuPercent: inactive ? undefined : r.cpuPercent, cpuPercentHost: inactive ? undefined : r.cpuPercentHost, guestUsedKiB: inactive ? undefined : r.guestUsedKiB,
        diskReadBps: r.diskReadBytesPerSec, diskWriteBps: r.diskWriteBytesPerSec, diskReadIops: r.diskReadIops, diskWriteIops: r.diskWriteIops,
        netRxBps: r.netRxBytesPerSec, netTxBps: r.netTxBytesPerSec,
        uptimeSec: uptimeSeconds(startedAt.get(s.name), at),
      };
      const before = prevRows.get(s.name);
      const marks = deltaMarks(before, base);
      // Unchanged figures keep the same row object, so nothing redraws for them.
      const row: VmRow = before && sameFigures(before, base) && !Object.keys(marks).length && !Object.keys(before.marks).length ? before : { ...base, marks };
      if (row !== before) changed = true;
      rows.push(row);
      byName.set(s.name, row);
      const active = s.state !== 'shutoff' && s.state !== 'crashed' && s.state !== 'nostate';
      let ring = rings.get(s.name);
      if (!ring && active) { ring = new SeriesRing(capacity, VM_SERIES.length); rings.set(s.name, ring); }
      if (ring) {
        if (active) ring.write(slot, [row.cpuPercent, row.guestUsedKiB ?? row.memoryKiB, row.diskReadBps, row.diskWriteBps, row.netRxBps, row.netTxBps]);
        else ring.clear(slot);
      }
    }
    // A VM that is gone (undefined) takes its history with it.
    for (const n of rings.keys()) if (!byName.has(n)) rings.delete(n);
    for (const n of startedAt.keys()) if (!byName.has(n)) startedAt.delete(n);
    prevSamples = samplesByName;
    moving = rows.some((r) => r.uptimeSec !== undefined || (r.cpuPercent ?? 0) > 0 || (r.diskReadBps ?? 0) > 0 || (r.diskWriteBps ?? 0) > 0 ||
      (r.diskReadIops ?? 0) > 0 || (r.diskWriteIops ?? 0) > 0 || (r.netRxBps ?? 0) > 0 || (r.netTxBps ?? 0) > 0);
    ticks++;
    const last = state.data;
    if (!changed && last && !state.error) {
      // Same VMs with the same figures: keep the snapshot's rows (screens need not redraw).
      state = { data: { ...last, at, tickMs: performance.now() - t0, ticks }, loading: false, intervalMs };
      return false;
    }
    prevRows = byName;
    state = { data: { rows, byName, counts: countByState(rows), at, tickMs: performance.now() - t0, ticks, source: source.kind }, loading: false, intervalMs };
    return true;
  }

  const loop = createPollLoop(sample, {
    intervalMs,
    backoffMs: (ms) => 2 * ms,
    // A lifecycle event during a tick is not lost: the next tick follows at once.
    runAgain: true,
    watching: () => !stopped && subs.size > 0,
    settled(outcome) {
      if (!outcome.ok) state = { ...state, error: outcome.error.message, loading: false };
      if (!outcome.ok || outcome.value) emit();
    },
  });
  const tick = loop.run;

  const onEvent = (kind: string) => {
    if (kind === 'define' || kind === 'undefine' || kind === 'start' || kind === 'stop' || kind === 'crash') metaStale = true;
    fullDue = true;
    void tick();
  };

  return {
    getSnapshot: () => state,
    subscribe(fn) {
      subs.add(fn);
      stopped = false;
      if (subs.size === 1) {
        if (opts.events !== false && !offEvents) offEvents = monitor.onVmEvent((e) => onEvent(e.kind));
        loop.start(state.data ? Date.now() - state.data.at : Infinity);
      }
      return () => {
        subs.delete(fn);
        if (subs.size === 0) {
          loop.pause();
          offEvents?.();
          offEvents = undefined;
        }
      };
    },
    // An explicit refresh (a key, libvirtd back) starts the error backoff over.
    refresh: () => { loop.resetBackoff(); return tick(); },
    setIntervalMs(ms) {
      intervalMs = Math.max(500, Math.min(10_000, ms));
      state = { ...state, intervalMs };
      emit();
      loop.setInterval(intervalMs);
    },
    history(name, series, windowMs, now = Date.now()) {
      const ring = rings.get(name);
      if (!ring) return [];
      return seriesPoints(clock, ring, VM_SERIES.indexOf(series), clock.slotsSince(now - windowMs));
    },
    historyBytes: () => clock.times.byteLength + [...rings.values()].reduce((a, r) => a + r.bytes, 0),
    stop() {
      stopped = true;
      loop.stop();
      offEvents?.();
      offEvents = undefined;
      source?.close();
      source = undefined;
      lastText = '';
      prevText = {};
      moving = true;
      frozen = [];
      runningNames = new Set();
      fullDue = true;
    },
  };
}

export type { DomainStateName };

const FIGURES = ['state', 'vcpus', 'memoryKiB', 'maxMemoryKiB', 'cpuPercent', 'cpuPercentHost', 'guestUsedKiB', 'diskReadBps', 'diskWriteBps', 'diskReadIops', 'diskWriteIops', 'netRxBps', 'netTxBps', 'uptimeSec', 'uuid', 'id'] as const;

function sameFigures(a: VmRow, b: Omit<VmRow, 'marks'>): boolean {
  for (const k of FIGURES) if (a[k] !== b[k]) return false;
  return true;
}
