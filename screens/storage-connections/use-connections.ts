// The Storage connections screen's data: the list from the state DB, the
// live status of each (read from the host, on demand and after actions),
// and the actions, each reported as a notice. The service is injected so
// tests give one with their own DB and paths.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Shell } from '../../src/app/types.ts';
import type { ConnectionInput, FieldError, StorageConnection } from '../../src/domain/storage/connection.ts';
import type { Core } from '../../src/core/index.ts';
import { connectionLabel, type ConnectionStatus, type DiscoveredTarget, type FcHost, type Lun, type StorageConnectionUseCases } from '../../src/core/storage-connections.ts';
import { errorNotice } from '../../src/ui/error-notice.ts';
import { fieldErrorsOf } from '../../src/domain/errors.ts';

/** The connection use cases the screen calls (a test's service lists synchronously). */
export type ConnectionsApi = Omit<StorageConnectionUseCases, 'list' | 'get'> & { list(): StorageConnection[] | Promise<StorageConnection[]> };

export interface ConnectionsScreenDeps {
  service: (core: Core) => ConnectionsApi;
}

export type View =
  | { kind: 'list' }
  | { kind: 'form' }
  | { kind: 'discover'; portal: string; targets?: DiscoveredTarget[]; error?: string; busy: boolean }
  | { kind: 'luns'; id: string; luns?: Lun[]; error?: string }
  | { kind: 'fc'; hosts?: FcHost[]; luns?: Lun[]; error?: string };

export function useConnections(shell: Shell, deps: ConnectionsScreenDeps) {
  const svc = useRef<ConnectionsApi | undefined>(undefined);
  const service = () => (svc.current ??= deps.service(shell.core));
  const listed = () => Promise.resolve().then(() => service().list());
  const [list, setList] = useState<StorageConnection[]>([]);
  const [status, setStatus] = useState<Record<string, ConnectionStatus>>({});
  const [busy, setBusy] = useState<Record<string, string>>({});
  const mounted = useRef(true);
  useEffect(() => () => { mounted.current = false; }, []);

  const reload = useCallback(() => {
    void listed().then((l) => { if (mounted.current) setList(l); }, (e: Error) => shell.notify(...errorNotice(e, 'Storage connections cannot be read')));
  }, [shell]);

  const refreshStatus = useCallback(async (ids?: string[]) => {
    const all = ids ?? (await listed().catch(() => [])).map((c) => c.id);
    for (const id of all) {
      const st = await service().status(id).catch((e: Error) => ({ id, state: 'unknown' as const, detail: e.message }));
      if (!mounted.current) return;
      setStatus((s) => ({ ...s, [id]: st }));
    }
    if (mounted.current) reload();
  }, [reload]);

  useEffect(() => {
    reload();
    void refreshStatus();
  }, [reload, refreshStatus]);

  const act = async (c: StorageConnection, what: string, fn: () => Promise<{ message: string }>) => {
    setBusy((b) => ({ ...b, [c.id]: what }));
    try {
      const o = await fn();
      shell.notify('success', `${o.message}.`);
    } catch (e) {
      shell.notify(...errorNotice(e));
    } finally {
      if (mounted.current) {
        setBusy((b) => { const n = { ...b }; delete n[c.id]; return n; });
        reload();
        void refreshStatus([c.id]);
      }
    }
  };

  return {
    list,
    status,
    busy,
    refresh: () => { reload(); return refreshStatus(); },
    connect: (c: StorageConnection) => act(c, 'connecting', () => service().connect(c.id)),
    disconnect: (c: StorageConnection) => act(c, 'disconnecting', () => service().disconnect(c.id)),
    remove: (c: StorageConnection) => act(c, 'removing', async () => { await service().remove(c.id); return { message: `Removed ${connectionLabel(c)}` }; }),
    setPersistent: (c: StorageConnection, p: boolean) => act(c, 'saving', async () => { await service().setPersistent(c.id, p); return { message: `${connectionLabel(c)} ${p ? 'reconnects at boot' : 'no longer reconnects at boot'}` }; }),
    /** Add; field errors come back for the form, nothing is stored then. */
    async add(input: ConnectionInput, connectNow: boolean): Promise<FieldError[] | undefined> {
      try {
        const c = await service().add(input);
        reload();
        if (connectNow) await act(c, 'connecting', () => service().connect(c.id));
        else shell.notify('success', `Added ${connectionLabel(c)}; c connects it.`);
        return undefined;
      } catch (e) {
        const fe = fieldErrorsOf(e);
        if (fe) return fe;
        shell.notify(...errorNotice(e));
        return [];
      }
    },
    discover: (portal: string, auth?: { user: string; secret: string }) => service().discover(portal, auth),
    luns: (id: string) => service().luns(id),
    fc: async () => ({ hosts: await service().fcHosts(), luns: await service().fcLuns() }),
    mountPath: (c: StorageConnection) => service().mountPath(c),
  };
}
