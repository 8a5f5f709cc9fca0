// One VM's snapshots as a tree (the current one marked), the same tree
// `virsh snapshot-list --tree` draws: take one (with memory while running,
// or disk-only), revert, delete. What libvirt cannot do on the VM's disks is
// refused with the reason before anything runs.
import { useCallback, useEffect, useRef, useState } from 'react';
import { Box, Text, useInput, type Key } from 'ink';
import { keyEvents } from '../../src/ui/form/key-events.ts';
import { useBindings } from '../../src/app/keys.ts';
import { useSelection } from '../../src/app/list.ts';
import type { Binding, ScreenProps } from '../../src/app/types.ts';
import { snapshotCreateProblem, snapshotDeleteProblem, snapshotRevertProblem, type SnapshotMode } from '../../src/domain/vm-create.ts';
import { vmCanSnapshot } from '../../src/domain/vm.ts';
import type { Snapshot, SnapshotNode } from '../../src/core/snapshots.ts';
import type { DomainInfo } from '../../src/virt/types.ts';
import { editText, TextLine } from '../../src/ui/TextLine.tsx';
import { tone, useTheme } from '../../src/ui/theme.ts';

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

const fmtTime = (ms: number) => (Number.isNaN(ms) ? '-' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19));

export function VmSnapshots({ shell, active, params }: ScreenProps) {
  const t = useTheme();
  const name = String(params.name ?? '');
  const [rows, setRows] = useState<SnapshotNode[]>();
  const [list, setList] = useState<Snapshot[]>([]);
  const [vm, setVm] = useState<DomainInfo>();
  const [error, setError] = useState<string>();
  const [form, setForm] = useState<{ field: 'name' | 'description'; name: string; description: string; mode: SnapshotMode }>();
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

  const formRef = useRef(form);
  formRef.current = form;
  const onKey = (input: string, key: Key) => {
    const form = formRef.current;
    if (!form) return;
    if (key.escape) { formRef.current = undefined; setForm(undefined); shell.setCapture(false); return; }
    if (key.tab) { formRef.current = { ...form, field: form.field === 'name' ? 'description' : 'name' }; setForm(formRef.current); return; }
    if (key.return) {
      if (form.field === 'name') { formRef.current = { ...form, field: 'description' }; setForm(formRef.current); return; }
      shell.setCapture(false);
      const f = form;
      formRef.current = undefined;
      setForm(undefined);
      setBusy(`Taking snapshot ${f.name}…`);
      shell.core.snapshots.create(name, { name: f.name, description: f.description || undefined, mode: f.mode })
        .then(() => shell.notify('success', `Snapshot ${f.name} of ${name} taken`), (e: Error) => shell.notify('error', `Snapshot not taken: ${e.message}`))
        .finally(() => { setBusy(undefined); void reload(); });
      return;
    }
    const cur = form[form.field];
    const next = editText(cur, input, key);
    if (next !== undefined) { formRef.current = { ...form, [form.field]: next }; setForm(formRef.current); }
  };
  useInput((inp, key) => { for (const [i, k] of keyEvents(inp, key)) onKey(i, k); }, { isActive: active && Boolean(form) });

  const createReason = (mode: SnapshotMode) => {
    const refused = shell.core.whyNot('snapshot.create');
    if (refused) return refused;
    if (!vm) return 'reading the VM';
    const a = vmCanSnapshot(vm);
    if (!a.available) return a.reason;
    return snapshotCreateProblem(mode, vm.details.disks);
  };
  const startForm = (mode: SnapshotMode) => { setForm({ field: 'name', name: '', description: '', mode }); shell.setCapture(true); };
  const running = vm?.state === 'running' || vm?.state === 'paused';
  const revertReason = shell.core.whyNot('snapshot.revert') ?? (!sel ? 'no snapshot selected' : snapshotRevertProblem(sel, version));
  const deleteReason = shell.core.whyNot('snapshot.delete') ?? (!sel ? 'no snapshot selected' : snapshotDeleteProblem(sel, list));

  const bindings: Binding[] = [
    ...(form ? [] : nav),
    { keys: ['n'], description: running ? 'Snapshot with memory' : 'Snapshot', dangerous: true, when: !form, disabledReason: createReason('full'), action: () => startForm('full') },
    { keys: ['N'], description: 'Disk-only snapshot', dangerous: true, when: !form, footer: false, disabledReason: createReason('disk-only'), action: () => startForm('disk-only') },
    {
      keys: ['r'], description: 'Revert', dangerous: true, when: !form, disabledReason: revertReason,
      confirm: sel ? `Revert ${name} to ${sel.name}? Everything since that snapshot is lost; the VM becomes ${sel.state === 'running' ? 'running' : sel.state}.` : undefined,
      action: async () => { if (!sel) return; setBusy(`Reverting to ${sel.name}…`); try { await shell.core.snapshots.revert(name, sel.name); shell.notify('success', `${name} reverted to ${sel.name}`); } finally { setBusy(undefined); void reload(); } },
    },
    {
      keys: ['ctrl+d', 'delete'], description: 'Delete', dangerous: true, when: !form, disabledReason: deleteReason,
      confirm: sel ? `Delete snapshot ${sel.name} of ${name}?${sel.children.length ? ' Its children move to its parent.' : ''}` : undefined,
      action: async () => { if (!sel) return; setBusy(`Deleting ${sel.name}…`); try { await shell.core.snapshots.delete(name, sel.name); shell.notify('success', `Snapshot ${sel.name} deleted`); } finally { setBusy(undefined); void reload(); } },
    },
    { keys: ['ctrl+r'], description: 'Refresh', footer: false, when: !form, action: () => void reload() },
  ];
  useBindings(bindings);

  return (
    <Box flexDirection="column" paddingX={1} height={shell.size.rows} overflow="hidden">
      <Text bold {...tone(t, 'accent')}>Snapshots of {name}{vm ? <Text {...tone(t, 'dim')}>  ({vm.state})</Text> : null}</Text>
      {error ? <Text {...tone(t, 'error')} wrap="truncate">{error}</Text> : null}
      {form ? (
        <Box flexDirection="column" marginY={1}>
          <Text>{form.mode === 'disk-only' ? 'New disk-only (external) snapshot' : running ? 'New snapshot with memory' : 'New snapshot'}</Text>
          <TextLine label="  name:        " value={form.name} focused={form.field === 'name'} />
          <TextLine label="  description: " value={form.description} focused={form.field === 'description'} />
          <Text {...tone(t, 'dim')}>Enter: next / take it · Tab switches · Esc cancels</Text>
        </Box>
      ) : null}
      {busy ? <Text {...tone(t, 'warn')}>{busy}</Text> : null}
      {rows && rows.length === 0 ? <Text {...tone(t, 'dim')}>No snapshots yet: n takes one.</Text> : null}
      {rows?.length ? (
        <Box flexDirection="column">
          <Text {...tone(t, 'dim')} wrap="truncate">{'  NAME'.padEnd(36)} {'STATE'.padEnd(14)} CREATED</Text>
          {rows.map((r, i) => {
            const isSel = r.name === selected;
            const label = `${treePrefix(rows, i)}${r.name}${r.current ? ' (current)' : ''}`;
            return (
              <Text key={r.name} wrap="truncate" {...(isSel ? { inverse: true } : {})}>
                {isSel ? '› ' : '  '}<Text {...(r.current ? { bold: true } : {})}>{label.padEnd(34)}</Text> {r.state.padEnd(14)} {fmtTime(r.createdAt)}
              </Text>
            );
          })}
        </Box>
      ) : null}
    </Box>
  );
}
