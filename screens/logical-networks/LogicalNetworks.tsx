// The manager's logical networks and, with p, the vNIC profiles of the
// selected one: each list filtered with `/` and sorted by a digit as the VM
// list is; a create or edit form checked field by field by the core's rules (a
// refusal marks its fields and changes nothing); remove asks first and a
// refusal names the VMs or the cluster that hold it. Read-only mode drops
// every change key. Not the host's network configuration (the Network screen).
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Box, Text } from 'ink';
import { bind, useBindings } from '../../src/app/keys.ts';
import { managerTabBindings } from '../../src/app/manager-tabs.ts';
import { ManagerTabs } from '../../src/ui/ManagerTabs.tsx';
import { compareBy, useFilteredList } from '../../src/app/filtered-list.ts';
import { useScreenState } from '../../src/app/screen-state.ts';
import type { Binding, ScreenProps } from '../../src/app/types.ts';
import type { LogicalNetworkView, VnicProfileView } from '../../src/core/logical-networks.ts';
import { errorNotice } from '../../src/ui/error-notice.ts';
import { Field } from '../../src/ui/Panel.tsx';
import { Table, type Column } from '../../src/ui/Table.tsx';
import { TextLine } from '../../src/ui/TextLine.tsx';
import { useFilterLine } from '../../src/app/filter-line.ts';
import { tone, useTheme } from '../../src/ui/theme.ts';
import { useFormInput } from '../../src/ui/form/use-form-input.ts';
import { FormView, useForm, type FormField } from '../storage-domains/Form.tsx';
import { formBindings, showRefusal } from '../data-centers/manager-form.ts';
import { LNET_KEYS as K } from './keys.ts';

type Row = LogicalNetworkView | VnicProfileView;
/** The words the `/` filter looks at: a network's and its clusters' and VMs' names, or a profile's. */
const rowText = (r: Row) => ('dataCenter' in r ? [r.name, r.dataCenter, r.description, ...r.clusters.map((c) => c.cluster), ...r.vms] : [r.name, r.filter ?? 'none', r.description, ...r.vms]);
type SortCol<R> = Column<R> & { sort: (r: R) => string | number };

const NET_COLUMNS: SortCol<LogicalNetworkView>[] = [
  { id: 'name', title: 'Name', width: 16, render: (n) => n.name, sort: (n) => n.name },
  { id: 'dc', title: 'Data center', width: 14, render: (n) => n.dataCenter, sort: (n) => n.dataCenter },
  { id: 'vlan', title: 'VLAN', width: 5, align: 'right', render: (n) => (n.vlan === null ? '-' : String(n.vlan)), sort: (n) => n.vlan ?? -1 },
  { id: 'mtu', title: 'MTU', width: 7, align: 'right', render: (n) => (n.mtu === null ? 'default' : String(n.mtu)), sort: (n) => n.mtu ?? 0 },
  { id: 'vm', title: 'VM net', width: 6, render: (n) => (n.vmNetwork ? 'yes' : 'no'), sort: (n) => (n.vmNetwork ? 1 : 0) },
  { id: 'clusters', title: 'Clusters', width: 16, render: (n) => n.clusters.map((c) => c.cluster).join(',') || '-', sort: (n) => n.clusters.length },
  { id: 'profiles', title: 'Profiles', width: 8, align: 'right', render: (n) => String(n.profiles.length), sort: (n) => n.profiles.length },
  { id: 'vms', title: 'VMs', width: 4, align: 'right', render: (n) => String(n.vms.length), sort: (n) => n.vms.length },
  { id: 'description', title: 'Description', width: 24, render: (n) => n.description, sort: (n) => n.description },
];

const PROFILE_COLUMNS: SortCol<VnicProfileView>[] = [
  { id: 'name', title: 'Profile', width: 20, render: (p) => p.name, sort: (p) => p.name },
  { id: 'filter', title: 'Network filter', width: 22, render: (p) => p.filter ?? 'none', sort: (p) => p.filter ?? '' },
  { id: 'vms', title: 'VMs', width: 24, render: (p) => p.vms.join(',') || '-', sort: (p) => p.vms.length },
  { id: 'description', title: 'Description', width: 24, render: (p) => p.description, sort: (p) => p.description },
];

const netFields = (dataCenters: readonly string[]): FormField[] => [
  { id: 'name', label: 'Name', placeholder: "the bridge name: letters, digits, '_', '-' (at most 15)" },
  { id: 'dataCenter', label: 'Data center', choices: dataCenters },
  { id: 'vlan', label: 'VLAN tag', placeholder: '0 to 4094, empty for none' },
  { id: 'mtu', label: 'MTU', placeholder: '68 to 65535, empty for the default' },
  { id: 'vmNetwork', label: 'VM network', choices: ['yes', 'no'] },
  { id: 'description', label: 'Description', placeholder: 'optional, one line' },
];
const PROFILE_FIELDS: FormField[] = [
  { id: 'name', label: 'Name', placeholder: "letters, digits, '_', '-', '.' (at most 40)" },
  { id: 'filter', label: 'Network filter', placeholder: 'none, or a libvirt filter such as clean-traffic (hostdeck network filters)' },
  { id: 'description', label: 'Description', placeholder: 'optional, one line' },
];

const netValues = (n?: LogicalNetworkView): Record<string, string> => ({
  name: n?.name ?? '', dataCenter: n?.dataCenter ?? 'Default', vlan: n?.vlan === null || n?.vlan === undefined ? '' : String(n.vlan),
  mtu: n?.mtu === null || n?.mtu === undefined ? '' : String(n.mtu), vmNetwork: n && !n.vmNetwork ? 'no' : 'yes', description: n?.description ?? '',
});
const profileValues = (p?: VnicProfileView): Record<string, string> => ({ name: p?.name ?? '', filter: p?.filter ?? 'none', description: p?.description ?? '' });

const netDetail = (n: LogicalNetworkView): [string, string][] => [
  ['clusters', n.clusters.map((c) => `${c.cluster} (${c.roles.join(', ') || 'no role'}; ${c.required ? 'required' : 'optional'})`).join('; ') || 'none (hostdeck network attach)'],
  ['profiles', n.profiles.map((p) => `${p.name} (filter ${p.filter ?? 'none'})`).join(', ') || 'none'],
  ['VMs', n.vms.join(', ') || 'none'],
];

export function LogicalNetworksScreen({ shell, active }: ScreenProps) {
  const t = useTheme();
  const ln = shell.core.logicalNetworks;
  const [nets, setNets] = useState<LogicalNetworkView[] | undefined>();
  const [loadError, setLoadError] = useState<string | undefined>();
  const [dcNames, setDcNames] = useState<string[]>(['Default']);
  // Which list: the networks, or the profiles of one network (its name).
  const [profilesOf, setProfilesOf] = useScreenState<string | undefined>('profiles-of', undefined);
  const [sort, setSort] = useScreenState<{ col: number; desc: boolean }>('sort', { col: 0, desc: false });
  const [filter, setFilter] = useScreenState('filter', '');
  const [mode, setMode] = useState<'list' | 'create' | 'edit'>('list');
  const [editing, setEditingKey] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [form, dispatch] = useForm({});

  const reload = useCallback(async () => {
    try {
      setNets(await ln.list());
      setLoadError(undefined);
      setDcNames((await shell.core.manager.dataCenters.list()).map((d) => d.name));
    } catch (e) { setLoadError((e as Error).message); }
  }, [ln, shell.core.manager]);
  useEffect(() => { void reload(); }, [reload]);

  const network = profilesOf ? nets?.find((n) => n.name === profilesOf) : undefined;
  const columns = (profilesOf ? PROFILE_COLUMNS : NET_COLUMNS) as SortCol<Row>[];
  const rows: Row[] | undefined = profilesOf ? network?.profiles : nets;
  const noun = profilesOf ? 'vNIC profile' : 'logical network';
  const { shown, sel, nav, tableH, filterError } = useFilteredList<Row>(rows, {
    filter, text: rowText, compare: compareBy((columns[sort.col] ?? columns[0]!).sort, sort.desc), orderBy: `${sort.col} ${sort.desc} ${profilesOf ?? ''}`,
    key: (r) => r.name, height: (n) => Math.max(4, Math.min(n + 2, shell.size.rows - 11)),
  });
  const fields = useMemo(() => (profilesOf ? PROFILE_FIELDS : netFields(dcNames)), [profilesOf, dcNames]);
  const inForm = mode !== 'list';

  useFormInput(shell, form, active && inForm, {
    draft: (value) => dispatch({ type: 'draft', value }),
    commit: () => { const f = fields[form.focus]; if (f) dispatch({ type: 'commit', id: f.id }); },
    cancel: () => dispatch({ type: 'cancel' }),
    next: () => dispatch({ type: 'move', delta: 1, count: fields.length }),
  });
  const { filtering, start: startFilter } = useFilterLine(shell, active, filter, setFilter);

  const open = (which: 'create' | 'edit') => {
    const current = which === 'edit' ? sel : undefined;
    dispatch({ type: 'reset', values: profilesOf ? profileValues(current as VnicProfileView | undefined) : netValues(current as LogicalNetworkView | undefined) });
    setEditingKey(current?.name);
    setMode(which);
  };

  const submit = async () => {
    const v = form.values;
    setBusy(true);
    try {
      let saved: string;
      if (profilesOf) {
        const input = { name: v.name, filter: v.filter, description: v.description };
        saved = (mode === 'edit' ? await ln.profileEdit(`${profilesOf}/${editing}`, input) : await ln.profileCreate(profilesOf, input)).name;
      } else {
        const input = { name: v.name, dataCenter: v.dataCenter, vlan: v.vlan, mtu: v.mtu, vmNetwork: v.vmNetwork, description: v.description };
        saved = (mode === 'edit' ? await ln.edit(editing!, input) : await ln.create(input)).name;
      }
      shell.notify('success', `${mode === 'edit' ? 'Changed' : 'Created'} ${noun} ${saved}`);
      setMode('list');
      await reload();
    } catch (e) { showRefusal(shell, dispatch, e); } finally { setBusy(false); }
  };

  const remove = async () => {
    if (!sel) return;
    try {
      if (profilesOf) await ln.profileRemove(`${profilesOf}/${sel.name}`); else await ln.remove(sel.name);
      shell.notify('success', `Removed ${noun} ${sel.name}`);
    } catch (e) { shell.notify(...errorNotice(e)); }
    await reload();
  };

  const switchList = () => {
    setProfilesOf(profilesOf ? undefined : sel?.name);
    setSort({ col: 0, desc: false });
    setFilter('');
  };

  const listing = !inForm && !filtering;
  const bindings: Binding[] = [
    ...(listing ? nav : []),
    bind(K.filter, { action: startFilter, when: listing }),
    bind(K.create, { action: () => open('create'), when: listing && (!profilesOf || Boolean(network)) }),
    bind(K.edit, { action: () => open('edit'), when: listing && Boolean(sel) }),
    bind(K.remove, { action: remove, when: listing && Boolean(sel), confirm: sel ? `Remove ${noun} ${profilesOf ? `${profilesOf}/` : ''}${sel.name}?` : undefined }),
    bind(K.other, { action: switchList, when: listing && (Boolean(profilesOf) || Boolean(sel)) }),
    bind(K.refresh, { action: () => { void reload(); }, when: listing }),
    ...(listing ? columns.map((c, i): Binding => ({
      keys: [String(i + 1)], description: `Sort by ${c.title}`, footer: false, group: 'Sort',
      action: () => setSort((s) => (s.col === i ? { col: i, desc: !s.desc } : { col: i, desc: false })),
    })) : []),
    ...formBindings({ shell, keys: K, form, dispatch, fields, inForm, submit, submitDescription: mode === 'edit' ? 'Save changes' : `Create ${noun}`, busy, leave: () => setMode('list') }),
    ...managerTabBindings(shell, 'logical-networks', listing),
  ];
  useBindings(bindings);

  if (inForm) {
    const title = mode === 'edit' ? `Edit ${noun} ${editing}` : profilesOf ? `Create a vNIC profile on ${profilesOf}` : 'Create a logical network';
    return (
      <Box flexDirection="column" height={shell.size.rows} paddingX={1} overflow="hidden">
        <Text bold {...tone(t, 'accent')}>{title}</Text>
        <FormView fields={fields} state={form} labelWidth={18} />
        <Text {...tone(t, 'dim')}>Enter edits a field (space cycles a choice), s saves, Esc goes back.</Text>
      </Box>
    );
  }
  const col = columns[sort.col] ?? columns[0]!;
  const refused = filtering && filterError ? `filter: ${filterError}` : undefined;
  const what = profilesOf ? `vNIC profiles of ${profilesOf}` : "logical networks (the manager's; the host's own configuration: :network)";
  return (
    <Box flexDirection="column" height={shell.size.rows} paddingX={1} overflow="hidden">
      <ManagerTabs current="logical-networks" />
      <Box height={1}>
        {filtering ? <TextLine label="filter (regex, ! inverts): " value={filter} focused /> : (
          <Text wrap="truncate" {...tone(t, 'dim')}>
            {rows ? `${shown.length === rows.length ? rows.length : `${shown.length} of ${rows.length}`} ${what}` : 'Reading…'}
            {` · sort ${col.title} ${sort.desc ? '▼' : '▲'}`}{filter ? ` · filter "${filter}"` : ''}
          </Text>
        )}
      </Box>
      {refused ? <Text {...tone(t, 'error')}>{refused}</Text> : null}
      {loadError ? <Text {...tone(t, 'error')}>Cannot read the logical networks: {loadError}</Text> : null}
      <Table rows={shown} columns={columns} rowKey={(r) => r.name} selectedKey={sel?.name} height={tableH} width={shell.size.columns - 2}
        sortColumn={col.id} sortDesc={sort.desc} empty={filter ? `No ${noun} matches the filter (/ then Esc clears it).` : `No ${noun}s. c creates one.`} />
      {sel && 'dataCenter' in sel ? (
        <Box flexDirection="column" marginTop={1}>
          {netDetail(sel).map(([k, v]) => <Field key={k} label={k} value={v} labelWidth={10} />)}
        </Box>
      ) : null}
    </Box>
  );
}
