// Storage domains on this host: create one on a storage connection (the
// metadata goes onto the storage itself), scan a connection for existing
// domains and import one, activate / maintenance / detach / remove, and the
// libvirt pool and volumes behind each domain.
//
// Everything that touches the storage (mkdir, the metadata file, the volume
// group, capacity) runs as a child process through the injected runner with
// a timeout: no hostdeck process ever does file I/O on a mount that may hang.
// Mounting and iSCSI logins belong to the connection service (storage-conn);
// this module only asks it where a connection's storage is.
import { randomUUID } from 'node:crypto';
import { InvalidInputError } from '../../../domain/errors.ts';
import type { Db } from '../../../manager/db.ts';
import type { EventLog } from '../../../manager/events.ts';
import {
  CONNECTION_KIND, FORMAT_VERSION, MetadataError, disksOnDomain, domainActionBlocked, fileLayout, formatMetadata, metadataTags,
  parseDiskSources, parseMetadata, parseMetadataTags, poolTypeFor, uploadNameRule, validateDomainInput, validateVolumeInput, volumeInputProblems, volumeNameRule,
  type DomainInput, type DomainMetadata, type DomainStatus, type DomainType, type DomainUser, type FieldError, type StorageKind, type VolumeInput,
} from '../../../domain/storage/domain.ts';
import { formatBytes } from '../../../domain/size.ts';
import { virshArgs } from '../../../virt/virsh.ts';
import type { StorageVolume } from '../../../virt/storage.ts';
import { LibvirtError, PoolClient, type Runner } from './libvirt.ts';

export type { Runner } from './libvirt.ts';

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

export interface StorageDomain {
  id: string;
  name: string;
  description: string;
  type: DomainType;
  kind: StorageKind;
  dataCenterId: string;
  connectionId: string;
  status: DomainStatus;
  formatVersion: number;
  poolName: string;
  poolType: string;
  /** File domains: the domain directory (<mount>/<uuid>); block domains: the volume group name. */
  path: string;
  /** Block domains: the LUN's device. */
  device: string | null;
  capacityBytes: number | null;
  usedBytes: number | null;
  freeBytes: number | null;
  checkedAt: string | null;
  lastError: string | null;
  creatorHost: string;
  createdAt: string;
  attachedAt: string;
}

export interface FoundDomain {
  metadata: DomainMetadata;
  /** The domain directory or the volume group. */
  path: string;
  device?: string;
  /** Already attached to this data center (as this row's name). */
  attachedAs?: string;
}

export class DomainInputError extends InvalidInputError {
  constructor(public override readonly errors: FieldError[]) {
    super(errors);
    this.name = 'DomainInputError';
  }
}

export type DomainErrorKind = 'not-found' | 'state' | 'in-use' | 'storage' | 'libvirt' | 'connection';

export class DomainError extends Error {
  constructor(public readonly kind: DomainErrorKind, message: string, public readonly users: DomainUser[] = []) {
    super(message);
    this.name = 'DomainError';
  }
}

export interface DomainServiceDeps {
  runner: Runner;
  db: Db;
  events: EventLog;
  connections: DomainConnections;
  /** libvirt URI (default qemu:///system). */
  uri?: string;
  /** Timeout for each program that touches the storage (default 20 s). */
  storageTimeoutMs?: number;
}

/** One health check's outcome; inactive: the connection is down on purpose (disconnected or removed). */
export type ProbeResult =
  | { ok: true; capacity?: { capacityBytes: number; usedBytes: number; freeBytes: number } }
  | { ok: false; error: string; inactive?: boolean };

export interface UploadProgress {
  doneBytes: number;
  totalBytes: number;
}

interface Row {
  id: string; name: string; description: string; type: DomainType; kind: StorageKind; data_center_id: string; connection_id: string;
  status: DomainStatus; format_version: number; pool_name: string; pool_type: string; path: string; device: string | null;
  capacity_bytes: number | null; used_bytes: number | null; free_bytes: number | null; checked_at: string | null; last_error: string | null;
  creator_host: string; created_at: string; attached_at: string;
}

const toDomain = (r: Row): StorageDomain => ({
  id: r.id, name: r.name, description: r.description, type: r.type, kind: r.kind, dataCenterId: r.data_center_id, connectionId: r.connection_id,
  status: r.status, formatVersion: r.format_version, poolName: r.pool_name, poolType: r.pool_type, path: r.path, device: r.device,
  capacityBytes: r.capacity_bytes, usedBytes: r.used_bytes, freeBytes: r.free_bytes, checkedAt: r.checked_at, lastError: r.last_error,
  creatorHost: r.creator_host, createdAt: r.created_at, attachedAt: r.attached_at,
});

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

const SOURCE = 'storage';
const OBJ = 'storage-domain';
const CHUNK_BYTES = 32 * 1024 * 1024;

export function createDomainService(deps: DomainServiceDeps) {
  const { runner, db, events, connections } = deps;
  const virsh = new PoolClient(runner, deps.uri ?? 'qemu:///system');
  const tmo = deps.storageTimeoutMs ?? 20_000;

  const rows = () => (db.prepare('SELECT * FROM storage_domains ORDER BY name').all() as Row[]).map(toDomain);
  const byKey = (key: string) => {
    const r = (db.prepare('SELECT * FROM storage_domains WHERE id = ? OR name = ?').get(key, key) as Row | undefined);
    return r && toDomain(r);
  };
  const mustGet = (key: string): StorageDomain => {
    const d = byKey(key);
    if (!d) throw new DomainError('not-found', `no storage domain named or with id ${JSON.stringify(key)} (see hostdeck storage domain list)`);
    return d;
  };
  const setStatus = (id: string, status: DomainStatus, lastError: string | null = null) => {
    db.prepare('UPDATE storage_domains SET status = ?, last_error = ? WHERE id = ?').run(status, lastError, id);
  };
  const defaultDataCenter = (): string => {
    const id = db.prepare("SELECT id FROM data_centers WHERE name = 'Default'").pluck().get() as string | undefined
      ?? db.prepare('SELECT id FROM data_centers ORDER BY created_at LIMIT 1').pluck().get() as string | undefined;
    if (!id) throw new DomainError('state', 'no data center exists in the state database');
    return id;
  };

  /** A program on the storage, with the timeout; throws DomainError('storage') with its words. */
  const onStorage = async (cmd: string, args: string[], what: string, opts: { input?: string; timeoutMs?: number } = {}): Promise<string> => {
    const r = await runner.run(cmd, args, { timeoutMs: opts.timeoutMs ?? tmo, input: opts.input, env: { LC_ALL: 'C' } });
    if (r.exitCode !== 0 || r.timedOut) {
      const why = r.timedOut ? `no answer within ${Math.round((opts.timeoutMs ?? tmo) / 1000)} s (storage unreachable?)` : (r.stderr || r.stdout).trim().split('\n').slice(-2).join(' | ') || `${cmd} exited with code ${r.exitCode}`;
      throw new DomainError('storage', `${what}: ${why}`);
    }
    return r.stdout;
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
  const hostName = async (): Promise<string> => (await runner.run('uname', ['-n'], { timeoutMs: 5000 })).stdout.trim() || 'unknown';

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

  // ---- metadata on storage --------------------------------------------------------

  const writeFileMetadata = async (dir: { mdDir: string; images: string; metadata: string }, m: DomainMetadata) => {
    await onStorage('mkdir', ['-p', '--', dir.mdDir, dir.images], 'creating the domain directories');
    // Written to a temporary name and renamed, so a reader never sees half a file.
    await onStorage('dd', [`of=${dir.metadata}.new`, 'conv=fsync', 'status=none'], 'writing the domain metadata', { input: formatMetadata(m) });
    await onStorage('mv', ['-f', '--', `${dir.metadata}.new`, dir.metadata], 'writing the domain metadata');
  };

  const readFileMetadata = async (file: string): Promise<DomainMetadata> => parseMetadata(await onStorage('dd', [`if=${file}`, 'bs=64k', 'count=1', 'status=none'], `reading ${file}`), file);

  interface VgRow { vg_name: string; vg_tags: string; pv_name: string }
  const vgReport = async (devices: string[]): Promise<VgRow[]> => {
    if (!devices.length) return [];
    // pvs exits 5 when a device is not a PV (a blank LUN) and still reports the ones that are.
    const r = await runner.run('pvs', ['--reportformat', 'json', '-o', 'pv_name,vg_name,vg_tags', '--', ...devices], { timeoutMs: tmo, env: { LC_ALL: 'C' } });
    let rep: { report?: { pv?: VgRow[] }[] } | undefined;
    try { rep = JSON.parse(r.stdout) as typeof rep; } catch { rep = undefined; }
    if (!rep || r.timedOut) throw new DomainError('storage', `reading the LVM labels: ${r.timedOut ? `no answer within ${Math.round(tmo / 1000)} s` : (r.stderr || r.spawnError || `pvs exited with code ${r.exitCode}`).trim().split('\n').pop()}`);
    return (rep.report?.[0]?.pv ?? []).map((p) => ({ ...p }));
  };

  // ---- capacity --------------------------------------------------------

  /** Capacity from a child process (df / vgs), never statfs in this process. */
  const measure = async (d: Pick<StorageDomain, 'kind' | 'path'>, timeoutMs = tmo): Promise<{ capacityBytes: number; usedBytes: number; freeBytes: number }> => {
    if (d.kind === 'block') {
      const out = await onStorage('vgs', ['--noheadings', '--units', 'b', '--nosuffix', '-o', 'vg_size,vg_free', '--', d.path], 'reading the volume group size', { timeoutMs });
      const [size, free] = out.trim().split(/\s+/).map(Number);
      if (!Number.isFinite(size) || !Number.isFinite(free)) throw new DomainError('storage', `vgs ${d.path}: unexpected output ${JSON.stringify(out.trim())}`);
      return { capacityBytes: size!, usedBytes: size! - free!, freeBytes: free! };
    }
    const out = await onStorage('df', ['-B1', '--output=size,used,avail', '--', d.path], 'reading the capacity', { timeoutMs });
    const nums = out.trim().split('\n').pop()!.trim().split(/\s+/).map(Number);
    if (nums.length !== 3 || nums.some((n) => !Number.isFinite(n))) throw new DomainError('storage', `df ${d.path}: unexpected output ${JSON.stringify(out.trim())}`);
    return { capacityBytes: nums[0]!, usedBytes: nums[1]!, freeBytes: nums[2]! };
  };

  const storeCapacity = (id: string, c: { capacityBytes: number; usedBytes: number; freeBytes: number }) => {
    db.prepare('UPDATE storage_domains SET capacity_bytes = ?, used_bytes = ?, free_bytes = ?, checked_at = ? WHERE id = ?').run(c.capacityBytes, c.usedBytes, c.freeBytes, new Date().toISOString(), id);
  };

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

  const insert = (d: StorageDomain) => {
    db.prepare(`INSERT INTO storage_domains (id, name, description, type, kind, data_center_id, connection_id, status, format_version, pool_name, pool_type, path, device,
      capacity_bytes, used_bytes, free_bytes, checked_at, last_error, creator_host, created_at, attached_at)
      VALUES (@id, @name, @description, @type, @kind, @dataCenterId, @connectionId, @status, @formatVersion, @poolName, @poolType, @path, @device,
      @capacityBytes, @usedBytes, @freeBytes, @checkedAt, @lastError, @creatorHost, @createdAt, @attachedAt)`).run(d);
  };

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
      return events.action({ source: SOURCE, objectType: OBJ, objectId: spec.name, message: `Create ${spec.type} storage domain ${spec.name} on connection ${connLabel(conn)}` }, async ({ commit }) => {
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
      return events.action({ source: SOURCE, objectType: OBJ, objectId: which, message: `Import storage domain ${which} from connection ${connLabel(conn)}` }, async ({ commit }) => {
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
      return events.action({ source: SOURCE, objectType: OBJ, objectId: d.id, message: `Activate storage domain ${d.name}` }, async ({ commit }) => {
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
      return events.action({ source: SOURCE, objectType: OBJ, objectId: d.id, message: `Put storage domain ${d.name} into maintenance` }, async ({ commit }) => {
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
      await events.action({ source: SOURCE, objectType: OBJ, objectId: d.id, message: `Detach storage domain ${d.name} (data stays on the storage)` }, async ({ commit }) => {
        const users = await usersOf(d, false);
        if (users.length) throw new DomainError('in-use', usersMessage(d, users, 'Detach of'), users);
        await virsh.undefine(d.poolName);
        if (d.kind === 'block') await runner.run('vgchange', ['--activate', 'n', '--', d.path], { timeoutMs: 60_000 });
        commit(() => db.prepare('DELETE FROM storage_domains WHERE id = ?').run(d.id));
      });
    },

    /** Detach and destroy: the domain's directory or volume group is deleted. Refused while any VM (running or not) has a disk on it. */
    async remove(key: string): Promise<void> {
      const d = mustGet(key);
      const blocked = domainActionBlocked('remove', d);
      if (blocked) throw new DomainError('state', blocked);
      await events.action({ source: SOURCE, objectType: OBJ, objectId: d.id, message: `Remove storage domain ${d.name} and delete its data` }, async ({ commit }) => {
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
        commit(() => db.prepare('DELETE FROM storage_domains WHERE id = ?').run(d.id));
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
      const now = new Date().toISOString();
      const d = byKey(id);
      if (!d || (d.status !== 'active' && d.status !== 'unreachable')) return undefined;
      if (result.ok) {
        if (result.capacity) storeCapacity(id, result.capacity);
        else db.prepare('UPDATE storage_domains SET checked_at = ? WHERE id = ?').run(now, id);
        const changed = db.prepare("UPDATE storage_domains SET status = 'active', last_error = NULL WHERE id = ? AND status = 'unreachable'").run(id).changes;
        return changed ? { from: 'unreachable', to: 'active' } : undefined;
      }
      db.prepare('UPDATE storage_domains SET checked_at = ?, last_error = ? WHERE id = ?').run(now, result.error, id);
      if (result.inactive) {
        const from = d.status;
        db.prepare("UPDATE storage_domains SET status = 'inactive' WHERE id = ?").run(id);
        return { from, to: 'inactive' };
      }
      const changed = db.prepare("UPDATE storage_domains SET status = 'unreachable' WHERE id = ? AND status = 'active'").run(id).changes;
      return changed ? { from: 'active', to: 'unreachable' } : undefined;
    },

    // ---- volumes ----------------------------------------------------------------------

    async volumes(key: string): Promise<StorageVolume[]> {
      const d = mustGet(key);
      if (d.status !== 'active') throw new DomainError('state', `${d.name} is ${d.status}: its volumes are listed while it is active`);
      await virsh.refresh(d.poolName);
      return virsh.volumes(d.poolName);
    },

    async volumeCreate(key: string, input: VolumeInput): Promise<StorageVolume> {
      const problems = volumeInputProblems(input);
      if (problems.length) throw new DomainInputError(problems);
      const d = mustGet(key);
      const blocked = domainActionBlocked('volumes', d);
      if (blocked) throw new DomainError('state', blocked);
      const existing = (await virsh.volumes(d.poolName)).map((v) => v.name);
      const v = validateVolumeInput(input, { kind: d.kind, type: d.type, freeBytes: d.freeBytes, existing });
      if (!v.ok) throw new DomainInputError(v.errors);
      const spec = v.value;
      return events.action({ source: SOURCE, objectType: 'storage-volume', objectId: `${d.name}/${spec.name}`, message: `Create ${spec.format} volume ${spec.name} of ${formatBytes(spec.sizeBytes)} on storage domain ${d.name}` }, async () => {
        await virsh.volumeCreate(d.poolName, spec.name, spec.sizeBytes, spec.format, { thin: d.kind === 'file' });
        const vol = (await virsh.volumes(d.poolName)).find((x) => x.name === spec.name);
        if (!vol) throw new DomainError('libvirt', `volume ${spec.name} was created but libvirt does not list it`);
        try { storeCapacity(d.id, await measure(d)); } catch { /* next check */ }
        return vol;
      });
    },

    async volumeDelete(key: string, name: string): Promise<void> {
      const nr = volumeNameRule('volume', name);
      if (nr) throw new DomainInputError([{ field: 'volume', message: nr }]);
      const d = mustGet(key);
      const blocked = domainActionBlocked('volumes', d);
      if (blocked) throw new DomainError('state', blocked);
      const vols = await virsh.volumes(d.poolName);
      const vol = vols.find((x) => x.name === name);
      if (!vol) throw new DomainError('not-found', `${d.name} has no volume ${JSON.stringify(name)}${vols.length ? ` (it has ${vols.map((x) => x.name).join(', ')})` : ''}`);
      await events.action({ source: SOURCE, objectType: 'storage-volume', objectId: `${d.name}/${name}`, message: `Delete volume ${name} of storage domain ${d.name}` }, async () => {
        const users = (await usersOf(d, true)).filter((u) => u.disks.some((x) => x === vol.path || x === `${d.poolName}/${name}`));
        if (users.length) throw new DomainError('in-use', `Deleting ${name} refused: ${users.map((u) => `${u.vm} (${u.state})`).join(', ')} ha${users.length === 1 ? 's' : 've'} it as a disk`, users);
        await virsh.volumeDelete(d.poolName, name);
        try { storeCapacity(d.id, await measure(d)); } catch { /* next check */ }
      });
    },

    /**
     * Upload a file (an ISO to an ISO domain, a raw disk image to a data
     * domain) as a new volume, in chunks copied by dd children, reporting
     * progress after each; a failure or an abort deletes the partial volume.
     */
    async upload(key: string, source: string, opts: { name?: string; onProgress?: (p: UploadProgress) => void; signal?: AbortSignal } = {}): Promise<StorageVolume> {
      if (!source.startsWith('/')) throw new DomainInputError([{ field: 'file', message: `file: must be an absolute path (got ${JSON.stringify(source)})` }]);
      const name = opts.name ?? source.replace(/^.*\//, '');
      const bad = volumeNameRule('name', name);
      if (bad) throw new DomainInputError([{ field: 'name', message: bad }]);
      const d = mustGet(key);
      const blocked = domainActionBlocked('upload', d);
      if (blocked) throw new DomainError('state', blocked);
      const nr = uploadNameRule(name, d.type);
      if (nr) throw new DomainInputError([{ field: 'name', message: nr }]);
      const st = await runner.run('stat', ['-L', '-c', '%F|%s', '--', source], { timeoutMs: tmo, env: { LC_ALL: 'C' } });
      if (st.exitCode !== 0) throw new DomainInputError([{ field: 'file', message: `file: cannot read ${source}: ${st.stderr.trim().replace(/^stat: /, '') || 'not found'}` }]);
      const [ftype, sizeText] = st.stdout.trim().split('|');
      if (ftype !== 'regular file' && ftype !== 'regular empty file') throw new DomainInputError([{ field: 'file', message: `file: ${source} is a ${ftype}, not a regular file` }]);
      const total = Number(sizeText);
      if (!total) throw new DomainInputError([{ field: 'file', message: `file: ${source} is empty` }]);
      if (d.type === 'iso') {
        const sig = await runner.run('dd', [`if=${source}`, 'bs=1', 'skip=32769', 'count=5', 'status=none'], { timeoutMs: tmo });
        if (sig.stdout !== 'CD001') throw new DomainInputError([{ field: 'file', message: `file: ${source} is not an ISO 9660 image (no CD001 signature at 32769)` }]);
      }
      const existing = await virsh.volumes(d.poolName);
      if (existing.some((x) => x.name === name)) throw new DomainInputError([{ field: 'name', message: `name: a volume named ${name} already exists in ${d.name}` }]);
      if (typeof d.freeBytes === 'number' && total > d.freeBytes) throw new DomainInputError([{ field: 'file', message: `file: ${formatBytes(total)} does not fit in ${d.name} (${formatBytes(d.freeBytes)} free)` }]);
      return events.action({ source: SOURCE, objectType: 'storage-volume', objectId: `${d.name}/${name}`, message: `Upload ${source} (${formatBytes(total)}) to storage domain ${d.name} as ${name}` }, async () => {
        const path = await virsh.volumeCreate(d.poolName, name, total, 'raw', { thin: d.kind === 'file' });
        try {
          const mib = CHUNK_BYTES / (1024 * 1024);
          const chunks = Math.ceil(total / CHUNK_BYTES);
          opts.onProgress?.({ doneBytes: 0, totalBytes: total });
          for (let i = 0; i < chunks; i++) {
            if (opts.signal?.aborted) throw new DomainError('state', 'upload cancelled');
            await onStorage('dd', [`if=${source}`, `of=${path}`, 'bs=1M', `skip=${i * mib}`, `seek=${i * mib}`, `count=${mib}`, 'conv=notrunc,fsync', 'status=none'], `copying to ${path}`, { timeoutMs: Math.max(tmo, 120_000) });
            opts.onProgress?.({ doneBytes: Math.min(total, (i + 1) * CHUNK_BYTES), totalBytes: total });
          }
          await virsh.refresh(d.poolName);
        } catch (e) {
          await virsh.volumeDelete(d.poolName, name).catch(() => undefined);
          throw e;
        }
        try { storeCapacity(d.id, await measure(d)); } catch { /* next check */ }
        const vol = (await virsh.volumes(d.poolName)).find((x) => x.name === name);
        if (!vol) throw new DomainError('libvirt', `${name} was copied but libvirt does not list it`);
        return vol;
      });
    },
  };
  return service;
}

export type DomainService = ReturnType<typeof createDomainService>;
export { LibvirtError };
