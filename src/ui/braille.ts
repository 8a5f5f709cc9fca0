// A braille drawing canvas for line charts: each terminal cell holds a 2x4
// dot matrix (U+2800..U+28FF), so a chart of W columns and H rows has 2W x 4H
// dots. Pure: series in, rows of text (and which series owns each cell) out.
import type { Point } from '../domain/history.ts';

// Dot bit for (x % 2, y % 4), y counted from the top of the cell.
const DOT = [
  [0x01, 0x08],
  [0x02, 0x10],
  [0x04, 0x20],
  [0x40, 0x80],
] as const;

export interface ChartSeries {
  points: readonly Point[];
}

export interface BrailleChart {
  /** One string per row, top first, each exactly `width` characters. */
  rows: string[];
  /** Per row, per column: index of the series that drew most in that cell, or -1. */
  owner: Int8Array[];
  /** Top of the y axis (the values were scaled to 0..max). */
  max: number;
}

/** A "nice" axis maximum at or above v (1, 2, 2.5, 5 x 10^n). */
export function niceMax(v: number): number {
  if (!(v > 0) || !Number.isFinite(v)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (v <= m * p) return m * p;
  return 10 * p;
}

/**
 * Draw series as connected lines over the time window [from, to]. y runs
 * from 0 to `max` (default: a nice value above the largest point).
 */
export function drawBraille(series: readonly ChartSeries[], opts: { width: number; height: number; from: number; to: number; max?: number }): BrailleChart {
  const width = Math.max(1, Math.floor(opts.width));
  const height = Math.max(1, Math.floor(opts.height));
  const dotsX = width * 2;
  const dotsY = height * 4;
  let top = opts.max ?? 0;
  if (opts.max === undefined) for (const s of series) for (const p of s.points) if (p.t >= opts.from && p.v > top) top = p.v;
  const max = opts.max ?? niceMax(top);
  const cells = new Uint8Array(width * height);
  const counts = series.map(() => new Uint16Array(width * height));
  const span = Math.max(1, opts.to - opts.from);
  const set = (x: number, y: number, si: number) => {
    if (x < 0 || x >= dotsX || y < 0 || y >= dotsY) return;
    const cx = x >> 1;
    const cy = y >> 2;
    const i = cy * width + cx;
    cells[i]! |= DOT[y & 3]![x & 1]!;
    counts[si]![i]!++;
  };
  series.forEach((s, si) => {
    let px: number | undefined;
    let py: number | undefined;
    for (const p of s.points) {
      // A point out of the window or without a value (a gap in the history) breaks the line.
      if (p.t < opts.from || p.t > opts.to || !Number.isFinite(p.v)) { px = undefined; continue; }
      const x = Math.round(((p.t - opts.from) / span) * (dotsX - 1));
      const y = dotsY - 1 - Math.round((Math.min(max, Math.max(0, p.v)) / max) * (dotsY - 1));
      if (px === undefined || py === undefined) set(x, y, si);
      else line(px, py, x, y, (lx, ly) => set(lx, ly, si));
      px = x;
      py = y;
    }
  });
  const rows: string[] = [];
  const owner: Int8Array[] = [];
  for (let r = 0; r < height; r++) {
    let text = '';
    const own = new Int8Array(width).fill(-1);
    for (let c = 0; c < width; c++) {
      const i = r * width + c;
      const bits = cells[i]!;
      text += bits ? String.fromCharCode(0x2800 + bits) : ' ';
      let best = 0;
      for (let si = 0; si < counts.length; si++) if (counts[si]![i]! > best) { best = counts[si]![i]!; own[c] = si; }
    }
    rows.push(text);
    owner.push(own);
  }
  return { rows, owner, max };
}

/** Bresenham between two dots (inclusive). */
function line(x0: number, y0: number, x1: number, y1: number, plot: (x: number, y: number) => void): void {
  const dx = Math.abs(x1 - x0);
  const dy = -Math.abs(y1 - y0);
  const sx = x0 < x1 ? 1 : -1;
  const sy = y0 < y1 ? 1 : -1;
  let err = dx + dy;
  for (;;) {
    plot(x0, y0);
    if (x0 === x1 && y0 === y1) return;
    const e2 = 2 * err;
    if (e2 >= dy) { err += dy; x0 += sx; }
    if (e2 <= dx) { err += dx; y0 += sy; }
  }
}

const SPARK = '▁▂▃▄▅▆▇█';

/** A one-line sparkline of the last `width` values (scaled to max, default the largest). */
export function sparkline(values: readonly (number | undefined)[], width: number, max?: number): string {
  const vs = values.slice(-width);
  const top = max ?? Math.max(0, ...vs.map((v) => v ?? 0));
  return vs.map((v) => (v === undefined ? ' ' : SPARK[top > 0 ? Math.min(7, Math.round((v / top) * 7)) : 0])).join('').padStart(width);
}

/** A horizontal bar of `width` cells for a ratio 0..1 with eighth-cell resolution. */
export function hbar(ratio: number, width: number): string {
  const r = Math.max(0, Math.min(1, Number.isFinite(ratio) ? ratio : 0));
  const eighths = Math.round(r * width * 8);
  const full = Math.floor(eighths / 8);
  const part = eighths % 8;
  return ('█'.repeat(full) + (part ? '▏▎▍▌▋▊▉'[part - 1]! : '')).padEnd(width, ' ');
}
