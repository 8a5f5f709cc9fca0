// Live event list for the Events screen: re-queried when this process writes
// an event and when another process (CLI, API) has added rows (checked every
// second by the highest id, a cheap query).
import { useEffect, useState } from 'react';
import type { EventLog, EventQuery, EventRecord } from '../manager/events.ts';

export function useEventList(log: EventLog, query: EventQuery, pollMs = 1000): { events: EventRecord[]; error?: string } {
  const [state, setState] = useState<{ events: EventRecord[]; error?: string }>({ events: [] });
  const { minSeverity, text, limit } = query;
  useEffect(() => {
    let last = -1;
    let timer: NodeJS.Timeout | undefined;
    let stopped = false;
    const load = () => {
      try {
        last = log.lastId();
        setState({ events: log.list({ minSeverity, text, limit: limit ?? 2000 }) });
      } catch (err) {
        setState((s) => ({ ...s, error: (err as Error).message }));
      }
    };
    const poll = () => {
      if (stopped) return;
      try {
        if (log.lastId() !== last) load();
      } catch (err) {
        setState((s) => ({ ...s, error: (err as Error).message }));
      }
      timer = setTimeout(poll, pollMs);
    };
    load();
    timer = setTimeout(poll, pollMs);
    const off = log.subscribe(() => load());
    return () => { stopped = true; off(); if (timer) clearTimeout(timer); };
  }, [log, minSeverity, text, limit, pollMs]);
  return state;
}
