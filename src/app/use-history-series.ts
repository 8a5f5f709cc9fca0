// The history behind a long chart window (a day to a year) of this host or a
// VM: read through the core when the window opens and again once a minute of
// the screen's own ticks has passed (history gains at most one point a
// minute), never while the window is a live one.
import { useEffect, useState } from 'react';
import { LEVEL_TEXT, type ChartWindow } from '../domain/chart-windows.ts';
import { NotFoundError } from '../domain/errors.ts';
import type { HistoryLevel } from '../domain/history-aggregate.ts';
import type { Point } from '../domain/history.ts';
import type { Core } from '../core/index.ts';
import type { HostFigure, Series, VmFigure } from '../core/history.ts';

export type HistoryTarget = { kind: 'host' } | { kind: 'vm'; uuid: string };

export interface HistoryChart<F extends string> {
  level?: HistoryLevel;
  /** Per figure: the averages, oldest first (unknown values left out). */
  avg: Partial<Record<F, Point[]>>;
  /** Per figure: the peaks of each aggregate (the same as avg for minute samples). */
  max: Partial<Record<F, Point[]>>;
  /** Why nothing could be read (a database error). */
  error?: string;
  loading: boolean;
}

const NONE = { avg: {}, max: {}, loading: false };

function toPoints<F extends string>(s: Series<F>): Pick<HistoryChart<F>, 'avg' | 'max'> {
  const avg: Partial<Record<F, Point[]>> = {};
  const max: Partial<Record<F, Point[]>> = {};
  for (const p of s.points) {
    for (const f of Object.keys(p.avg) as F[]) {
      const a = p.avg[f];
      const m = p.max[f];
      if (a !== null) (avg[f] ??= []).push({ t: p.t * 1000, v: a });
      if (m !== null) (max[f] ??= []).push({ t: p.t * 1000, v: m });
    }
  }
  return { avg, max };
}

export function useHistorySeries(core: Core, target: { kind: 'host' }, window: ChartWindow, now: number): HistoryChart<HostFigure>;
export function useHistorySeries(core: Core, target: { kind: 'vm'; uuid: string }, window: ChartWindow, now: number): HistoryChart<VmFigure>;
export function useHistorySeries(core: Core, target: HistoryTarget, window: ChartWindow, now: number): HistoryChart<string> {
  const [state, setState] = useState<HistoryChart<string>>(NONE);
  // Read again when a new minute of the screen's ticks begins, not on every tick.
  const minute = Math.floor(now / 60_000);
  const key = target.kind === 'vm' ? target.uuid : 'host';
  useEffect(() => {
    if (!window.history || !key) { setState(NONE); return; }
    let gone = false;
    setState((s) => ({ ...s, loading: true }));
    const to = Math.floor(Date.now() / 1000);
    const from = to - Math.floor(window.ms / 1000);
    const read: Promise<Series<string>> = key === 'host' ? core.history.hostSeries(from, to) : core.history.vmSeries(key, from, to);
    read.then(
      (s) => { if (!gone) setState({ level: s.level, ...toPoints(s), loading: false }); },
      // A VM the service never sampled has no history: nothing to draw, nothing wrong.
      (e: Error) => { if (!gone) setState(e instanceof NotFoundError ? { ...NONE, level: 'minute' } : { ...NONE, error: e.message }); },
    );
    return () => { gone = true; };
  }, [core, key, window, minute]);
  return state;
}

/** Where a window's points come from, for the CPU chart's title: ", hourly", ", no history" (the host service keeps it), or nothing for a live window. */
export function historySource(window: ChartWindow, past: HistoryChart<'cpu_pct'>): string {
  if (!window.history) return '';
  if (past.error) return ', history unreadable';
  if (!past.level) return past.loading ? ', reading…' : '';
  return past.avg.cpu_pct?.length ? `, ${LEVEL_TEXT[past.level]}` : ', no history';
}
