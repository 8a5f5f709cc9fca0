// Data for the Storage domains screen and the dashboard's storage line: the
// domain rows read from the state DB every 2 s (never from the storage: the
// health monitor's child processes do that), and the in-process health
// monitor, started once per console.
import { useCallback, useEffect, useRef, useState } from 'react';
import { createPollLoop } from '../../src/store/poller.ts';
import type { DomainStatus } from '../../src/domain/storage/domain.ts';
import type { Core } from '../../src/core/index.ts';
import type { Lun } from '../../src/core/storage-connections.ts';
import type { ConnectionRecord, StorageDomain, StorageDomainUseCases } from '../../src/core/storage-domains.ts';

/** What the screen needs: the domain use cases and the connections to offer (tests pass their own). */
export interface DomainScreenApi {
  service: Pick<StorageDomainUseCases, 'create' | 'scan' | 'import' | 'activate' | 'maintenance' | 'detach' | 'volumes' | 'volumeCreate' | 'volumeDelete' | 'upload'>
    & { list(): StorageDomain[] | Promise<StorageDomain[]> };
  connections: () => Promise<ConnectionRecord[]>;
  /** The LUNs a block (iSCSI/FC) connection shows, for the create form's picker. */
  luns?: (connectionId: string) => Promise<Lun[]>;
  /** Start the health monitor (once per process); undefined in tests that drive status by hand. */
  monitor?: () => unknown;
}

/** The real API of a console: the core's storage domains and connections, and its health monitor. */
export async function defaultApi(core: Core): Promise<DomainScreenApi> {
  const domains = core.storageDomains;
  const conns = core.storageConnections;
  return {
    service: domains,
    connections: () => conns.list(),
    luns: (id) => conns.luns(id),
    // A monitor that cannot start shows as domains never checked; the list itself still works.
    monitor: () => domains.startMonitor().catch(() => undefined),
  };
}

export interface DomainsState {
  domains: StorageDomain[];
  error?: string;
  loaded: boolean;
}

/** Domain rows, re-read every pollMs; starts the monitor. */
export function useDomains(api: DomainScreenApi | undefined, pollMs = 2000): DomainsState & { reload: () => Promise<void> } {
  const [state, setState] = useState<DomainsState>({ domains: [], loaded: false });
  const apiRef = useRef(api);
  apiRef.current = api;
  const reload = useCallback(async () => {
    const a = apiRef.current;
    if (!a) return;
    try {
      const domains = await a.service.list();
      setState((s) => (s.loaded && !s.error && JSON.stringify(s.domains) === JSON.stringify(domains) ? s : { domains, loaded: true }));
    } catch (e) {
      setState((s) => ({ ...s, loaded: true, error: (e as Error).message }));
    }
  }, []);
  useEffect(() => {
    if (!api) return undefined;
    api.monitor?.();
    const loop = createPollLoop(reload, { intervalMs: pollMs, watching: () => true, settled: () => undefined });
    loop.start();
    return () => loop.stop();
  }, [api, pollMs, reload]);
  return { ...state, reload };
}

/** Resolve the API once. */
export function useApi(core: Core, make: (core: Core) => Promise<DomainScreenApi>): { api?: DomainScreenApi; error?: string } {
  const [r, setR] = useState<{ api?: DomainScreenApi; error?: string }>({});
  useEffect(() => {
    let live = true;
    make(core).then((api) => { if (live) setR({ api }); }, (e: Error) => { if (live) setR({ error: e.message }); });
    return () => { live = false; };
  }, [core, make]);
  return r;
}

/** The dashboard's storage line: counts by status, read from the state DB. */
export function storageSummary(rows: readonly { status: DomainStatus; n: number }[]): { text: string; role: 'ok' | 'warn' | 'error' | 'dim' } {
  const total = rows.reduce((a, r) => a + r.n, 0);
  if (!total) return { text: 'no storage domains yet', role: 'dim' };
  const by = (s: DomainStatus) => rows.find((r) => r.status === s)?.n ?? 0;
  const parts = (['active', 'unreachable', 'maintenance', 'inactive'] as const).filter((s) => by(s)).map((s) => `${by(s)} ${s}`);
  return { text: `${total} domain${total === 1 ? '' : 's'}: ${parts.join(', ')}`, role: by('unreachable') ? 'error' : by('inactive') || by('maintenance') ? 'warn' : 'ok' };
}

/** Dashboard hook: the summary, re-read every 5 s; starts the health monitor of the console. */
export function useStorageSummary(core: Core): { text: string; role: 'ok' | 'warn' | 'error' | 'dim' } {
  // The first frame already has it (one query of the open state DB, no process).
  const [s, setS] = useState<{ text: string; role: 'ok' | 'warn' | 'error' | 'dim' }>(() => {
    try {
      return storageSummary(core.storageDomains.statusCounts());
    } catch (e) {
      return { text: `unknown: ${(e as Error).message}`, role: 'warn' };
    }
  });
  useEffect(() => {
    let live = true;
    const read = async () => {
      try {
        const rows = core.storageDomains.statusCounts();
        if (live) setS((old) => { const next = storageSummary(rows); return old.text === next.text && old.role === next.role ? old : next; });
        if (rows.length) await core.storageDomains.startMonitor();
      } catch (e) {
        if (live) setS({ text: `unknown: ${(e as Error).message}`, role: 'warn' });
      }
    };
    const loop = createPollLoop(read, { intervalMs: 5000, watching: () => live, settled: () => undefined });
    loop.start();
    return () => { live = false; loop.stop(); };
  }, [core]);
  return s;
}
