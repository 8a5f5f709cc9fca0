// The create wizard's state: steps of fields (text or choice) on the shared
// form state, the step shown and whether to start the VM. toCreateInput()
// turns the values into the service's input (or the rules the text broke).
import { useReducer } from 'react';
import { parseMiB, type FieldError, type VmCreateInput } from '../../src/domain/vm-create.ts';
import { CPU_MODES, DISK_BUSES, NIC_MODELS, uefiUnavailable, type DiskBus, type MachineFacts, type NicModel, type OsVariants } from '../../src/domain/vm-devices.ts';
import type { TemplateHardware } from '../../src/domain/templates.ts';
import { formStateReducer, initialFormState, type FormState as FieldFormState } from '../../src/ui/form/form-state.ts';

/** The fields of NIC n (0-based) are nicKind.n, nicSource.n, nicModel.n and nicMac.n. */
type NicFieldId = `nic${'Kind' | 'Source' | 'Model' | 'Mac'}.${number}`;

export type FieldId =
  | 'name' | 'vcpus' | 'memory' | 'description' | 'template' | 'templateMode' | 'cluster'
  | 'disk' | 'pool' | 'size' | 'format' | 'volume' | 'bus'
  | 'nics' | NicFieldId
  | 'boot' | 'iso' | 'isoPath' | 'kernel' | 'initrd' | 'cmdline' | 'os' | 'osVariant' | 'machine' | 'firmware' | 'cpu'
  | 'graphics';

export type Values = Record<FieldId, string>;

/** The ISO choice that makes the path field the ISO. */
export const TYPED_ISO = 'a path (typed below)';

/** The CPU choice that leaves the CPU to the core: the VM's cluster's CPU type. */
export const CLUSTER_CPU = "cluster's";

/** The NIC kinds as the wizard names them. */
const NIC_KINDS = { network: 'libvirt network', bridge: 'host bridge', profile: 'vNIC profile' } as const;

export interface FieldDef {
  id: FieldId;
  label: string;
  /** Choices (cycled with ←/→ or Enter); text when absent. */
  choices?: (v: Values, o: Options) => string[];
  /** A line about the field's choices (why one is not offered). */
  note?: (v: Values, o: Options) => string | undefined;
  placeholder?: string;
  visible?: (v: Values) => boolean;
}

/** What the host offers (pools, networks, ...), for the choice fields. */
export interface Options {
  pools: string[];
  volumes: Record<string, string[]>;
  networks: string[];
  bridges: string[];
  machines: string[];
  /** What QEMU offers each machine type (firmware, CPU, disk buses). */
  machineFacts: (machine: string) => MachineFacts;
  osVariants: OsVariants;
  /** ISO volumes of the pools, as POOL/VOLUME. */
  isos: string[];
  /** Templates a VM can be made from (their latest version). */
  templates?: string[];
  /** The manager's clusters with their CPU type (absent until read). */
  clusters?: { name: string; cpuType: string }[];
  /** By cluster name: the vNIC profiles (NETWORK/PROFILE) of the VM networks attached to it. */
  profiles?: Record<string, string[]>;
}

const nicCount = (v: Values) => Number(v.nics) || 0;

/** What a NIC of this kind can attach to: networks, bridges, or the profiles of the VM's cluster. */
function nicSources(kind: string | undefined, v: Values, o: Options): string[] {
  return kind === NIC_KINDS.bridge ? o.bridges : kind === NIC_KINDS.profile ? o.profiles?.[v.cluster] ?? [] : o.networks;
}

const NO_SOURCE: Record<string, (v: Values) => string> = {
  [NIC_KINDS.bridge]: () => '(no bridge on this host)',
  [NIC_KINDS.profile]: (v) => `(no vNIC profile in cluster ${v.cluster})`,
  [NIC_KINDS.network]: () => '(no libvirt network)',
};

/** A profile picked earlier (NETWORK/PROFILE; network names have no '/'): kept when the cluster changes, so its rule names it. */
const isProfileRef = (s: string | undefined) => Boolean(s?.includes('/'));

function nicFields(v: Values): FieldDef[] {
  return Array.from({ length: nicCount(v) }, (_, i) => [
    { id: `nicKind.${i}` as const, label: `NIC ${i + 1}`, choices: () => Object.values(NIC_KINDS) },
    { id: `nicSource.${i}` as const, label: '  attach to', choices: (w: Values, o: Options) => { const k = w[`nicKind.${i}`]; const l = nicSources(k, w, o); return l.length ? l : [(NO_SOURCE[k ?? ''] ?? NO_SOURCE[NIC_KINDS.network]!)(w)]; } },
    { id: `nicModel.${i}` as const, label: '  model', choices: () => [...NIC_MODELS] },
    { id: `nicMac.${i}` as const, label: '  MAC address', placeholder: 'optional: libvirt assigns one' },
  ]).flat();
}

/** CPU choices: the cluster's CPU type, the modes QEMU offers here, then its usable named models. */
function cpuChoices(m: MachineFacts): string[] {
  if ('missing' in m) return [CLUSTER_CPU, 'host-model'];
  return [CLUSTER_CPU, ...CPU_MODES.filter((c) => (c === 'host-model' ? m.caps.hostModel : m.caps.hostPassthrough)), ...m.caps.cpuModels];
}

/** The CPU type of a cluster, once the clusters are read. */
export const clusterCpuOf = (o: Options, cluster: string): string | undefined => o.clusters?.find((c) => c.name === cluster)?.cpuType;

export const STEPS: { title: string; fields: FieldDef[] | ((v: Values) => FieldDef[]) }[] = [
  { title: 'Basics', fields: [
    { id: 'name', label: 'Name', placeholder: 'required, e.g. web1' },
    { id: 'vcpus', label: 'vCPUs' },
    { id: 'memory', label: 'Memory', placeholder: 'e.g. 512M or 2G' },
    { id: 'description', label: 'Description', placeholder: 'optional' },
    // The template's hardware fill the fields below as defaults; its disks come first.
    { id: 'template', label: 'From template', choices: (_v, o) => ['none', ...(o.templates ?? [])] },
    { id: 'templateMode', label: '  its disks', choices: () => ['thin', 'clone'], visible: (v) => v.template !== 'none',
      note: (v) => (v.templateMode === 'clone' ? 'full, independent copies' : "qcow2 overlays on the template's images (the template stays while this VM exists)") },
    { id: 'cluster', label: 'Cluster', choices: (_v, o) => (o.clusters?.length ? o.clusters.map((c) => c.name) : ['Default']),
      note: (v, o) => { const cpu = clusterCpuOf(o, v.cluster); return cpu ? `CPU type ${cpu} (the VM's CPU unless Boot and OS names another)` : undefined; } },
  ] },
  { title: 'Disk', fields: [
    { id: 'disk', label: 'Disk', choices: () => ['new volume', 'existing volume', 'none'] },
    { id: 'pool', label: 'Storage pool', choices: (_v, o) => (o.pools.length ? o.pools : ['(no pool on this host)']), visible: (v) => v.disk !== 'none' },
    { id: 'size', label: 'Size', placeholder: 'e.g. 10G', visible: (v) => v.disk === 'new volume' },
    { id: 'format', label: 'Format', choices: () => ['qcow2', 'raw'], visible: (v) => v.disk === 'new volume' },
    { id: 'volume', label: 'Volume', choices: (v, o) => (o.volumes[v.pool]?.length ? o.volumes[v.pool]! : ['(no volume in this pool)']), visible: (v) => v.disk === 'existing volume' },
    // IDE only where the machine type has it (q35 has none).
    { id: 'bus', label: 'Bus', choices: (v, o) => { const m = o.machineFacts(v.machine); return DISK_BUSES.filter((b) => 'missing' in m || m.caps.diskBuses.includes(b)); }, visible: (v) => v.disk !== 'none' },
  ] },
  { title: 'Network', fields: nicFields },
  { title: 'Boot and OS', fields: [
    { id: 'boot', label: 'Boot from', choices: () => ['disk', 'cdrom', 'network', 'kernel'] },
    { id: 'iso', label: 'ISO', choices: (_v, o) => [...o.isos, TYPED_ISO], visible: (v) => v.boot === 'cdrom' },
    { id: 'isoPath', label: 'ISO path', placeholder: 'a path or POOL/VOLUME', visible: (v) => v.boot === 'cdrom' && v.iso === TYPED_ISO },
    { id: 'kernel', label: 'Kernel', placeholder: '/path/to/vmlinuz', visible: (v) => v.boot === 'kernel' },
    { id: 'initrd', label: 'Initrd', placeholder: 'optional', visible: (v) => v.boot === 'kernel' },
    { id: 'cmdline', label: 'Command line', placeholder: 'e.g. console=ttyS0', visible: (v) => v.boot === 'kernel' },
    { id: 'os', label: 'OS type', choices: () => ['linux', 'windows', 'other'] },
    { id: 'osVariant', label: 'OS variant', placeholder: 'optional, from osinfo-query os (e.g. debian11)', note: (_v, o) => ('missing' in o.osVariants ? `${o.osVariants.missing}: no variant is recorded` : undefined) },
    { id: 'machine', label: 'Machine type', choices: (_v, o) => (o.machines.length ? o.machines : ['pc', 'q35']) },
    { id: 'firmware', label: 'Firmware', choices: (v, o) => (uefiUnavailable(o.machineFacts(v.machine)) ? ['bios'] : ['bios', 'uefi']), note: (v, o) => { const why = uefiUnavailable(o.machineFacts(v.machine)); return why ? `UEFI unavailable: ${why}` : undefined; } },
    { id: 'cpu', label: 'CPU', choices: (v, o) => cpuChoices(o.machineFacts(v.machine)),
      note: (v, o) => (v.cpu === CLUSTER_CPU ? `cluster ${v.cluster}'s CPU type: ${clusterCpuOf(o, v.cluster) ?? 'reading…'}` : undefined) },
  ] },
  { title: 'Display', fields: [
    { id: 'graphics', label: 'Graphics', choices: () => ['vnc', 'spice', 'none'] },
  ] },
];

/** The last step: the summary, before anything is created. */
export const SUMMARY_STEP = STEPS.length;

export const DEFAULTS: Values = {
  name: '', vcpus: '1', memory: '1G', description: '', template: 'none', templateMode: 'thin', cluster: 'Default',
  disk: 'new volume', pool: '', size: '10G', format: 'qcow2', volume: '', bus: 'virtio',
  nics: '0',
  boot: 'disk', iso: TYPED_ISO, isoPath: '', kernel: '', initrd: '', cmdline: '', os: 'linux', osVariant: '', machine: 'pc', firmware: 'bios', cpu: CLUSTER_CPU,
  graphics: 'vnc',
};

/** The shared form state, with the step shown (SUMMARY_STEP last). */
export type FormState = FieldFormState<FieldId> & {
  step: number;
  /** Start the VM once created. */
  start: boolean;
};

export type FormAction =
  | { type: 'move'; delta: number }
  | { type: 'step'; delta: number }
  | { type: 'edit' }
  | { type: 'draft'; value: string }
  | { type: 'commit' }
  | { type: 'cancel' }
  | { type: 'cycle'; delta: number; options: Options }
  | { type: 'set'; values: Partial<Values> }
  | { type: 'fill'; options: Options }
  | { type: 'toggleStart' }
  | { type: 'addNic'; options: Options }
  | { type: 'removeNic' };

export function visibleFields(step: number, v: Values): FieldDef[] {
  const fields = STEPS[step]?.fields ?? [];
  return (typeof fields === 'function' ? fields(v) : fields).filter((f) => !f.visible || f.visible(v));
}

export const NETWORK_STEP = STEPS.findIndex((st) => st.fields === nicFields);

/** The NIC (0-based) a field belongs to, if it is a NIC's. */
export const nicOf = (id: string | undefined): number | undefined => { const m = /^nic\w+\.(\d+)$/.exec(id ?? ''); return m ? Number(m[1]) : undefined; };

const NIC_PARTS = ['Kind', 'Source', 'Model', 'Mac'] as const;

/** The values without NIC `gone`: the NICs after it move up one. */
function withoutNic(v: Values, gone: number): Values {
  const n = nicCount(v);
  const out: Values = { ...v, nics: String(n - 1) };
  for (let i = gone; i < n; i++) {
    for (const part of NIC_PARTS) {
      if (i + 1 < n) out[`nic${part}.${i}`] = v[`nic${part}.${i + 1}`] ?? '';
      else delete (out as Partial<Values>)[`nic${part}.${i}`];
    }
  }
  return out;
}

export function initialState(over: Partial<Values> = {}): FormState {
  return { ...initialFormState<FieldId>({ ...DEFAULTS, ...over } as Values), step: 0, start: true };
}

export function formReducer(s: FormState, a: FormAction): FormState {
  const fields = visibleFields(s.step, s.values);
  const field = fields[s.focus];
  switch (a.type) {
    case 'move': {
      if (s.editing || s.step === SUMMARY_STEP) return s;
      const n = s.focus + a.delta;
      // Past the last field: the next step; before the first: the previous one.
      if (n >= fields.length) return { ...s, step: s.step + 1, focus: 0 };
      if (n < 0) return s.step > 0 ? { ...s, step: s.step - 1, focus: Math.max(0, visibleFields(s.step - 1, s.values).length - 1) } : s;
      return { ...s, focus: n };
    }
    case 'step': {
      if (s.editing) return s;
      const step = Math.max(0, Math.min(SUMMARY_STEP, s.step + a.delta));
      return { ...s, step, focus: 0 };
    }
    case 'edit':
      if (!field || field.choices) return s;
      return formStateReducer(s, { type: 'edit', id: field.id });
    case 'draft':
    case 'cancel':
      return formStateReducer(s, a);
    case 'commit':
      if (!field || !s.editing) return s;
      return formStateReducer(s, { type: 'commit', id: field.id, trim: true });
    case 'cycle': {
      if (!field?.choices || s.editing) return s;
      const next = formStateReducer(s, { type: 'cycle', id: field.id, options: field.choices(s.values, a.options), delta: a.delta });
      return { ...next, values: fillChoices(next.values, a.options) };
    }
    case 'set':
      return formStateReducer(s, a);
    case 'fill':
      return { ...s, values: fillChoices(s.values, a.options) };
    case 'toggleStart':
      return { ...s, start: !s.start };
    case 'addNic': {
      if (s.editing || s.step !== NETWORK_STEP) return s;
      const i = nicCount(s.values);
      const values: Values = { ...s.values, nics: String(i + 1) };
      values[`nicKind.${i}`] = 'libvirt network';
      values[`nicSource.${i}`] = '';
      values[`nicModel.${i}`] = 'virtio';
      values[`nicMac.${i}`] = '';
      return { ...s, values: fillChoices(values, a.options), focus: i * NIC_PARTS.length };
    }
    case 'removeNic': {
      const i = nicOf(field?.id);
      if (s.editing || s.step !== NETWORK_STEP || i === undefined) return s;
      const values = withoutNic(s.values, i);
      return { ...s, values, focus: Math.max(0, Math.min(s.focus - (s.focus % NIC_PARTS.length), nicCount(values) * NIC_PARTS.length - NIC_PARTS.length)) };
    }
  }
}

/** Choice fields that depend on others (pool -> volume, nic -> source) get a valid first value. */
export function fillChoices(v: Values, o: Options): Values {
  const out = { ...v };
  if (!o.pools.includes(out.pool) && o.pools.length) out.pool = o.pools[0]!;
  const vols = o.volumes[out.pool] ?? [];
  if (!vols.includes(out.volume)) out.volume = vols[0] ?? '';
  if (o.clusters?.length && !o.clusters.some((c) => c.name === out.cluster)) out.cluster = o.clusters.some((c) => c.name === 'Default') ? 'Default' : o.clusters[0]!.name;
  for (let i = 0; i < nicCount(out); i++) {
    const kind = out[`nicKind.${i}`];
    const sources = nicSources(kind, out, o);
    const source = out[`nicSource.${i}`] ?? '';
    if (kind === NIC_KINDS.profile && (isProfileRef(source) || !o.profiles)) continue;
    if (!sources.includes(source)) out[`nicSource.${i}`] = sources[0] ?? '';
  }
  if (o.machines.length && !o.machines.includes(out.machine)) out.machine = o.machines.includes('pc') ? 'pc' : o.machines[0]!;
  // What the machine type offers: a choice it lacks (IDE on q35, UEFI without OVMF) falls back to the default.
  const m = o.machineFacts(out.machine);
  if (!('missing' in m)) {
    if (!m.caps.diskBuses.includes(out.bus)) out.bus = 'virtio';
    if (out.firmware === 'uefi' && !m.caps.efi) out.firmware = 'bios';
    if (!cpuChoices(m).includes(out.cpu)) out.cpu = CLUSTER_CPU;
  }
  if (out.iso !== TYPED_ISO && !o.isos.includes(out.iso)) out.iso = o.isos[0] ?? TYPED_ISO;
  return out;
}

/** A template's hardware as the wizard's values (the defaults the operator then changes); its disks replace the wizard's. */
export function templateValues(hw: TemplateHardware, hasDisks: boolean): Partial<Values> {
  const v: Partial<Values> = {
    vcpus: String(hw.vcpus), memory: `${hw.memoryMiB}M`, boot: hw.boot, kernel: hw.kernel ?? '', initrd: hw.initrd ?? '', cmdline: hw.cmdline ?? '', os: hw.osType,
    osVariant: hw.osVariant ?? '', machine: hw.machine, firmware: hw.firmware ?? 'bios', cpu: hw.cpu ?? CLUSTER_CPU, graphics: hw.graphics, nics: String(hw.nics.length),
  };
  if (hasDisks) v.disk = 'none';
  hw.nics.forEach((n, i) => {
    v[`nicKind.${i}`] = NIC_KINDS[n.kind];
    v[`nicSource.${i}`] = n.source;
    v[`nicModel.${i}`] = n.model ?? 'virtio';
    v[`nicMac.${i}`] = '';
  });
  return v;
}

/** Field errors of the text itself (before the host's rules): numbers and sizes. */
export function toCreateInput(v: Values): { input: VmCreateInput; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const vcpus = /^\d+$/.test(v.vcpus) ? Number(v.vcpus) : NaN;
  if (Number.isNaN(vcpus)) errors.push({ field: 'vcpus', message: 'vCPUs: must be a whole number' });
  const mem = parseMiB(v.memory);
  if (mem === undefined) errors.push({ field: 'memory', message: 'memory: is not a size (e.g. 512M, 2G; a bare number is MiB)' });
  const size = parseMiB(v.size);
  if (v.disk === 'new volume' && size === undefined) errors.push({ field: 'disks[0].size', message: 'disk 1 size: is not a size (e.g. 10G)' });
  const picked = (x: string) => (x.startsWith('(') ? '' : x);
  const iso = v.iso === TYPED_ISO ? v.isoPath : v.iso;
  const input: VmCreateInput = {
    name: v.name, vcpus: Number.isNaN(vcpus) ? 1 : vcpus, memoryMiB: mem ?? 1024, description: v.description || undefined,
    disks: v.disk === 'none' ? [] : v.disk === 'new volume'
      ? [{ kind: 'new', pool: picked(v.pool), sizeMiB: size ?? 0, format: v.format === 'raw' ? 'raw' : 'qcow2', bus: v.bus as DiskBus }]
      : [{ kind: 'existing', pool: picked(v.pool), volume: picked(v.volume), bus: v.bus as DiskBus }],
    nics: Array.from({ length: nicCount(v) }, (_, i) => ({
      kind: v[`nicKind.${i}`] === NIC_KINDS.bridge ? 'bridge' as const : v[`nicKind.${i}`] === NIC_KINDS.profile ? 'profile' as const : 'network' as const, source: picked(v[`nicSource.${i}`] ?? ''),
      model: (v[`nicModel.${i}`] || 'virtio') as NicModel, mac: v[`nicMac.${i}`] || undefined,
    })),
    boot: v.boot as VmCreateInput['boot'],
    iso: v.boot === 'cdrom' ? iso || undefined : undefined,
    kernel: v.boot === 'kernel' ? v.kernel || undefined : undefined,
    initrd: v.boot === 'kernel' ? v.initrd || undefined : undefined,
    cmdline: v.boot === 'kernel' ? v.cmdline || undefined : undefined,
    osType: v.os as VmCreateInput['osType'],
    osVariant: v.osVariant || undefined,
    machine: v.machine,
    firmware: v.firmware === 'uefi' ? 'uefi' : 'bios',
    // Left at the cluster's: the core gives the VM its cluster's CPU type.
    cpu: v.cpu === CLUSTER_CPU ? undefined : v.cpu,
    graphics: v.graphics as VmCreateInput['graphics'],
    cluster: v.cluster,
  };
  return { input, errors };
}

/** Which wizard field a validation error belongs to. */
export function fieldOf(errorField: string, values?: Values): FieldId | undefined {
  if (errorField === 'memory' || errorField === 'vcpus' || errorField === 'name' || errorField === 'description' || errorField === 'kernel' || errorField === 'initrd' || errorField === 'machine' || errorField === 'graphics' || errorField === 'boot'
    || errorField === 'os' || errorField === 'osVariant' || errorField === 'firmware' || errorField === 'cpu') return errorField;
  if (errorField === 'iso') return values?.iso === TYPED_ISO ? 'isoPath' : 'iso';
  if (errorField === 'template' || errorField === 'template-version') return 'template';
  if (errorField === 'mode') return 'templateMode';
  if (errorField === 'cluster') return 'cluster';
  const m = /^disks\[\d+\]\.(\w+)$/.exec(errorField);
  if (m) return m[1] === 'pool' ? 'pool' : m[1] === 'volume' ? 'volume' : m[1] === 'format' ? 'format' : m[1] === 'bus' ? 'bus' : 'size';
  const n = /^nics\[(\d+)\]\.(source|model|mac)$/.exec(errorField);
  if (n) return `nic${n[2] === 'source' ? 'Source' : n[2] === 'model' ? 'Model' : 'Mac'}.${Number(n[1])}`;
  return undefined;
}

/** The step a field is on. */
export function stepOf(id: FieldId): number {
  if (nicOf(id) !== undefined) return NETWORK_STEP;
  return STEPS.findIndex((s) => typeof s.fields !== 'function' && s.fields.some((f) => f.id === id));
}

export function useCreateForm(over?: Partial<Values>) {
  return useReducer(formReducer, over, (o) => initialState(o));
}
