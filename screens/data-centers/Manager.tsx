// Data centers and clusters of the standalone manager, one list each (t goes
// to the other): filtered with `/` and sorted by a digit as the VM list is; a
// create or edit form checked field by field by the core's rules (a refusal
// marks its fields and changes nothing); remove asks first and a refusal says
// what still holds the object. Read-only mode drops every change key.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Box, Text } from 'ink';
import { bind, useBindings } from '../../src/app/keys.ts';
import { managerTabBindings } from '../../src/app/manager-tabs.ts';
import { ManagerTabs } from '../../src/ui/ManagerTabs.tsx';
import { compareBy, useFilteredList } from '../../src/app/filtered-list.ts';
import { useScreenState } from '../../src/app/screen-state.ts';
import type { Binding, ScreenProps } from '../../src/app/types.ts';
import { COMPATIBILITY_VERSIONS, STORAGE_TYPES, cpuFollowers } from '../../src/domain/manager.ts';
import type { ClusterView, DataCenterView } from '../../src/core/manager.ts';
import { errorNotice } from '../../src/ui/error-notice.ts';
import { Field } from '../../src/ui/Panel.tsx';
import { Table, type Column } from '../../src/ui/Table.tsx';
import { TextLine } from '../../src/ui/TextLine.tsx';
import { useFilterLine } from '../../src/app/filter-line.ts';
import { tone, useTheme } from '../../src/ui/theme.ts';
import { useFormInput } from '../../src/ui/form/use-form-input.ts';
import { FormView, useForm, type FormField } from '../storage-domains/Form.tsx';
import { formBindings, showRefusal } from './manager-form.ts';
import { MANAGER_KEYS as K } from './keys.ts';

export type ManagerKind = 'dc' | 'cluster';
type Row = DataCenterView | ClusterView;

interface Spec<R extends Row> {
  noun: string;
  other: { id: string; title: string };
  columns: (Column<R> & { sort: (r: R) => string | number })[];
  fields: (choices: { dataCenters: string[] }) => FormField[];
  values: (r?: R) => Record<string, string>;
  filterText: (r: R) => string[];
  detail: (r: R) => [string, string][];
}

const statusRole = (s: string) => (s === 'Up' ? 'ok' : s === 'Problematic' ? 'error' : s === 'Maintenance' ? 'warn' : 'dim');

const DC_SPEC: Spec<DataCenterView> = {
  noun: 'data center',
  other: { id: 'clusters', title: 'Clusters' },
  columns: [
    { id: 'name', title: 'Name', width: 20, render: (d) => d.name, sort: (d) => d.name },
    { id: 'status', title: 'Status', width: 14, render: (d) => d.status, role: (d) => statusRole(d.status), sort: (d) => d.status },
    { id: 'storage', title: 'Storage', width: 8, render: (d) => d.storageType, sort: (d) => d.storageType },
    { id: 'version', title: 'Version', width: 8, render: (d) => d.compatibilityVersion, sort: (d) => d.compatibilityVersion },
    { id: 'clusters', title: 'Clusters', width: 8, align: 'right', render: (d) => String(d.clusters.length), sort: (d) => d.clusters.length },
    { id: 'domains', title: 'Domains', width: 8, align: 'right', render: (d) => String(d.domains.length), sort: (d) => d.domains.length },
    { id: 'description', title: 'Description', width: 30, render: (d) => d.description, sort: (d) => d.description },
  ],
  fields: () => [
    { id: 'name', label: 'Name', placeholder: "letters, digits, '_', '-', '.' (at most 40)" },
    { id: 'description', label: 'Description', placeholder: 'optional, one line' },
    { id: 'storageType', label: 'Storage type', choices: STORAGE_TYPES },
    { id: 'compatibilityVersion', label: 'Compatibility', choices: COMPATIBILITY_VERSIONS },
  ],
  values: (d) => ({ name: d?.name ?? '', description: d?.description ?? '', storageType: d?.storageType ?? 'shared', compatibilityVersion: d?.compatibilityVersion ?? '4.8' }),
  filterText: (d) => [d.name, d.status, d.storageType, d.description, ...d.clusters],
  detail: (d) => [
    ['status', `${d.status}: ${d.statusReason}`], ['clusters', d.clusters.join(', ') || 'none'], ['master domain', d.master ?? 'none'],
    ['domains', d.domains.map((x) => `${x.name} (${x.type}, ${x.status})`).join(', ') || 'none attached'],
  ],
};

const CLUSTER_SPEC: Spec<ClusterView> = {
  noun: 'cluster',
  other: { id: 'data-centers', title: 'Data centers' },
  columns: [
    { id: 'name', title: 'Name', width: 20, render: (c) => c.name, sort: (c) => c.name },
    { id: 'dc', title: 'Data center', width: 16, render: (c) => c.dataCenter, sort: (c) => c.dataCenter },
    { id: 'cpu', title: 'CPU type', width: 18, render: (c) => c.cpuType, sort: (c) => c.cpuType },
    { id: 'overcommit', title: 'Over-commit', width: 11, align: 'right', render: (c) => `${c.memoryOvercommit}%`, sort: (c) => c.memoryOvercommit },
    { id: 'vms', title: 'VMs', width: 5, align: 'right', render: (c) => String(c.vms.length), sort: (c) => c.vms.length },
    { id: 'host', title: 'Host', width: 10, render: (c) => c.host ?? '-', sort: (c) => c.host ?? '' },
  ],
  fields: ({ dataCenters }) => [
    { id: 'name', label: 'Name', placeholder: "letters, digits, '_', '-', '.' (at most 40)" },
    { id: 'dataCenter', label: 'Data center', choices: dataCenters },
    { id: 'cpuType', label: 'CPU type', placeholder: 'host-model, host-passthrough or a model libvirt lists (hostdeck cluster cpu-types)' },
    { id: 'memoryOvercommit', label: 'Over-commit %', placeholder: '100 to 400' },
    { id: 'threadsAsCores', label: 'Threads as cores', choices: ['no', 'yes'] },
    { id: 'description', label: 'Description', placeholder: 'optional, one line' },
  ],
  values: (c) => ({
    name: c?.name ?? '', dataCenter: c?.dataCenter ?? 'Default', cpuType: c?.cpuType ?? 'host-model', memoryOvercommit: String(c?.memoryOvercommit ?? 100),
    threadsAsCores: c?.threadsAsCores ? 'yes' : 'no', description: c?.description ?? '',
  }),
  filterText: (c) => [c.name, c.dataCenter, c.cpuType, c.description, ...c.vms],
  detail: (c) => [
    ['CPU type', c.cpuType], ['over-commit', `${c.memoryOvercommit}% of the host's memory`], ['threads', c.threadsAsCores ? 'counted as cores' : 'not counted as cores'],
    ['host', c.host ?? 'none'], ['VMs', c.vms.join(', ') || 'none'],
  ],
};

export function makeManagerScreen(kind: ManagerKind) {
  const spec = (kind === 'dc' ? DC_SPEC : CLUSTER_SPEC) as unknown as Spec<Row>;
  const tab = kind === 'dc' ? 'data-centers' : 'clusters';
  return function ManagerScreen({ shell, active }: ScreenProps) {
    const t = useTheme();
    const m = shell.core.manager;
    const [rows, setRows] = useState<Row[] | undefined>();
    const [loadError, setLoadError] = useState<string | undefined>();
    const [dcNames, setDcNames] = useState<string[]>(['Default']);
    const [sort, setSort] = useScreenState<{ col: number; desc: boolean }>('sort', { col: 0, desc: false });
    const [filter, setFilter] = useScreenState('filter', '');
    const [mode, setMode] = useState<'list' | 'create' | 'edit'>('list');
    const [editing, setEditingKey] = useState<string | undefined>();
    const [busy, setBusy] = useState(false);
    const [form, dispatch] = useForm({});

    const reload = useCallback(async () => {
      try {
        const list = kind === 'dc' ? await m.dataCenters.list() : await m.clusters.list();
        setRows(list);
        setLoadError(undefined);
        if (kind === 'cluster') setDcNames((await m.dataCenters.list()).map((d) => d.name));
      } catch (e) { setLoadError((e as Error).message); }
    }, [m]);
    useEffect(() => { void reload(); }, [reload]);

    const { shown, sel, nav, tableH, filterError } = useFilteredList(rows, {
      filter, text: spec.filterText, compare: compareBy((spec.columns[sort.col] ?? spec.columns[0]!).sort, sort.desc), orderBy: `${sort.col} ${sort.desc}`,
      key: (r) => r.name, height: (n) => Math.max(4, Math.min(n + 2, shell.size.rows - 11)),
    });
    const fields = useMemo(() => spec.fields({ dataCenters: dcNames }), [dcNames]);
    const inForm = mode !== 'list';

    useFormInput(shell, form, active && inForm, {
      draft: (value) => dispatch({ type: 'draft', value }),
      commit: () => { const f = fields[form.focus]; if (f) dispatch({ type: 'commit', id: f.id }); },
      cancel: () => dispatch({ type: 'cancel' }),
      next: () => dispatch({ type: 'move', delta: 1, count: fields.length }),
    });

    const { filtering, start: startFilter } = useFilterLine(shell, active, filter, setFilter);

    const open = (which: 'create' | 'edit') => {
      dispatch({ type: 'reset', values: spec.values(which === 'edit' ? sel : undefined) });
      setEditingKey(which === 'edit' ? sel?.name : undefined);
      setMode(which);
    };

    const submit = async () => {
      const v = form.values;
      const input = kind === 'dc'
        ? { name: v.name, description: v.description, storageType: v.storageType, compatibilityVersion: v.compatibilityVersion }
        : { name: v.name, description: v.description, dataCenter: v.dataCenter, cpuType: v.cpuType, memoryOvercommit: v.memoryOvercommit, threadsAsCores: v.threadsAsCores };
      setBusy(true);
      try {
        const saved = kind === 'dc'
          ? (mode === 'edit' ? await m.dataCenters.edit(editing!, input) : await m.dataCenters.create(input))
          : (mode === 'edit' ? await m.clusters.edit(editing!, input) : await m.clusters.create(input));
        const followers = 'cpuType' in saved ? cpuFollowers(saved) : '';
        shell.notify('success', `${mode === 'edit' ? 'Changed' : 'Created'} ${spec.noun} ${saved.name}${followers ? `.${followers}` : ''}`);
        setMode('list');
        await reload();
      } catch (e) { showRefusal(shell, dispatch, e); } finally { setBusy(false); }
    };

    const remove = async () => {
      if (!sel) return;
      try {
        if (kind === 'dc') await m.dataCenters.remove(sel.name); else await m.clusters.remove(sel.name);
        shell.notify('success', `Removed ${spec.noun} ${sel.name}`);
      } catch (e) { shell.notify(...errorNotice(e)); }
      await reload();
    };

    const bindings: Binding[] = [
      ...(inForm || filtering ? [] : nav),
      bind(K.filter, { action: startFilter, when: !inForm && !filtering }),
      bind(K.create, { action: () => open('create'), when: !inForm && !filtering }),
      bind(K.edit, { action: () => open('edit'), when: !inForm && !filtering && Boolean(sel) }),
      bind(K.remove, {
        action: remove, when: !inForm && !filtering && Boolean(sel),
        confirm: sel ? `Remove ${spec.noun} ${sel.name}?` : undefined,
      }),
      bind(K.other, { description: spec.other.title, action: () => shell.push(spec.other.id), when: !inForm && !filtering }),
      bind(K.refresh, { action: () => { void reload(); }, when: !inForm && !filtering }),
      bind(K.properties, { action: () => sel && shell.push('custom-properties', { cluster: sel.name }), when: kind === 'cluster' && !inForm && !filtering && Boolean(sel) }),
      ...(inForm || filtering ? [] : spec.columns.map((c, i): Binding => ({
        keys: [String(i + 1)], description: `Sort by ${c.title}`, footer: false, group: 'Sort',
        action: () => setSort((s) => (s.col === i ? { col: i, desc: !s.desc } : { col: i, desc: false })),
      }))),
      ...formBindings({ shell, keys: K, form, dispatch, fields, inForm, submit, submitDescription: mode === 'edit' ? 'Save changes' : `Create ${spec.noun}`, busy, leave: () => setMode('list') }),
      ...managerTabBindings(shell, tab, !inForm && !filtering),
    ];
    useBindings(bindings);

    const w = shell.size.columns - 2;
    const col = spec.columns[sort.col] ?? spec.columns[0]!;
    if (inForm) {
      return (
        <Box flexDirection="column" height={shell.size.rows} paddingX={1} overflow="hidden">
          <Text bold {...tone(t, 'accent')}>{mode === 'edit' ? `Edit ${spec.noun} ${editing}` : `Create a ${spec.noun}`}</Text>
          <FormView fields={fields} state={form} labelWidth={18} />
          <Text {...tone(t, 'dim')}>Enter edits a field (space cycles a choice), s saves, Esc goes back.</Text>
        </Box>
      );
    }
    const refused = filtering && filterError ? `filter: ${filterError}` : undefined;
    return (
      <Box flexDirection="column" height={shell.size.rows} paddingX={1} overflow="hidden">
        <ManagerTabs current={tab} />
        <Box height={1}>
          {filtering ? <TextLine label="filter (regex, ! inverts): " value={filter} focused /> : (
            <Text wrap="truncate" {...tone(t, 'dim')}>
              {rows ? `${shown.length === rows.length ? rows.length : `${shown.length} of ${rows.length}`} ${spec.noun}s` : 'Reading…'}
              {` · sort ${col.title} ${sort.desc ? '▼' : '▲'}`}{filter ? ` · filter "${filter}"` : ''}
            </Text>
          )}
        </Box>
        {refused ? <Text {...tone(t, 'error')}>{refused}</Text> : null}
        {loadError ? <Text {...tone(t, 'error')}>Cannot read the {spec.noun}s: {loadError}</Text> : null}
        <Table rows={shown} columns={spec.columns} rowKey={(r) => r.name} selectedKey={sel?.name} height={tableH} width={w}
          sortColumn={col.id} sortDesc={sort.desc} empty={filter ? `No ${spec.noun} matches the filter (/ then Esc clears it).` : `No ${spec.noun}s. c creates one.`} />
        {sel ? (
          <Box flexDirection="column" marginTop={1}>
            {spec.detail(sel).map(([k, v]) => <Field key={k} label={k} value={v} labelWidth={14} role={k === 'status' ? statusRole(sel && 'status' in sel ? sel.status : '') : undefined} />)}
          </Box>
        ) : null}
      </Box>
    );
  };
}
