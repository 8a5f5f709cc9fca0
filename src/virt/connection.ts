// The libvirt connection: opening it, its status ("disconnected" when
// libvirtd goes away, re-opened with backoff on its own), virsh and binding
// calls on it, and the domain event stream. Every call on a libvirt object
// lives in that object's module (domains.ts, snapshots.ts, pools.ts,
// networks.ts, sampler.ts), each taking the connection as a VirtLink; the
// methods below (resource + verb: domainStart, snapshotRevert, ...) are the
// same calls bound to this connection. @unraid/libvirt for the calls it has;
// `virsh` through the runner for the rest. Nothing here touches UI state.
//
// On a test:///<file>.xml URI every process opens its own copy of the
// fixture: changes made through the binding are not seen by virsh and the
// other way round. The contract tests keep to that (see test/contract).
import type { Hypervisor as HypervisorT, Domain as DomainHandle } from '@unraid/libvirt';
import { run } from '../exec/runner.ts';
import { NotFoundError } from '../domain/errors.ts';
import { parseVirshVersion } from './version.ts';
import type { ConnectionStatus, DomainInfo, DomainStateName, DomainSummary, VirtVersion } from './types.ts';
import { virsh as runVirsh, virshArgs, virshArgv } from './virsh.ts';
import { DomainEventStream, type DomainEvent } from './events.ts';
import type { Snapshot } from './snapshots.ts';
import type { Network, StoragePool, StorageVolume } from './storage.ts';
import type { DiskRemovalPlan } from '../domain/vm-disks.ts';
import type { DomainSpec } from './xml/create.ts';
import type { DomainChanges } from './xml/update.ts';
import { isConnectionError, virtError, type Virsh, type VirtLink } from './link.ts';
import * as domains from './domains.ts';
import * as snapshots from './snapshots.ts';
import * as pools from './pools.ts';
import * as networks from './networks.ts';
import { domainStats, type DomainStats } from './sampler.ts';
import type { UndefineResult } from './domains.ts';
import { readOnlyUri } from './read-only-uri.ts';
import { VirshSession } from './virsh-session.ts';

export { isConnectionError, virtError } from './link.ts';
export type { DomainStats } from './sampler.ts';
export type { UndefineResult } from './domains.ts';

type Binding = typeof import('@unraid/libvirt');
let bindingPromise: Promise<Binding> | undefined;
const loadBinding = () => (bindingPromise ??= import('@unraid/libvirt'));

const BACKOFF_MS = [500, 1000, 2000, 4000, 8000];

/**
 * Quick virsh commands (what the binding lacks: pools, volumes, networks)
 * sent to one long-running virsh per connection mode instead of a program
 * start each: a start costs some 50 ms, a command over the open connection
 * a few. Only what libvirt answers from what it holds (no pool I/O that a
 * hung mount could stall, which would hold up the commands queued behind),
 * and vol-create, which makes a thin VM's small overlay. Not on the test
 * driver, where each virsh start reads a fresh copy of the fixture (see
 * above), nor for a call allowed longer than a session command waits.
 */
const SESSION_COMMANDS = new Set(['pool-list', 'pool-dumpxml', 'vol-list', 'vol-dumpxml', 'vol-path', 'vol-create', 'net-list', 'nwfilter-list']);
const SESSION_TIMEOUT_MS = 30_000;

export interface NodeInfo {
  hostname: string;
  cpus: number;
  mhz: number;
  memoryKiB: number;
  model: string;
}

export interface VirtConnectionOptions {
  /**
   * Why the connection must be read-only now (an engine owns this host's
   * VMs), or undefined for read-write. Asked at every call, so a
   * registration or unregistration made meanwhile (by this process or
   * another) reopens the connection in the new mode before the next call.
   */
  readOnly?: () => string | undefined;
}

export class VirtConnection implements VirtLink {
  private hv?: HypervisorT;
  /** Whether `hv` was opened read-only. */
  private hvReadOnly = false;
  private opening?: Promise<HypervisorT>;
  private status: ConnectionStatus;
  private failures = 0;
  private listeners = new Set<(s: ConnectionStatus) => void>();
  private eventListeners = new Set<(e: DomainEvent) => void>();
  private stream?: DomainEventStream;
  private reconnectTimer?: ReturnType<typeof setTimeout>;
  private closed = false;
  /** Programs the connection starts on its own (`virsh version`, the event stream) wait while this is set (deferProcesses). */
  private held = false;
  /** The long-running virsh of each mode (read-only or not) for SESSION_COMMANDS. */
  private sessions = new Map<boolean, VirshSession>();

  constructor(public readonly uri: string, private readonly opts: VirtConnectionOptions = {}) {
    this.status = { uri, state: 'connecting' };
  }

  /** Whether calls made now go over a read-only connection. */
  get readOnly(): boolean {
    return this.opts.readOnly?.() !== undefined;
  }

  // ---- connection ---------------------------------------------------------

  getStatus(): ConnectionStatus {
    return this.status;
  }

  onStatus(fn: (s: ConnectionStatus) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private setStatus(s: Partial<ConnectionStatus>): void {
    const was = this.status.state;
    this.status = { ...this.status, ...s };
    if (s.state === 'connected') { delete this.status.error; delete this.status.retryAt; }
    for (const l of this.listeners) l(this.status);
    // Back from a disconnect: the event stream starts again at once.
    if (s.state === 'connected' && was !== 'connected' && !this.held) this.stream?.restart();
  }

  /**
   * Start no program of its own (`virsh version`, the event stream's virsh)
   * until `until` settles: the console's first frame, which a process start
   * would delay. Calls through the binding go ahead meanwhile.
   */
  deferProcesses(until: Promise<unknown>): void {
    this.held = true;
    const release = () => {
      if (!this.held) return;
      this.held = false;
      if (this.closed) return;
      if (this.hv && !this.status.version) this.fetchVersion(this.hv);
      this.stream?.restart();
    };
    until.then(release, release);
  }

  /** `virsh version` can take seconds (it probes the emulator): never hold the connection for it. */
  private fetchVersion(hv: HypervisorT): void {
    void this.readVersion().then((version) => { if (this.hv === hv) this.setStatus({ version }); }, () => undefined);
  }

  /** Open now (rather than on the first call); resolves with the status either way. */
  async connect(): Promise<ConnectionStatus> {
    await this.hypervisor().catch(() => undefined);
    return this.status;
  }

  /** The open hypervisor handle; opens (or re-opens) it when needed. Throws while in backoff. */
  async hypervisor(): Promise<HypervisorT> {
    const readOnly = this.readOnly;
    if (this.hv && this.hvReadOnly === readOnly) return this.hv;
    if (this.hv) {
      // The mode changed (registered or unregistered since the open): reopen in the new one.
      const old = this.hv;
      this.hv = undefined;
      await old.connectClose().catch(() => undefined);
    }
    if (this.closed) throw new Error('connection closed');
    if (this.status.retryAt && Date.now() < this.status.retryAt) throw new Error(this.status.error ?? 'disconnected');
    this.opening ??= (async () => {
      try {
        const { Hypervisor } = await loadBinding();
        const target = readOnly ? readOnlyUri(this.uri) : { uri: this.uri };
        if ('error' in target) throw new Error(target.error);
        const hv = new Hypervisor({ uri: target.uri });
        await hv.connectOpen();
        this.hv = hv;
        this.hvReadOnly = readOnly;
        this.failures = 0;
        this.setStatus({ state: 'connected' });
        if (!this.held) this.fetchVersion(hv);
        return hv;
      } catch (err) {
        this.markDown(err);
        throw err;
      } finally {
        this.opening = undefined;
      }
    })();
    const hv = await this.opening;
    // An open already under way when the mode changed is of the old mode: open again.
    return this.hvReadOnly === readOnly ? hv : this.hypervisor();
  }

  private markDown(err: unknown): void {
    if (this.closed) return;
    const delay = BACKOFF_MS[Math.min(this.failures, BACKOFF_MS.length - 1)]!;
    this.failures++;
    const hv = this.hv;
    this.hv = undefined;
    hv?.connectClose().catch(() => undefined);
    this.setStatus({ state: 'disconnected', error: cleanError(err), retryAt: Date.now() + delay });
    this.scheduleReconnect(delay);
  }

  /** Reconnect on its own after the backoff delay (the timer does not keep the process alive). */
  private scheduleReconnect(delay: number): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.closed || this.hv) return;
      void this.hypervisor().catch(() => undefined);
    }, delay + 10);
    this.reconnectTimer.unref?.();
  }

  /** Run a call against the hypervisor; a failure that means the daemon is gone marks the connection down. */
  async call<T>(fn: (hv: HypervisorT) => Promise<T>): Promise<T> {
    const hv = await this.hypervisor();
    try {
      return await fn(hv);
    } catch (err) {
      if (isConnectionError(err)) this.markDown(err);
      throw virtError(err);
    }
  }

  /** Run `fn` on the domain named `name`; "no domain named" when there is none. */
  async withDomain<T>(name: string, fn: (hv: HypervisorT, d: DomainHandle) => Promise<T>): Promise<T> {
    return this.call(async (hv) => {
      let d: DomainHandle;
      try {
        d = await hv.domainLookupByName(name);
      } catch (err) {
        if (/not found/i.test(String((err as Error).message))) throw new NotFoundError(`no domain named '${name}'`, { cause: err });
        throw err;
      }
      return fn(hv, d);
    });
  }

  /**
   * `virsh -c <uri> ...args` -> stdout; a failure that means the daemon is gone
   * marks the connection down. A bound property, not a method: the per-object
   * modules pass it on as a plain function.
   */
  readonly virsh: Virsh = async (args, opts = {}) => {
    const readOnly = this.readOnly;
    try {
      const session = this.sessionFor(args[0], opts.timeoutMs, readOnly);
      return session ? await session.command(args) : await runVirsh(this.uri, args, { ...opts, readOnly });
    } catch (err) {
      if (isConnectionError(err) && this.status.state === 'connected') this.markDown(err);
      throw err;
    }
  };

  private sessionFor(command: string | undefined, timeoutMs: number | undefined, readOnly: boolean): VirshSession | undefined {
    if (this.closed || this.uri.startsWith('test:') || !SESSION_COMMANDS.has(command ?? '') || (timeoutMs ?? SESSION_TIMEOUT_MS) > SESSION_TIMEOUT_MS) return undefined;
    let s = this.sessions.get(readOnly);
    if (!s) this.sessions.set(readOnly, (s = new VirshSession(this.uri, { readOnly, headers: true, timeoutMs: SESSION_TIMEOUT_MS })));
    return s;
  }

  async readVersion(): Promise<VirtVersion> {
    const r = await run('virsh', virshArgv(this.uri, virshArgs('version')), { timeoutMs: 20_000, env: { LC_ALL: 'C' } });
    if (r.exitCode !== 0) throw new Error(r.stderr.trim() || 'virsh version failed');
    return parseVirshVersion(r.stdout);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.stream?.close();
    this.stream = undefined;
    this.eventListeners.clear();
    for (const session of this.sessions.values()) session.close();
    this.sessions.clear();
    const hv = this.hv;
    this.hv = undefined;
    await hv?.connectClose().catch(() => undefined);
  }

  // ---- events -------------------------------------------------------------

  /**
   * Domain events (start, stop, crash, pause, resume, define, undefine, ...)
   * as libvirt sends them, without polling: one `virsh event --all --loop`
   * runs while anyone is subscribed, and is restarted when it ends (e.g.
   * libvirtd restarted). Returns the unsubscribe function.
   */
  onDomainEvent(fn: (e: DomainEvent) => void): () => void {
    this.eventListeners.add(fn);
    if (!this.stream && !this.closed) {
      this.stream = new DomainEventStream(this.uri, {
        onEvent: (e) => { for (const l of this.eventListeners) l(e); },
        onExit: ({ error }) => void this.verifyAfterStreamExit(error),
      });
      if (!this.held) this.stream.start();
    }
    return () => {
      this.eventListeners.delete(fn);
      if (this.eventListeners.size === 0 && this.stream) {
        this.stream.close();
        this.stream = undefined;
      }
    };
  }

  /** Whether the event stream's virsh is running right now. */
  get eventsRunning(): boolean {
    return Boolean(this.stream?.running);
  }

  /** The event stream ended: find out whether the daemon is gone. */
  private async verifyAfterStreamExit(error: string): Promise<void> {
    if (this.closed) return;
    if (isConnectionError(error)) { if (this.status.state !== 'disconnected') this.markDown(new Error(error)); return; }
    try {
      await this.call((hv) => hv.connectGetHostname());
    } catch {
      /* call() marked it down when the daemon is gone */
    }
  }

  // ---- host ---------------------------------------------------------------

  async nodeInfo(): Promise<NodeInfo> {
    return this.call(async (hv) => {
      const [hostname, n] = await Promise.all([hv.connectGetHostname(), hv.nodeGetInfo()]);
      return { hostname, cpus: n.cpus, mhz: n.mhz, memoryKiB: Number(n.memory), model: n.model };
    });
  }

  /** The host's name as libvirt reports it: a cheap round trip that notices a daemon gone away (the status then says so). */
  hostname(): Promise<string> {
    return this.call((hv) => hv.connectGetHostname());
  }

  /** The host's capabilities XML (`virsh capabilities`: guest architectures, machine types, domain types). */
  capabilitiesXml(): Promise<string> {
    return this.virsh(virshArgs('capabilities'));
  }

  /** What QEMU offers VMs of one machine type (`virsh domcapabilities`: firmware, CPU modes and models, disk buses). */
  domCapabilitiesXml(machine: string, virttype?: 'kvm' | 'qemu'): Promise<string> {
    return this.virsh(virshArgs('domcapabilities', { machine, virttype, arch: 'x86_64' }));
  }

  // ---- domains (domains.ts) ---------------------------------------------------

  domainList(): Promise<DomainSummary[]> { return domains.domainList(this); }
  domainState(name: string): Promise<DomainStateName> { return domains.domainState(this, name); }
  domainGetXml(name: string, opts: { inactive?: boolean } = {}): Promise<string> { return domains.domainGetXml(this, name, opts); }
  domainGet(name: string): Promise<DomainInfo> { return domains.domainGet(this, name); }
  domainDefine(xml: string): Promise<string> { return domains.domainDefine(this, xml); }
  domainCreate(spec: DomainSpec): Promise<string> { return domains.domainCreate(this, spec); }
  domainUpdate(name: string, changes: Omit<DomainChanges, 'newUuid' | 'newMacs' | 'name'>): Promise<string> { return domains.domainUpdate(this, name, changes); }
  domainClone(name: string, newName: string, changes: Pick<DomainChanges, 'memoryMiB' | 'vcpus' | 'description' | 'title'> = {}): Promise<{ name: string; volumes: string[] }> { return domains.domainClone(this, name, newName, changes); }
  domainStart(name: string): Promise<void> { return domains.domainStart(this, name); }
  domainStartWithXml(xml: string): Promise<void> { return domains.domainStartWithXml(this, xml); }
  domainShutdown(name: string): Promise<void> { return domains.domainShutdown(this, name); }
  domainReboot(name: string): Promise<void> { return domains.domainReboot(this, name); }
  domainDestroy(name: string): Promise<void> { return domains.domainDestroy(this, name); }
  domainSuspend(name: string): Promise<void> { return domains.domainSuspend(this, name); }
  domainResume(name: string): Promise<void> { return domains.domainResume(this, name); }
  domainSave(name: string, file: string): Promise<void> { return domains.domainSave(this, name, file); }
  domainRestore(file: string): Promise<void> { return domains.domainRestore(this, file); }
  domainManagedSave(name: string): Promise<void> { return domains.domainManagedSave(this, name); }
  domainSetLiveDescription(name: string, description: string): Promise<void> { return domains.domainSetLiveDescription(this, name, description); }
  domainSetAutostart(name: string, on: boolean): Promise<void> { return domains.domainSetAutostart(this, name, on); }
  domainUndefine(name: string, opts: { removeStorage?: boolean; managedPools?: readonly string[] } = {}): Promise<UndefineResult> { return domains.domainUndefine(this, name, opts); }
  domainDiskRemovalPlan(name: string, managedPools: readonly string[] = []): Promise<DiskRemovalPlan> { return domains.domainDiskRemovalPlan(this, name, managedPools); }
  domainConsoleCommand(name: string): { command: string; args: string[] } { return domains.domainConsoleCommand(this.uri, name); }
  domainWaitState(name: string, states: readonly DomainStateName[], timeoutMs: number): Promise<DomainStateName> { return domains.domainWaitState(this, name, states, timeoutMs); }

  // ---- statistics (sampler.ts) -------------------------------------------------

  domainStats(): Promise<DomainStats[]> { return domainStats(this); }

  // ---- snapshots (snapshots.ts) --------------------------------------------------

  snapshotList(name: string): Promise<Snapshot[]> { return snapshots.snapshotList(this, name); }
  snapshotCreate(name: string, snap: { name?: string; description?: string }): Promise<string> { return snapshots.snapshotCreate(this, name, snap); }
  snapshotCreateDiskOnly(name: string, snap: { name: string; description?: string }, diskspecs: readonly string[]): Promise<string> { return snapshots.snapshotCreateDiskOnly(this, name, snap, diskspecs); }
  snapshotGetXml(name: string, snapshot: string): Promise<string> { return snapshots.snapshotGetXml(this, name, snapshot); }
  snapshotRevert(name: string, snapshot: string): Promise<void> { return snapshots.snapshotRevert(this, name, snapshot); }
  snapshotDelete(name: string, snapshot: string, opts: { children?: boolean } = {}): Promise<void> { return snapshots.snapshotDelete(this, name, snapshot, opts); }

  // ---- storage pools and volumes (pools.ts) ----------------------------------------

  storagePoolList(): Promise<StoragePool[]> { return pools.poolList(this.virsh); }
  storagePoolRefresh(pool: string): Promise<void> { return pools.poolRefresh(this.virsh, pool); }
  storagePoolStart(pool: string): Promise<void> { return pools.poolStart(this.virsh, pool); }
  storagePoolStop(pool: string): Promise<void> { return pools.poolStop(this.virsh, pool); }
  storagePoolCreateDir(pool: string, path: string): Promise<void> { return pools.poolCreateDir(this.virsh, pool, path); }

  async storagePoolDelete(pool: string): Promise<void> {
    await pools.poolStop(this.virsh, pool).catch(() => undefined);
    await pools.poolUndefine(this.virsh, pool);
  }

  storageVolumeList(pool: string): Promise<StorageVolume[]> { return pools.volumeList(this.virsh, pool); }
  /** Create a volume; returns its path. */
  storageVolumeCreate(pool: string, name: string, sizeBytes: number, format: 'qcow2' | 'raw' = 'qcow2'): Promise<string> { return pools.volumeCreate(this.virsh, pool, name, sizeBytes, format); }
  /** A qcow2 overlay of `backing` as a new volume (a thin VM's disk). */
  storageVolumeCreateOverlay(pool: string, name: string, backing: { path: string; format: string; sizeBytes: number }): Promise<void> { return pools.volumeCreateOverlay(this.virsh, pool, name, backing); }
  storageVolumeXml(pool: string, name: string): Promise<string> { return pools.volumeXml(this.virsh, pool, name); }
  storageVolumePath(pool: string, name: string): Promise<string> { return pools.volumePath(this.virsh, pool, name); }
  storageVolumeDelete(pool: string, name: string): Promise<void> { return pools.volumeDelete(this.virsh, { pool, name }); }

  // ---- networks (networks.ts) ----------------------------------------------------

  networkList(): Promise<Network[]> { return networks.networkList(this); }
  networkStart(net: string): Promise<void> { return networks.networkStart(this, net); }
  networkStop(net: string): Promise<void> { return networks.networkStop(this, net); }
}

function cleanError(err: unknown): string {
  const m = err instanceof Error ? err.message : String(err);
  return m.replace(/\s+/g, ' ').trim();
}
