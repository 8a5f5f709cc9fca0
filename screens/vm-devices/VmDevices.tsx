// One VM's NICs and disks, live and defined, as `hostdeck vm nic list` and
// `vm disk list` show them: add a NIC (by vNIC profile, libvirt network or
// bridge) or attach a disk (an existing volume or a new one) with a small
// form whose fields are checked as they are left and again by the core,
// and remove the selected NIC or detach the selected disk once confirmed.
// While the VM runs each change is a hot-plug, in its definition too.
import { useCallback, useEffect, useState } from 'react';
import { Box, Text } from 'ink';
import { bind, useBindings } from '../../src/app/keys.ts';
import { useSelection } from '../../src/app/list.ts';
import type { Binding, ScreenProps } from '../../src/app/types.ts';
import type { VmDiskRow, VmNicRow } from '../../src/core/vm-devices.ts';
import { fieldErrorsOf } from '../../src/domain/errors.ts';
import { parseDiskSpec } from '../../src/domain/vm-create.ts';
import { parseNicSpec } from '../../src/domain/vm-devices.ts';
import { FieldRow } from '../../src/ui/form/FieldRow.tsx';
import { useFormInput } from '../../src/ui/form/use-form-input.ts';
import { useFormState } from '../../src/ui/form/use-form-state.ts';
import { errorNotice } from '../../src/ui/error-notice.ts';
import { tone, useTheme } from '../../src/ui/theme.ts';
import { VM_DEVICES_KEYS as K } from './keys.ts';

type Kind = 'nic' | 'disk';
/** Each form's fields, in the order Enter and Tab go through them; the core names its rules' fields the same. */
const FIELDS: Record<Kind, readonly string[]> = { nic: ['source', 'model', 'mac'], disk: ['pool', 'size', 'volume', 'format', 'bus'] };
const PLACEHOLDER: Record<string, string> = {
  source: 'profile=PROFILE, network=NET or bridge=BR', model: 'virtio (default), e1000e, rtl8139', mac: 'empty: a new one',
  pool: 'storage pool', size: 'a new volume: 512M, 10G', volume: 'or an existing volume of the pool', format: 'qcow2 (default) or raw', bus: 'virtio (default while running), scsi, sata, ide',
};
const ruleOf = (message: string) => message.slice(message.indexOf(': ') + 2);
const yesNo = (b: boolean) => (b ? 'yes' : 'no');

/** The form's values as the CLI's --nic / --disk spec, parsed by the same rules: the input, or the field and the rule it broke. */
function parsed(kind: Kind, v: Record<string, string>): { nic?: ReturnType<typeof parseNicSpec>; disk?: ReturnType<typeof parseDiskSpec>; error?: [string, string] } {
  if (kind === 'nic') {
    if (!v.source) return { error: ['source', 'is required: profile=PROFILE, network=NET or bridge=BR'] };
    const r = parseNicSpec([v.source, v.model && `model=${v.model}`, v.mac && `mac=${v.mac}`].filter(Boolean).join(','));
    return typeof r === 'string' ? { error: [/^model/.test(r) ? 'model' : 'source', r] } : { nic: r };
  }
  if (!v.pool) return { error: ['pool', 'is required'] };
  if (!v.size === !v.volume) return { error: ['size', 'give a size (a new volume) or a volume (an existing one)'] };
  const r = parseDiskSpec([`pool=${v.pool}`, v.size && `size=${v.size}`, v.volume && `volume=${v.volume}`, v.format && `format=${v.format}`, v.bus && `bus=${v.bus}`].filter(Boolean).join(','));
  return typeof r === 'string' ? { error: [(['size', 'format', 'bus', 'volume'].find((f) => r.includes(f)) ?? 'pool'), r] } : { disk: r };
}

export function VmDevices({ shell, active, params }: ScreenProps) {
  const t = useTheme();
  const name = String(params.name ?? '');
  const devices = shell.core.vmDevices;
  const [nics, setNics] = useState<VmNicRow[]>();
  const [disks, setDisks] = useState<VmDiskRow[]>();
  const [error, setError] = useState<string>();
  const [kind, setKind] = useState<Kind>();
  const [form, dispatch] = useFormState<string>({});
  const [busy, setBusy] = useState<string>();

  const reload = useCallback(async () => {
    try {
      const [n, d] = await Promise.all([devices.listNics(name), devices.listDisks(name)]);
      setNics(n);
      setDisks(d);
      setError(undefined);
    } catch (e) {
      setError((e as Error).message);
    }
  }, [devices, name]);
  useEffect(() => { void reload(); }, [reload]);

  const keys = [...(nics ?? []).map((n) => `nic:${n.mac}`), ...(disks ?? []).map((d) => `disk:${d.target}`)];
  const { selected, bindings: nav } = useSelection(keys, shell.size.rows - 10);
  const fields = kind ? FIELDS[kind] : [];
  const field = fields[form.focus] ?? '';

  const editAgain = (id: string) => {
    dispatch({ type: 'move', delta: fields.indexOf(id) - form.focus, count: fields.length });
    dispatch({ type: 'edit', id });
  };
  const showErrors = (errors: Record<string, string>) => {
    dispatch({ type: 'errors', errors });
    editAgain(fields.find((f) => errors[f])!);
    shell.setCapture(true);
  };
  // The form stays open until the device is in: a rule broken here or in the core shows on its field.
  const submit = (k: Kind, values: Record<string, string>) => {
    const p = parsed(k, values);
    if (p.error) { showErrors({ [p.error[0]]: p.error[1] }); return; }
    setBusy(k === 'nic' ? 'Adding the NIC…' : 'Attaching the disk…');
    const act = p.nic && typeof p.nic !== 'string' ? devices.addNic(name, p.nic).then((r) => `NIC ${r.mac} added to ${name}${r.live ? ' (hot-plugged)' : ''}`)
      : devices.attachDisk(name, p.disk as Exclude<typeof p.disk, string | undefined>).then((r) => `${r.source} attached to ${name} as ${r.target}${r.live ? ' (hot-plugged)' : ''}`);
    act.then((text) => { setKind(undefined); shell.notify('success', text); }, (e: Error) => {
      const fe = fieldErrorsOf(e)?.filter((x) => FIELDS[k].includes(x.field));
      if (fe?.length) showErrors(Object.fromEntries(fe.map((x) => [x.field, ruleOf(x.message)])));
      else { setKind(undefined); shell.notify(...errorNotice(e, k === 'nic' ? 'NIC not added' : 'Disk not attached')); }
    }).finally(() => { setBusy(undefined); void reload(); });
  };
  useFormInput(shell, form, active && Boolean(kind) && !busy, {
    draft: (value) => dispatch({ type: 'draft', value }),
    commit: ({ key, draft }) => {
      if (!kind) return;
      dispatch({ type: 'commit', id: field, trim: true });
      if (key === 'enter' && form.focus === fields.length - 1) { submit(kind, { ...form.values, [field]: draft.trim() }); return; }
      dispatch({ type: 'move', delta: 1, count: fields.length });
      dispatch({ type: 'edit', id: fields[(form.focus + 1) % fields.length]! });
      return 'editing';
    },
    cancel: () => { dispatch({ type: 'cancel' }); setKind(undefined); },
  });
  const open = (k: Kind) => {
    dispatch({ type: 'reset', values: Object.fromEntries(FIELDS[k].map((f) => [f, ''])) });
    dispatch({ type: 'edit', id: FIELDS[k][0]!, blank: true });
    setKind(k);
    shell.setCapture(true);
  };

  const [selKind, selId] = (selected ?? '').split(/:(.*)/s) as [string, string];
  const removeId = selKind === 'nic' ? 'vm.nic-remove' : 'vm.disk-detach';
  const bindings: Binding[] = [
    ...(kind ? [] : nav),
    bind(K.addNic, { when: !kind, disabledReason: shell.core.whyNot('vm.nic-add'), action: () => open('nic') }),
    bind(K.attachDisk, { when: !kind, disabledReason: shell.core.whyNot('vm.disk-attach'), action: () => open('disk') }),
    bind(K.remove, {
      when: !kind, description: selKind === 'disk' ? 'Detach the disk' : 'Remove the NIC',
      disabledReason: selected ? shell.core.whyNot(removeId) : 'nothing selected',
      confirm: selKind === 'nic' ? `Remove NIC ${selId} from ${name}?` : `Detach disk ${selId} from ${name}? Its volume stays.`,
      action: async () => {
        setBusy(selKind === 'nic' ? `Removing NIC ${selId}…` : `Detaching disk ${selId}…`);
        try {
          if (selKind === 'nic') await devices.removeNic(name, selId);
          else await devices.detachDisk(name, selId);
          shell.notify('success', selKind === 'nic' ? `NIC ${selId} removed from ${name}` : `Disk ${selId} detached from ${name}`);
        } finally { setBusy(undefined); void reload(); }
      },
    }),
    bind(K.refresh, { footer: false, when: !kind, action: () => void reload() }),
  ];
  useBindings(bindings);

  const row = (key: string, text: string) => {
    const isSel = key === selected;
    return <Text key={key} wrap="truncate" {...(isSel ? { inverse: true } : {})}>{isSel ? '› ' : '  '}{text}</Text>;
  };
  return (
    <Box flexDirection="column" paddingX={1} height={shell.size.rows} overflow="hidden">
      <Text bold {...tone(t, 'accent')}>NICs and disks of {name}</Text>
      {error ? <Text {...tone(t, 'error')} wrap="truncate">{error}</Text> : null}
      {kind ? (
        <Box flexDirection="column" marginY={1}>
          <Text>{kind === 'nic' ? 'New NIC' : 'Attach a disk'}</Text>
          {fields.map((f) => {
            const editing = field === f && form.editing;
            return <FieldRow key={f} label={`${f}:`} labelWidth={9} focused={field === f} editing={editing} value={editing ? form.draft : form.values[f] ?? ''} placeholder={PLACEHOLDER[f]} error={form.errors[f]} />;
          })}
          <Text {...tone(t, 'dim')}>Enter: next / {kind === 'nic' ? 'add it' : 'attach it'} · Tab switches · Esc cancels</Text>
        </Box>
      ) : null}
      {busy ? <Text {...tone(t, 'warn')}>{busy}</Text> : null}
      <Text {...tone(t, 'dim')} wrap="truncate">{'  NIC MAC'.padEnd(21)} {'TYPE'.padEnd(8)} {'SOURCE'.padEnd(16)} {'MODEL'.padEnd(8)} {'PROFILE'.padEnd(20)} LIVE PERSISTENT</Text>
      {nics?.length === 0 ? <Text {...tone(t, 'dim')}>  no NIC: i adds one</Text> : null}
      {(nics ?? []).map((n) => row(`nic:${n.mac}`, `${n.mac.padEnd(19)} ${n.type.padEnd(8)} ${n.source.padEnd(16)} ${n.model.padEnd(8)} ${(n.profile ?? '-').padEnd(20)} ${yesNo(n.live).padEnd(4)} ${yesNo(n.persistent)}`))}
      <Text {...tone(t, 'dim')} wrap="truncate">{'  DISK'.padEnd(8)} {'BUS'.padEnd(7)} {'SOURCE'.padEnd(40)} {'FORMAT'.padEnd(7)} {'BOOT'.padEnd(5)} LIVE PERSISTENT</Text>
      {disks?.length === 0 ? <Text {...tone(t, 'dim')}>  no disk: a attaches one</Text> : null}
      {(disks ?? []).map((d) => row(`disk:${d.target}`, `${d.target.padEnd(6)} ${d.bus.padEnd(7)} ${d.source.padEnd(40)} ${d.format.padEnd(7)} ${(d.boot ? 'boot' : '').padEnd(5)} ${yesNo(d.live).padEnd(4)} ${yesNo(d.persistent)}`))}
    </Box>
  );
}
