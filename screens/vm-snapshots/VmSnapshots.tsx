// One VM's snapshots as a tree (the current one marked), the same tree
// `virsh snapshot-list --tree` draws: take one (with memory while running,
// or disk-only), revert, delete. What libvirt cannot do on the VM's disks is
// refused with the reason before anything runs.
import { useCallback, useEffect, useState } from 'react';
import { Box, Text } from 'ink';
import { useFormInput } from '../../src/ui/form/use-form-input.ts';
import { useFormState } from '../../src/ui/form/use-form-state.ts';
import { bind, useBindings } from '../../src/app/keys.ts';
import { useSelection } from '../../src/app/list.ts';
import type { Binding, ScreenProps } from '../../src/app/types.ts';
import { descriptionProblem, snapshotCreateProblem, snapshotDeleteProblem, snapshotNameProblem, snapshotRevertProblem, type SnapshotMode } from '../../src/domain/vm-create.ts';
import { fieldErrorsOf } from '../../src/domain/errors.ts';
import { vmCanSnapshot } from '../../src/domain/vm.ts';
import type { Snapshot, SnapshotNode } from '../../src/core/snapshots.ts';
import type { DomainInfo } from '../../src/virt/types.ts';
import { FieldRow } from '../../src/ui/form/FieldRow.tsx';
import { tone, useTheme } from '../../src/ui/theme.ts';
import { VM_SNAPSHOTS_KEYS as K } from './keys.ts';
import { errorNotice } from '../../src/ui/error-notice.ts';

/** Tree prefix for a row: rails like virsh's tree, compacted to one line per snapshot. */
export function treePrefix(rows: readonly SnapshotNode[], i: number): string {
  const r = rows[i]!;
  if (r.depth === 0) return '';
  let prefix = '';
  for (let d = 1; d < r.depth; d++) {
    // Is there a later sibling of my ancestor at depth d? Then draw a rail.
    let rail = false;
    for (let j = i + 1; j < rows.length && rows[j]!.depth >= d; j++) if (rows[j]!.depth === d) { rail = true; break; }
    prefix += rail ? '|  ' : '   ';
  }
  return `${prefix}+- `;
}

/** The new snapshot's fields, in the order Enter and Tab go through them. */
const FIELDS = ['name', 'description'] as const;
type SnapshotField = (typeof FIELDS)[number];
const EMPTY = { name: '', description: '' };
/** The core's field for each of the form's ("snapshot" is the name). */
const FIELD_OF: Record<string, SnapshotField> = { snapshot: 'name', description: 'description' };
/** A core field error's rule without its label: the form shows it under the field, which has the label already. */
const ruleOf = (message: string) => message.slice(message.indexOf(': ') + 2);

const fmtTime = (ms: number) => (Number.isNaN(ms) ? '-' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19));

export function VmSnapshots({ shell, active, params }: ScreenProps) {
  const t = useTheme();
  const name = String(params.name ?? '');
  const [rows, setRows] = useState<SnapshotNode[]>();
  const [list, setList] = useState<Snapshot[]>([]);
  const [vm, setVm] = useState<DomainInfo>();
  const [error, setError] = useState<string>();
  // The new snapshot's form is open while it has a mode.
  const [mode, setMode] = useState<SnapshotMode>();
  const [form, dispatch] = useFormState<SnapshotField>(EMPTY);
  const [busy, setBusy] = useState<string>();
  const [version, setVersion] = useState<string>();

  const reload = useCallback(async () => {
    try {
      const [snaps, info] = await Promise.all([shell.core.snapshots.list(name), shell.core.vms.get(name)]);
      setRows(snaps.rows);
      setList(snaps.list);
      setVm(info);
      setError(undefined);
    } catch (e) {
      setError((e as Error).message);
    }
  }, [shell.core, name]);
  useEffect(() => { void reload(); }, [reload]);
  useEffect(() => { shell.core.snapshots.libraryVersion().then(setVersion, () => undefined); }, [shell.core]);

  const keys = (rows ?? []).map((r) => r.name);
  const { selected, bindings: nav } = useSelection(keys, shell.size.rows - 8);
  const sel = rows?.find((r) => r.name === selected);

  /** Edit `id` again (its value kept), as after a rule it broke. */
  const editAgain = (id: SnapshotField) => {
    dispatch({ type: 'move', delta: FIELDS.indexOf(id) - form.focus, count: FIELDS.length });
    dispatch({ type: 'edit', id });
  };
  // The form stays open until the snapshot is taken: a rule broken here or in the core shows on its field.
  const take = (snap: { name: string; description: string }) => {
    if (!mode) return;
    setBusy(`Taking snapshot${snap.name ? ` ${snap.name}` : ''}…`);
    shell.core.snapshots.create(name, { name: snap.name, description: snap.description || undefined, mode })
      .then((taken) => { setMode(undefined); shell.notify('success', `Snapshot ${taken} of ${name} taken`); }, (e: Error) => {
        const fe = fieldErrorsOf(e)?.filter((x) => FIELD_OF[x.field]);
        if (fe?.length) {
          dispatch({ type: 'errors', errors: Object.fromEntries(fe.map((x) => [FIELD_OF[x.field]!, ruleOf(x.message)])) });
          editAgain(FIELD_OF[fe[0]!.field]!);
          shell.setCapture(true);
        } else { setMode(undefined); shell.notify(...errorNotice(e, 'Snapshot not taken')); }
      })
      .finally(() => { setBusy(undefined); void reload(); });
  };
  const problems = (v: { name: string; description: string }): Partial<Record<SnapshotField, string>> => {
    const out: Partial<Record<SnapshotField, string>> = {};
    const np = snapshotNameProblem(v.name, list.map((x) => x.name));
    const dp = descriptionProblem(v.description);
    if (np) out.name = np;
    if (dp) out.description = dp;
    return out;
  };
  // Both fields take typing as soon as they are focused: Enter on the name and
  // Tab go on to the other field, Enter on the description takes the snapshot.
  // Each field's rule is checked as it is left; a broken one keeps the field.
  const field = FIELDS[form.focus]!;
  useFormInput(shell, form, active && Boolean(mode) && !busy, {
    draft: (value) => dispatch({ type: 'draft', value }),
    commit: ({ key, draft }) => {
      const values = { ...form.values, [field]: draft };
      const found = problems(values);
      dispatch({ type: 'commit', id: field });
      dispatch({ type: 'errors', errors: found });
      if (found[field]) { dispatch({ type: 'edit', id: field }); return 'editing'; }
      if (key === 'enter' && field === 'description') {
        const bad = FIELDS.find((f) => found[f]);
        if (bad) { editAgain(bad); return 'editing'; }
        take(values);
        return;
      }
      dispatch({ type: 'move', delta: 1, count: FIELDS.length });
      dispatch({ type: 'edit', id: FIELDS[(form.focus + 1) % FIELDS.length]! });
      return 'editing';
    },
    cancel: () => { dispatch({ type: 'cancel' }); setMode(undefined); },
  });

  const createReason = (mode: SnapshotMode) => {
    const refused = shell.core.whyNot('snapshot.create');
    if (refused) return refused;
    if (!vm) return 'reading the VM';
    const a = vmCanSnapshot(vm);
    if (!a.available) return a.reason;
    return snapshotCreateProblem(mode, vm.details.disks);
  };
  const startForm = (how: SnapshotMode) => {
    dispatch({ type: 'reset', values: EMPTY });
    dispatch({ type: 'edit', id: 'name', blank: true });
    setMode(how);
    shell.setCapture(true);
  };
  const running = vm?.state === 'running' || vm?.state === 'paused';
  const revertReason = shell.core.whyNot('snapshot.revert') ?? (!sel ? 'no snapshot selected' : snapshotRevertProblem(sel, version));
  const deleteReason = shell.core.whyNot('snapshot.delete') ?? (!sel ? 'no snapshot selected' : snapshotDeleteProblem(sel, list));

  const bindings: Binding[] = [
    ...(mode ? [] : nav),
    bind(K.snapshot, { description: running ? 'Snapshot with memory' : 'Snapshot', when: !mode, disabledReason: createReason('full'), action: () => startForm('full') }),
    bind(K.diskOnlySnapshot, { when: !mode, footer: false, disabledReason: createReason('disk-only'), action: () => startForm('disk-only') }),
    bind(K.revert, {
      when: !mode, disabledReason: revertReason,
      confirm: sel ? `Revert ${name} to ${sel.name}? Everything since that snapshot is lost; the VM becomes ${sel.state === 'running' ? 'running' : sel.state}.` : undefined,
      action: async () => { if (!sel) return; setBusy(`Reverting to ${sel.name}…`); try { await shell.core.snapshots.revert(name, sel.name); shell.notify('success', `${name} reverted to ${sel.name}`); } finally { setBusy(undefined); void reload(); } }
    }),
    bind(K.delete, {
      when: !mode, disabledReason: deleteReason,
      confirm: sel ? `Delete snapshot ${sel.name} of ${name}?${sel.children.length ? ' Its children move to its parent.' : ''}` : undefined,
      action: async () => { if (!sel) return; setBusy(`Deleting ${sel.name}…`); try { await shell.core.snapshots.delete(name, sel.name); shell.notify('success', `Snapshot ${sel.name} deleted`); } finally { setBusy(undefined); void reload(); } }
    }),
    bind(K.refresh, { footer: false, when: !mode, action: () => void reload() }),
  ];
  useBindings(bindings);

  // The name column as wide as the longest name (up to 34), so the description has the rest of the line.
  const labels = (rows ?? []).map((r, i, all) => `${treePrefix(all, i)}${r.name}${r.current ? ' (current)' : ''}`);
  const nameW = Math.min(34, Math.max(8, ...labels.map((l) => l.length)));
  return (
    <Box flexDirection="column" paddingX={1} height={shell.size.rows} overflow="hidden">
      <Text bold {...tone(t, 'accent')}>Snapshots of {name}{vm ? <Text {...tone(t, 'dim')}>  ({vm.state})</Text> : null}</Text>
      {error ? <Text {...tone(t, 'error')} wrap="truncate">{error}</Text> : null}
      {mode ? (
        <Box flexDirection="column" marginY={1}>
          <Text>{mode === 'disk-only' ? 'New disk-only (external) snapshot' : running ? 'New snapshot with memory' : 'New snapshot'}</Text>
          {FIELDS.map((f) => {
            const editing = field === f && form.editing;
            return <FieldRow key={f} label={`${f}:`} labelWidth={13} focused={field === f} editing={editing} value={editing ? form.draft : form.values[f]}
              placeholder={f === 'name' ? 'empty: libvirt names it' : 'optional'} error={form.errors[f]} />;
          })}
          <Text {...tone(t, 'dim')}>Enter: next / take it · Tab switches · Esc cancels</Text>
        </Box>
      ) : null}
      {busy ? <Text {...tone(t, 'warn')}>{busy}</Text> : null}
      {rows && rows.length === 0 ? <Text {...tone(t, 'dim')}>No snapshots yet: n takes one.</Text> : null}
      {rows?.length ? (
        <Box flexDirection="column">
          <Text {...tone(t, 'dim')} wrap="truncate">{'  NAME'.padEnd(nameW + 2)} {'STATE'.padEnd(14)} {'CREATED'.padEnd(19)} DESCRIPTION</Text>
          {rows.map((r, i) => {
            const isSel = r.name === selected;
            return (
              <Text key={r.name} wrap="truncate" {...(isSel ? { inverse: true } : {})}>
                {isSel ? '› ' : '  '}<Text {...(r.current ? { bold: true } : {})}>{labels[i]!.padEnd(nameW)}</Text> {r.state.padEnd(14)} {fmtTime(r.createdAt)} {r.description ?? ''}
              </Text>
            );
          })}
        </Box>
      ) : null}
    </Box>
  );
}
