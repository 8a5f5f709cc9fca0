// The dashboard's host service line: whether `hostdeck serve` runs for this
// state DB, read through the core from the service's lock (one query, no
// process started), every 5 s; a duty whose last run failed shows too.
import { useEffect, useState } from 'react';
import type { Core } from '../../src/core/index.ts';
import type { ServiceStatus } from '../../src/core/host-service.ts';
import { eventTime } from '../../src/domain/duration.ts';
import { createPollLoop } from '../../src/store/poller.ts';

export interface ServiceLine { text: string; role: 'ok' | 'warn' | 'error' | 'dim' }

/** "since 18:02" today, else with the date. */
function since(iso: string, now: Date): string {
  const t = eventTime(iso);
  return t.slice(0, 10) === eventTime(now.toISOString()).slice(0, 10) ? t.slice(11, 16) : t.slice(0, 16);
}

export function serviceLine(s: ServiceStatus, now = new Date()): ServiceLine {
  if (!s.running) {
    const ended = s.stale ? ` (pid ${s.stale.pid} ended without stopping)` : '';
    return { text: `not running${ended}: start with hostdeck serve`, role: 'warn' };
  }
  const failing = s.duties.filter((d) => d.last && !d.last.ok);
  const text = `running (pid ${s.pid}, since ${since(s.since!, now)})`;
  if (!failing.length) return { text, role: 'ok' };
  return { text: `${text}, failing: ${failing.map((d) => `${d.id}: ${d.last!.message}`).join('; ')}`, role: 'error' };
}

const read = (core: Core): ServiceLine => {
  try {
    return serviceLine(core.hostService.status());
  } catch (e) {
    return { text: `unknown: ${(e as Error).message}`, role: 'warn' };
  }
};

/** Dashboard hook: the line, in the first frame already, re-read every 5 s. */
export function useServiceLine(core: Core): ServiceLine {
  const [line, setLine] = useState<ServiceLine>(() => read(core));
  useEffect(() => {
    let live = true;
    const loop = createPollLoop(async () => {
      const next = read(core);
      if (live) setLine((old) => (old.text === next.text && old.role === next.role ? old : next));
    }, { intervalMs: 5000, watching: () => live, settled: () => undefined });
    loop.start();
    return () => { live = false; loop.stop(); };
  }, [core]);
  return line;
}
