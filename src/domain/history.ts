// Fixed-size history for live monitoring: one shared clock ring (the time of
// each tick) and, per entity (a VM, the host), a compact ring of several
// series written at the clock's slots. Memory is fixed by the capacity, never
// by how long the console runs. Values are stored in 16 bits each: a log
// scale with 0.05 % relative precision covers 0 .. 2^40 (bytes/s, KiB), and
// 0xFFFF means "no value" (VM off, first tick). No I/O.

const MISSING = 0xffff;
const SCALE = 1600; // steps per doubling: 2^(1/1600) - 1 = 0.043 % relative error

/** A non-negative value (or undefined) in 16 bits. */
export function encodeValue(x: number | undefined): number {
  if (x === undefined || !Number.isFinite(x) || x < 0) return MISSING;
  return Math.min(MISSING - 1, Math.round(Math.log2(1 + x) * SCALE));
}

export function decodeValue(code: number): number | undefined {
  if (code === MISSING) return undefined;
  return 2 ** (code / SCALE) - 1;
}

/** The tick times: a ring of `capacity` timestamps (ms since the epoch). */
export class HistoryClock {
  readonly times: Float64Array;
  /** Slot the next tick writes. */
  head = 0;
  /** Ticks stored (at most capacity). */
  count = 0;
  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 2) throw new RangeError('history capacity must be an integer >= 2');
    this.times = new Float64Array(capacity);
  }

  /** Record a tick; returns its slot (write every entity's values there). */
  push(t: number): number {
    const slot = this.head;
    this.times[slot] = t;
    this.head = (this.head + 1) % this.capacity;
    this.count = Math.min(this.capacity, this.count + 1);
    return slot;
  }

  /** Slots from oldest to newest whose time is >= since. */
  slotsSince(since: number): number[] {
    const out: number[] = [];
    const start = (this.head - this.count + this.capacity) % this.capacity;
    for (let i = 0; i < this.count; i++) {
      const s = (start + i) % this.capacity;
      if (this.times[s]! >= since) out.push(s);
    }
    return out;
  }

  /** The newest tick's slot, or -1. */
  get last(): number {
    return this.count ? (this.head - 1 + this.capacity) % this.capacity : -1;
  }
}

/** Several series of one entity over the clock's slots, 2 bytes per value. */
export class SeriesRing {
  readonly data: Uint16Array;
  constructor(readonly capacity: number, readonly series: number) {
    this.data = new Uint16Array(capacity * series).fill(MISSING);
  }

  write(slot: number, values: readonly (number | undefined)[]): void {
    const base = slot * this.series;
    for (let i = 0; i < this.series; i++) this.data[base + i] = encodeValue(values[i]);
  }

  /** Mark a slot as "no value" for every series (the entity was absent at that tick). */
  clear(slot: number): void {
    this.data.fill(MISSING, slot * this.series, (slot + 1) * this.series);
  }

  get(slot: number, series: number): number | undefined {
    return decodeValue(this.data[slot * this.series + series]!);
  }
}

export interface Point { t: number; v: number }

/** One series as points (missing values left out) over the given slots. */
export function seriesPoints(clock: HistoryClock, ring: SeriesRing, series: number, slots: readonly number[]): Point[] {
  const out: Point[] = [];
  for (const s of slots) {
    const v = ring.get(s, series);
    if (v !== undefined) out.push({ t: clock.times[s]!, v });
  }
  return out;
}

/** Ring capacity for `seconds` of history at `intervalMs` (default: one hour). */
export function historyCapacity(intervalMs: number, seconds = 3600): number {
  return Math.max(2, Math.ceil((seconds * 1000) / Math.max(100, intervalMs)));
}
