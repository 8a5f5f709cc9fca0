// The create wizard's state: steps of fields (text or choice) on the shared
// form state, the step shown and whether to start the VM. toCreateInput()
// turns the values into the service's input (or the rules the text broke).
import { useReducer } from 'react';
import { parseMiB, type FieldError, type VmCreateInput } from '../../src/domain/vm-create.ts';
import { formStateReducer, initialFormState, type FormState as FieldFormState } from '../../src/ui/form/form-state.ts';

export type FieldId =
  | 'name' | 'vcpus' | 'memory' | 'description'
  | 'disk' | 'pool' | 'size' | 'format' | 'volume'
  | 'nic' | 'source' | 'mac'
  | 'boot' | 'iso' | 'kernel' | 'initrd' | 'cmdline' | 'os' | 'machine'
  | 'graphics';

export type Values = Record<FieldId, string>;

export interface FieldDef {
  id: FieldId;
  label: string;
  /** Choices (cycled with ←/→ or Enter); text when absent. */
  choices?: (v: Values, o: Options) => string[];
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
}

export const STEPS: { title: string; fields: FieldDef[] }[] = [
  { title: 'Basics', fields: [
    { id: 'name', label: 'Name', placeholder: 'required, e.g. web1' },
    { id: 'vcpus', label: 'vCPUs' },
    { id: 'memory', label: 'Memory', placeholder: 'e.g. 512M or 2G' },
    { id: 'description', label: 'Description', placeholder: 'optional' },
  ] },
  { title: 'Disk', fields: [
    { id: 'disk', label: 'Disk', choices: () => ['new volume', 'existing volume', 'none'] },
    { id: 'pool', label: 'Storage pool', choices: (_v, o) => (o.pools.length ? o.pools : ['(no pool on this host)']), visible: (v) => v.disk !== 'none' },
    { id: 'size', label: 'Size', placeholder: 'e.g. 10G', visible: (v) => v.disk === 'new volume' },
    { id: 'format', label: 'Format', choices: () => ['qcow2', 'raw'], visible: (v) => v.disk === 'new volume' },
    { id: 'volume', label: 'Volume', choices: (v, o) => (o.volumes[v.pool]?.length ? o.volumes[v.pool]! : ['(no volume in this pool)']), visible: (v) => v.disk === 'existing volume' },
  ] },
  { title: 'Network', fields: [
    { id: 'nic', label: 'NIC', choices: () => ['none', 'libvirt network', 'host bridge'] },
    { id: 'source', label: 'Attach to', choices: (v, o) => { const l = v.nic === 'host bridge' ? o.bridges : o.networks; return l.length ? l : [v.nic === 'host bridge' ? '(no bridge on this host)' : '(no libvirt network)']; }, visible: (v) => v.nic !== 'none' },
    { id: 'mac', label: 'MAC address', placeholder: 'optional: libvirt assigns one', visible: (v) => v.nic !== 'none' },
  ] },
  { title: 'Boot and OS', fields: [
    { id: 'boot', label: 'Boot from', choices: () => ['disk', 'cdrom', 'network', 'kernel'] },
    { id: 'iso', label: 'ISO', placeholder: 'a path or POOL/VOLUME', visible: (v) => v.boot === 'cdrom' },
    { id: 'kernel', label: 'Kernel', placeholder: '/path/to/vmlinuz', visible: (v) => v.boot === 'kernel' },
    { id: 'initrd', label: 'Initrd', placeholder: 'optional', visible: (v) => v.boot === 'kernel' },
    { id: 'cmdline', label: 'Command line', placeholder: 'e.g. console=ttyS0', visible: (v) => v.boot === 'kernel' },
    { id: 'os', label: 'OS type', choices: () => ['linux', 'windows', 'other'] },
    { id: 'machine', label: 'Machine type', choices: (_v, o) => (o.machines.length ? o.machines : ['pc', 'q35']) },
  ] },
  { title: 'Display', fields: [
    { id: 'graphics', label: 'Graphics', choices: () => ['vnc', 'spice', 'none'] },
  ] },
];

/** The last step: the summary, before anything is created. */
export const SUMMARY_STEP = STEPS.length;

export const DEFAULTS: Values = {
  name: '', vcpus: '1', memory: '1G', description: '',
  disk: 'new volume', pool: '', size: '10G', format: 'qcow2', volume: '',
  nic: 'none', source: '', mac: '',
  boot: 'disk', iso: '', kernel: '', initrd: '', cmdline: '', os: 'linux', machine: 'pc',
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
  | { type: 'toggleStart' };

export function visibleFields(step: number, v: Values): FieldDef[] {
  return (STEPS[step]?.fields ?? []).filter((f) => !f.visible || f.visible(v));
}

export function initialState(over: Partial<Values> = {}): FormState {
  return { ...initialFormState<FieldId>({ ...DEFAULTS, ...over }), step: 0, start: true };
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
  }
}

/** Choice fields that depend on others (pool -> volume, nic -> source) get a valid first value. */
export function fillChoices(v: Values, o: Options): Values {
  const out = { ...v };
  if (!o.pools.includes(out.pool) && o.pools.length) out.pool = o.pools[0]!;
  const vols = o.volumes[out.pool] ?? [];
  if (!vols.includes(out.volume)) out.volume = vols[0] ?? '';
  const sources = out.nic === 'host bridge' ? o.bridges : o.networks;
  if (out.nic !== 'none' && !sources.includes(out.source)) out.source = sources[0] ?? '';
  if (o.machines.length && !o.machines.includes(out.machine)) out.machine = o.machines.includes('pc') ? 'pc' : o.machines[0]!;
  return out;
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
  const input: VmCreateInput = {
    name: v.name, vcpus: Number.isNaN(vcpus) ? 1 : vcpus, memoryMiB: mem ?? 1024, description: v.description || undefined,
    disks: v.disk === 'none' ? [] : v.disk === 'new volume'
      ? [{ kind: 'new', pool: v.pool.startsWith('(') ? '' : v.pool, sizeMiB: size ?? 0, format: v.format === 'raw' ? 'raw' : 'qcow2' }]
      : [{ kind: 'existing', pool: v.pool.startsWith('(') ? '' : v.pool, volume: v.volume.startsWith('(') ? '' : v.volume }],
    nic: v.nic === 'none' ? undefined : { kind: v.nic === 'host bridge' ? 'bridge' : 'network', source: v.source.startsWith('(') ? '' : v.source, mac: v.mac || undefined },
    boot: v.boot as VmCreateInput['boot'],
    iso: v.boot === 'cdrom' ? v.iso || undefined : undefined,
    kernel: v.boot === 'kernel' ? v.kernel || undefined : undefined,
    initrd: v.boot === 'kernel' ? v.initrd || undefined : undefined,
    cmdline: v.boot === 'kernel' ? v.cmdline || undefined : undefined,
    osType: v.os as VmCreateInput['osType'],
    machine: v.machine,
    graphics: v.graphics as VmCreateInput['graphics'],
  };
  return { input, errors };
}

/** Which wizard field a validation error belongs to. */
export function fieldOf(errorField: string): FieldId | undefined {
  if (errorField === 'memory' || errorField === 'vcpus' || errorField === 'name' || errorField === 'description' || errorField === 'iso' || errorField === 'kernel' || errorField === 'initrd' || errorField === 'machine' || errorField === 'graphics' || errorField === 'boot') return errorField;
  if (errorField === 'os') return 'os';
  const m = /^disks\[\d+\]\.(\w+)$/.exec(errorField);
  if (m) return m[1] === 'pool' ? 'pool' : m[1] === 'volume' ? 'volume' : m[1] === 'format' ? 'format' : 'size';
  if (errorField === 'nic.source') return 'source';
  if (errorField === 'nic.mac') return 'mac';
  return undefined;
}

/** The step a field is on. */
export function stepOf(id: FieldId): number {
  return STEPS.findIndex((s) => s.fields.some((f) => f.id === id));
}

export function useCreateForm(over?: Partial<Values>) {
  return useReducer(formReducer, over, (o) => initialState(o));
}
