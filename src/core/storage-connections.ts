// The storage connection use cases: the one place hostdeck connects NFS,
// iSCSI, Fibre Channel, POSIX and local storage (the storage domains build on
// them and never run mount or iscsiadm themselves). Every change goes through
// the door; the rows are in the storage connection repository.
//
// createConnectionService({ runner, fs?, db, door, mountRoot?, sysfsRoot?, devRoot?, keyFile?, log? })
//   list(), get(idOrName), add(input), remove(id), connect(id), disconnect(id), status(id),
//   reconnectPersistent(), mountPath(conn), luns(id), discover(portal), fcHosts(), fcLuns(), setPersistent(id, bool).
//   Records: StorageConnection (src/domain/storage/connection.ts). Errors: StorageError
//   (code + message) and ConnectionInputError (field errors; nothing stored).
//   File connections (nfs, posixfs): /rhev/data-center/mnt/<server:path or spec, '_' doubled, '/' as '_'>
//   (vdsm's layout; mountRoot overrides); localfs: the directory itself.
//   Block connections (iscsi, fc): luns(id) -> { wwid, devicePath, sizeBytes, vendor, model, serial, ... }.
import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  BLOCK_TYPES, chapSecretRule, chapUserRule, connectionTarget, formatPortal, parsePortal, validateConnection,
  type ConnectionInput, type FieldError, type ConnectionParams, type ConnectionState, type ConnectionType, type FcParams, type IscsiParams,
  type LocalParams, type NfsParams, type PosixParams, type StorageConnection,
} from '../domain/storage/connection.ts';
import { run } from '../exec/runner.ts';
import type { Db } from '../manager/db.ts';
import type { ActionScope } from '../manager/events.ts';
import { connectionRecord as toRecord, storageConnectionRepo, type ConnectionRow as Row } from '../manager/repos/storage-connections.ts';
import { ConnectionInputError, StorageError } from '../host/storage/errors.ts';
import { fcHosts, fcLuns, type FcHost } from '../host/storage/fc.ts';
import { localFs, mountAt, type HostFs, type Runner } from '../host/storage/fs.ts';
import { iscsiOps, type DiscoveredTarget } from '../host/storage/iscsi.ts';
import { checkLocalDir } from '../host/storage/local.ts';
import { sessionDisks, sessionLuns, type Lun, type SysPaths } from '../host/storage/luns.ts';
import { mountFs, unmountFs } from '../host/storage/mount.ts';
import { multipathMaps } from '../host/storage/multipath.ts';
import { explainNfsFailure, nfsMountSpec } from '../host/storage/nfs.ts';
import { explainPosixFailure, posixMountSpec } from '../host/storage/posix.ts';
import { connectionMountPath, DEFAULT_MOUNT_ROOT, processMountRoot } from '../host/storage/mount-path.ts';
import { defaultKeyFile, secretBox, type SecretBox } from '../host/storage/secrets.ts';
import type { Door } from './door.ts';
import { systemPrincipal } from './principal.ts';
import type { CoreContext } from './index.ts';

export { ConnectionInputError, StorageError } from '../host/storage/errors.ts';
export type { Lun } from '../host/storage/luns.ts';
export type { FcHost } from '../host/storage/fc.ts';
export type { DiscoveredTarget } from '../host/storage/iscsi.ts';
export type { Runner, HostFs } from '../host/storage/fs.ts';
export type { StorageConnection, ConnectionInput, FieldError } from '../domain/storage/connection.ts';

export interface ConnectionServiceDeps {
  runner: Runner;
  fs?: HostFs;
  db: Db;
  /** The door the changes go through: it decides, and writes their events. */
  door: Door;
  /** Where NFS and POSIX connections are mounted (default /rhev/data-center/mnt). */
  mountRoot?: string;
  /** Root of sysfs and /dev (tests: recorded trees). */
  sysfsRoot?: string;
  devRoot?: string;
  /** AES-256-GCM key for CHAP secrets (default: storage-secrets.key beside the state DB). */
  keyFile?: string;
  /** One line per command run and per outcome (secrets are redacted before this sees them). */
  log?: (line: string) => void;
  /** iscsiadm login timeout (default 60 s). */
  loginTimeoutMs?: number;
}

export interface ConnectOutcome {
  connection: StorageConnection;
  /** It was connected already (an existing mount or session): success, nothing changed. */
  already: boolean;
  message: string;
}

export interface ConnectionStatus {
  id: string;
  state: ConnectionState;
  detail: string;
  mountPath?: string;
}

export interface ReconnectReport {
  id: string;
  label: string;
  ok: boolean;
  already?: boolean;
  message: string;
}

export interface ConnectionService {
  list(): StorageConnection[];
  get(idOrName: string): StorageConnection | undefined;
  add(input: ConnectionInput): Promise<StorageConnection>;
  remove(idOrName: string): Promise<StorageConnection>;
  connect(idOrName: string): Promise<ConnectOutcome>;
  disconnect(idOrName: string): Promise<ConnectOutcome>;
  status(idOrName: string): Promise<ConnectionStatus>;
  reconnectPersistent(): Promise<ReconnectReport[]>;
  mountPath(conn: StorageConnection): string | undefined;
  luns(idOrName: string): Promise<Lun[]>;
  /** Sendtargets discovery; auth: discovery CHAP (the secret only ever on one short iscsiadm update, never stored). */
  discover(portal: string, auth?: { user: string; secret: string }): Promise<DiscoveredTarget[]>;
  fcHosts(): Promise<FcHost[]>;
  /** Every LUN the FC HBAs see (merged across paths). */
  fcLuns(): Promise<Lun[]>;
  /** Set the persistent flag (reconnect at boot). */
  setPersistent(idOrName: string, persistent: boolean): Promise<StorageConnection>;
}

const TYPE_LABEL: Record<ConnectionType, string> = { nfs: 'NFS', iscsi: 'iSCSI', fc: 'FC', posixfs: 'POSIX', localfs: 'local' };

export function connectionLabel(c: Pick<StorageConnection, 'type' | 'name' | 'params'>): string {
  return `${TYPE_LABEL[c.type]} ${c.name ? `${c.name} (${connectionTarget(c.type, c.params)})` : connectionTarget(c.type, c.params)}`;
}

/** What makes two connections the same (a second add of it is refused). */
function identityOf(type: ConnectionType, p: ConnectionParams): string {
  switch (type) {
    case 'nfs': return `nfs:${(p as NfsParams).path}`;
    case 'iscsi': { const i = p as IscsiParams; return `iscsi:${formatPortal(i.address.toLowerCase(), i.port)}:${i.target}`; }
    case 'fc': return `fc:${(p as FcParams).wwid ?? '*'}`;
    case 'posixfs': return `posixfs:${(p as PosixParams).spec}`;
    case 'localfs': return `localfs:${(p as LocalParams).path}`;
  }
}

/** A log writer appending to `file` (mode 0600), each line tagged with the part of hostdeck that writes it; never throws. */
export function fileLog(file: string, tag = 'storage'): (line: string) => void {
  return (line) => {
    try {
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      appendFileSync(file, `${new Date().toISOString()} ${tag}: ${line}\n`, { mode: 0o600 });
    } catch {
      /* logging must not break storage actions */
    }
  };
}

export function createConnectionService(deps: ConnectionServiceDeps): ConnectionService {
  const fs = deps.fs ?? localFs;
  const repo = storageConnectionRepo(deps.db);
  const { door } = deps;
  const mountRoot = deps.mountRoot ?? DEFAULT_MOUNT_ROOT;
  const sys: SysPaths = { sysfsRoot: deps.sysfsRoot ?? '/sys', devRoot: deps.devRoot ?? '/dev' };
  const log = deps.log ?? (() => undefined);
  // Every command run goes to the log with its (already redacted) arguments.
  const runner: Runner = {
    async run(command, args = [], opts = {}) {
      const r = await deps.runner.run(command, args, opts);
      log(`ran ${command} ${r.args.join(' ')} -> ${r.timedOut ? 'timeout' : r.exitCode}${r.exitCode !== 0 && r.stderr ? `: ${r.stderr.trim().split('\n').slice(-1)[0]}` : ''}`);
      return r;
    },
  };
  const iscsi = iscsiOps(runner, fs, { loginTimeoutMs: deps.loginTimeoutMs, sysfsRoot: sys.sysfsRoot });
  let box: SecretBox | undefined;
  const secrets = () => (box ??= secretBox(deps.keyFile ?? defaultKeyFile(repo.dbName)));

  const row = (idOrName: string): Row | undefined => repo.byIdOrName(idOrName);
  const must = (idOrName: string): Row => {
    const r = row(idOrName);
    if (!r) throw new StorageError('not-found', `no storage connection ${JSON.stringify(idOrName)} (see hostdeck storage connection list)`);
    return r;
  };
  const setState = repo.setState;

  // One operation at a time per connection (a connect racing a disconnect would leave either half-done).
  const locks = new Map<string, Promise<unknown>>();
  const serial = <T>(id: string, fn: () => Promise<T>): Promise<T> => {
    const prev = locks.get(id) ?? Promise.resolve();
    const next = prev.catch(() => undefined).then(fn);
    locks.set(id, next);
    void next.finally(() => { if (locks.get(id) === next) locks.delete(id); }).catch(() => undefined);
    return next;
  };

  const mountPathOf = (c: Pick<StorageConnection, 'type' | 'params'>): string | undefined => connectionMountPath(c, mountRoot);

  const secretsOf = (r: Row) => ({
    chapSecret: r.chap_secret_sealed ? secrets().open(r.chap_secret_sealed, `${r.id}:chap`) : undefined,
    mutualSecret: r.mutual_secret_sealed ? secrets().open(r.mutual_secret_sealed, `${r.id}:mutual`) : undefined,
  });

  /** What a connection's action tells the door: its object and the event's words. */
  const about = (c: { id: string; label: string }, message: string) => [{ id: c.id }, { message: `${message} ${c.label}` }] as const;

  /** Connect without events or locking; returns whether it was connected already. */
  const doConnect = async (r: Row): Promise<{ already: boolean }> => {
    const c = toRecord(r);
    switch (c.type) {
      case 'nfs': {
        const p = c.params as NfsParams;
        return mountFs(runner, fs, nfsMountSpec(p, mountRoot), (x) => explainNfsFailure(p, x));
      }
      case 'posixfs': {
        const p = c.params as PosixParams;
        return mountFs(runner, fs, posixMountSpec(p, mountRoot), (x) => explainPosixFailure(p, x));
      }
      case 'localfs':
        await checkLocalDir(runner, fs, c.params as LocalParams);
        return { already: r.state === 'connected' };
      case 'iscsi':
        return iscsi.login(c.params as IscsiParams, secretsOf(r), c.persistent);
      case 'fc': {
        const hosts = await fcHosts(fs, sys);
        if (!hosts.length) throw new StorageError('not-found', 'this host has no Fibre Channel HBA (/sys/class/fc_host is empty)');
        const online = hosts.filter((h) => /online/i.test(h.portState));
        if (!online.length) throw new StorageError('unreachable', `no Fibre Channel port is online (${hosts.map((h) => `${h.host}: ${h.portState}`).join(', ')})`);
        const wwid = (c.params as FcParams).wwid;
        if (wwid && !(await fcLuns(fs, sys, await multipathMaps(runner, fs), wwid)).length) throw new StorageError('not-found', `no Fibre Channel LUN with WWID ${wwid} is visible`);
        return { already: r.state === 'connected' };
      }
    }
  };

  const isConnected = async (c: StorageConnection): Promise<{ connected: boolean; detail: string }> => {
    switch (c.type) {
      case 'nfs':
      case 'posixfs': {
        const mp = mountPathOf(c)!;
        const m = await mountAt(fs, mp);
        return m ? { connected: true, detail: `${m.source} mounted on ${mp} (${m.fstype}, ${m.options})` } : { connected: false, detail: `not mounted on ${mp}` };
      }
      case 'localfs': {
        const p = (c.params as LocalParams).path;
        const ok = await fs.isDir(p);
        return { connected: ok && c.state === 'connected', detail: ok ? `${p} is a directory` : `${p} does not exist` };
      }
      case 'iscsi': {
        const s = await iscsi.findSession(c.params as IscsiParams);
        return s ? { connected: true, detail: `session ${s.id} to ${s.target} on ${formatPortal(s.address, s.port)}` } : { connected: false, detail: 'no iSCSI session' };
      }
      case 'fc': {
        const hosts = await fcHosts(fs, sys);
        const online = hosts.filter((h) => /online/i.test(h.portState));
        return { connected: online.length > 0 && c.state === 'connected', detail: hosts.length ? hosts.map((h) => `${h.host} ${h.wwpn} ${h.portState} ${h.speed}`).join('; ') : 'no FC HBA' };
      }
    }
  };

  /** Connect through the door as `action` (an operator's connect, or the boot-time reconnect). */
  const connectRow = async (r: Row, act: (label: string, fn: (scope: ActionScope) => Promise<{ already: boolean }>) => Promise<{ already: boolean }>): Promise<ConnectOutcome> => {
    const label = connectionLabel(toRecord(r));
    try {
      const o = await act(label, async ({ commit }) => {
        const done = await doConnect(r);
        commit(() => setState(r.id, 'connected'));
        return done;
      });
      const message = o.already ? `${label} was connected already` : `${label} connected`;
      log(message);
      return { connection: toRecord(must(r.id)), already: o.already, message };
    } catch (e) {
      setState(r.id, 'failed', (e as Error).message);
      log(`connect ${label} failed: ${(e as Error).message}`);
      throw e;
    }
  };

  const svc: ConnectionService = {
    list() {
      return repo.all().map(toRecord);
    },
    get(idOrName) {
      const r = row(idOrName);
      return r && toRecord(r);
    },
    async add(input) {
      const v = validateConnection(input);
      if (!v.ok) throw new ConnectionInputError(v.errors);
      const { value } = v;
      const identity = identityOf(value.type, value.params);
      const label = connectionLabel(value);
      const dup = repo.byIdentity(identity);
      if (dup) throw new StorageError('exists', `${label} exists already (connection ${dup.name ?? dup.id})`);
      if (value.name && row(value.name)) throw new StorageError('exists', `name: a storage connection named ${JSON.stringify(value.name)} exists already`);
      const id = randomUUID();
      return door.act('storage-connection.add', ...about({ id, label }, 'Add storage connection'), async ({ commit }) => {
        // Seal before the insert so a key problem stores nothing.
        const chap = value.secrets.chapSecret ? secrets().seal(value.secrets.chapSecret, `${id}:chap`) : null;
        const mutual = value.secrets.mutualSecret ? secrets().seal(value.secrets.mutualSecret, `${id}:mutual`) : null;
        commit(() => repo.insert({ id, type: value.type, name: value.name ?? null, params: value.params, identity, persistent: value.persistent, chapSealed: chap, mutualSealed: mutual }));
        log(`added ${label} (${id})`);
        return toRecord(must(id));
      });
    },
    async remove(idOrName) {
      const r = must(idOrName);
      return serial(r.id, async () => {
        const c = toRecord(r);
        const label = connectionLabel(c);
        return door.act('storage-connection.remove', ...about({ id: r.id, label }, 'Remove storage connection'), async ({ commit }) => {
          const live = await isConnected(c);
          if (live.connected) throw new StorageError('connected', `${label} is connected (${live.detail}); disconnect it first`);
          const users = repo.domainsOn(r.id);
          if (users.length) throw new StorageError('busy', `${label} is used by storage domain${users.length > 1 ? 's' : ''} ${users.join(', ')}; remove or detach ${users.length > 1 ? 'them' : 'it'} first`);
          commit(() => repo.remove(r.id));
          log(`removed ${label} (${r.id})`);
          return c;
        });
      });
    },
    connect(idOrName) {
      const r = must(idOrName);
      return serial(r.id, async () => connectRow(must(r.id), (label, fn) => door.act('storage-connection.connect', ...about({ id: r.id, label }, 'Connect storage'), fn)));
    },
    disconnect(idOrName) {
      const r = must(idOrName);
      return serial(r.id, async () => {
        const c = toRecord(must(r.id));
        const label = connectionLabel(c);
        const unplug = async (): Promise<{ was: boolean }> => {
          switch (c.type) {
            case 'nfs':
            case 'posixfs':
              return { was: await unmountFs(runner, fs, mountPathOf(c)!, label) };
            case 'iscsi': {
              const p = c.params as IscsiParams;
              const s = await iscsi.findSession(p);
              const luns = s ? await sessionLuns(fs, s.id, sys, await multipathMaps(runner, fs)) : [];
              const busy = await busyDevices(luns);
              if (busy.length) throw new StorageError('busy', `${label} is in use and was not disconnected: ${busy.join('; ')}. Stop what uses the LUNs first.`);
              // Multipath maps whose every path is this session's lose their last path with the logout: flushed after it
              // (a map without paths would otherwise stay, queueing I/O); maps with paths through other portals stay.
              const own = s && luns.some((l) => l.multipath) ? await sessionDisks(fs, s.id, sys) : [];
              const lastPath: Lun[] = [];
              for (const l of luns.filter((x) => x.multipath)) {
                // A path whose disk is already gone (multipathd not caught up yet) does not keep the map.
                let others = false;
                for (const d of l.paths) if (!own.includes(d) && (await fs.exists(`${sys.sysfsRoot}/class/block/${d}`))) others = true;
                if (!others) lastPath.push(l);
              }
              const { wasConnected } = await iscsi.logout(p);
              for (const l of lastPath) {
                const f = await runner.run('multipath', ['-f', l.devicePath.replace(/^\/dev\/mapper\//, '')], { timeoutMs: 30_000 });
                if (f.exitCode !== 0) log(`${label}: multipath -f ${l.wwid} failed: ${(f.stderr || f.stdout).trim()}`);
              }
              return { was: wasConnected };
            }
            default:
              return { was: c.state === 'connected' };
          }
        };
        const o = await door.act('storage-connection.disconnect', ...about({ id: r.id, label }, 'Disconnect storage'), async ({ commit }) => {
          const done = await unplug();
          commit(() => setState(r.id, 'disconnected'));
          return done;
        });
        const message = o.was ? `${label} disconnected` : `${label} was not connected`;
        log(message);
        return { connection: toRecord(must(r.id)), already: !o.was, message };
      });
    },
    async status(idOrName) {
      const r = must(idOrName);
      const c = toRecord(r);
      try {
        const live = await isConnected(c);
        const state: ConnectionState = live.connected ? 'connected' : c.state === 'failed' ? 'failed' : 'disconnected';
        if (state !== c.state && !(c.state === 'failed' && state === 'disconnected')) setState(r.id, state);
        return { id: r.id, state, detail: c.state === 'failed' && !live.connected && c.lastError ? `${live.detail}; last error: ${c.lastError}` : live.detail, ...(mountPathOf(c) ? { mountPath: mountPathOf(c) } : {}) };
      } catch (e) {
        return { id: r.id, state: 'unknown', detail: (e as Error).message };
      }
    },
    async reconnectPersistent() {
      const out: ReconnectReport[] = [];
      // hostdeck reconnects at boot on its own: the events name the system, not whoever started it.
      const system = door.forPrincipal(systemPrincipal(door.principal.user));
      for (const r of repo.persistent()) {
        const label = connectionLabel(toRecord(r));
        try {
          const o = await serial(r.id, () => connectRow(r, (l, fn) => system.act('storage-connection.reconnect', ...about({ id: r.id, label: l }, 'Connect storage'), fn)));
          out.push({ id: r.id, label, ok: true, already: o.already, message: o.message });
        } catch (e) {
          out.push({ id: r.id, label, ok: false, message: (e as Error).message });
        }
      }
      return out;
    },
    mountPath: mountPathOf,
    async luns(idOrName) {
      const c = toRecord(must(idOrName));
      if (!BLOCK_TYPES.includes(c.type)) throw new StorageError('invalid', `${connectionLabel(c)} is file storage; LUNs exist only on iSCSI and FC connections (its files are in ${mountPathOf(c)})`);
      const maps = await multipathMaps(runner, fs);
      if (c.type === 'fc') return fcLuns(fs, sys, maps, (c.params as FcParams).wwid);
      const s = await iscsi.findSession(c.params as IscsiParams);
      if (!s) throw new StorageError('connected', `${connectionLabel(c)} is not connected; connect it to see its LUNs`);
      // The kernel adds the disks shortly after the login: wait for them a little.
      let luns: Lun[] = [];
      for (let i = 0; i < 40; i++) {
        luns = await sessionLuns(fs, s.id, sys, maps);
        if (luns.length) break;
        await new Promise((res) => setTimeout(res, 250));
      }
      return luns;
    },
    async discover(portal, auth) {
      const p = parsePortal('portal', portal);
      const errors: FieldError[] = [];
      if (p.error) errors.push({ field: 'portal', message: p.error });
      if (auth) {
        const u = chapUserRule('chapUser', auth.user.trim());
        const sec = chapSecretRule('chapSecret', auth.secret);
        if (u) errors.push({ field: 'chapUser', message: u });
        if (sec) errors.push({ field: 'chapSecret', message: sec });
      }
      if (errors.length) throw new ConnectionInputError(errors);
      const portalText = formatPortal(p.address!, p.port!);
      return door.act('storage-connection.discover', { id: portalText }, { message: `Discover iSCSI targets on ${portalText}` },
        () => iscsi.discover(p.address!, p.port!, auth ? { user: auth.user.trim(), secret: auth.secret } : undefined));
    },
    fcHosts: () => fcHosts(fs, sys),
    fcLuns: async () => fcLuns(fs, sys, await multipathMaps(runner, fs)),
    async setPersistent(idOrName, persistent) {
      const r = must(idOrName);
      const c = toRecord(r);
      return door.act('storage-connection.edit', ...about({ id: r.id, label: connectionLabel(c) }, persistent ? 'Reconnect at boot:' : 'No reconnect at boot:'), async ({ commit }) => {
        if (c.type === 'iscsi') await iscsi.setStartup(c.params as IscsiParams, persistent);
        commit(() => repo.setPersistent(r.id, persistent));
        return toRecord(must(r.id));
      });
    },
  };

  /** Disks of these LUNs that are mounted or held by another device (LVM, dm). */
  const busyDevices = async (luns: Lun[]): Promise<string[]> => {
    const mounts = (await fs.read('/proc/mounts')) ?? '';
    const out: string[] = [];
    for (const l of luns) {
      if (l.dm) {
        // A multipath map holds its paths by design: what matters is who holds or mounts the map.
        const holders = await fs.list(`${sys.sysfsRoot}/class/block/${l.dm}/holders`);
        if (holders.length) out.push(`${l.devicePath} is held by ${holders.join(', ')}`);
        if (new RegExp(`^(${l.devicePath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}|/dev/${l.dm})\\S* `, 'm').test(mounts)) out.push(`${l.devicePath} is mounted`);
      }
      for (const dev of l.paths) {
        const holders = l.dm ? [] : await fs.list(`${sys.sysfsRoot}/class/block/${dev}/holders`);
        if (holders.length) out.push(`/dev/${dev} is held by ${holders.join(', ')}`);
        if (new RegExp(`^/dev/${dev}\\d* `, 'm').test(mounts)) out.push(`/dev/${dev} is mounted`);
      }
    }
    return out;
  };

  return svc;
}

/** The storage connections as the front ends see them: the listing goes through the door like every action. */
export type StorageConnectionUseCases = Omit<ConnectionService, 'list'> & { list(): Promise<StorageConnection[]> };

/**
 * The connection service of a hostdeck process: the real runner, the state DB
 * and the door, the log file. Environment overrides for tests and unusual
 * layouts: HOSTDECK_STORAGE_MOUNT_ROOT (default /rhev/data-center/mnt),
 * HOSTDECK_SYSFS_ROOT (/sys), HOSTDECK_STORAGE_KEY (the secret key file;
 * default beside the state DB).
 */
export function processConnectionService(ctx: CoreContext, env: NodeJS.ProcessEnv = process.env): ConnectionService {
  const { infra } = ctx;
  return createConnectionService({
    runner: { run },
    db: infra.db,
    door: ctx.door,
    log: fileLog(infra.config.logFile),
    mountRoot: processMountRoot(env),
    ...(env.HOSTDECK_SYSFS_ROOT ? { sysfsRoot: env.HOSTDECK_SYSFS_ROOT, devRoot: `${env.HOSTDECK_SYSFS_ROOT}/../dev` } : {}),
    ...(env.HOSTDECK_STORAGE_KEY ? { keyFile: env.HOSTDECK_STORAGE_KEY } : {}),
  });
}

/** The use cases over a connection service (the process's, or a test's with its own paths and runner). */
export function connectionUseCases(ctx: CoreContext, svc: ConnectionService): StorageConnectionUseCases {
  return { ...svc, list: () => ctx.door.act('storage-connection.list', { id: '*' }, { message: 'List the storage connections' }, () => svc.list()) };
}

export function createStorageConnectionUseCases(ctx: CoreContext): StorageConnectionUseCases {
  return connectionUseCases(ctx, processConnectionService(ctx));
}
