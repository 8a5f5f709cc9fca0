// Templates: what a template records (its hardware and disks), the rules of
// its input, and the create input of a VM made from one (the template's
// hardware as defaults, what the user gave over them). Pure: no I/O.
import type { FieldError } from './errors.ts';
import { controlCharProblem } from './text.ts';
import type { DomainDetails } from '../virt/xml/parse.ts';
import type { BootKind, DiskBus, GraphicsKind, OsType, VmCreateInput } from './vm-create.ts';
import { DISK_BUSES, NIC_MODELS, type Firmware, type NicInput, type NicModel } from './vm-devices.ts';

export const BLANK_TEMPLATE = 'Blank';
export const TEMPLATE_NAME_MAX = 40;
export const TEMPLATE_DESCRIPTION_MAX = 200;
export type TemplateMode = 'thin' | 'clone';
export const TEMPLATE_MODES: readonly TemplateMode[] = ['thin', 'clone'];

/** The hardware a template records: a new VM's defaults. */
export interface TemplateHardware {
  vcpus: number;
  memoryMiB: number;
  /** host-model, host-passthrough or a named model; absent: hostdeck's default. */
  cpu?: string;
  firmware?: Firmware;
  machine: string;
  osType: OsType;
  osVariant?: string;
  boot: BootKind;
  kernel?: string;
  initrd?: string;
  cmdline?: string;
  graphics: GraphicsKind;
  /** NIC models and their networks or bridges (no MAC: each VM gets its own). */
  nics: NicInput[];
}

export interface TemplateDisk {
  idx: number;
  /** The image's volume name in its storage domain's pool. */
  volume: string;
  path: string;
  format: 'qcow2' | 'raw';
  bus: DiskBus;
  sizeBytes: number;
}

export type TemplateStatus = 'creating' | 'ready';

export interface Template {
  id: string;
  /** The first version's id: every version of a template shares it. */
  baseId: string;
  name: string;
  version: number;
  versionName: string;
  description: string;
  storageDomainId: string | null;
  sourceVm: string | null;
  hardware: TemplateHardware;
  sealed: boolean;
  status: TemplateStatus;
  creatorPid: number | null;
  createdAt: string;
  disks: TemplateDisk[];
}

export interface TemplateInput {
  /** The template's name (a new template), or the template a new version is of (with base). */
  name?: string;
  /** Make a new version of this template (its name). */
  base?: string;
  versionName?: string;
  vm: string;
  storageDomain: string;
  description?: string;
  seal?: boolean;
}

const fe = (field: string, message: string): FieldError => ({ field, message: `${field}: ${message}` });

/** As oVirt: letters, digits, '.', '-' and '_', at most 40 characters. */
export function templateNameProblem(name: string): string | undefined {
  if (!name) return 'is required';
  if (name.length > TEMPLATE_NAME_MAX) return `must be at most ${TEMPLATE_NAME_MAX} characters (got ${name.length})`;
  if (!/^[A-Za-z0-9_][A-Za-z0-9._-]*$/.test(name)) return `must contain only letters, digits, '.', '-' and '_', and not start with '.' or '-' (got ${JSON.stringify(name)})`;
  return undefined;
}

export function templateDescriptionProblem(d: string | undefined): string | undefined {
  if (d === undefined || d === '') return undefined;
  if (d.length > TEMPLATE_DESCRIPTION_MAX) return `must be at most ${TEMPLATE_DESCRIPTION_MAX} characters (got ${d.length})`;
  return controlCharProblem(d);
}

/** Every rule the input breaks, named by field (name, base, version-name, vm, storage-domain, description). */
export function templateInputProblems(input: TemplateInput, existingNames: readonly string[]): FieldError[] {
  const out: FieldError[] = [];
  if (input.base !== undefined) {
    if (input.name !== undefined && input.name !== input.base) out.push(fe('name', 'a new version keeps its template\'s name: give --base alone'));
    if (!existingNames.includes(input.base)) out.push(fe('base', `no template named ${JSON.stringify(input.base)} (see hostdeck template list)`));
    else if (input.base === BLANK_TEMPLATE) out.push(fe('base', 'the Blank template has no versions'));
    const vn = input.versionName ?? '';
    const p = vn ? templateNameProblem(vn) : 'is required for a new version';
    if (p) out.push(fe('version-name', p));
  } else {
    const p = templateNameProblem(input.name ?? '');
    if (p) out.push(fe('name', p));
    else if (existingNames.includes(input.name!)) out.push(fe('name', `a template named ${input.name} already exists (make a new version of it with --base)`));
    if (input.versionName !== undefined) out.push(fe('version-name', 'only a new version (--base) takes a version name'));
  }
  if (!input.vm) out.push(fe('vm', 'is required (a shut-off VM)'));
  if (!input.storageDomain) out.push(fe('storage-domain', 'is required (a data storage domain)'));
  const d = templateDescriptionProblem(input.description);
  if (d) out.push(fe('description', d));
  return out;
}

/** "latest", a version number, or a version name: the version of a template a VM is made from. */
export function pickVersion(versions: readonly Template[], want: string | undefined): Template | string {
  const ready = versions.filter((t) => t.status === 'ready').sort((a, b) => a.version - b.version);
  if (!ready.length) return 'has no ready version';
  if (want === undefined || want === 'latest') return ready[ready.length - 1]!;
  const t = ready.find((v) => String(v.version) === want || (v.versionName !== '' && v.versionName === want));
  return t ?? `no version ${JSON.stringify(want)} (versions: ${ready.map((v) => `${v.version}${v.versionName ? ` ${v.versionName}` : ''}`).join(', ')}; or latest)`;
}

const LIBOSINFO_ID = /<libosinfo:os\s+id=['"]([^'"]+)['"]/;

/** The hardware of a VM as its domain XML says it; osVariant from the libosinfo id through osinfo's list. */
export function hardwareOf(d: DomainDetails, xml: string, osinfo: readonly { shortId: string; id: string }[]): TemplateHardware {
  const osinfoId = LIBOSINFO_ID.exec(xml)?.[1];
  const nics: NicInput[] = [];
  for (const n of d.interfaces) {
    const model = NIC_MODELS.includes(n.model as NicModel) ? (n.model as NicModel) : undefined;
    if (n.type === 'network' && n.network) nics.push({ kind: 'network', source: n.network, ...(model ? { model } : {}) });
    else if (n.type === 'bridge' && n.bridge) nics.push({ kind: 'bridge', source: n.bridge, ...(model ? { model } : {}) });
  }
  const boot: BootKind = d.os.kernel ? 'kernel' : d.os.boot[0] === 'cdrom' ? 'cdrom' : d.os.boot[0] === 'network' ? 'network' : 'disk';
  const g = d.graphics[0]?.type;
  return {
    vcpus: d.vcpus,
    memoryMiB: Math.round(d.memoryKiB / 1024),
    ...(d.cpu ? { cpu: d.cpu } : {}),
    ...(d.os.firmware === 'efi' || /OVMF|edk2/i.test(d.os.loader ?? '') ? { firmware: 'uefi' as const } : {}),
    machine: d.os.machine ?? 'pc',
    osType: /win/i.test(osinfoId ?? '') ? 'windows' : 'linux',
    ...(osinfoId && osinfo.find((o) => o.id === osinfoId) ? { osVariant: osinfo.find((o) => o.id === osinfoId)!.shortId } : {}),
    boot: boot === 'cdrom' ? 'disk' : boot,
    ...(d.os.kernel ? { kernel: d.os.kernel, initrd: d.os.initrd, cmdline: d.os.cmdline } : {}),
    graphics: g === 'vnc' || g === 'spice' ? g : 'none',
    nics,
  };
}

/** A disk bus as the template keeps it (virtio for one libvirt reports that hostdeck does not offer). */
export const templateBus = (bus: string | undefined): DiskBus => (DISK_BUSES.includes(bus as DiskBus) ? (bus as DiskBus) : 'virtio');

/** What a user gives over a template's hardware (CLI options, the wizard's fields). */
export type TemplateOverrides = Partial<Omit<VmCreateInput, 'name' | 'disks'>> & Pick<VmCreateInput, 'disks'>;

/**
 * The create input of a VM from a template version: its hardware as the
 * defaults, the overrides over them; the template's images first (as the
 * pool's volumes they are), then any disks the user adds.
 */
export function vmInputFromTemplate(t: Template, poolName: string | undefined, name: string, o: TemplateOverrides): VmCreateInput {
  const hw = t.hardware;
  // Overrides the template has no default for (the cluster) pass through as given.
  const input: VmCreateInput = {
    ...o,
    name,
    vcpus: o.vcpus ?? hw.vcpus,
    memoryMiB: o.memoryMiB ?? hw.memoryMiB,
    description: o.description,
    disks: [...t.disks.map((d) => ({ kind: 'existing' as const, pool: poolName ?? '', volume: d.volume, bus: d.bus })), ...o.disks],
    nics: o.nics ?? hw.nics,
    boot: o.boot ?? hw.boot,
    iso: o.iso,
    kernel: o.kernel ?? (o.boot === undefined || o.boot === 'kernel' ? hw.kernel : undefined),
    initrd: o.initrd ?? (o.boot === undefined || o.boot === 'kernel' ? hw.initrd : undefined),
    cmdline: o.cmdline ?? (o.boot === undefined || o.boot === 'kernel' ? hw.cmdline : undefined),
    osType: o.osType ?? hw.osType,
    machine: o.machine ?? hw.machine,
    firmware: o.firmware ?? hw.firmware,
    cpu: o.cpu ?? hw.cpu,
    osVariant: o.osVariant ?? hw.osVariant,
    graphics: o.graphics ?? hw.graphics,
  };
  if (input.boot !== 'kernel') { delete input.kernel; delete input.initrd; delete input.cmdline; }
  return input;
}

/** Template images are named so that an image no row owns can be found: template-<id>-<n>.<format>. */
export const templateImageName = (templateId: string, idx: number, format: 'qcow2' | 'raw') => `template-${templateId}-${idx}.${format}`;
export const TEMPLATE_IMAGE_RE = /^template-([0-9a-f-]{36})-\d+\.(qcow2|raw)$/;
