// What the storage domain use cases share: the domain rows, the connection a
// domain lives on (connected, its mount or its LUN), the programs that touch
// the storage (each a child process with a timeout: a mount that hangs never
// blocks hostdeck), the VMs using a domain, and its libvirt pool.
import type { Db } from '../manager/db.ts';
import { storageDomainRepo, type Capacity, type StorageDomain } from '../manager/repos/storage-domains.ts';
import { CONNECTION_KIND, disksOnDomain, parseDiskSources, type DomainMetadata, type DomainUser } from '../domain/storage/domain.ts';
import { virshArgs } from '../virt/virsh.ts';
import { PoolClient, type Runner } from '../virt/pools.ts';
import { DomainError, DomainInputError } from '../host/storage/errors.ts';
import { domainDisk } from '../host/storage/domain-disk.ts';
import type { Door } from './door.ts';

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
  /** The door the changes go through: it decides, and writes their events. */
  door: Door;
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

/** The helpers of one domain service, built once over its dependencies. */
export function domainContext(deps: DomainServiceDeps) {
  const { runner, connections, door } = deps;
  const repo = storageDomainRepo(deps.db);
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

  return {
    runner, connections, repo, door, virsh, tmo, rows, byKey, mustGet, setStatus, defaultDataCenter,
    resolveConnection, requireConnected, connLabel, mountOf, pickLun,
    onStorage, hostName, writeFileMetadata, readFileMetadata, vgReport, measure, storeCapacity,
    usersOf, usersMessage, insert, nameTaken, attachPool,
  };
}

export type DomainContext = ReturnType<typeof domainContext>;
