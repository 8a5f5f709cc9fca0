// hostdeck vm nic list|add|remove VM ...    (a VM's NICs; hot-plugged while it runs)
// hostdeck vm disk list|attach|detach VM ... (a VM's disks; hot-plugged while it runs)
// The same use cases, checks, hooks and events as the console's (src/core/vm-devices.ts).
import type { DiskBus, NicInput, NicModel } from '../domain/vm-devices.ts';
import { parseMiB, type DiskFormat, type DiskInput, type FieldError } from '../domain/vm-create.ts';
import { objectNameProblem } from '../domain/names.ts';
import type { OptionSpecs } from './args.ts';
import { CommandError, printTable, type Command, type CommandContext } from './registry.ts';
import { confirm, positional, tooMany } from './storage-domain.ts';
import { guard, reply, str, YES } from './manager.ts';

const VM = 'VM';
const vmHint = 'a VM name, see hostdeck vm list';
const yesNo = (b: boolean) => (b ? 'yes' : 'no');

/** The VM argument, refused before anything runs when it breaks the names' shared rule. */
function vmArg(ctx: CommandContext): string {
  const vm = positional(ctx, 0, VM, vmHint);
  const problem = objectNameProblem(vm);
  if (problem) throw new CommandError(`${VM}: ${problem}`, 2);
  return vm;
}

const NIC_OPTIONS: OptionSpecs = {
  profile: { type: 'string', description: "A logical network's vNIC profile: PROFILE, or NETWORK/PROFILE when names repeat (hostdeck network profile list)", value: 'PROFILE' },
  network: { type: 'string', description: 'A libvirt network', value: 'NET' },
  bridge: { type: 'string', description: 'A bridge of this host', value: 'BRIDGE' },
  model: { type: 'string', description: 'virtio (default), e1000e or rtl8139', value: 'MODEL' },
  mac: { type: 'string', description: 'The MAC address (default: a new 52:54:00:xx:xx:xx)', value: 'MAC' },
};

const DISK_OPTIONS: OptionSpecs = {
  pool: { type: 'string', description: 'The storage pool of the volume', value: 'POOL' },
  volume: { type: 'string', description: 'An existing volume of the pool (or --size for a new one)', value: 'VOLUME' },
  size: { type: 'string', description: 'A new volume of this size (512M, 10G), named VM-TARGET.FORMAT', value: 'SIZE' },
  format: { type: 'string', description: 'The new volume\'s format: qcow2 (default) or raw', value: 'FORMAT' },
  bus: { type: 'string', description: 'virtio (the default while the VM runs), scsi, sata or ide (those two only while it is shut off)', value: 'BUS' },
};

/** The NIC from the options: exactly one of --profile, --network, --bridge. */
function nicInput(ctx: CommandContext): { nic: NicInput; sourceOption: string } {
  const given = (['profile', 'network', 'bridge'] as const).filter((k) => str(ctx, k) !== undefined);
  if (given.length !== 1) throw new CommandError('--profile, --network or --bridge: give one of them (where the NIC is plugged)', 2);
  const kind = given[0]!;
  const model = str(ctx, 'model');
  const mac = str(ctx, 'mac');
  return { nic: { kind, source: str(ctx, kind)!, ...(model !== undefined ? { model: model as NicModel } : {}), ...(mac !== undefined ? { mac } : {}) }, sourceOption: `--${kind}` };
}

/** The disk from the options: --pool with --volume (existing) or --size (new). */
function diskInput(ctx: CommandContext): DiskInput {
  const pool = str(ctx, 'pool');
  if (pool === undefined) throw new CommandError('--pool: is required (the storage pool of the volume)', 2);
  const volume = str(ctx, 'volume');
  const size = str(ctx, 'size');
  const bus = str(ctx, 'bus') as DiskBus | undefined;
  const onBus = bus !== undefined ? { bus } : {};
  if (volume !== undefined && (size !== undefined || str(ctx, 'format') !== undefined)) throw new CommandError('--volume: give either --volume (an existing volume) or --size (a new one), not both', 2);
  if (volume !== undefined) return { kind: 'existing', pool, volume, ...onBus };
  if (size === undefined) throw new CommandError('--size: --size (a new volume) or --volume (an existing one) is required', 2);
  const sizeMiB = parseMiB(size);
  if (sizeMiB === undefined) throw new CommandError(`--size: ${JSON.stringify(size.slice(0, 40))} is not a size (e.g. 512M, 10G)`, 2);
  return { kind: 'new', pool, sizeMiB, format: (str(ctx, 'format') ?? 'qcow2') as DiskFormat, ...onBus };
}

/** A rule's message named by the option that gave its field: "--mac: must be ..." for "NIC MAC address: must be ...". */
const optionMessage = (options: Record<string, string>) => (e: FieldError): string => {
  const o = { model: '--model', pool: '--pool', volume: '--volume', size: '--size', format: '--format', bus: '--bus', target: 'TARGET', ...options }[e.field];
  const i = e.message.indexOf(': ');
  return o && i >= 0 ? `${o}: ${e.message.slice(i + 2)}` : e.message;
};

type Row = Record<string, unknown>;

/** `vm nic list` / `vm disk list`: a table of the VM's devices (--json: as the core gives them). */
const listCommand = <T extends { live: boolean; persistent: boolean }>(noun: 'nic' | 'disk', summary: string, columns: string[],
  load: (ctx: CommandContext, vm: string) => Promise<T[]>, cells: (r: T) => Row): Command => ({
  noun: 'vm', verb: `${noun} list`, usage: VM, summary,
  async run(ctx) {
    const vm = vmArg(ctx);
    tooMany(ctx, 1);
    const rows = await guard(() => load(ctx, vm));
    if (!rows.length && !ctx.json) { ctx.out(`VM ${vm} has no ${noun} (hostdeck vm ${noun} ${noun === 'nic' ? 'add' : 'attach'}).`); return 0; }
    printTable(ctx, rows.map((r) => ({ ...r, live: yesNo(r.live), persistent: yesNo(r.persistent), ...cells(r) })), columns, rows);
    return 0;
  },
});

/** `vm nic add` / `vm disk attach`: the device from the options, its rules' fields named by them. */
const addCommand = <R extends { live: boolean }>(verb: string, options: OptionSpecs, summary: string,
  act: (ctx: CommandContext, vm: string) => { run: () => Promise<R>; fields: Record<string, string> }, text: (vm: string, r: R) => string): Command => ({
  noun: 'vm', verb, usage: VM, options, summary,
  async run(ctx) {
    const vm = vmArg(ctx);
    tooMany(ctx, 1);
    const a = act(ctx, vm);
    const r = await guard(a.run, optionMessage(a.fields));
    return reply(ctx, r, `${text(vm, r)}${r.live ? ' (hot-plugged; also in its definition)' : ' (in its definition: the next start has it)'}.`);
  },
});

/** `vm nic remove` / `vm disk detach`: the device named by its argument, confirmed first. */
const removeCommand = <R>(verb: string, arg: 'MAC' | 'TARGET', summary: string, hint: (vm: string) => string, question: (vm: string, key: string) => string,
  act: (ctx: CommandContext, vm: string, key: string) => Promise<R>, text: (vm: string, r: R) => string): Command => ({
  noun: 'vm', verb, usage: `${VM} ${arg}`, options: YES, summary,
  async run(ctx) {
    const vm = vmArg(ctx);
    const key = positional(ctx, 1, arg, hint(vm));
    tooMany(ctx, 2);
    if (!(await confirm(ctx, question(vm, key)))) { ctx.err('Nothing was changed.'); return 1; }
    const r = await guard(() => act(ctx, vm, key), optionMessage({ mac: 'MAC' }));
    return reply(ctx, r, text(vm, r));
  },
});

export const vmDeviceCommands: Command[] = [
  listCommand('nic', "A VM's NICs: MAC, source, model, vNIC profile, and whether the running VM and its definition have it",
    ['mac', 'type', 'source', 'model', 'profile', 'live', 'persistent'], (ctx, vm) => ctx.core.vmDevices.listNics(vm), (r) => ({ profile: r.profile ?? '-' })),
  addCommand('nic add', NIC_OPTIONS, 'Add a NIC to a VM: hot-plugged into it and its definition while it runs (before_/after_nic_hotplug hooks), in its definition while it is shut off',
    (ctx, vm) => { const { nic, sourceOption } = nicInput(ctx); return { run: () => ctx.core.vmDevices.addNic(vm, nic), fields: { source: sourceOption, mac: '--mac' } }; },
    (vm, r) => `Added NIC ${r.mac} to VM ${vm}`),
  removeCommand('nic remove', 'MAC', 'Remove the NIC with this MAC from a VM, running (hot-unplug, before_/after_nic_hotunplug hooks) or not',
    (vm) => `the NIC's MAC address, see hostdeck vm nic list ${vm}`, (vm, mac) => `Remove NIC ${mac} from VM ${vm}?`,
    (ctx, vm, mac) => ctx.core.vmDevices.removeNic(vm, mac), (vm, r) => `Removed NIC ${r.mac} from VM ${vm}.`),
  listCommand('disk', "A VM's disks: target, bus, source, format, the boot disk, and whether the running VM and its definition have it",
    ['target', 'bus', 'device', 'source', 'format', 'boot', 'live', 'persistent'], (ctx, vm) => ctx.core.vmDevices.listDisks(vm), (r) => ({ boot: r.boot ? 'boot' : '' })),
  addCommand('disk attach', DISK_OPTIONS, 'Attach an existing volume (--volume) or a new one (--size) at the next free target: hot-plugged while the VM runs (before_/after_disk_hotplug hooks)',
    (ctx, vm) => { const disk = diskInput(ctx); return { run: () => ctx.core.vmDevices.attachDisk(vm, disk), fields: {} }; },
    (vm, r) => `Attached ${r.created ? 'new volume ' : ''}${r.source} to VM ${vm} as ${r.target}`),
  removeCommand('disk detach', 'TARGET', 'Detach the disk at TARGET (vdb ...) from a VM; its volume stays. Refused for the boot disk of a running VM',
    (vm) => `the disk's target (vdb ...), see hostdeck vm disk list ${vm}`, (vm, target) => `Detach disk ${target} from VM ${vm}? (its volume stays)`,
    (ctx, vm, target) => ctx.core.vmDevices.detachDisk(vm, target), (vm, r) => `Detached disk ${r.target} (${r.source}) from VM ${vm}; the volume stays.`),
];
