// A resource screen's API over the core (built once, asynchronously: the core
// loads that resource's module on first use) and its rows, read again with
// `reload` after every change; a failed read is the screen's error line.
import { useCallback, useEffect, useState } from 'react';
import type { Core } from '../core/index.ts';

export function useScreenApi<R, A extends { list(): Promise<R[]> }>(core: Core, make: (core: Core) => Promise<A>) {
  const [api, setApi] = useState<A | undefined>();
  const [rows, setRows] = useState<R[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => { make(core).then(setApi, (e: unknown) => setError((e as Error).message)); }, [core]);
  const reload = useCallback(async () => {
    if (!api) return;
    try { setRows(await api.list()); setError(undefined); } catch (e) { setError((e as Error).message); }
  }, [api]);
  useEffect(() => { void reload(); }, [reload]);
  return { api, rows, error, reload };
}
