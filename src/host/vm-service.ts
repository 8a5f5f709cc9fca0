// VM lifecycle as the TUI and the CLI use it: every action checks the engine
// lock and the VM's state first (the pure predicates of src/domain/vm.ts),
// validates its input before anything runs (src/domain/vm-create.ts), writes
// one event with the result, and on failure takes back what it created (no
// defined domain, no orphan volume). libvirt access goes through
// services.virt only.
import { InvalidInputError, NotFoundError } from '../domain/errors.ts';
import { existsSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Services } from '../services.ts';
import { runInteractive } from '../exec/runner.ts';
import {
  defaultDiskBus, descriptionProblem, newVolumeName, pendingChanges, snapshotCreateProblem, snapshotNameProblem, snapshotRevertProblem, validateVmCreate, validateVmEdit,
  vmNameProblem, type FieldError, type HostFacts, type SnapshotMode, type VmCreateInput, type VmEditInput,
} from '../domain/vm-create.ts';
import {
  vmCanClone, vmCanDelete, vmCanEdit, vmCanOpenConsole, vmCanPause, vmCanPowerOff, vmCanReboot, vmCanResume, vmCanSave, vmCanShutdown, vmCanSnapshot,
  vmCanStart, vmCanAutostart, type Availability, type VmLike,
} from '../domain/vm.ts';
import { vmActionsLocked } from './engine/index.ts';
import type { DomainInfo, DomainStateName } from '../virt/types.ts';
import { domainXml, type DiskSpec, type DomainSpec } from '../virt/xml/create.ts';
import { parseDomainXml, type DomainDisk } from '../virt/xml/parse.ts';
import { parseXml, renderXml, type XmlElement, type XmlNode } from '../virt/xml/xml.ts';
import { isConnectionError } from '../virt/connection.ts';
import { diskSource, ownedDisks, uriIsLocal } from '../domain/vm-disks.ts';
import { virshArgs } from '../virt/virsh.ts';
import { snapshotTree, flattenSnapshotTree, type Snapshot, type SnapshotNode } from '../virt/snapshots.ts';

/** Input that breaks a rule: nothing was done. The CLI exits 2. */
export class VmInputError extends InvalidInputError {
  constructor(public override readonly errors: FieldError[]) {
    super(errors);
    this.name = 'VmInputError';
  }
}

/** The action cannot run now (engine lock, VM state, libvirt refused); the CLI exits 1. */
export class VmActionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VmActionError';
  }
}

export const SERIAL_LOG_DIR = '/var/log/libvirt/qemu';
export const serialLogFile = (name: string) => join(SERIAL_LOG_DIR, `${name}-serial.log`);

// ---- host facts ------------------------------------------------------------

interface Caps { machines: string[]; domainType: 'kvm' | 'qemu' | 'test' }
const capsCache = new WeakMap<object, Promise<Caps>>();

/** Machine types and the domain type (kvm where the host offers it, else qemu/TCG), read once per connection. */
export function capabilities(services: Services): Promise<Caps> {
  let p = capsCache.get(services.virt);
  if (!p) {
    p = services.virt.virsh(virshArgs('capabilities')).then((xml) => {
      const root = parseXml(xml);
      const machines = new Set<string>();
      let kvm = false;
      let test = false;
      for (const g of root.children.filter((c) => c.name === 'guest')) {
        if (g.children.some((a) => a.name === 'arch' && a.children.some((d) => d.name === 'domain' && d.attrs.type === 'test'))) test = true;
        const arch = g.children.find((c) => c.name === 'arch');
        if (!arch || arch.attrs.name !== 'x86_64') continue;
        const collect = (el: XmlElement) => el.children.filter((c) => c.name === 'machine').forEach((m) => { machines.add(m.text); if (m.attrs.canonical) machines.add(m.attrs.canonical); });
        collect(arch);
        for (const d of arch.children.filter((c) => c.name === 'domain')) { if (d.attrs.type === 'kvm') kvm = true; collect(d); }
      }
      return { machines: [...machines].filter(Boolean).sort(), domainType: kvm ? 'kvm' : test && !machines.size ? 'test' : 'qemu' } satisfies Caps;
    });
    p.catch(() => capsCache.delete(services.virt));
    capsCache.set(services.virt, p);
  }
  return p;
}

function hostBridges(): string[] {
  try {
    return readdirSync('/sys/class/net').filter((n) => existsSync(`/sys/class/net/${n}/bridge`)).sort();
  } catch {
    return [];
  }
}

/**
 * Every domain name. The access layer's list reads each domain after listing
 * them, so a domain removed meanwhile (by anyone) fails the whole call: read again.
 */
export async function domainNames(services: Services): Promise<string[]> {
  for (let i = 0; ; i++) {
    try {
      return (await services.virt.domainList()).map((d) => d.name);
    } catch (e) {
      if (i >= 4 || !/not found|no domain with matching/i.test(String((e as Error).message))) throw e;
    }
  }
}

/** What validation needs, read from libvirt; pools' volumes only for the pools named. */
export async function hostFacts(services: Services, wantVolumes: readonly string[] = []): Promise<HostFacts> {
  const v = services.virt;
  const [domains, node, pools, networks, caps] = await Promise.all([
    domainNames(services), v.nodeInfo(), v.storagePoolList(), v.networkList(), capabilities(services),
  ]);
  const volumes: Record<string, string[]> = {};
  await Promise.all([...new Set(wantVolumes)].filter((p) => pools.some((x) => x.name === p && x.state === 'running')).map(async (p) => {
    volumes[p] = (await v.storageVolumeList(p).catch(() => [])).map((x) => x.name);
  }));
  return {
    domains, memoryKiB: node.memoryKiB, cpus: node.cpus, pools, volumes,
    networks: networks.map((n) => n.name), bridges: hostBridges(), machines: caps.machines, fileExists: existsSync,
  };
}

// ---- helpers -----------------------------------------------------------------

function locked(services: Services): void {
  const reason = vmActionsLocked(services);
  if (reason) throw new VmActionError(reason);
}

function need(what: string, name: string, a: Availability): void {
  if (!a.available) throw new VmActionError(`cannot ${what} ${name}: ${a.reason}`);
}

/** Run an action with its event ("Start VM web1" + result). */
async function withEvent<T>(services: Services, name: string, message: string, fn: () => Promise<T>): Promise<T> {
  return services.events.action({ source: 'vm', objectType: 'vm', objectId: name, message }, fn);
}

/** libvirt's "no such domain" as hostdeck says it; any other failure as a refused action. */
function vmLookupError(e: unknown, name: string): Error {
  const m = (e as Error).message;
  if (/failed to get domain|no domain named|domain not found|no domain with matching/i.test(m)) return new NotFoundError(`no VM named '${name}' (see hostdeck vm list)`);
  return new VmActionError(m);
}

/** One VM as libvirt describes it; a VM that is not there is a NotFoundError naming it. */
export function vmGet(services: Services, name: string): Promise<DomainInfo> {
  return info(services, name);
}

async function info(services: Services, name: string): Promise<DomainInfo> {
  try {
    return await services.virt.domainGet(name);
  } catch (e) {
    throw vmLookupError(e, name);
  }
}

/** domainXml() with the names hostdeck allows (its own rules are stricter): the name is set after rendering. */
export function vmDomainXml(spec: DomainSpec): string {
  const placeholder = 'hostdeck-name-placeholder';
  const xml = domainXml({ ...spec, name: placeholder });
  const root = parseXml(xml);
  const nameEl = root.children.find((c) => c.name === 'name')!;
  nameEl.text = spec.name;
  return `${renderXml(toNode(root))}\n`;
}

/** A parsed element back into a writable node (libvirt's documents have no mixed content). */
export function toNode(el: XmlElement): XmlNode {
  return { name: el.name, attrs: { ...el.attrs }, children: el.children.map(toNode), text: el.text === '' ? undefined : el.text };
}

function diskTargets(buses: DiskSpec['bus'][]): string[] {
  const counters: Record<string, number> = {};
  return buses.map((b) => {
    const prefix = b === 'virtio' || !b ? 'vd' : b === 'ide' ? 'hd' : 'sd';
    const n = counters[prefix] ?? 0;
    counters[prefix] = n + 1;
    return `${prefix}${String.fromCharCode(97 + n)}`;
  });
}

/** The domain spec for a validated input (disks already resolved to pool volumes). */
export function specFor(input: VmCreateInput, domainType: 'kvm' | 'qemu' | 'test', volumes: { pool: string; volume: string; format?: 'qcow2' | 'raw' }[]): DomainSpec {
  const bus = defaultDiskBus(input.osType);
  const disks: DiskSpec[] = input.disks.map((d, i) => ({ pool: volumes[i]!.pool, volume: volumes[i]!.volume, format: volumes[i]!.format ?? (d.kind === 'new' ? d.format : undefined), bus: d.bus ?? bus }));
  if (input.iso) {
    const pv = input.iso.startsWith('/') ? undefined : { pool: input.iso.slice(0, input.iso.indexOf('/')), volume: input.iso.slice(input.iso.indexOf('/') + 1) };
    disks.push({ device: 'cdrom', format: 'raw', bus: /q35/.test(input.machine) ? 'sata' : 'ide', ...(pv ?? { path: input.iso }) });
  }
  const targets = diskTargets(disks.map((d) => d.bus));
  disks.forEach((d, i) => { d.target = targets[i]; });
  return {
    name: input.name,
    type: domainType,
    description: input.description || undefined,
    memoryMiB: input.memoryMiB,
    vcpus: input.vcpus,
    machine: input.machine,
    boot: input.boot === 'cdrom' ? ['cdrom', 'hd'] : input.boot === 'network' ? ['network', 'hd'] : ['hd'],
    kernel: input.boot === 'kernel' ? input.kernel : undefined,
    initrd: input.boot === 'kernel' ? input.initrd : undefined,
    cmdline: input.boot === 'kernel' ? input.cmdline : undefined,
    disks,
    nics: input.nic ? [{ type: input.nic.kind, source: input.nic.source, mac: input.nic.mac?.toLowerCase(), model: 'virtio' }] : [],
    serial: { logFile: serialLogFile(input.name) },
    graphics: input.graphics === 'none' ? false : { type: input.graphics },
  };
}

// ---- create --------------------------------------------------------------------

export interface CreateResult {
  name: string;
  /** Volumes created for it, as POOL/VOLUME. */
  volumes: string[];
  started: boolean;
  xml: string;
}

export interface CreateOptions {
  start?: boolean;
  /** Progress in words ("creating volume x on pool y"). */
  onStep?: (text: string) => void;
}

/** Validate only (the wizard's summary step and `vm create --dry-run`): every problem, nothing changed. */
export async function vmValidateCreate(services: Services, input: VmCreateInput): Promise<FieldError[]> {
  const facts = await hostFacts(services, [...input.disks.map((d) => d.pool), ...(input.iso && !input.iso.startsWith('/') ? [input.iso.split('/')[0]!] : [])]);
  return validateVmCreate(input, facts);
}

/**
 * Create a VM: validate everything, create its new volumes, define it and
 * (optionally) start it. Any failure takes back every step already done.
 */
export async function vmCreate(services: Services, input: VmCreateInput, opts: CreateOptions = {}): Promise<CreateResult> {
  locked(services);
  // The formats of existing volumes are read while the input is validated.
  const formats = Promise.all(input.disks.map((d) => (d.kind === 'existing' ? volumeFormat(services, d.pool, d.volume).catch(() => undefined) : Promise.resolve(undefined))));
  const [errors, caps] = await Promise.all([vmValidateCreate(services, input), capabilities(services)]);
  if (errors.length) throw new VmInputError(errors);
  const known = await formats;
  const v = services.virt;
  const step = opts.onStep ?? (() => undefined);
  return withEvent(services, input.name, `Create VM ${input.name}${opts.start ? ' and start it' : ''}`, async () => {
    const created: { pool: string; volume: string }[] = [];
    let defined = false;
    try {
      const vols: { pool: string; volume: string; format?: 'qcow2' | 'raw' }[] = [];
      for (const [i, d] of input.disks.entries()) {
        if (d.kind === 'existing') { vols.push({ pool: d.pool, volume: d.volume }); continue; }
        const volume = newVolumeName(input.name, i, d.format);
        step(`creating volume ${volume} (${d.sizeMiB} MiB ${d.format}) on pool ${d.pool}`);
        await v.storageVolumeCreate(d.pool, volume, d.sizeMiB * 1024 * 1024, d.format);
        created.push({ pool: d.pool, volume });
        vols.push({ pool: d.pool, volume, format: d.format });
      }
      // Existing volumes: their real format from libvirt.
      for (const [i, d] of input.disks.entries()) if (d.kind === 'existing') vols[i]!.format = known[i] ?? await volumeFormat(services, d.pool, d.volume);
      const xml = vmDomainXml(specFor(input, caps.domainType, vols));
      step('defining the VM');
      await v.domainDefine(xml);
      defined = true;
      if (opts.start) {
        step('starting the VM');
        await v.domainStart(input.name);
      }
      return { name: input.name, volumes: created.map((c) => `${c.pool}/${c.volume}`), started: Boolean(opts.start), xml };
    } catch (e) {
      const left = await rollback(services, input.name, defined, created);
      throw new Error(`${(e as Error).message}${left.length ? ` (and could not remove: ${left.join(', ')})` : ' (nothing was left behind)'}`, { cause: e });
    }
  });
}

async function volumeFormat(services: Services, pool: string, volume: string): Promise<'qcow2' | 'raw'> {
  const xml = await services.virt.virsh(virshArgs('vol-dumpxml', { vol: volume, pool }));
  return /<format type=['"]qcow2['"]/.test(xml) ? 'qcow2' : 'raw';
}

/**
 * Undo a partial create; returns what could not be removed. The name was
 * free when validated, so a domain of that name now is this create's own
 * (a define can succeed on the daemon while the reply is lost). When the
 * connection dropped, it retries a few times while it comes back.
 */
async function rollback(services: Services, name: string, defined: boolean, volumes: { pool: string; volume: string }[]): Promise<string[]> {
  let left: string[] = [];
  for (let attempt = 0; attempt < 4; attempt++) {
    left = [];
    let down = false;
    const note = (what: string) => (e: unknown) => { if (isConnectionError(e) || /connection closed|disconnected/i.test(String((e as Error).message))) down = true; left.push(what); };
    const exists = defined || (await services.virt.domainState(name).then(() => true, (e: unknown) => {
      if (!/no domain named|not found|no domain with matching/i.test(String((e as Error).message))) note(`VM ${name} (maybe)`)(e);
      return false;
    }));
    if (exists) {
      await services.virt.domainDestroy(name).catch(() => undefined);
      await services.virt.domainUndefine(name).catch(note(`VM ${name}`));
    }
    for (const vol of volumes) {
      const have = await services.virt.storageVolumeList(vol.pool).then((l) => l.some((x) => x.name === vol.volume), () => true);
      if (have) await services.virt.storageVolumeDelete(vol.pool, vol.volume).catch(note(`${vol.pool}/${vol.volume}`));
    }
    if (!down) break;
    await new Promise((r) => setTimeout(r, 1500));
  }
  await removeSerialLog(services, name);
  return left;
}

// ---- operate ---------------------------------------------------------------------

type Predicate = (vm: VmLike) => Availability;

async function simple(services: Services, name: string, verb: string, label: string, pred: Predicate, fn: () => Promise<unknown>): Promise<void> {
  locked(services);
  await withEvent(services, name, `${label} VM ${name}`, async () => {
    need(verb, name, pred(await info(services, name)));
    await fn();
  });
}

export const vmStart = (s: Services, name: string) => simple(s, name, 'start', 'Start', vmCanStart, () => s.virt.domainStart(name));
export const vmReboot = (s: Services, name: string) => simple(s, name, 'reboot', 'Reboot', vmCanReboot, () => s.virt.domainReboot(name));
export const vmForceOff = (s: Services, name: string) => simple(s, name, 'force off', 'Force off', vmCanPowerOff, () => s.virt.domainDestroy(name));
export const vmPause = (s: Services, name: string) => simple(s, name, 'pause', 'Pause', vmCanPause, () => s.virt.domainSuspend(name));
export const vmResume = (s: Services, name: string) => simple(s, name, 'resume', 'Resume', vmCanResume, () => s.virt.domainResume(name));
/** Save memory to libvirt's managed save image and stop; the next start (restore) resumes it. */
export const vmSave = (s: Services, name: string) => simple(s, name, 'save', 'Save', vmCanSave, () => s.virt.virsh(virshArgs('managedsave', { domain: name }), { timeoutMs: 600_000 }));

export function vmCanRestore(vm: VmLike): Availability {
  if (vm.state !== 'shutoff') return { available: false, reason: `it is ${vm.state === 'running' ? 'running' : vm.state}` };
  if (vm.managedSave === false) return { available: false, reason: 'it has no saved state: start it instead' };
  return { available: true };
}

export const vmRestore = (s: Services, name: string) => simple(s, name, 'restore', 'Restore', vmCanRestore, () => s.virt.domainStart(name));

export async function vmSetAutostart(s: Services, name: string, on: boolean): Promise<void> {
  await simple(s, name, on ? 'enable autostart of' : 'disable autostart of', on ? 'Enable autostart of' : 'Disable autostart of', vmCanAutostart, () => s.virt.domainSetAutostart(name, on));
}

export interface ShutdownResult {
  /** True when the VM reached "shut off" within the timeout. */
  off: boolean;
  state: DomainStateName;
}

/**
 * ACPI shutdown, then wait up to `timeoutMs` for the guest to power off.
 * When it does not, the result says so (the UI offers force off).
 */
export async function vmShutdown(s: Services, name: string, opts: { timeoutMs?: number } = {}): Promise<ShutdownResult> {
  locked(s);
  const timeoutMs = opts.timeoutMs ?? 60_000;
  return withEvent(s, name, `Shut down VM ${name}`, async () => {
    need('shut down', name, vmCanShutdown(await info(s, name)));
    await s.virt.domainShutdown(name);
    try {
      const state = await s.virt.domainWaitState(name, ['shutoff'], timeoutMs);
      return { off: true, state };
    } catch {
      const state = await s.virt.domainState(name).catch(() => 'nostate' as const);
      if (state === 'shutoff') return { off: true, state };
      throw new VmActionError(`${name} did not shut down within ${Math.round(timeoutMs / 1000)} s (it is ${state}); force it off if it hangs`);
    }
  });
}

// ---- edit -------------------------------------------------------------------------

export interface EditResult {
  /** Changes that wait for the next boot (running VM), in words. */
  pending: string[];
}

export async function vmEdit(s: Services, name: string, input: VmEditInput): Promise<EditResult> {
  locked(s);
  const [vm, node] = await Promise.all([info(s, name), s.virt.nodeInfo()]);
  const errors = validateVmEdit(input, { cpus: node.cpus, memoryKiB: node.memoryKiB });
  if (errors.length) throw new VmInputError(errors);
  need('edit', name, vmCanEdit(vm));
  const parts = [input.vcpus !== undefined ? `vCPUs ${input.vcpus}` : '', input.memoryMiB !== undefined ? `memory ${input.memoryMiB} MiB` : '', input.description !== undefined ? 'description' : ''].filter(Boolean);
  return withEvent(s, name, `Edit VM ${name}: ${parts.join(', ')}`, async () => {
    const running = vm.state !== 'shutoff' && vm.state !== 'crashed';
    // The next-boot definition (access layer's XML update), and the description live as well.
    await s.virt.domainUpdate(name, { vcpus: input.vcpus, memoryMiB: input.memoryMiB, description: input.description });
    if (input.description !== undefined && running) await s.virt.virsh(virshArgs('desc', { domain: name, 'new-desc': input.description }, ['--live']));
    if (!running) return { pending: [] };
    const next = parseDomainXml(await s.virt.domainGetXml(name, { inactive: true }));
    return { pending: pendingChanges({ vcpus: vm.vcpus, memoryKiB: vm.details.memoryKiB }, { vcpus: next.vcpus, memoryKiB: next.memoryKiB }) };
  });
}

/** Changes of a running VM that wait for its next boot (live vs. next-boot definition). */
export async function vmPending(s: Services, name: string): Promise<string[]> {
  const [live, next] = await Promise.all([s.virt.domainGetXml(name), s.virt.domainGetXml(name, { inactive: true })]);
  const a = parseDomainXml(live);
  if (a.id === undefined) return [];
  const b = parseDomainXml(next);
  return pendingChanges(a, b);
}

// ---- clone ------------------------------------------------------------------------

/** The clone's disks are new volumes in the source disks' pools, made by libvirt on the VM's connection (see VirtConnection.domainClone). */
export async function vmClone(s: Services, name: string, newName: string): Promise<{ name: string; volumes: string[] }> {
  locked(s);
  const [vm, domains] = await Promise.all([info(s, name), domainNames(s)]);
  const problem = vmNameProblem(newName, domains);
  if (problem) throw new VmInputError([{ field: 'name', message: `new name: ${problem}` }]);
  need('clone', name, vmCanClone(vm));
  return withEvent(s, newName, `Clone VM ${name} as ${newName}`, () => s.virt.domainClone(name, newName));
}

// ---- delete -----------------------------------------------------------------------

export interface DeletePlan {
  name: string;
  state: DomainStateName;
  /** Why it cannot be deleted now, if so. */
  refused?: string;
  /** Disks delete removes when asked to: POOL/VOLUME or a path. */
  disks: { target: string; what: string; pool?: string; volume?: string; path?: string }[];
  /** With removeDisks: why its disks cannot be removed (then the VM is not deleted either). */
  diskRefusals?: string[];
  /** With removeDisks: disks kept because other VMs use them. */
  shared?: { disk: string; usedBy: string[] }[];
  snapshots: number;
}

/** The libvirt pools of hostdeck's storage domains: the only pools whose files it removes itself (on a local URI, when libvirt does not list them). */
function managedPools(s: Services): string[] {
  return s.db.prepare('SELECT pool_name FROM storage_domains').pluck().all() as string[];
}

/** What delete would do; with removeDisks, also which disks libvirt can remove on the VM's connection and why not. */
export async function vmDeletePlan(s: Services, name: string, opts: { removeDisks?: boolean } = {}): Promise<DeletePlan> {
  const vm = await info(s, name);
  const a = vmCanDelete(vm);
  const plan: DeletePlan = {
    name, state: vm.state, refused: a.available ? undefined : a.reason, snapshots: vm.snapshots,
    disks: ownedDisks(vm.details.disks).map((d) => ({ target: d.target, what: diskSource(d), pool: d.pool, volume: d.volume, path: d.path })),
  };
  if (opts.removeDisks && !plan.refused) {
    const r = await s.virt.domainDiskRemovalPlan(name, managedPools(s));
    plan.diskRefusals = r.refusals;
    plan.shared = r.shared.map((x) => ({ disk: x.disk.source, usedBy: x.usedBy }));
  }
  return plan;
}

/** hostdeck's serial log of a VM is a file on the VM's host: this machine's only on a local URI. */
async function removeSerialLog(s: Services, name: string): Promise<void> {
  if (uriIsLocal(s.config.uri)) await rm(serialLogFile(name), { force: true }).catch(() => undefined);
}

/**
 * Delete (undefine) a VM that is not running; with removeDisks its own disks
 * go too, through libvirt on its connection; a disk that cannot go that way
 * refuses the delete before anything changes. Disks other VMs use are kept (shared).
 */
export async function vmDelete(s: Services, name: string, opts: { removeDisks: boolean }): Promise<{ removed: string[]; shared: { disk: string; usedBy: string[] }[] }> {
  locked(s);
  return withEvent(s, name, `Delete VM ${name}${opts.removeDisks ? ' and its disks' : ' (disks kept)'}`, async () => {
    const plan = await vmDeletePlan(s, name);
    if (plan.refused) throw new VmActionError(`cannot delete ${name}: ${plan.refused}`);
    const r = await s.virt.domainUndefine(name, opts.removeDisks ? { removeStorage: true, managedPools: managedPools(s) } : {});
    await removeSerialLog(s, name);
    return r;
  });
}

// ---- console ----------------------------------------------------------------------

/** Hand the terminal to `virsh console` (Ctrl-] leaves it); resolves with virsh's exit code. */
export async function vmConsole(s: Services, name: string): Promise<number> {
  need('open the console of', name, vmCanOpenConsole(await info(s, name)));
  const c = s.virt.domainConsoleCommand(name);
  return runInteractive(c.command, c.args);
}

// ---- snapshots -------------------------------------------------------------------

let libvirtVersion: Promise<string | undefined> | undefined;
async function libraryVersion(s: Services): Promise<string | undefined> {
  const known = s.virt.getStatus().version?.library;
  if (known) return known;
  libvirtVersion ??= s.virt.readVersion().then((v) => v.library, () => undefined);
  return libvirtVersion;
}

export async function vmSnapshots(s: Services, name: string): Promise<{ list: Snapshot[]; tree: SnapshotNode[]; rows: SnapshotNode[] }> {
  const list = await s.virt.snapshotList(name).catch((e: unknown) => { throw vmLookupError(e, name); });
  const tree = snapshotTree(list);
  return { list, tree, rows: flattenSnapshotTree(tree) };
}

export async function vmSnapshotCreate(s: Services, name: string, snap: { name: string; description?: string; mode: SnapshotMode }): Promise<string> {
  locked(s);
  const [vm, existing] = await Promise.all([info(s, name), s.virt.snapshotList(name).catch(() => [] as Snapshot[])]);
  const np = snapshotNameProblem(snap.name, existing.map((x) => x.name));
  const dp = descriptionProblem(snap.description);
  if (np || dp) throw new VmInputError([...(np ? [{ field: 'snapshot', message: `snapshot name: ${np}` }] : []), ...(dp ? [{ field: 'description', message: `description: ${dp}` }] : [])]);
  need('snapshot', name, vmCanSnapshot(vm));
  const fp = snapshotCreateProblem(snap.mode, vm.details.disks);
  if (fp) throw new VmActionError(`cannot take a ${snap.mode === 'full' ? 'full' : 'disk-only'} snapshot of ${name}: ${fp}`);
  const what = snap.mode === 'disk-only' ? 'disk-only snapshot' : vm.state === 'running' || vm.state === 'paused' ? 'snapshot with memory' : 'snapshot';
  return withEvent(s, name, `Take ${what} ${snap.name} of VM ${name}`, async () => {
    if (snap.mode === 'full') return s.virt.snapshotCreate(name, { name: snap.name, description: snap.description });
    // Overlay files next to each disk (libvirt cannot name them for pool-volume disks); other devices are left out.
    const specs: string[] = [];
    for (const d of vm.details.disks) {
      const own = d.device === 'disk' && !d.readonly;
      if (!own) { specs.push(`${d.target},snapshot=no`); continue; }
      const path = d.path ?? (d.pool && d.volume ? (await s.virt.virsh(virshArgs('vol-path', { vol: d.volume, pool: d.pool }))).trim() : undefined);
      if (!path) throw new VmActionError(`cannot take a disk-only snapshot of ${name}: disk ${d.target} has no file to put an overlay next to`);
      const overlay = `${path.replace(/\.(qcow2|raw|img)$/, '')}.${snap.name.replace(/[^A-Za-z0-9._+-]/g, '_')}.qcow2`;
      specs.push(`${d.target},snapshot=external,file=${overlay.replace(/,/g, ',,')}`);
    }
    await s.virt.virsh(virshArgs('snapshot-create-as', { domain: name, name: snap.name, description: snap.description || undefined, diskspec: specs }, ['--disk-only', '--atomic']), { timeoutMs: 300_000 });
    return snap.name;
  });
}

async function findSnapshot(s: Services, name: string, snapshot: string): Promise<{ snap: Snapshot; list: Snapshot[] }> {
  const list = await s.virt.snapshotList(name).catch((e: unknown) => { throw vmLookupError(e, name); });
  const snap = list.find((x) => x.name === snapshot);
  if (!snap) throw new NotFoundError(`${name} has no snapshot named '${snapshot}'${list.length ? ` (snapshots: ${list.map((x) => x.name).join(', ')})` : ''}`);
  return { snap, list };
}

export async function vmSnapshotRevert(s: Services, name: string, snapshot: string): Promise<void> {
  locked(s);
  const { snap } = await findSnapshot(s, name, snapshot);
  const rp = snapshotRevertProblem(snap, await libraryVersion(s));
  if (rp) throw new VmActionError(`cannot revert ${name} to ${snapshot}: ${rp}`);
  await withEvent(s, name, `Revert VM ${name} to snapshot ${snapshot}`, () => s.virt.snapshotRevert(name, snapshot));
}

/** Why libvirt cannot delete this snapshot, if it cannot. */
export function snapshotDeleteProblem(snap: Snapshot, list: readonly Snapshot[]): string | undefined {
  if (snap.state !== 'disk-snapshot') return undefined;
  const parent = list.find((x) => x.name === snap.parent);
  if (parent && parent.state !== 'disk-snapshot') return 'it is a disk-only (external) snapshot whose parent is a full (internal) one: libvirt cannot delete that combination';
  return undefined;
}

/**
 * An internal snapshot lives inside a disk image; once a disk-only snapshot
 * put an overlay on top, the VM runs on another image and libvirt cannot
 * delete the internal one. Compares the image the snapshot recorded with
 * the one in use.
 */
async function internalSnapshotMoved(s: Services, name: string, snap: Snapshot): Promise<string | undefined> {
  if (snap.state === 'disk-snapshot') return undefined;
  const [xml, dom] = await Promise.all([s.virt.virsh(virshArgs('snapshot-dumpxml', { domain: name, snapshotname: snap.name })).catch(() => ''), s.virt.domainGetXml(name).catch(() => '')]);
  if (!xml || !dom) return undefined;
  const root = parseXml(xml);
  const inner = root.children.find((c) => c.name === 'domain');
  if (!inner) return undefined;
  const then = parseDomainXml(renderXml(toNode(inner)));
  const now = parseDomainXml(dom);
  const src = (d: DomainDisk) => d.path ?? (d.pool && d.volume ? `${d.pool}/${d.volume}` : '');
  for (const d of ownedDisks(then.disks)) {
    const cur = now.disks.find((x) => x.target === d.target);
    if (cur && src(cur) !== src(d)) return `its state is inside ${src(d)}, but disk ${d.target} now runs on ${src(cur)} (a disk-only snapshot's overlay): libvirt cannot delete it from there`;
  }
  return undefined;
}

export async function vmSnapshotDelete(s: Services, name: string, snapshot: string, opts: { children?: boolean } = {}): Promise<void> {
  locked(s);
  const { snap, list } = await findSnapshot(s, name, snapshot);
  const dp = snapshotDeleteProblem(snap, list) ?? (await internalSnapshotMoved(s, name, snap));
  if (dp) throw new VmActionError(`cannot delete snapshot ${snapshot} of ${name}: ${dp}`);
  await withEvent(s, name, `Delete snapshot ${snapshot}${opts.children ? ' and its children' : ''} of VM ${name}`, () => s.virt.snapshotDelete(name, snapshot, opts));
}
