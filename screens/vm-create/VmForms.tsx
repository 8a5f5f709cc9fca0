// Small VM forms next to the wizard: edit (vCPUs, memory, description),
// clone (new name) and delete (keep or remove the disks, listed first).
import { useEffect, useState } from 'react';
import { Box, Text } from 'ink';
import { bind, useBindings } from '../../src/app/keys.ts';
import type { Binding, ScreenProps, Shell } from '../../src/app/types.ts';
import { parseMiB } from '../../src/domain/vm-create.ts';
import type { DeletePlan } from '../../src/core/vms.ts';
import { fieldErrorsOf } from '../../src/domain/errors.ts';
import { tone, useTheme } from '../../src/ui/theme.ts';
import { FieldRow } from '../../src/ui/form/FieldRow.tsx';
import { useFormInput } from '../../src/ui/form/use-form-input.ts';
import { useFormState } from '../../src/ui/form/use-form-state.ts';
import { VM_CREATE_KEYS as K } from './keys.ts';
import { errorNotice } from '../../src/ui/error-notice.ts';

interface FormField { id: string; label: string; hint?: string }

/** A column of text fields: ↑↓ move, Enter edits and commits, the submit key applies. */
function useTextForm(fields: FormField[], initial: Record<string, string>, active: boolean, shell: Shell) {
  const [form, dispatch] = useFormState(initial);
  // Values that arrive late (the VM's details) fill the fields still empty.
  useEffect(() => {
    dispatch({ type: 'set', values: Object.fromEntries(Object.entries(initial).filter(([id]) => !form.values[id])) });
  }, [JSON.stringify(initial)]);
  const id = fields[form.focus]!.id;
  useFormInput(shell, form, active, {
    draft: (value) => dispatch({ type: 'draft', value }),
    commit: () => dispatch({ type: 'commit', id, trim: true }),
    cancel: () => dispatch({ type: 'cancel' }),
    next: () => dispatch({ type: 'move', delta: 1, count: fields.length }),
  });
  const nav: Binding[] = [
    bind(K.formNextField, { footer: false, when: !form.editing, action: () => dispatch({ type: 'move', delta: 1, count: fields.length }) }),
    bind(K.previousField, { footer: false, when: !form.editing, action: () => dispatch({ type: 'move', delta: -1, count: fields.length }) }),
    bind(K.editField, { when: !form.editing, action: () => { dispatch({ type: 'edit', id }); shell.setCapture(true); } }),
  ];
  return { ...form, nav };
}

function FieldsView({ fields, form, errors }: { fields: FormField[]; form: ReturnType<typeof useTextForm>; errors: Record<string, string | undefined> }) {
  return (
    <Box flexDirection="column">
      {fields.map((f, i) => {
        const isFocus = i === form.focus;
        const v = isFocus && form.editing ? form.draft : form.values[f.id] ?? '';
        return <FieldRow key={f.id} label={f.label} labelWidth={16} focused={isFocus} editing={isFocus && form.editing} value={v} placeholder={f.hint} error={errors[f.id]} />;
      })}
    </Box>
  );
}

const EDIT_FIELDS: FormField[] = [
  { id: 'vcpus', label: 'vCPUs' },
  { id: 'memory', label: 'Memory', hint: 'e.g. 512M or 2G' },
  { id: 'description', label: 'Description' },
];

export function VmEdit({ shell, active, params }: ScreenProps) {
  const t = useTheme();
  const name = String(params.name ?? '');
  const [initial, setInitial] = useState<Record<string, string>>({ vcpus: '', memory: '', description: '' });
  const [state, setState] = useState<string>();
  const [pending, setPending] = useState<string[]>([]);
  const [errors, setErrors] = useState<Record<string, string | undefined>>({});
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    let live = true;
    void (async () => {
      const d = await shell.core.vms.editFacts(name);
      if (!live) return;
      setInitial({ vcpus: String(d.vcpus), memory: `${Math.round(d.memoryKiB / 1024)}M`, description: d.description ?? '' });
      setPending(d.pending);
      setState(d.state);
    })().catch((e: Error) => shell.notify(...errorNotice(e)));
    return () => { live = false; };
  }, [name, shell]);
  const form = useTextForm(EDIT_FIELDS, initial, active, shell);
  const apply = async () => {
    const v = form.values;
    const mem = parseMiB(v.memory ?? '');
    const errs: Record<string, string | undefined> = {};
    if (!/^\d+$/.test(v.vcpus ?? '')) errs.vcpus = 'vCPUs: must be a whole number';
    if (mem === undefined) errs.memory = 'memory: is not a size (e.g. 512M, 2G)';
    if (Object.values(errs).some(Boolean)) { setErrors(errs); return; }
    setBusy(true);
    try {
      const changed = {
        vcpus: v.vcpus !== initial.vcpus ? Number(v.vcpus) : undefined,
        memoryMiB: v.memory !== initial.memory ? mem : undefined,
        description: v.description !== initial.description ? v.description : undefined,
      };
      const r = await shell.core.vms.edit(name, changed);
      setErrors({});
      shell.notify('success', r.pending.length ? `${name}: pending until next boot: ${r.pending.join(', ')}` : `${name} changed`);
      shell.back();
    } catch (e) {
      const fe = fieldErrorsOf(e);
      if (fe) setErrors(Object.fromEntries(fe.map((x) => [x.field, x.message])));
      shell.notify(...errorNotice(e, 'Not changed'));
    } finally {
      setBusy(false);
    }
  };
  useBindings([...form.nav, bind(K.apply, { when: !form.editing, disabledReason: shell.core.whyNot('vm.edit') ?? (busy ? 'applying' : undefined), action: apply })]);
  const running = state !== undefined && state !== 'shutoff' && state !== 'crashed';
  return (
    <Box flexDirection="column" paddingX={1} height={shell.size.rows}>
      <Text bold {...tone(t, 'accent')}>Edit {name}</Text>
      {running ? <Text {...tone(t, 'warn')}>{name} is running: vCPU and memory changes are pending until next boot.</Text> : null}
      {pending.length ? <Text {...tone(t, 'warn')}>Pending until next boot: {pending.join(', ')}</Text> : null}
      <Box marginTop={1}><FieldsView fields={EDIT_FIELDS} form={form} errors={errors} /></Box>
      <Box marginTop={1}><Text {...tone(t, 'dim')}>Enter edits a field · a applies · Esc goes back</Text></Box>
    </Box>
  );
}

const CLONE_FIELDS: FormField[] = [{ id: 'name', label: 'New name', hint: 'required' }];

export function VmClone({ shell, active, params }: ScreenProps) {
  const t = useTheme();
  const name = String(params.name ?? '');
  const form = useTextForm(CLONE_FIELDS, { name: `${name}-clone` }, active, shell);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const clone = async () => {
    setBusy(true);
    try {
      const r = await shell.core.vms.clone(name, form.values.name ?? '');
      shell.notify('success', `${name} cloned as ${r.name}${r.volumes.length ? ` (disks ${r.volumes.join(', ')})` : ''}`);
      shell.back();
    } catch (e) {
      const fe = fieldErrorsOf(e);
      if (fe) setError(fe[0]!.message);
      else shell.notify(...errorNotice(e, 'Clone failed'));
    } finally {
      setBusy(false);
    }
  };
  useBindings([...form.nav, bind(K.clone, { when: !form.editing, disabledReason: shell.core.whyNot('vm.clone') ?? (busy ? 'copying the disks' : undefined), action: clone })]);
  return (
    <Box flexDirection="column" paddingX={1} height={shell.size.rows}>
      <Text bold {...tone(t, 'accent')}>Clone {name}</Text>
      <Text {...tone(t, 'dim')}>The clone gets a new UUID and MAC addresses; every disk is copied.</Text>
      <Box marginTop={1}><FieldsView fields={CLONE_FIELDS} form={form} errors={{ name: error }} /></Box>
      {busy ? <Text {...tone(t, 'warn')}>Copying the disks…</Text> : null}
      <Box marginTop={1}><Text {...tone(t, 'dim')}>Enter edits the name · a clones · Esc goes back</Text></Box>
    </Box>
  );
}

export function VmDelete({ shell, params }: ScreenProps) {
  const t = useTheme();
  const name = String(params.name ?? '');
  const [plan, setPlan] = useState<DeletePlan>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let live = true;
    shell.core.vms.deletePlan(name).then((p) => { if (live) setPlan(p); }, (e: Error) => { if (live) setError(e.message); });
    return () => { live = false; };
  }, [name, shell]);
  const lock = shell.core.whyNot('vm.delete');
  const refused = lock ?? plan?.refused ?? (plan ? undefined : 'reading the VM');
  const run = async (removeDisks: boolean) => {
    const r = await shell.core.vms.delete(name, { removeDisks });
    shell.notify('success', `${name} deleted${r.removed.length ? `; removed ${r.removed.join(', ')}` : removeDisks ? '' : '; disks kept'}`);
    shell.back();
  };
  const disks = plan?.disks ?? [];
  useBindings([
    bind(K.deleteKeepDisks, { disabledReason: refused, confirm: `Delete ${name}? Its disks are kept${disks.length ? `: ${disks.map((d) => d.what).join(', ')}` : ''}.`, action: () => run(false) }),
    bind(K.deleteAndRemoveDisks, { disabledReason: refused ?? (disks.length ? undefined : 'it has no disks of its own'), confirm: `Delete ${name} and REMOVE ${disks.length} disk(s): ${disks.map((d) => d.what).join(', ')}? This cannot be undone.`, action: () => run(true) }),
  ]);
  return (
    <Box flexDirection="column" paddingX={1} height={shell.size.rows}>
      <Text bold {...tone(t, 'accent')}>Delete {name}</Text>
      {error ? <Text {...tone(t, 'error')}>{error}</Text> : null}
      {plan?.refused ? <Text {...tone(t, 'warn')}>Cannot delete now: {plan.refused}</Text> : null}
      {lock ? <Text {...tone(t, 'warn')}>{lock}</Text> : null}
      {plan ? (
        <Box flexDirection="column" marginTop={1}>
          <Text>Disks of its own ({disks.length}):</Text>
          {disks.length ? disks.map((d) => <Text key={d.target} wrap="truncate">  {d.target.padEnd(6)} {d.what}</Text>) : <Text {...tone(t, 'dim')}>  none</Text>}
          {plan.snapshots ? <Text>Snapshots: {plan.snapshots} (their metadata goes with the VM)</Text> : null}
          <Box marginTop={1}><Text {...tone(t, 'dim')}>k deletes the VM and keeps the disks · r removes the disks listed above too · Esc goes back</Text></Box>
        </Box>
      ) : !error ? <Text {...tone(t, 'dim')}>Reading {name}…</Text> : null}
    </Box>
  );
}
