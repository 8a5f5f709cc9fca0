// Adding NICs and disks to a VM and taking them out (hot-plug while it runs,
// its definition only while it is shut off): the rules, pure. The NIC and
// disk rules themselves are the create's (vm-devices.ts, vm-create.ts),
// applied to one device and named by its own fields (source, mac, pool,
// volume, size ...) instead of nics[0] / disks[0]; what is added here is
// what only an existing VM has: its MACs and targets, its boot disk, the
// buses a running VM can take a device on.
import type { FieldError } from './errors.ts';
import { disksProblems, type DiskInput, type HostFacts } from './vm-create.ts';
import { diskBusProblem, macProblem, nicsProblems, type DiskBus, type MachineFacts, type NicInput } from './vm-devices.ts';
import { diskSource } from './vm-disks.ts';
import type { DomainDisk, DomainInterface } from '../virt/xml/parse.ts';

/** One device's errors from the create's rules for a list: `nics[0].mac` -> `mac`, "NIC 1 MAC address" -> "NIC MAC address". */
const asOne = (errors: readonly FieldError[], list: 'nics' | 'disks', label: string): FieldError[] =>
  errors.map((e) => ({ field: e.field.replace(`${list}[0].`, ''), message: e.message.replace(`${label} 1 `, `${label} `) }));

const err = (field: string, message: string): FieldError => ({ field, message });

/** What a NIC's source is checked against (as the create's). */
export interface NicFacts {
  networks: readonly string[];
  bridges: readonly string[];
  profileProblem?: (ref: string) => string | undefined;
}

/** Every problem with a NIC to add to VM `vm`, whose NICs have the MACs `macs`. */
export function nicAddProblems(nic: NicInput, facts: NicFacts, vm: { name: string; macs: readonly string[] }): FieldError[] {
  const out = asOne(nicsProblems([nic], facts), 'nics', 'NIC');
  const mac = nic.mac?.toLowerCase();
  if (mac && !out.some((e) => e.field === 'mac') && vm.macs.some((m) => m.toLowerCase() === mac)) {
    out.push(err('mac', `NIC MAC address: ${mac} is on a NIC of VM ${vm.name} already: each NIC needs its own MAC`));
  }
  return out;
}

/** Why `mac` cannot name a NIC to remove, whatever the VM: its rule. */
export function removeMacProblem(mac: string): FieldError | undefined {
  const bad = mac ? macProblem(mac) : 'is required (hostdeck vm nic list shows the MACs)';
  return bad ? err('mac', `MAC address: ${bad}`) : undefined;
}

/** The NIC of `ifaces` with the MAC `mac`, or the problem (the MAC's rule, or that no NIC has it, naming it). */
export function nicToRemove(mac: string, ifaces: readonly DomainInterface[], vm: string): { nic: DomainInterface } | { error: FieldError } {
  const bad = removeMacProblem(mac);
  if (bad) return { error: bad };
  const nic = ifaces.find((i) => i.mac?.toLowerCase() === mac.toLowerCase());
  if (nic) return { nic };
  const macs = ifaces.flatMap((i) => (i.mac ? [i.mac] : []));
  return { error: err('mac', `MAC address: VM ${vm} has no NIC with MAC ${mac.toLowerCase()}${macs.length ? ` (its NICs: ${macs.join(', ')})` : ' (it has no NIC)'}`) };
}

/** The guest device names of a bus: vd* for virtio, hd* for IDE, sd* for SATA and SCSI. */
export function diskTargetPrefix(bus: DiskBus | undefined): 'vd' | 'hd' | 'sd' {
  return bus === 'virtio' || !bus ? 'vd' : bus === 'ide' ? 'hd' : 'sd';
}

/** The first free target of the bus's prefix (vdb after vda), as libvirt counts: a..z, then aa..zz. */
export function nextDiskTarget(bus: DiskBus, taken: readonly string[]): string | undefined {
  const prefix = diskTargetPrefix(bus);
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const names = [...letters].concat([...letters].flatMap((a) => [...letters].map((b) => a + b)));
  return names.map((n) => prefix + n).find((t) => !taken.includes(t));
}

/** The buses a running VM takes a disk on and gives it back from (IDE and SATA disks cannot be hot-plugged). */
export const HOTPLUG_BUSES: readonly DiskBus[] = ['virtio', 'scsi'];

/** The bus a disk goes on: the one asked for; else virtio on a running VM, the first disk's bus on one shut off. */
export function attachBus(asked: DiskBus | undefined, active: boolean, disks: readonly DomainDisk[]): DiskBus {
  if (asked) return asked;
  const first = disks.find((d) => d.device === 'disk')?.bus as DiskBus | undefined;
  return active || !first ? 'virtio' : first;
}

/** What a disk to attach is checked against. */
export interface DiskAttachFacts extends Pick<HostFacts, 'pools' | 'volumes'> {
  vm: string;
  /** The VM runs (or is paused): the disk is hot-plugged. */
  active: boolean;
  machine: string;
  machineFacts: MachineFacts;
  /** The VM's disks, live and defined together. */
  disks: readonly DomainDisk[];
  /** The other domains whose disks use POOL/VOLUME. */
  usedBy: (pool: string, volume: string) => readonly string[];
}

/** Every problem with a disk to attach; the target it gets when there is none. */
export function diskAttachProblems(disk: DiskInput, f: DiskAttachFacts): FieldError[] {
  const out = asOne(disksProblems([disk], f), 'disks', 'disk');
  const bus = attachBus(disk.bus, f.active, f.disks);
  const busBad = diskBusProblem(bus, f.machineFacts, f.machine);
  if (busBad) out.push(err('bus', `disk bus: ${busBad}`));
  else if (f.active && !HOTPLUG_BUSES.includes(bus)) out.push(err('bus', `disk bus: a running VM takes a disk on ${HOTPLUG_BUSES.join(' or ')} only (${bus} cannot be hot-plugged): shut ${f.vm} off first`));
  else if (!nextDiskTarget(bus, f.disks.map((d) => d.target))) out.push(err('bus', `disk bus: VM ${f.vm} has no free ${diskTargetPrefix(bus)}* target left`));
  if (disk.kind === 'existing' && !out.some((e) => e.field === 'volume' || e.field === 'pool')) {
    const source = `${disk.pool}/${disk.volume}`;
    const own = f.disks.find((d) => diskSource(d) === source);
    const others = f.usedBy(disk.pool, disk.volume);
    if (own) out.push(err('volume', `disk volume: ${source} is disk ${own.target} of VM ${f.vm} already`));
    else if (others.length) out.push(err('volume', `disk volume: ${source} is in use by ${others.map((o) => `VM ${o}`).join(', ')}: a disk written by two VMs is corrupted`));
  }
  return out;
}

/** The disk a VM boots from: the one with the lowest boot order, else its first disk (not a CD-ROM). */
export function bootDiskTarget(disks: readonly DomainDisk[]): string | undefined {
  const ordered = disks.filter((d) => d.bootOrder !== undefined).sort((a, b) => a.bootOrder! - b.bootOrder!);
  return (ordered[0] ?? disks.find((d) => d.device === 'disk'))?.target;
}

const TARGET_RE = /^(vd|sd|hd)[a-z]{1,2}$/;

/** Why `target` cannot name a disk to detach, whatever the VM: its form. */
export function detachTargetProblem(target: string, vm: string): FieldError | undefined {
  return TARGET_RE.test(target) ? undefined : err('target', `disk target: must be a guest disk name such as vdb, sdb or hdc (hostdeck vm disk list ${vm} shows them)`);
}

/** The disk of `disks` at `target`, or the problem: the target's form, no such disk (naming its disks), the boot disk or a bus that cannot let go while it runs. */
export function diskToDetach(target: string, disks: readonly DomainDisk[], vm: { name: string; active: boolean }): { disk: DomainDisk } | { error: FieldError } {
  const bad = detachTargetProblem(target, vm.name);
  if (bad) return { error: bad };
  const disk = disks.find((d) => d.target === target);
  if (!disk) return { error: err('target', `disk target: VM ${vm.name} has no disk ${target}${disks.length ? ` (its disks: ${disks.map((d) => d.target).join(', ')})` : ' (it has no disk)'}`) };
  if (vm.active && bootDiskTarget(disks) === target) return { error: err('target', `disk target: ${target} is the boot disk of ${vm.name}, which is running: shut it off first`) };
  if (vm.active && !HOTPLUG_BUSES.includes(disk.bus as DiskBus)) return { error: err('target', `disk target: ${target} is on the ${disk.bus ?? 'unknown'} bus, which cannot be hot-unplugged: shut ${vm.name} off first`) };
  return { disk };
}

/** A new volume's name for a VM's disk: VM-TARGET.FORMAT (vm1-vdb.qcow2). */
export function hotplugVolumeName(vm: string, target: string, format: string): string {
  return `${vm}-${target}.${format}`;
}
