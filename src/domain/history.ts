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

/** Slots per page of a SeriesRing. */
const PAGE = 256;

/**
 * A page whose slots hold one set of codes up to `n` and another after it
 * (older values, or "no value"): what a run of equal ticks leaves behind.
 */
interface RunPage { head: Uint16Array; n: number; tail: Uint16Array }

/**
 * Several series of one entity over the clock's slots, 2 bytes per value at
 * most. The ring is kept in pages of PAGE slots; a page where every tick
 * carried the same values (an idle or paused VM, "no value" before the
 * entity appeared) is kept as those values alone, and becomes a full page
 * of codes at the first tick that differs. Memory never exceeds
 * capacity x series x 2 bytes (plus the page headers), however long it runs.
 */
export class SeriesRing {
  private readonly pages: (RunPage | Uint16Array)[] = [];
  /** While a full page is rewritten from its start: whether every tick so far carried the same codes. */
  private uniform: (boolean | undefined)[] = [];
  private readonly codes: Uint16Array;
  private readonly missing: Uint16Array;
  /** The codes of the last write (repeat writes them again). */
  private readonly last: Uint16Array;

  constructor(readonly capacity: number, readonly series: number) {
    this.codes = new Uint16Array(series);
    this.missing = new Uint16Array(series).fill(MISSING);
    this.last = new Uint16Array(series).fill(MISSING);
    for (let p = 0; p * PAGE < capacity; p++) this.pages.push({ head: this.missing, n: this.pageSize(p), tail: this.missing });
  }

  private pageSize(p: number): number {
    return Math.min(PAGE, this.capacity - p * PAGE);
  }

  write(slot: number, values: readonly (number | undefined)[]): void {
    for (let i = 0; i < this.series; i++) this.codes[i] = encodeValue(values[i]);
    this.put(slot, this.codes);
  }

  /** Write the values of the last write (or clear) again: a tick where nothing changed. */
  repeat(slot: number): void {
    this.put(slot, this.last);
  }

  /** Mark a slot as "no value" for every series (the entity was absent at that tick). */
  clear(slot: number): void {
    this.put(slot, this.missing);
  }

  get(slot: number, series: number): number | undefined {
    const page = this.pages[Math.floor(slot / PAGE)]!;
    const o = slot % PAGE;
    if (page instanceof Uint16Array) return decodeValue(page[o * this.series + series]!);
    return decodeValue((o < page.n ? page.head : page.tail)[series]!);
  }

  /** Bytes the values take now (at most capacity x series x 2, plus the page headers). */
  get bytes(): number {
    let b = 0;
    for (const page of this.pages) b += page instanceof Uint16Array ? page.byteLength : 2 * this.series * 2 + 16;
    return b;
  }

  private put(slot: number, codes: Uint16Array): void {
    if (codes !== this.last) this.last.set(codes);
    const p = Math.floor(slot / PAGE);
    const o = slot % PAGE;
    const size = this.pageSize(p);
    const page = this.pages[p]!;
    if (!(page instanceof Uint16Array)) {
      if (o === 0 && page.n === size) {
        // A new round enters a page of one set of codes: those become its older part.
        this.pages[p] = { head: same(page.head, codes) ? page.head : codes.slice(), n: 1, tail: page.head };
        return;
      }
      if (o === page.n && same(page.head, codes)) { page.n++; return; }
      // A tick that differs: the page becomes codes per slot.
      const full = new Uint16Array(size * this.series);
      for (let s = 0; s < size; s++) full.set(s < page.n ? page.head : page.tail, s * this.series);
      full.set(codes, o * this.series);
      this.pages[p] = full;
      this.uniform[p] = undefined;
      return;
    }
    page.set(codes, o * this.series);
    // A full page rewritten from its start with the same codes every tick goes back to one set.
    if (o === 0) this.uniform[p] = true;
    else if (this.uniform[p]) this.uniform[p] = sameAt(page, (o - 1) * this.series, codes);
    if (o === size - 1 && this.uniform[p]) { this.pages[p] = { head: codes.slice(), n: size, tail: this.missing }; this.uniform[p] = undefined; }
  }
}

function same(a: Uint16Array, b: Uint16Array): boolean {
  return sameAt(a, 0, b);
}

function sameAt(a: Uint16Array, at: number, b: Uint16Array): boolean {
  for (let i = 0; i < b.length; i++) if (a[at + i] !== b[i]) return false;
  return true;
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
