// Live event list for the Events screen: re-queried when this process writes
// an event and when another process (CLI, API) has added rows (checked every
// second by the highest id, a cheap query).
import { useEffect, useMemo } from 'react';
import type { EventQuery, EventRecord, EventUseCases } from '../core/events.ts';
import { createPolledStore } from './poller.ts';
import { usePolled } from './use-polled.ts';

export function useEventList(log: EventUseCases, query: EventQuery, pollMs = 1000): { events: EventRecord[]; error?: string } {
  const { minSeverity, text, limit, source } = query;
  const store = useMemo(() => {
    let last = -1;
    let rows: EventRecord[] = [];
    // The same array while no event was added: the poller then tells nobody.
    return createPolledStore(async () => {
      const id = log.lastId();
      if (id !== last) {
        rows = await log.list({ minSeverity, text, source, limit: limit ?? 2000 });
        last = id;
      }
      return rows;
    }, pollMs);
  }, [log, minSeverity, text, source, limit, pollMs]);
  useEffect(() => {
    const off = log.subscribe(() => { void store.refresh(); });
    return () => { off(); store.stop(); };
  }, [log, store]);
  const state = usePolled(store);
  return { events: state.data ?? [], error: state.error };
}
