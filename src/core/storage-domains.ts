// The storage domain use cases: create one on a storage connection (the
// metadata goes onto the storage itself), scan a connection for existing
// domains and import one, activate / maintenance / detach / remove, and the
// libvirt pool and volumes behind each domain.
//
// Everything that touches the storage (mkdir, the metadata file, the volume
// group, capacity) runs as a child process through the injected runner with
// a timeout: no hostdeck process ever does file I/O on a mount that may hang.
// Mounting and iSCSI logins belong to the connection service (storage-conn);
// this module only asks it where a connection's storage is. Every change goes
// through the door; the rows are in the storage domain repository.
import { randomUUID } from 'node:crypto';
import type { Db } from '../manager/db.ts';
import type { EventLog } from '../manager/events.ts';
import { storageDomainRepo, type Capacity, type StorageDomain } from '../manager/repos/storage-domains.ts';
import {
  CONNECTION_KIND, FORMAT_VERSION, MetadataError, disksOnDomain, domainActionBlocked, fileLayout, metadataTags,
  parseDiskSources, parseMetadata, parseMetadataTags, poolTypeFor, validateDomainInput,
  type DomainInput, type DomainMetadata, type DomainStatus, type DomainUser,
} from '../domain/storage/domain.ts';
import { virshArgs } from '../virt/virsh.ts';
import { LibvirtError, PoolClient, type Runner } from '../virt/pools.ts';
import * as processRunner from '../exec/runner.ts';
import { DomainError, DomainInputError } from '../host/storage/errors.ts';
import { domainDisk } from '../host/storage/domain-disk.ts';
import { volumeUseCases } from './storage-volumes.ts';
import { standaloneDoor, type Door } from './door.ts';
import { createDomainMonitor, type DomainMonitor, type MonitorDeps } from './storage-domain-monitor.ts';
import { systemPrincipal } from './principal.ts';
import type { CoreContext } from './index.ts';

export type { Runner } from '../virt/pools.ts';
export { DomainError, DomainInputError, type DomainErrorKind } from '../host/storage/errors.ts';
export type { StorageDomain } from '../manager/repos/storage-domains.ts';
export type { StorageVolume } from '../virt/storage.ts';

/** A storage connection as the connection service returns it (the agreed contract). */
export interface ConnectionRecord {
  id: string;
  type: string;
  name?: string;
  params?: unknown;
  persistent?: boolean;
  state?: string;
}

export interface Lun {
  wwid: string;
  devicePath: string;
  sizeBytes: number;
  vendor?: string;
  model?: string;
  serial?: string;
}

/** The part of storage-conn's createConnectionService this module uses. */
export interface DomainConnections {
  list(): ConnectionRecord[] | Promise<ConnectionRecord[]>;
  get(id: string): ConnectionRecord | undefined | Promise<ConnectionRecord | undefined>;
  status(id: string): unknown;
  mountPath(conn: ConnectionRecord): string | undefined;
  luns(id: string): Promise<Lun[]>;
}

export interface FoundDomain {
  metadata: DomainMetadata;
  /** The domain directory or the volume group. */
  path: string;
  device?: string;
  /** Already attached to this data center (as this row's name). */
  attachedAs?: string;
}

export interface DomainServiceDeps {
  runner: Runner;
  db: Db;
  events: EventLog;
  /** The door the changes go through (default: one for the event log's user and channel, refusing nothing). */
  door?: Door;
  connections: DomainConnections;
  /** libvirt URI (default qemu:///system). */
  uri?: string;
  /** Timeout for each program that touches the storage (default 20 s). */
  storageTimeoutMs?: number;
}

/** One health check's outcome; inactive: the connection is down on purpose (disconnected or removed). */
export type ProbeResult =
  | { ok: true; capacity?: Capacity }
  | { ok: false; error: string; inactive?: boolean };

export type { UploadProgress } from './storage-volumes.ts';

/** Whatever shape the connection service's status has: connected or not. */
export function isConnected(status: unknown, record?: ConnectionRecord): boolean {
  const word = (v: unknown) => typeof v === 'string' && /^(connected|mounted|logged-?in|active|up)$/i.test(v);
  if (word(status)) return true;
  if (status && typeof status === 'object') {
    const s = status as Record<string, unknown>;
    if (s.connected === true || word(s.state) || word(s.status)) return true;
    if (s.connected === false || typeof s.state === 'string' || typeof s.status === 'string') return false;
  }
  return word(record?.state);
}

export function createDomainService(deps: DomainServiceDeps) {
  const { runner, connections } = deps;
  const repo = storageDomainRepo(deps.db);
  const door = deps.door ?? standaloneDoor(deps.events);
  const virsh = new PoolClient(runner, deps.uri ?? 'qemu:///system');
  const tmo = deps.storageTimeoutMs ?? 20_000;

  const rows = repo.all;
  const byKey = repo.byKey;
  const mustGet = (key: string): StorageDomain => {
    const d = byKey(key);
    if (!d) throw new DomainError('not-found', `no storage domain named or with id ${JSON.stringify(key)} (see hostdeck storage domain list)`);
    return d;
  };
  const setStatus = repo.setStatus;
  const defaultDataCenter = (): string => {
    const id = repo.defaultDataCenter();
    if (!id) throw new DomainError('state', 'no data center exists in the state database');
    return id;
  };

  const resolveConnection = async (key: string): Promise<ConnectionRecord> => {
    const c = (await connections.get(key)) ?? (await connections.list()).find((x) => x.name === key);
    if (!c) throw new DomainInputError([{ field: 'connection', message: `connection: no storage connection ${JSON.stringify(key)} (see hostdeck storage connection list)` }]);
    if (!CONNECTION_KIND[c.type]) throw new DomainInputError([{ field: 'connection', message: `connection: type ${c.type} cannot carry a storage domain` }]);
    return c;
  };
  const requireConnected = async (c: ConnectionRecord): Promise<void> => {
    let st: unknown;
    try { st = await connections.status(c.id); } catch (e) { throw new DomainError('connection', `connection ${c.name ?? c.id}: status unknown: ${(e as Error).message}`); }
    if (!isConnected(st, c)) throw new DomainError('connection', `connection ${c.name ?? c.id} is not connected: connect it first (hostdeck storage connection connect ${c.name ?? c.id})`);
  };
  const connLabel = (c: ConnectionRecord) => c.name ?? c.id;
  const mountOf = (c: ConnectionRecord): string => {
    const m = connections.mountPath(c);
    if (!m) throw new DomainError('connection', `connection ${connLabel(c)} (${c.type}) has no mount path`);
    return m;
  };

  const pickLun = async (c: ConnectionRecord, want?: string): Promise<Lun> => {
    const luns = await connections.luns(c.id);
    if (!luns.length) throw new DomainError('connection', `connection ${connLabel(c)} shows no LUN`);
    if (want) {
      const l = luns.find((x) => x.wwid === want || x.devicePath === want);
      if (!l) throw new DomainInputError([{ field: 'lun', message: `lun: connection ${connLabel(c)} has no LUN ${want} (it has ${luns.map((x) => x.wwid).join(', ')})` }]);
      return l;
    }
    if (luns.length > 1) throw new DomainInputError([{ field: 'lun', message: `lun: connection ${connLabel(c)} has ${luns.length} LUNs; name one (${luns.map((x) => x.wwid).join(', ')})` }]);
    return luns[0]!;
  };

  const { onStorage, hostName, writeFileMetadata, readFileMetadata, vgReport, measure } = domainDisk(runner, tmo);

  const storeCapacity = repo.storeCapacity;

  // ---- who uses a domain ------------------------------------------------------------

  const usersOf = async (d: StorageDomain, includeStopped: boolean): Promise<DomainUser[]> => {
    const users: DomainUser[] = [];
    for (const vm of await virsh.vmNames(includeStopped)) {
      let xml: string;
      try { xml = await virsh.vmXml(vm); } catch { continue; /* vanished meanwhile */ }
      const disks = disksOnDomain(parseDiskSources(xml), d);
      if (disks.length) users.push({ vm, state: includeStopped ? await virsh.vmState(vm).catch(() => 'unknown') : 'running', disks });
    }
    return users;
  };

  const usersMessage = (d: StorageDomain, users: DomainUser[], what: string) =>
    `${what} ${d.name} refused: ${users.length} VM${users.length === 1 ? '' : 's'} use${users.length === 1 ? 's' : ''} it: ${users.map((u) => `${u.vm} (${u.state}; ${u.disks.join(', ')})`).join('; ')}`;

  const insert = repo.insert;

  const nameTaken = (name: string, exceptId?: string) => rows().some((d) => d.name === name && d.id !== exceptId);

  /** Define and start the pool of a domain; rolls the definition back on failure. */
  const attachPool = async (d: Pick<StorageDomain, 'poolName' | 'kind' | 'path'>) => {
    const defined = d.kind === 'block' ? await virsh.defineLogical(d.poolName, d.path) : await virsh.defineDir(d.poolName, `${d.path}/images`);
    try {
      if (defined) await virsh.virsh(virshArgs('pool-start', { pool: d.poolName }), { timeoutMs: 60_000 });
      else await virsh.start(d.poolName);
    } catch (e) {
      if (defined) await virsh.undefine(d.poolName).catch(() => undefined);
      throw e;
    }
  };

  const service = {
    virsh,

    list(): StorageDomain[] {
      return rows();
    },

    get(key: string): StorageDomain | undefined {
      return byKey(key);
    },

    /** Create a domain on a connection: metadata on the storage, a libvirt pool, a row in the data center. */
    async create(input: DomainInput): Promise<StorageDomain> {
      const v = validateDomainInput(input);
      if (!v.ok) throw new DomainInputError(v.errors);
      const spec = v.value;
      if (nameTaken(spec.name)) throw new DomainInputError([{ field: 'name', message: `name: a storage domain named ${spec.name} already exists` }]);
      const conn = await resolveConnection(spec.connectionId);
      const kind = CONNECTION_KIND[conn.type]!;
      if (kind === 'block' && spec.type !== 'data') throw new DomainInputError([{ field: 'type', message: `type: ${spec.type} domains live on file storage (NFS, POSIX, local); ${connLabel(conn)} is ${conn.type}` }]);
      if (spec.lun && kind !== 'block') throw new DomainInputError([{ field: 'lun', message: `lun: only for iSCSI and FC connections (${connLabel(conn)} is ${conn.type})` }]);
      return door.act('storage-domain.create', { id: spec.name }, { message: `Create ${spec.type} storage domain ${spec.name} on connection ${connLabel(conn)}` }, async ({ commit }) => {
        await requireConnected(conn);
        const uuid = randomUUID();
        const now = new Date().toISOString();
        const meta: DomainMetadata = { uuid, name: spec.name, type: spec.type, kind, formatVersion: FORMAT_VERSION, creatorHost: await hostName(), createdAt: now, description: spec.description };
        const base = {
          id: uuid, name: spec.name, description: spec.description, type: spec.type, kind, dataCenterId: defaultDataCenter(), connectionId: conn.id,
          status: 'active' as DomainStatus, formatVersion: FORMAT_VERSION, poolName: uuid, poolType: poolTypeFor(conn.type),
          capacityBytes: null, usedBytes: null, freeBytes: null, checkedAt: null, lastError: null, creatorHost: meta.creatorHost, createdAt: now, attachedAt: now,
        };
        let d: StorageDomain;
        if (kind === 'file') {
          const mount = mountOf(conn);
          const lay = fileLayout(mount, uuid);
          d = { ...base, path: lay.dir, device: null };
          try {
            await writeFileMetadata(lay, meta);
            await attachPool(d);
          } catch (e) {
            await runner.run('rm', ['-rf', '--one-file-system', '--', lay.dir], { timeoutMs: tmo });
            throw e;
          }
        } else {
          const lun = await pickLun(conn, spec.lun);
          const used = (await vgReport([lun.devicePath])).find((p) => p.vg_name);
          if (used) throw new DomainError('state', `LUN ${lun.wwid} already holds volume group ${used.vg_name}${/MDT_SDUUID=/.test(used.vg_tags) ? ' (a storage domain: import it instead)' : ''}; hostdeck does not overwrite it`);
          d = { ...base, path: uuid, device: lun.devicePath };
          try {
            await onStorage('pvcreate', ['--yes', '--', lun.devicePath], `initializing LUN ${lun.wwid}`, { timeoutMs: 60_000 });
            await onStorage('vgcreate', [...metadataTags(meta).flatMap((t) => ['--addtag', t]), '--', uuid, lun.devicePath], 'creating the volume group', { timeoutMs: 60_000 });
            await attachPool(d);
          } catch (e) {
            await runner.run('vgremove', ['--yes', '--', uuid], { timeoutMs: 60_000 });
            await runner.run('pvremove', ['--yes', '--', lun.devicePath], { timeoutMs: 60_000 });
            throw e;
          }
        }
        commit(() => insert(d));
        try { storeCapacity(uuid, await measure(d)); } catch { /* the health check fills it in */ }
        return mustGet(uuid);
      });
    },

    /** Domains found on a connection's storage (read-only). */
    async scan(connectionKey: string): Promise<FoundDomain[]> {
      const conn = await resolveConnection(connectionKey);
      await requireConnected(conn);
      const attached = new Map(rows().map((d) => [d.id, d.name]));
      const found: FoundDomain[] = [];
      if (CONNECTION_KIND[conn.type] === 'file') {
        const mount = mountOf(conn).replace(/\/+$/, '');
        // -name, not -path: a mount path may hold characters find would read as a pattern.
        const out = await onStorage('find', ['--', mount, '-mindepth', '3', '-maxdepth', '3', '-type', 'f', '-name', 'metadata'], `searching ${mount} for storage domains`);
        const files = out.split('\n').filter((l) => l.startsWith(`${mount}/`) && /^[^/]+\/dom_md\/metadata$/.test(l.slice(mount.length + 1))).sort();
        for (const file of files) {
          try {
            const m = await readFileMetadata(file);
            const dir = file.replace(/\/dom_md\/metadata$/, '');
            if (dir.replace(/^.*\//, '') !== m.uuid) continue; // a copy under another name is not the domain
            found.push({ metadata: m, path: dir, ...(attached.has(m.uuid) ? { attachedAs: attached.get(m.uuid) } : {}) });
          } catch (e) {
            if (!(e instanceof MetadataError)) throw e;
          }
        }
      } else {
        const luns = await connections.luns(conn.id);
        for (const p of await vgReport(luns.map((l) => l.devicePath))) {
          if (!p.vg_name || !/MDT_SDUUID=/.test(p.vg_tags)) continue;
          try {
            const m = parseMetadataTags(p.vg_tags.split(','), `volume group ${p.vg_name}`);
            if (m.uuid !== p.vg_name) continue;
            found.push({ metadata: m, path: p.vg_name, device: p.pv_name, ...(attached.has(m.uuid) ? { attachedAs: attached.get(m.uuid) } : {}) });
          } catch (e) {
            if (!(e instanceof MetadataError)) throw e;
          }
        }
      }
      return found;
    },

    /** Attach a domain found on a connection (by UUID or name) to the data center. */
    async import(connectionKey: string, which: string, opts: { name?: string } = {}): Promise<StorageDomain> {
      if (!which.trim()) throw new DomainInputError([{ field: 'domain', message: 'domain: is required (the UUID or name of a domain found by scan)' }]);
      if (opts.name !== undefined) {
        const v = validateDomainInput({ name: opts.name, type: 'data', connectionId: connectionKey });
        if (!v.ok && v.errors.some((e) => e.field === 'name')) throw new DomainInputError(v.errors.filter((e) => e.field === 'name'));
      }
      const conn = await resolveConnection(connectionKey);
      return door.act('storage-domain.import', { id: which }, { message: `Import storage domain ${which} from connection ${connLabel(conn)}` }, async ({ commit }) => {
        const found = await service.scan(conn.id);
        const f = found.find((x) => x.metadata.uuid === which) ?? found.filter((x) => x.metadata.name === which).at(0);
        if (!f) throw new DomainError('not-found', `connection ${connLabel(conn)} holds no storage domain ${which}${found.length ? ` (found: ${found.map((x) => `${x.metadata.name} ${x.metadata.uuid}`).join(', ')})` : ''}`);
        if (f.attachedAs) throw new DomainError('state', `storage domain ${f.metadata.uuid} is already attached as ${f.attachedAs}`);
        const name = opts.name ?? f.metadata.name;
        if (nameTaken(name)) throw new DomainInputError([{ field: 'name', message: `name: a storage domain named ${name} already exists; import with another --name` }]);
        const now = new Date().toISOString();
        const m = f.metadata;
        const d: StorageDomain = {
          id: m.uuid, name, description: m.description, type: m.type, kind: m.kind, dataCenterId: defaultDataCenter(), connectionId: conn.id, status: 'active',
          formatVersion: m.formatVersion, poolName: m.uuid, poolType: poolTypeFor(conn.type), path: f.path, device: f.device ?? null,
          capacityBytes: null, usedBytes: null, freeBytes: null, checkedAt: null, lastError: null, creatorHost: m.creatorHost, createdAt: m.createdAt, attachedAt: now,
        };
        if (d.kind === 'block') await onStorage('vgchange', ['--activate', 'y', '--', d.path], 'activating the volume group', { timeoutMs: 60_000 });
        await attachPool(d);
        commit(() => insert(d));
        try { storeCapacity(d.id, await measure(d)); } catch { /* the health check fills it in */ }
        return mustGet(d.id);
      });
    },

    /** Bring a domain (back) to active: its connection must be up and its metadata readable. */
    async activate(key: string): Promise<StorageDomain> {
      const d = mustGet(key);
      const blocked = domainActionBlocked('activate', d);
      if (blocked) throw new DomainError('state', blocked);
      return door.act('storage-domain.activate', { id: d.id }, { message: `Activate storage domain ${d.name}` }, async ({ commit }) => {
        const conn = await connections.get(d.connectionId);
        if (!conn) throw new DomainError('connection', `the connection of ${d.name} (${d.connectionId}) no longer exists`);
        await requireConnected(conn);
        const check = await service.probe(d);
        if (!check.ok) throw new DomainError('storage', check.error);
        if (d.kind === 'block') await onStorage('vgchange', ['--activate', 'y', '--', d.path], 'activating the volume group', { timeoutMs: 60_000 });
        await attachPool(d);
        commit(() => setStatus(d.id, 'active'));
        try { storeCapacity(d.id, await measure(d)); } catch { /* next check */ }
        return mustGet(d.id);
      });
    },

    /** Stop using a domain: refused while a running VM uses it; stops its pool, keeps everything defined. */
    async maintenance(key: string): Promise<StorageDomain> {
      const d = mustGet(key);
      const blocked = domainActionBlocked('maintenance', d);
      if (blocked) throw new DomainError('state', blocked);
      return door.act('storage-domain.maintenance', { id: d.id }, { message: `Put storage domain ${d.name} into maintenance` }, async ({ commit }) => {
        const users = await usersOf(d, false);
        if (users.length) throw new DomainError('in-use', usersMessage(d, users, 'Maintenance of'), users);
        await virsh.stop(d.poolName);
        commit(() => setStatus(d.id, 'maintenance'));
        return mustGet(d.id);
      });
    },

    /** Remove a domain in maintenance from the data center and its pool from libvirt; the data stays on the storage. */
    async detach(key: string): Promise<void> {
      const d = mustGet(key);
      const blocked = domainActionBlocked('detach', d);
      if (blocked) throw new DomainError('state', blocked);
      await door.act('storage-domain.detach', { id: d.id }, { message: `Detach storage domain ${d.name} (data stays on the storage)` }, async ({ commit }) => {
        const users = await usersOf(d, false);
        if (users.length) throw new DomainError('in-use', usersMessage(d, users, 'Detach of'), users);
        await virsh.undefine(d.poolName);
        if (d.kind === 'block') await runner.run('vgchange', ['--activate', 'n', '--', d.path], { timeoutMs: 60_000 });
        commit(() => repo.remove(d.id));
      });
    },

    /** Detach and destroy: the domain's directory or volume group is deleted. Refused while any VM (running or not) has a disk on it. */
    async remove(key: string): Promise<void> {
      const d = mustGet(key);
      const blocked = domainActionBlocked('remove', d);
      if (blocked) throw new DomainError('state', blocked);
      await door.act('storage-domain.remove', { id: d.id }, { message: `Remove storage domain ${d.name} and delete its data` }, async ({ commit }) => {
        const users = await usersOf(d, true);
        if (users.length) throw new DomainError('in-use', usersMessage(d, users, 'Removal of'), users);
        const conn = await connections.get(d.connectionId);
        if (!conn) throw new DomainError('connection', `the connection of ${d.name} no longer exists: detach instead`);
        await requireConnected(conn);
        await virsh.undefine(d.poolName);
        if (d.kind === 'block') {
          await onStorage('vgremove', ['--yes', '--force', '--', d.path], 'removing the volume group', { timeoutMs: 60_000 });
          if (d.device) await onStorage('pvremove', ['--yes', '--', d.device], 'wiping the LVM label', { timeoutMs: 60_000 });
        } else {
          if (!/\/[0-9a-f-]{36}$/.test(d.path)) throw new DomainError('state', `refusing to delete ${d.path}: not a domain directory`);
          await onStorage('rm', ['-rf', '--one-file-system', '--', d.path], `deleting ${d.path}`, { timeoutMs: 120_000 });
        }
        commit(() => repo.remove(d.id));
      });
    },

    /** VMs using a domain right now (running only unless includeStopped). */
    usersOf(key: string, includeStopped = false): Promise<DomainUser[]> {
      return usersOf(mustGet(key), includeStopped);
    },

    /**
     * One health check: reads the metadata (file) or the LUN's first block
     * with direct I/O in a child process, then the capacity. The caller (the
     * monitor) bounds the wait; a hung read never blocks this process.
     */
    async probe(d: StorageDomain, timeoutMs = tmo): Promise<ProbeResult> {
      try {
        // A connection the operator disconnected (or removed) makes the domain inactive, not an alarm; read from the state DB only.
        const conn = await connections.get(d.connectionId);
        if (!conn) return { ok: false, inactive: true, error: `its storage connection ${d.connectionId} was removed` };
        if (conn.state === 'disconnected') return { ok: false, inactive: true, error: `its storage connection ${connLabel(conn)} is disconnected` };
        if (d.kind === 'file') {
          const file = `${d.path}/dom_md/metadata`;
          let r = await runner.run('dd', [`if=${file}`, 'iflag=direct', 'bs=4096', 'count=1', 'status=none'], { timeoutMs });
          // O_DIRECT is not offered by every file system (tmpfs): read it plainly there.
          if (r.exitCode !== 0 && /Invalid argument/.test(r.stderr)) r = await runner.run('dd', [`if=${file}`, 'bs=4096', 'count=1', 'status=none'], { timeoutMs });
          if (r.timedOut) return { ok: false, error: `reading ${file} did not finish within ${Math.round(timeoutMs / 1000)} s` };
          if (r.exitCode !== 0) return { ok: false, error: `reading ${file}: ${r.stderr.trim().split('\n').pop() || `dd exited with code ${r.exitCode}`}` };
          const m = parseMetadata(r.stdout, file);
          if (m.uuid !== d.id) return { ok: false, error: `${file} belongs to domain ${m.uuid}, not ${d.id}` };
        } else {
          if (!d.device) return { ok: false, error: 'no device recorded for this block domain' };
          const r = await runner.run('dd', [`if=${d.device}`, 'iflag=direct', 'bs=4096', 'count=1', 'of=/dev/null', 'status=none'], { timeoutMs });
          if (r.timedOut) return { ok: false, error: `reading ${d.device} did not finish within ${Math.round(timeoutMs / 1000)} s` };
          if (r.exitCode !== 0) return { ok: false, error: `reading ${d.device}: ${r.stderr.trim().split('\n').pop() || `dd exited with code ${r.exitCode}`}` };
        }
        // The capacity (df / vgs, another child) is read after the verdict and does not count against the
        // deadline: on a loaded host it would turn a good read into a late one.
        void measure(d, Math.max(timeoutMs, 15_000)).then((c) => { if (byKey(d.id)?.status === 'active') storeCapacity(d.id, c); }, () => undefined);
        return { ok: true };
      } catch (e) {
        return { ok: false, error: (e as Error).message };
      }
    },

    /** Record a probe's outcome; returns the status change it caused, if any (the monitor raises events for those). */
    recordCheck(id: string, result: ProbeResult): { from: DomainStatus; to: DomainStatus } | undefined {
      const d = byKey(id);
      if (!d || (d.status !== 'active' && d.status !== 'unreachable')) return undefined;
      if (result.ok) {
        if (result.capacity) storeCapacity(id, result.capacity);
        return repo.checkedOk(id) ? { from: 'unreachable', to: 'active' } : undefined;
      }
      if (result.inactive) {
        repo.checkFailed(id, result.error, true);
        return { from: d.status, to: 'inactive' };
      }
      return repo.checkFailed(id, result.error, false) ? { from: 'active', to: 'unreachable' } : undefined;
    },

    ...volumeUseCases({ door, runner, tmo, virsh, mustGet, usersOf, measure, storeCapacity, onStorage }),
  };
  return service;
}

export type DomainService = ReturnType<typeof createDomainService>;
export { LibvirtError };

export { createDomainMonitor, HEALTH_INTERVAL_MS, HEALTH_TIMEOUT_MS, type DomainMonitor } from './storage-domain-monitor.ts';

/** The storage domains as the front ends see them: the listing goes through the door like every action. */
export type StorageDomainUseCases = Omit<DomainService, 'list' | 'virsh' | 'probe' | 'recordCheck'> & {
  list(): Promise<StorageDomain[]>;
  /** Domain counts by status (the dashboard's storage line): one query of the state DB, no storage touched. */
  statusCounts(): { status: DomainStatus; n: number }[];
  /** The process's health monitor, started on the first call (the console: once, whoever asks first). */
  startMonitor(): DomainMonitor;
  /** A health monitor of its own (the foreground monitor verb), not started. */
  newMonitor(opts?: Pick<MonitorDeps, 'onRound' | 'onChange' | 'keepAlive'>): DomainMonitor;
};

/** The use cases over a domain service (the process's, or a test's with its own runner). */
export function domainUseCases(ctx: CoreContext, svc: DomainService): StorageDomainUseCases {
  let shared: DomainMonitor | undefined;
  // The health checks are hostdeck's own work, whoever started the process.
  const newMonitor = (opts: Pick<MonitorDeps, 'onRound' | 'onChange' | 'keepAlive'> = {}) =>
    createDomainMonitor({ ...opts, service: svc, events: ctx.infra.events, principal: systemPrincipal(ctx.door.principal.user) });
  const { virsh: _virsh, probe: _probe, recordCheck: _record, ...rest } = svc;
  return {
    ...rest,
    list: () => ctx.door.act('storage-domain.list', { id: '*' }, { message: 'List the storage domains' }, () => svc.list()),
    statusCounts: () => storageDomainRepo(ctx.infra.db).statusCounts(),
    startMonitor() {
      if (!shared) { shared = newMonitor(); shared.start(); }
      return shared;
    },
    newMonitor,
  };
}

/** The domain service of a hostdeck process: this machine's runner, the state DB and the door, libvirt's URI, the connections. */
export function createStorageDomainUseCases(ctx: CoreContext, connections: DomainConnections): StorageDomainUseCases {
  const { infra } = ctx;
  return domainUseCases(ctx, createDomainService({
    runner: { run: processRunner.run, runOk: processRunner.runOk },
    db: infra.db,
    events: infra.events,
    door: ctx.door,
    uri: infra.config.uri,
    connections,
  }));
}
