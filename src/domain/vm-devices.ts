// The devices of a new VM beyond its size: NICs (model, source, MAC),
// firmware (BIOS or UEFI), CPU model, disk bus and OS variant, each checked
// against what this host offers (libvirt's domcapabilities for the machine
// type, osinfo's list). Pure: the facts are read by the core. The wizard and
// `hostdeck vm create` share these rules.
import type { FieldError } from './errors.ts';
import { objectNameProblem } from './names.ts';

export type NicModel = 'virtio' | 'e1000e' | 'rtl8139';
export const NIC_MODELS: readonly NicModel[] = ['virtio', 'e1000e', 'rtl8139'];

export interface NicInput {
  /** profile: a vNIC profile of a logical network (source: PROFILE or NETWORK/PROFILE), on the network's bridge. */
  kind: 'network' | 'bridge' | 'profile';
  source: string;
  /** virtio when absent. */
  model?: NicModel;
  mac?: string;
  /** The libvirt network filter (a resolved vNIC profile's). */
  filter?: string;
}

export type Firmware = 'bios' | 'uefi';
export const FIRMWARES: readonly Firmware[] = ['bios', 'uefi'];

/** CPU modes offered by name; any other CPU value is a named model (e.g. Nehalem). */
export const CPU_MODES = ['host-model', 'host-passthrough'] as const;
export const CPU_DEFAULT = 'host-model';

export type DiskBus = 'virtio' | 'sata' | 'scsi' | 'ide';
export const DISK_BUSES: readonly DiskBus[] = ['virtio', 'sata', 'scsi', 'ide'];

/** What QEMU offers a VM of one machine type (from `virsh domcapabilities`). */
export interface MachineCaps {
  /** The machine type as QEMU names it (pc -> pc-i440fx-7.2). */
  machine: string;
  /** UEFI loader images libvirt found (OVMF); empty when none is installed. */
  uefiLoaders: string[];
  /** Whether libvirt can pick UEFI firmware itself (<os firmware='efi'>). */
  efi: boolean;
  hostModel: boolean;
  hostPassthrough: boolean;
  /** Named CPU models QEMU can run here (usable='yes'). */
  cpuModels: string[];
  /** Buses a disk can sit on with this machine type (q35 has no IDE). */
  diskBuses: string[];
}

/** The machine type's capabilities, or why there are none (the test driver has no domcapabilities). */
export type MachineFacts = { caps: MachineCaps } | { missing: string };

/** osinfo's OS variants, or why there is no list. */
export type OsVariants = { list: readonly { shortId: string; name: string; id: string }[] } | { missing: string };

export const UEFI_MISSING = 'no UEFI firmware (OVMF) is installed on this host: install the Debian package ovmf, or pick bios';

const err = (field: string, label: string, rule: string): FieldError => ({ field, message: `${label}: ${rule}` });

const MAC_RE = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;

export function macProblem(mac: string): string | undefined {
  if (!MAC_RE.test(mac)) return 'must be six hex pairs separated by colons, e.g. 52:54:00:12:34:56';
  if (parseInt(mac.slice(0, 2), 16) & 1) return 'must be a unicast address (the first byte must be even)';
  if (/^(00:){5}00$/.test(mac)) return 'must not be all zeros';
  return undefined;
}

/** Every problem with the NICs: a source that exists, a known model, MACs well-formed and none repeated. */
export function nicsProblems(nics: readonly NicInput[], facts: { networks: readonly string[]; bridges: readonly string[]; profileProblem?: (ref: string) => string | undefined }): FieldError[] {
  const out: FieldError[] = [];
  const macs = new Map<string, number>();
  nics.forEach((n, i) => {
    const f = `nics[${i}]`;
    const label = `NIC ${i + 1} ${n.kind === 'profile' ? 'vNIC profile' : n.kind === 'network' ? 'network' : 'bridge'}`;
    const shared = n.source ? objectNameProblem(n.source) : 'is required';
    if (shared) out.push(err(`${f}.source`, label, shared));
    else if (n.kind === 'network' && !facts.networks.includes(n.source)) out.push(err(`${f}.source`, label, `no libvirt network named '${n.source}'${facts.networks.length ? ` (networks: ${facts.networks.join(', ')})` : ''}`));
    else if (n.kind === 'profile') { const p = facts.profileProblem ? facts.profileProblem(n.source) : 'vNIC profiles are not known here'; if (p) out.push(err(`${f}.source`, label, p)); }
    else if (n.kind === 'bridge' && !facts.bridges.includes(n.source)) out.push(err(`${f}.source`, label, `no bridge named '${n.source}' on this host${facts.bridges.length ? ` (bridges: ${facts.bridges.join(', ')})` : ''}`));
    if (n.model !== undefined && !NIC_MODELS.includes(n.model)) out.push(err(`${f}.model`, `NIC ${i + 1} model`, `must be ${NIC_MODELS.join(', ')}`));
    if (!n.mac) return;
    const bad = macProblem(n.mac);
    const first = macs.get(n.mac.toLowerCase());
    if (bad) out.push(err(`${f}.mac`, `NIC ${i + 1} MAC address`, bad));
    else if (first !== undefined) out.push(err(`${f}.mac`, `NIC ${i + 1} MAC address`, `${n.mac} is NIC ${first + 1}'s too: each NIC needs its own MAC`));
    else macs.set(n.mac.toLowerCase(), i);
  });
  return out;
}

/** Why a firmware cannot be used with this machine type, or undefined. */
export function firmwareProblem(fw: string, m: MachineFacts): string | undefined {
  if (!FIRMWARES.includes(fw as Firmware)) return `must be ${FIRMWARES.join(' or ')}`;
  if (fw === 'bios') return undefined;
  if ('missing' in m) return `UEFI is not available: ${m.missing}`;
  return m.caps.efi ? undefined : `UEFI is not available: ${UEFI_MISSING}`;
}

/** Why UEFI cannot be offered here, or undefined when it can. */
export function uefiUnavailable(m: MachineFacts): string | undefined {
  return firmwareProblem('uefi', m)?.replace(/^UEFI is not available: /, '');
}

const CPU_MODEL_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Why a CPU (a mode or a named model) cannot be used, or undefined. */
export function cpuProblem(cpu: string, m: MachineFacts): string | undefined {
  if (!cpu) return 'is required (host-model, host-passthrough or a CPU model)';
  if ('missing' in m) return CPU_MODEL_PATTERN.test(cpu) ? undefined : 'must be host-model, host-passthrough or a CPU model name (letters, digits, ".", "_", "-")';
  if (cpu === 'host-model') return m.caps.hostModel ? undefined : 'host-model is not offered by QEMU here';
  if (cpu === 'host-passthrough') return m.caps.hostPassthrough ? undefined : 'host-passthrough needs KVM, which this host does not use (QEMU emulates the CPU): pick host-model or a CPU model';
  if (m.caps.cpuModels.includes(cpu)) return undefined;
  return `QEMU here has no usable CPU model '${cpu}' (host-model, host-passthrough or one of: ${m.caps.cpuModels.slice(0, 8).join(', ')}${m.caps.cpuModels.length > 8 ? ', …' : ''})`;
}

/** Why a disk bus cannot be used with this machine type, or undefined. */
export function diskBusProblem(bus: string, m: MachineFacts, machine: string): string | undefined {
  if (!DISK_BUSES.includes(bus as DiskBus)) return `must be ${DISK_BUSES.join(', ')}`;
  if ('missing' in m || m.caps.diskBuses.includes(bus)) return undefined;
  return `machine type ${machine} has no ${bus} bus (${DISK_BUSES.filter((b) => m.caps.diskBuses.includes(b)).join(', ')})`;
}

/** Why an OS variant (an osinfo short id) cannot be recorded, or undefined. */
export function osVariantProblem(variant: string, os: OsVariants): string | undefined {
  if ('missing' in os) return `${os.missing}: leave it out`;
  if (os.list.some((o) => o.shortId === variant)) return undefined;
  const near = os.list.filter((o) => o.shortId.startsWith(variant.replace(/[\d.]+$/, '').slice(0, 3))).slice(0, 5).map((o) => o.shortId);
  return `osinfo knows no OS '${variant}'${near.length ? ` (e.g. ${near.join(', ')})` : ''}: see osinfo-query os`;
}

/**
 * A `--nic` value: "network=NET", "bridge=BR" or "profile=PROFILE" (a logical network's vNIC profile, NETWORK/PROFILE when names repeat), then ",model=virtio|e1000e|rtl8139"
 * and ",mac=MAC" as wanted. Returns the NIC or the rule that was broken.
 */
export function parseNicSpec(text: string): NicInput | string {
  const kv: Record<string, string> = {};
  for (const part of text.split(',')) {
    const i = part.indexOf('=');
    if (i <= 0) return `"${part}" is not KEY=VALUE (network=NET, bridge=BR or profile=PROFILE, then model=, mac=)`;
    const k = part.slice(0, i).trim();
    if (!['network', 'bridge', 'profile', 'model', 'mac'].includes(k)) return `unknown key "${k}" (network, bridge, profile, model, mac)`;
    if (k in kv) return `${k}= is given twice`;
    kv[k] = part.slice(i + 1).trim();
  }
  const sources = (['network', 'bridge', 'profile'] as const).filter((k) => kv[k] !== undefined);
  if (sources.length !== 1) return 'give network=NET, bridge=BR or profile=PROFILE (one of them)';
  if (kv.model !== undefined && !NIC_MODELS.includes(kv.model as NicModel)) return `model must be ${NIC_MODELS.join(', ')}`;
  return {
    kind: sources[0]!, source: kv[sources[0]!] ?? '',
    ...(kv.model ? { model: kv.model as NicModel } : {}), ...(kv.mac ? { mac: kv.mac } : {}),
  };
}
