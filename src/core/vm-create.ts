// Creating a VM: the host facts its validation needs, the domain spec for a
// validated input, and the create itself, which takes back every step
// already done when one fails (no defined domain, no orphan volume).
import { closeSync, constants, existsSync, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  MACHINES_DEFAULT, defaultDiskBus, newVolumeName, validateVmCreate, type FieldError, type HostFacts, type VmCreateInput,
} from '../domain/vm-create.ts';
import { uriIsLocal } from '../domain/vm-disks.ts';
import { CPU_DEFAULT, type MachineFacts } from '../domain/vm-devices.ts';
import { osVariants } from '../host/osinfo.ts';
import { parseDomCapabilities } from '../virt/xml/domcapabilities.ts';
import { isConnectionError } from '../virt/connection.ts';
import { parseCapabilities, type Capabilities } from '../virt/xml/capabilities.ts';
import { cpuSpecOf, type DiskSpec, type DomainSpec } from '../virt/xml/create.ts';
import { vmDomainXml } from '../virt/xml/named.ts';
import type { CoreContext } from './index.ts';
import { domainNames, prepare, VmInputError } from './vm-common.ts';
import { startVmWithHooks } from './hooks.ts';

export const SERIAL_LOG_DIR = '/var/log/libvirt/qemu';
export const serialLogFile = (name: string) => join(SERIAL_LOG_DIR, `${name}-serial.log`);

const capsCache = new WeakMap<object, Promise<Capabilities>>();

/** Machine types and the domain type, read once per connection. */
export function capabilities(ctx: CoreContext): Promise<Capabilities> {
  const virt = ctx.infra.virt;
  let p = capsCache.get(virt);
  if (!p) {
    p = virt.capabilitiesXml().then(parseCapabilities);
    p.catch(() => capsCache.delete(virt));
    capsCache.set(virt, p);
  }
  return p;
}

const machineCache = new WeakMap<object, Map<string, Promise<MachineFacts>>>();

/** What QEMU offers VMs of one machine type (firmware, CPU, disk buses), read once per connection and machine. */
export function machineFacts(ctx: CoreContext, machine: string): Promise<MachineFacts> {
  const virt = ctx.infra.virt;
  let byMachine = machineCache.get(virt);
  if (!byMachine) machineCache.set(virt, (byMachine = new Map()));
  let p = byMachine.get(machine);
  if (!p) {
    p = capabilities(ctx).then(async (caps): Promise<MachineFacts> => {
      if (caps.domainType === 'test') return { missing: 'this connection (the test driver) reports no domain capabilities' };
      return { caps: parseDomCapabilities(await virt.domCapabilitiesXml(machine, caps.domainType)) };
    }).catch((e: unknown): MachineFacts => {
      byMachine.delete(machine);
      return { missing: `libvirt did not say what QEMU offers machine type ${machine} (${(e as Error).message.split('\n')[0]})` };
    });
    byMachine.set(machine, p);
  }
  return p;
}

/** Machine types without a version (pc, q35): the ones the wizard offers first. */
export const plainMachines = (machines: readonly string[]): string[] => machines.filter((m) => !/-\d/.test(m));

/**
 * The first `bytes` of a regular file, or undefined. Opened without blocking
 * and checked to be a file first: a FIFO or a device given as an ISO must not
 * hang or read a disk.
 */
function fileHead(path: string, bytes: number): Uint8Array | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    if (!fstatSync(fd).isFile()) return undefined;
    const buf = Buffer.alloc(bytes);
    return buf.subarray(0, readSync(fd, buf, 0, bytes, 0));
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The host's Linux bridges (what a bridge NIC can sit on). */
export function hostBridges(): string[] {
  try {
    return readdirSync('/sys/class/net').filter((n) => existsSync(`/sys/class/net/${n}/bridge`)).sort();
  } catch {
    return [];
  }
}

/**
 * What validation needs, read from libvirt; pools' volumes only for the pools
 * named, and what QEMU offers only for the machine types named (all the plain
 * ones, pc and q35, when none is).
 */
export async function hostFacts(ctx: CoreContext, wantVolumes: readonly string[] = [], wantMachines?: readonly string[]): Promise<HostFacts> {
  const v = ctx.infra.virt;
  const [domains, node, pools, networks, caps, os] = await Promise.all([
    domainNames(ctx), v.nodeInfo(), v.storagePoolList(), v.networkList(), capabilities(ctx), osVariants(),
  ]);
  const machineList = [...new Set(wantMachines ?? plainMachines(caps.machines.length ? caps.machines : MACHINES_DEFAULT))];
  const perMachine = new Map(await Promise.all(machineList.map(async (m) => [m, await machineFacts(ctx, m)] as const)));
  const unread: MachineFacts = { missing: 'not read for this machine type' };
  const volumes: Record<string, string[]> = {};
  await Promise.all([...new Set(wantVolumes)].filter((p) => pools.some((x) => x.name === p && x.state === 'running')).map(async (p) => {
    volumes[p] = (await v.storageVolumeList(p).catch(() => [])).map((x) => x.name);
  }));
  return {
    domains, memoryKiB: node.memoryKiB, cpus: node.cpus, pools, volumes,
    networks: networks.map((n) => n.name), bridges: hostBridges(), machines: caps.machines, fileExists: existsSync, fileHead,
    machineFacts: (m) => perMachine.get(m) ?? unread, osVariants: os,
  };
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
export function specFor(input: VmCreateInput, domainType: Capabilities['domainType'], volumes: { pool: string; volume: string; format?: 'qcow2' | 'raw' }[], osinfoId?: string): DomainSpec {
  const cpu = input.cpu ?? CPU_DEFAULT;
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
    // Profile NICs are resolved to their network's bridge before (vm-nic-profiles.ts).
    nics: input.nics.map((n) => ({ type: n.kind === 'profile' ? 'bridge' : n.kind, source: n.source, mac: n.mac?.toLowerCase(), model: n.model ?? 'virtio', ...(n.filter ? { filter: n.filter } : {}) })),
    firmware: input.firmware === 'uefi' ? 'efi' : undefined,
    // The test driver keeps no CPU definition.
    cpu: domainType === 'test' ? undefined : cpuSpecOf(cpu),
    osinfoId,
    serial: { logFile: serialLogFile(input.name) },
    graphics: input.graphics === 'none' ? false : { type: input.graphics },
  };
}

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
  /** The VM comes from a template: its disks naming the template's images become thin overlays or copies. */
  fromTemplate?: FromTemplate;
}

/** What a VM made from a template needs of the create (built by template-vms.ts). */
export interface FromTemplate {
  /** The event's words after "Create VM x" ("from template T version 2 (thin)"). */
  label: string;
  /** Make disk i's own volume from the template image it names; undefined: use the volume as it is. */
  derive(i: number, vm: string, step: (text: string) => void): Promise<{ pool: string; volume: string; format: 'qcow2' | 'raw' } | undefined>;
  /** The VM is there: record which template it came from and how. */
  record(vm: string): Promise<void>;
}

/** Validate only (the wizard's summary step and `vm create --dry-run`): every problem, nothing changed. */
export async function vmValidateCreate(ctx: CoreContext, input: VmCreateInput): Promise<FieldError[]> {
  const facts = await hostFacts(ctx, [...input.disks.map((d) => d.pool), ...(input.iso && !input.iso.startsWith('/') ? [input.iso.split('/')[0]!] : [])], [input.machine]);
  if (input.nics.some((n) => n.kind === 'profile')) facts.profileProblem = (await import('./vm-nic-profiles.ts')).profileChecker(ctx, input.cluster);
  return validateVmCreate(input, facts);
}

/** An existing volume's image format, from libvirt. */
export async function volumeFormat(ctx: CoreContext, pool: string, volume: string): Promise<'qcow2' | 'raw'> {
  const xml = await ctx.infra.virt.storageVolumeXml(pool, volume);
  return /<format type=['"]qcow2['"]/.test(xml) ? 'qcow2' : 'raw';
}

/** hostdeck's serial log of a VM is a file on the VM's host: this machine's only on a local URI. */
export async function removeSerialLog(ctx: CoreContext, name: string): Promise<void> {
  if (uriIsLocal(ctx.infra.config.uri)) await rm(serialLogFile(name), { force: true }).catch(() => undefined);
}

/**
 * Undo a partial create; returns what could not be removed. The name was
 * free when validated, so a domain of that name now is this create's own
 * (a define can succeed on the daemon while the reply is lost). When the
 * connection dropped, it retries a few times while it comes back.
 */
async function rollback(ctx: CoreContext, name: string, defined: boolean, volumes: { pool: string; volume: string }[]): Promise<string[]> {
  const virt = ctx.infra.virt;
  let left: string[] = [];
  for (let attempt = 0; attempt < 4; attempt++) {
    left = [];
    let down = false;
    const note = (what: string) => (e: unknown) => { if (isConnectionError(e) || /connection closed|disconnected/i.test(String((e as Error).message))) down = true; left.push(what); };
    const exists = defined || (await virt.domainState(name).then(() => true, (e: unknown) => {
      if (!/no domain named|not found|no domain with matching/i.test(String((e as Error).message))) note(`VM ${name} (maybe)`)(e);
      return false;
    }));
    if (exists) {
      await virt.domainDestroy(name).catch(() => undefined);
      await virt.domainUndefine(name).catch(note(`VM ${name}`));
    }
    for (const vol of volumes) {
      const have = await virt.storageVolumeList(vol.pool).then((l) => l.some((x) => x.name === vol.volume), () => true);
      if (have) await virt.storageVolumeDelete(vol.pool, vol.volume).catch(note(`${vol.pool}/${vol.volume}`));
    }
    if (!down) break;
    await new Promise((r) => setTimeout(r, 1500));
  }
  await removeSerialLog(ctx, name);
  return left;
}

/**
 * Create a VM: validate everything, create its new volumes, define it and
 * (optionally) start it. Any failure takes back every step already done.
 */
export async function vmCreate(ctx: CoreContext, input: VmCreateInput, opts: CreateOptions = {}): Promise<CreateResult> {
  const v = ctx.infra.virt;
  const step = opts.onStep ?? (() => undefined);
  const placement = await import('./manager-vms.ts');
  const cluster = input.cluster ? placement.clusterForCreate(ctx, input.cluster) : undefined;
  // The cluster's CPU type, so its VMs stay portable to an oVirt cluster of the same type.
  if (cluster && input.cpu === undefined) input = { ...input, cpu: cluster.cpuType };
  let unplace: (() => void) | undefined;
  const p = await prepare(ctx, 'vm.create', {
    object: input.name,
    message: `Create VM ${input.name}${opts.fromTemplate ? ` ${opts.fromTemplate.label}` : ''}${opts.start ? ' and start it' : ''}`,
    check: async () => {
      // The formats of existing volumes are read while the input is validated (a template's image gets its own volume of a known format instead).
      const formats = Promise.all(input.disks.map((d) => (d.kind === 'existing' && !opts.fromTemplate ? volumeFormat(ctx, d.pool, d.volume).catch(() => undefined) : Promise.resolve(undefined))));
      const [errors, caps, os] = await Promise.all([vmValidateCreate(ctx, input), capabilities(ctx), osVariants()]);
      if (errors.length) throw new VmInputError(errors);
      const osinfoId = 'list' in os ? os.list.find((o) => o.shortId === input.osVariant)?.id : undefined;
      return { caps, known: await formats, osinfoId };
    },
    run: async ({ caps, known, osinfoId }) => {
      const created: { pool: string; volume: string }[] = [];
      let defined = false;
      try {
        const vols: { pool: string; volume: string; format?: 'qcow2' | 'raw' }[] = [];
        for (const [i, d] of input.disks.entries()) {
          if (d.kind === 'existing') {
            const made = await opts.fromTemplate?.derive(i, input.name, step);
            if (made) created.push(made);
            vols.push(made ?? { pool: d.pool, volume: d.volume });
            continue;
          }
          const volume = newVolumeName(input.name, i, d.format);
          step(`creating volume ${volume} (${d.sizeMiB} MiB ${d.format}) on pool ${d.pool}`);
          await v.storageVolumeCreate(d.pool, volume, d.sizeMiB * 1024 * 1024, d.format);
          created.push({ pool: d.pool, volume });
          vols.push({ pool: d.pool, volume, format: d.format });
        }
        // Existing volumes: their real format from libvirt.
        for (const [i, d] of input.disks.entries()) if (d.kind === 'existing' && !vols[i]!.format) vols[i]!.format = known[i] ?? await volumeFormat(ctx, d.pool, d.volume);
        const profiles = input.nics.some((n) => n.kind === 'profile') ? await import('./vm-nic-profiles.ts') : undefined;
        const resolved = profiles?.resolveProfileNics(ctx, input.nics);
        const xml = vmDomainXml(specFor(resolved ? { ...input, nics: resolved.nics } : input, caps.domainType, vols, osinfoId));
        step('defining the VM');
        await v.domainDefine(xml);
        defined = true;
        unplace = await placement.placeNewVm(ctx, input.name, cluster?.id, Boolean(opts.start));
        if (profiles && resolved) {
          const unplaceVm = unplace;
          const unrecord = await profiles.recordProfileNics(ctx, input.name, resolved.uses);
          unplace = () => { unrecord(); unplaceVm(); };
        }
        if (opts.start) {
          step('starting the VM');
          // As any start: between the before_vm_start and after_vm_start hooks (a refusing hook takes the new VM back too).
          await startVmWithHooks(ctx, input.name);
        }
        await opts.fromTemplate?.record(input.name);
        return { name: input.name, volumes: created.map((c) => `${c.pool}/${c.volume}`), started: Boolean(opts.start), xml };
      } catch (e) {
        unplace?.();
        const left = await rollback(ctx, input.name, defined, created);
        throw new Error(`${(e as Error).message}${left.length ? ` (and could not remove: ${left.join(', ')})` : ' (nothing was left behind)'}`, { cause: e });
      }
    },
  });
  return ctx.door.act('vm.create', p.object, p.req, p.fn);
}
