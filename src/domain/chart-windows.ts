// The time ranges a chart of the host or a VM can show: the last 5, 15 and
// 60 minutes come from the console's live rings; a day, a week, a month and
// a year from the history the host service keeps (issue #18), with the live
// rings drawn over its last hour. No I/O.
import type { HistoryLevel } from './history-aggregate.ts';
import type { Point } from './history.ts';

export interface ChartWindow {
  /** How far back the chart reaches. */
  ms: number;
  /** As the charts' titles and the key help say it. */
  label: string;
  /** Read from the history (else only from the live rings). */
  history: boolean;
}

const MIN = 60_000;
const DAY = 24 * 60 * MIN;

export const CHART_WINDOWS: readonly ChartWindow[] = [
  { ms: 5 * MIN, label: '5 min', history: false },
  { ms: 15 * MIN, label: '15 min', history: false },
  { ms: 60 * MIN, label: '60 min', history: false },
  { ms: DAY, label: 'day', history: true },
  { ms: 7 * DAY, label: 'week', history: true },
  { ms: 30 * DAY, label: 'month', history: true },
  { ms: 365 * DAY, label: 'year', history: true },
];

/** The index of the next longer (dir 1) or shorter (dir -1) window, staying at the ends. */
export function nextWindow(index: number, dir: 1 | -1): number {
  return Math.max(0, Math.min(CHART_WINDOWS.length - 1, index + dir));
}

/** What one history point stands for, short enough for a chart's title. */
export const LEVEL_TEXT: Record<HistoryLevel, string> = { minute: 'per minute', hour: 'hourly', day: 'daily' };

/** The time between two history points of a level, in ms. */
export const LEVEL_STEP_MS: Record<HistoryLevel, number> = { minute: MIN, hour: 60 * MIN, day: DAY };

/**
 * One line of a long chart: the history's points up to where the live ring
 * begins, then the live ring's (finer and newer: the last history sample can
 * be a minute old). Either may be empty: a console just opened has a short
 * ring, a host without the service no history. Where two points are more
 * than a few steps apart (the service was down, the VM did not exist) a
 * point without a value goes between them, so the chart shows the gap
 * instead of a line across it.
 */
export function joinHistory(history: readonly Point[], live: readonly Point[], stepMs: number): Point[] {
  const firstLive = live[0]?.t ?? Infinity;
  const out: Point[] = [];
  const gap = 2.5 * stepMs;
  for (const p of [...history.filter((h) => h.t < firstLive), ...live]) {
    const last = out[out.length - 1];
    if (last && p.t - last.t > gap) out.push({ t: last.t + stepMs, v: NaN });
    out.push(p);
  }
  return out;
}
