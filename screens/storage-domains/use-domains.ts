// Data for the Storage domains screen and the dashboard's storage line: the
// domain rows read from the state DB every 2 s (never from the storage: the
// health monitor's child processes do that), and the in-process health
// monitor, started once per console.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Services } from '../../src/services.ts';
import { createPollLoop } from '../../src/store/poller.ts';
import type { DomainStatus } from '../../src/domain/storage/domain.ts';
import type { DomainService, StorageDomain } from '../../src/host/storage/domains/index.ts';
import type { ConnectionRecord, DomainMonitor } from '../../src/host/storage/domains/index.ts';
import type { Lun } from '../../src/host/storage/connections.ts';

/** What the screen needs: the domain service and the connections to offer (tests pass their own). */
export interface DomainScreenApi {
  service: Pick<DomainService, 'list' | 'get' | 'create' | 'scan' | 'import' | 'activate' | 'maintenance' | 'detach' | 'volumes' | 'volumeCreate' | 'volumeDelete' | 'upload'>;
  connections: () => Promise<ConnectionRecord[]>;
  /** The LUNs a block (iSCSI/FC) connection shows, for the create form's picker. */
  luns?: (connectionId: string) => Promise<Lun[]>;
  /** Start the health monitor (once per process); undefined in tests that drive status by hand. */
  monitor?: () => DomainMonitor;
}

const monitors = new WeakMap<Services, DomainMonitor>();
const apis = new WeakMap<Services, Promise<DomainScreenApi>>();

/** The real API of a console: storage-conn's connections, this host's domain service and its monitor. */
export function defaultApi(services: Services): Promise<DomainScreenApi> {
  let p = apis.get(services);
  if (!p) {
    p = (async () => {
      const [{ domainServiceFor, createDomainMonitor }, { connectionServiceFor }] = await Promise.all([import('../../src/host/storage/domains/index.ts'), import('../../src/host/storage/service.ts')]);
      const conns = connectionServiceFor(services);
      const service = await domainServiceFor(services, conns);
      return {
        service,
        connections: async () => conns.list(),
        luns: (id) => conns.luns(id),
        monitor: () => {
          let m = monitors.get(services);
          if (!m) { m = createDomainMonitor({ service, events: services.events }); monitors.set(services, m); m.start(); }
          return m;
        },
      };
    })();
    apis.set(services, p);
  }
  return p;
}

export interface DomainsState {
  domains: StorageDomain[];
  error?: string;
  loaded: boolean;
}

/** Domain rows, re-read every pollMs; starts the monitor. */
export function useDomains(api: DomainScreenApi | undefined, pollMs = 2000): DomainsState & { reload: () => void } {
  const [state, setState] = useState<DomainsState>({ domains: [], loaded: false });
  const apiRef = useRef(api);
  apiRef.current = api;
  const reload = useCallback(() => {
    const a = apiRef.current;
    if (!a) return;
    try {
      const domains = a.service.list();
      setState((s) => (s.loaded && !s.error && JSON.stringify(s.domains) === JSON.stringify(domains) ? s : { domains, loaded: true }));
    } catch (e) {
      setState((s) => ({ ...s, loaded: true, error: (e as Error).message }));
    }
  }, []);
  useEffect(() => {
    if (!api) return undefined;
    api.monitor?.();
    const loop = createPollLoop(async () => reload(), { intervalMs: pollMs, watching: () => true, settled: () => undefined });
    loop.start();
    return () => loop.stop();
  }, [api, pollMs, reload]);
  return { ...state, reload };
}

/** Resolve the API once (async import of the host modules). */
export function useApi(services: Services, make: (s: Services) => Promise<DomainScreenApi>): { api?: DomainScreenApi; error?: string } {
  const [r, setR] = useState<{ api?: DomainScreenApi; error?: string }>({});
  useEffect(() => {
    let live = true;
    make(services).then((api) => { if (live) setR({ api }); }, (e: Error) => { if (live) setR({ error: e.message }); });
    return () => { live = false; };
  }, [services, make]);
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
export function useStorageSummary(services: Services): { text: string; role: 'ok' | 'warn' | 'error' | 'dim' } {
  // The first frame already has it (one query of the open state DB, no process).
  const [s, setS] = useState<{ text: string; role: 'ok' | 'warn' | 'error' | 'dim' }>(() => {
    try {
      return storageSummary(services.db.prepare('SELECT status, count(*) AS n FROM storage_domains GROUP BY status').all() as { status: DomainStatus; n: number }[]);
    } catch (e) {
      return { text: `unknown: ${(e as Error).message}`, role: 'warn' };
    }
  });
  useEffect(() => {
    let live = true;
    const read = async () => {
      try {
        const rows = services.db.prepare('SELECT status, count(*) AS n FROM storage_domains GROUP BY status').all() as { status: DomainStatus; n: number }[];
        if (live) setS((old) => { const next = storageSummary(rows); return old.text === next.text && old.role === next.role ? old : next; });
        if (rows.length) void defaultApi(services).then((a) => a.monitor?.()).catch(() => undefined);
      } catch (e) {
        if (live) setS({ text: `unknown: ${(e as Error).message}`, role: 'warn' });
      }
    };
    const loop = createPollLoop(read, { intervalMs: 5000, watching: () => live, settled: () => undefined });
    loop.start();
    return () => { live = false; loop.stop(); };
  }, [services]);
  return s;
}
