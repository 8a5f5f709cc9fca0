// The libvirt connection and the one interface the screens use for libvirt:
// access functions named resource + verb (domainStart, snapshotRevert,
// storagePoolRefresh, ...). @unraid/libvirt for the calls it has; `virsh`
// through the runner for the rest (bulk domstats, event --loop, snapshots,
// pools, networks, reboot, autostart). Functions return values and never
// touch UI state. When libvirtd goes away the status says "disconnected"
// and the connection is re-opened with backoff on its own.
//
// On a test:///<file>.xml URI every process opens its own copy of the
// fixture: changes made through the binding are not seen by virsh and the
// other way round. The contract tests keep to that (see test/contract).
import type { Hypervisor as HypervisorT, Domain as DomainHandle } from '@unraid/libvirt';
import { run } from '../exec/runner.ts';
import { parseVirshVersion } from './version.ts';
import { domainStateName, parseDomInfo, type ConnectionStatus, type DomainInfo, type DomainStateName, type DomainSummary, type VirtVersion } from './types.ts';
import { virsh as runVirsh, virshArgs, virshArgv, VirshError, type VirshArgs } from './virsh.ts';
import { parseDomstats, type DomainStatsSample } from './stats.ts';
import { readDomainStartTimes } from './uptime.ts';
import { DomainEventStream, type DomainEvent } from './events.ts';
import { parseSnapshotList, type Snapshot } from './snapshots.ts';
import { parseNetList, parsePoolList, parseVolList, type Network, type StoragePool, type StorageVolume } from './storage.ts';
import { parseDomainXml, type DomainDisk } from './xml/parse.ts';
import { DiskLookup, diskRemove, volumeClone, volumeDelete, type Virsh } from './volumes.ts';
import { cloneVolumeName, diskRefusalMessage, diskRemovalPlan, ownedDisks, type DiskRemovalPlan, type DiskStorage, type DomainDisks, type VolumeRef } from '../domain/vm-disks.ts';
import { WrongStateError } from '../domain/errors.ts';
import { domainXml, domainNameProblem, snapshotXml, type DomainSpec } from './xml/create.ts';
import { updateDomainXml, type DomainChanges } from './xml/update.ts';

type Binding = typeof import('@unraid/libvirt');
let bindingPromise: Promise<Binding> | undefined;
const loadBinding = () => (bindingPromise ??= import('@unraid/libvirt'));

const BACKOFF_MS = [500, 1000, 2000, 4000, 8000];

/** A domain sample from the bulk stats call, with its start time where known (for uptime). */
export interface DomainStats extends DomainStatsSample {
  /** When the domain's QEMU process started (ms since epoch); local qemu:///system only. */
  startedAt?: number;
}

/** What a delete with its disks did: sources removed, and those kept because other domains use them. */
export interface UndefineResult {
  removed: string[];
  shared: { disk: string; usedBy: string[] }[];
}

export interface NodeInfo {
  hostname: string;
  cpus: number;
  mhz: number;
  memoryKiB: number;
  model: string;
}

export class VirtConnection {
  private hv?: HypervisorT;
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

  constructor(public readonly uri: string) {
    this.status = { uri, state: 'connecting' };
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
    if (this.hv) return this.hv;
    if (this.closed) throw new Error('connection closed');
    if (this.status.retryAt && Date.now() < this.status.retryAt) throw new Error(this.status.error ?? 'disconnected');
    this.opening ??= (async () => {
      try {
        const { Hypervisor } = await loadBinding();
        const hv = new Hypervisor({ uri: this.uri });
        await hv.connectOpen();
        this.hv = hv;
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
    return this.opening;
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

  /** The connection's virsh for helpers that take one (src/virt/volumes.ts). */
  private readonly virshFn: Virsh = (args, opts) => this.virsh(args, opts);

  /** `virsh -c <uri> ...args` -> stdout; a failure that means the daemon is gone marks the connection down. */
  async virsh(args: VirshArgs, opts: { timeoutMs?: number } = {}): Promise<string> {
    try {
      return await runVirsh(this.uri, args, opts);
    } catch (err) {
      if (isConnectionError(err) && this.status.state === 'connected') this.markDown(err);
      throw err;
    }
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

  // ---- domains: reads -----------------------------------------------------

  /** Every defined domain with its state and basic figures. */
  async domainList(): Promise<DomainSummary[]> {
    return this.call(async (hv) => {
      const doms = await hv.connectListAllDomains();
      return Promise.all(doms.map(async (d) => {
        const [name, uuid, info, id] = await Promise.all([hv.domainGetName(d), hv.domainGetUUIDString(d), hv.domainGetInfo(d), hv.domainGetID(d).catch(() => -1)]);
        return {
          uuid, name, id: typeof id === 'number' && id > 0 ? id : -1,
          state: domainStateName(info.state), vcpus: info.nrVirtCpu, memoryKiB: info.memory, maxMemoryKiB: info.maxMem, cpuTimeNs: Number(info.cpuTime ?? 0),
        } satisfies DomainSummary;
      }));
    });
  }

  /** One domain's state (binding, no process). */
  async domainState(name: string): Promise<DomainStateName> {
    return this.withDomain(name, async (hv, d) => domainStateName((await hv.domainGetInfo(d)).state));
  }

  /** Domain XML (live while running; `inactive` for the persistent definition). */
  async domainGetXml(name: string, opts: { inactive?: boolean } = {}): Promise<string> {
    return this.withDomain(name, (hv, d) => hv.domainGetXMLDesc(d, opts.inactive ? 2 : 0));
  }

  /** Everything a detail view shows about one domain. */
  async domainGet(name: string): Promise<DomainInfo> {
    const [summary, xml, dominfo, snaps] = await Promise.all([
      this.withDomain(name, async (hv, d) => {
        const [uuid, info, id] = await Promise.all([hv.domainGetUUIDString(d), hv.domainGetInfo(d), hv.domainGetID(d).catch(() => -1)]);
        return {
          uuid, name, id: typeof id === 'number' && id > 0 ? id : -1, state: domainStateName(info.state), vcpus: info.nrVirtCpu,
          memoryKiB: info.memory, maxMemoryKiB: info.maxMem, cpuTimeNs: Number(info.cpuTime ?? 0),
        } satisfies DomainSummary;
      }),
      this.domainGetXml(name),
      this.virsh(virshArgs('dominfo', { domain: name })).then(parseDomInfo),
      this.virsh(virshArgs('snapshot-list', { domain: name }, ['--name'])).then((t) => t.split('\n').filter((l) => l.trim()).length).catch(() => 0),
    ]);
    return {
      ...summary,
      persistent: dominfo.Persistent !== 'no',
      autostart: dominfo.Autostart === 'enable',
      managedSave: dominfo['Managed save'] === 'yes',
      snapshots: snaps,
      details: parseDomainXml(xml),
    };
  }

  /**
   * Counters for every domain in ONE `virsh domstats --nowait` call (a busy
   * domain, e.g. one taking a snapshot, does not hold up the tick; never a process
   * or round trip per VM), plus start times for uptime. Feed two of these to
   * computeAllRates() for CPU %, disk and network per second.
   */
  async domainStats(): Promise<DomainStats[]> {
    const at = Date.now();
    const samples: DomainStats[] = parseDomstats(await this.virsh(virshArgs('domstats', {}, ['--nowait'])), at);
    const running = samples.filter((s) => s.state === 'running' || s.state === 'paused' || s.state === 'blocked').map((s) => s.name);
    const starts = await readDomainStartTimes(this.uri, running);
    for (const s of samples) s.startedAt = starts.get(s.name);
    return samples;
  }

  // ---- domains: lifecycle -------------------------------------------------

  private async withDomain<T>(name: string, fn: (hv: HypervisorT, d: DomainHandle) => Promise<T>): Promise<T> {
    return this.call(async (hv) => {
      let d: DomainHandle;
      try {
        d = await hv.domainLookupByName(name);
      } catch (err) {
        if (/not found/i.test(String((err as Error).message))) throw new Error(`no domain named '${name}'`, { cause: err });
        throw err;
      }
      return fn(hv, d);
    });
  }

  /** Define a domain from XML; returns its name. */
  async domainDefine(xml: string): Promise<string> {
    return this.call(async (hv) => hv.domainGetName(await hv.domainDefineXML(xml)));
  }

  /** Define a domain from a spec (see xml/create.ts); returns its name. */
  async domainCreate(spec: DomainSpec): Promise<string> {
    return this.domainDefine(domainXml(spec));
  }

  /** Change a defined domain (takes effect at its next start); returns the new XML. */
  async domainUpdate(name: string, changes: Omit<DomainChanges, 'newUuid' | 'newMacs' | 'name'>): Promise<string> {
    const xml = updateDomainXml(await this.domainGetXml(name, { inactive: true }), changes);
    await this.domainDefine(xml);
    return xml;
  }

  /**
   * Clone a shut-off domain: new name, UUID and MACs. Every disk it owns is
   * copied with vol-clone in its own pool on this connection (a file disk
   * stays a file disk, on the new volume's path); read-only and CD-ROM
   * images are shared. A writable disk that is not a volume of a pool here
   * is refused, with the reason, before anything is copied; a failure takes
   * back the volumes made so far (vol-delete). Returns the clone's name and
   * its volumes (POOL/VOLUME).
   */
  async domainClone(name: string, newName: string, changes: Pick<DomainChanges, 'memoryMiB' | 'vcpus' | 'description' | 'title'> = {}): Promise<{ name: string; volumes: string[] }> {
    const problem = domainNameProblem(newName);
    if (problem) throw new Error(`domain name ${JSON.stringify(newName)}: ${problem}`);
    if ((await this.domainState(name)) !== 'shutoff') throw new WrongStateError(`${name} must be shut off to be cloned`);
    const xml = await this.domainGetXml(name, { inactive: true });
    const lookup = new DiskLookup(this.virshFn, this.uri);
    const disks: { disk: DomainDisk; storage: DiskStorage }[] = [];
    for (const disk of parseDomainXml(xml).disks.filter((d) => d.device === 'disk' && !d.readonly)) disks.push({ disk, storage: await lookup.disk(disk, 'copy') });
    const refusals = disks.map((d) => d.storage.problem).filter((p): p is string => Boolean(p));
    if (refusals.length) throw new WrongStateError(`cannot clone ${name}: ${refusals.join('; ')}`);
    const diskPaths: Record<string, string> = {};
    const diskVolumes: Record<string, { pool: string; volume: string }> = {};
    const created: VolumeRef[] = [];
    try {
      for (const [i, { disk, storage }] of disks.entries()) {
        const copy = await volumeClone(this.virshFn, storage.volume!, cloneVolumeName(newName, i, disk.target, storage.volume!.name, disk.format));
        created.push(copy);
        if (disk.type === 'file') diskPaths[disk.target] = copy.path;
        else diskVolumes[disk.target] = { pool: copy.pool, volume: copy.name };
      }
      await this.domainDefine(updateDomainXml(xml, { ...changes, name: newName, newUuid: true, newMacs: true, diskPaths, diskVolumes }));
      return { name: newName, volumes: created.map((v) => `${v.pool}/${v.name}`) };
    } catch (err) {
      for (const v of created) await volumeDelete(this.virshFn, v).catch(() => undefined);
      throw err;
    }
  }

  /** Start (boot) a defined domain. */
  async domainStart(name: string): Promise<void> {
    await this.withDomain(name, (hv, d) => hv.domainCreate(d));
  }

  /** Ask the guest to shut down (ACPI); returns once asked, not once it is off. */
  async domainShutdown(name: string): Promise<void> {
    await this.withDomain(name, (hv, d) => hv.domainShutdown(d));
  }

  /** Ask the guest to reboot. */
  async domainReboot(name: string): Promise<void> {
    await this.virsh(virshArgs('reboot', { domain: name }));
  }

  /** Power off at once (pull the plug). */
  async domainDestroy(name: string): Promise<void> {
    await this.withDomain(name, (hv, d) => hv.domainDestroy(d));
  }

  async domainSuspend(name: string): Promise<void> {
    await this.withDomain(name, (hv, d) => hv.domainSuspend(d));
  }

  async domainResume(name: string): Promise<void> {
    await this.withDomain(name, (hv, d) => hv.domainResume(d));
  }

  /** Save the running domain's memory to a file and stop it. */
  async domainSave(name: string, file: string): Promise<void> {
    await this.withDomain(name, (hv, d) => hv.domainSave(d, file));
  }

  /** Start a domain again from a file written by domainSave. */
  async domainRestore(file: string): Promise<void> {
    await this.call((hv) => hv.domainRestore(file));
  }

  async domainSetAutostart(name: string, on: boolean): Promise<void> {
    await this.virsh(virshArgs('autostart', { domain: name }, on ? [] : ['--disable']));
  }

  /**
   * Remove the definition. Snapshot metadata, a managed save image and UEFI
   * variables go with it. With `removeStorage` the disks it owns go too, on
   * this connection only: a pool volume with vol-delete; a file hostdeck
   * removes itself only on a local URI and in a pool it manages
   * (`managedPools`). Any other disk refuses the whole delete, with the
   * reason, before anything is removed or undefined. A disk another domain
   * uses is kept. CD-ROMs and read-only images stay.
   */
  async domainUndefine(name: string, opts: { removeStorage?: boolean; managedPools?: readonly string[] } = {}): Promise<UndefineResult> {
    if (!opts.removeStorage) {
      await this.undefineDefinition(name);
      return { removed: [], shared: [] };
    }
    const state = await this.domainState(name);
    if (state !== 'shutoff' && state !== 'crashed') throw new WrongStateError(`${name} is ${state}: it must be shut off before its disks are removed`);
    const plan = await this.domainDiskRemovalPlan(name, opts.managedPools);
    if (plan.refusals.length) throw new WrongStateError(diskRefusalMessage(name, plan.refusals));
    await this.undefineDefinition(name);
    const removed: string[] = [];
    const failed: string[] = [];
    for (const d of plan.remove) {
      try {
        await diskRemove(this.virshFn, d);
        removed.push(d.source);
      } catch (err) {
        failed.push(`${d.source} (${(err as Error).message})`);
      }
    }
    if (failed.length) throw new Error(`${name} was deleted, but these disks could not be removed: ${failed.join(', ')}`);
    return { removed, shared: plan.shared.map((x) => ({ disk: x.disk.source, usedBy: x.usedBy })) };
  }

  /** What domainUndefine with `removeStorage` would remove, keep and refuse; changes nothing. */
  async domainDiskRemovalPlan(name: string, managedPools: readonly string[] = []): Promise<DiskRemovalPlan> {
    const disks = ownedDisks(parseDomainXml(await this.domainGetXml(name, { inactive: true })).disks);
    const lookup = new DiskLookup(this.virshFn, this.uri, managedPools);
    const storage: DiskStorage[] = [];
    for (const d of disks) storage.push(await lookup.disk(d, 'remove'));
    return diskRemovalPlan(storage, disks.length ? await this.otherDomainsDisks(name) : []);
  }

  /** The disks of every other domain: its persistent definition, and the live one while it runs (a disk attached live counts). */
  private async otherDomainsDisks(name: string): Promise<DomainDisks[]> {
    // A domain removed since the list was read uses nothing; any other failure stops the delete.
    const gone = (err: unknown) => { if (/no domain named|not found|no domain with matching/i.test(String((err as Error).message))) return ''; throw err; };
    const out: DomainDisks[] = [];
    for (const other of await this.domainList()) {
      if (other.name === name) continue;
      const xmls = [await this.domainGetXml(other.name, { inactive: true }).catch(gone), other.id > 0 ? await this.domainGetXml(other.name).catch(gone) : ''];
      out.push({ domain: other.name, disks: xmls.filter(Boolean).flatMap((x) => parseDomainXml(x).disks) });
    }
    return out;
  }

  /** Undefine with whatever else the definition holds (snapshot metadata, managed save, nvram). */
  private async undefineDefinition(name: string): Promise<void> {
    try {
      await this.withDomain(name, (hv, d) => hv.domainUndefine(d));
      return;
    } catch (err) {
      if (isConnectionError(err) || /no domain named|not found/i.test(String((err as Error).message))) throw err;
      // Snapshots, managed save or nvram block the plain undefine: virsh has the flags.
    }
    await this.virsh(virshArgs('undefine', { domain: name }, ['--snapshots-metadata', '--managed-save', '--nvram']));
  }

  /**
   * Shut down and wait until off; with `force`, power off once the guest has
   * not finished within the timeout. Resolves with how it ended.
   */
  async domainShutdownAndWait(name: string, timeoutMs: number, opts: { force?: boolean } = {}): Promise<'shutdown' | 'forced'> {
    await this.domainShutdown(name);
    try {
      await this.domainWaitState(name, ['shutoff', 'crashed'], timeoutMs);
      return 'shutdown';
    } catch (err) {
      if (!opts.force) throw err;
      await this.domainDestroy(name);
      return 'forced';
    }
  }

  /** The program and arguments that attach the terminal to the domain's serial console (for runInteractive). */
  domainConsoleCommand(name: string): { command: string; args: string[] } {
    return { command: 'virsh', args: virshArgv(this.uri, virshArgs('console', { domain: name }, ['--force'])) };
  }

  /** Wait until the domain is in one of `states` (polls the binding every 200 ms); resolves with the state. */
  async domainWaitState(name: string, states: readonly DomainStateName[], timeoutMs: number): Promise<DomainStateName> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const s = await this.domainState(name);
      if (states.includes(s)) return s;
      if (Date.now() > until) throw new Error(`${name} is ${s}, not ${states.join('/')} after ${Math.round(timeoutMs / 1000)} s`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  // ---- snapshots ----------------------------------------------------------

  /** Snapshots of a domain, each with its parent and whether it is current. */
  async snapshotList(name: string): Promise<Snapshot[]> {
    const [table, current] = await Promise.all([
      this.virsh(virshArgs('snapshot-list', { domain: name }, ['--parent'])),
      this.virsh(virshArgs('snapshot-current', { domain: name }, ['--name'])).then((t) => t.trim()).catch(() => undefined),
    ]);
    return parseSnapshotList(table, current || undefined);
  }

  /** Take a snapshot (with memory state while running); returns its name. */
  async snapshotCreate(name: string, snap: { name: string; description?: string }): Promise<string> {
    await this.virsh(virshArgs('snapshot-create-as', { domain: name, name: snap.name, description: snap.description || undefined }), { timeoutMs: 300_000 });
    return snap.name;
  }

  /** Snapshot XML form of snapshotCreate (for callers that build the XML). */
  snapshotXml(snap: { name: string; description?: string }): string {
    return snapshotXml(snap);
  }

  /** Go back to a snapshot (the domain takes the snapshot's state: running or shut off). */
  async snapshotRevert(name: string, snapshot: string): Promise<void> {
    await this.virsh(virshArgs('snapshot-revert', { domain: name, snapshotname: snapshot }), { timeoutMs: 300_000 });
  }

  /** Delete a snapshot (its children are re-parented), or with `children` the whole subtree. */
  async snapshotDelete(name: string, snapshot: string, opts: { children?: boolean } = {}): Promise<void> {
    await this.virsh(virshArgs('snapshot-delete', { domain: name, snapshotname: snapshot }, opts.children ? ['--children'] : []), { timeoutMs: 300_000 });
  }

  // ---- storage pools and volumes -------------------------------------------

  async storagePoolList(): Promise<StoragePool[]> {
    return parsePoolList(await this.virsh(virshArgs('pool-list', {}, ['--all', '--details'])));
  }

  async storagePoolRefresh(pool: string): Promise<void> {
    await this.virsh(virshArgs('pool-refresh', { pool }));
  }

  async storagePoolStart(pool: string): Promise<void> {
    await this.virsh(virshArgs('pool-start', { pool }));
  }

  async storagePoolStop(pool: string): Promise<void> {
    await this.virsh(virshArgs('pool-destroy', { pool }));
  }

  /** Define (and build, start) a directory pool. */
  async storagePoolCreateDir(pool: string, path: string): Promise<void> {
    await this.virsh(virshArgs('pool-define-as', { name: pool, type: 'dir', target: path }));
    await this.virsh(virshArgs('pool-build', { pool }));
    await this.virsh(virshArgs('pool-start', { pool }));
  }

  async storagePoolDelete(pool: string): Promise<void> {
    await this.virsh(virshArgs('pool-destroy', { pool })).catch(() => undefined);
    await this.virsh(virshArgs('pool-undefine', { pool }));
  }

  async storageVolumeList(pool: string): Promise<StorageVolume[]> {
    return parseVolList(await this.virsh(virshArgs('vol-list', { pool }, ['--details'])));
  }

  /** Create a volume; returns its path. */
  async storageVolumeCreate(pool: string, name: string, sizeBytes: number, format: 'qcow2' | 'raw' = 'qcow2'): Promise<string> {
    await this.virsh(virshArgs('vol-create-as', { pool, name, capacity: `${sizeBytes}b`, format }));
    return (await this.virsh(virshArgs('vol-path', { vol: name, pool }))).trim();
  }

  async storageVolumeDelete(pool: string, name: string): Promise<void> {
    await this.virsh(virshArgs('vol-delete', { vol: name, pool }));
  }

  // ---- networks -----------------------------------------------------------

  async networkList(): Promise<Network[]> {
    return parseNetList(await this.virsh(virshArgs('net-list', {}, ['--all'])));
  }

  async networkStart(net: string): Promise<void> {
    await this.virsh(virshArgs('net-start', { network: net }));
  }

  async networkStop(net: string): Promise<void> {
    await this.virsh(virshArgs('net-destroy', { network: net }));
  }
}

/** The binding's errors without its "LibvirtError: ... (code: -1, domain: -1, level: -1)" wrapping. */
export function virtError(err: unknown): Error {
  if (!(err instanceof Error) || err instanceof VirshError) return err instanceof Error ? err : new Error(String(err));
  const m = err.message.replace(/^LibvirtError:\s*/, '').replace(/\s*\(code: -?\d+, domain: -?\d+, level: -?\d+\)\s*$/, '');
  if (m === err.message) return err;
  const e = new Error(m, { cause: err });
  e.name = 'VirtError';
  return e;
}

function cleanError(err: unknown): string {
  const m = err instanceof Error ? err.message : String(err);
  return m.replace(/\s+/g, ' ').trim();
}

/** libvirt errors that mean the connection itself is gone (daemon stopped or socket closed). */
export function isConnectionError(err: unknown): boolean {
  const m = err instanceof VirshError ? `${err.message} ${err.result.stderr}` : err instanceof Error ? err.message : String(err);
  return /(not connected|connection (closed|reset)|Cannot recv data|Cannot write data|Failed to connect socket|failed to connect to the hypervisor|End of file while reading|client socket is closed|no connection driver|invalid connection pointer|Broken pipe|Disconnected from)/i.test(m);
}
