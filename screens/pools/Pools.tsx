// VM pools: every pool with its template, size, prestarted count and how many
// of its VMs run and are assigned, filtered with `/` and sorted with 1-3;
// Enter shows a pool's VMs (who has each, since when) and b returns one; c
// creates a pool (a form checked field by field by the core), t takes a VM
// for a user, + and - grow and shrink by one VM (shrinking removes an
// unassigned, stopped VM), x removes the pool after confirmation (its
// running VMs powered off). Read-only mode drops the changing keys.
import { useMemo, useState } from 'react';
import { Box, Text } from 'ink';
import { useFilterLine } from '../../src/app/filter-line.ts';
import { useScreenApi } from '../../src/app/screen-api.ts';
import { bind, useBindings } from '../../src/app/keys.ts';
import { managerTabBindings } from '../../src/app/manager-tabs.ts';
import { ManagerTabs } from '../../src/ui/ManagerTabs.tsx';
import { useSelection } from '../../src/app/list.ts';
import { useFilteredList } from '../../src/app/filtered-list.ts';
import type { Binding, ScreenProps } from '../../src/app/types.ts';
import type { Core } from '../../src/core/index.ts';
import type { PoolView } from '../../src/core/pools.ts';
import type { PoolInput, PoolType } from '../../src/domain/pools.ts';
import { Field } from '../../src/ui/Panel.tsx';
import { Table, type Column } from '../../src/ui/Table.tsx';
import { TextLine } from '../../src/ui/TextLine.tsx';
import { tone, useTheme } from '../../src/ui/theme.ts';
import { errorNotice } from '../../src/ui/error-notice.ts';
import { useFormInput } from '../../src/ui/form/use-form-input.ts';
import { FormView, useForm, type FormField } from '../storage-domains/Form.tsx';
import { formBindings, showRefusal } from '../data-centers/manager-form.ts';
import { POOLS_KEYS as K } from './keys.ts';

/** What the screen needs of the core (a test may stand in for part of it). */
export interface PoolScreenApi {
  list(): Promise<PoolView[]>;
  create(input: PoolInput): Promise<PoolView>;
  take(pool: string, user: string): Promise<{ vm: string; started: boolean }>;
  giveBack(vm: string): Promise<unknown>;
  grow(pool: string, count: number): Promise<PoolView>;
  shrink(pool: string, count: number): Promise<PoolView>;
  remove(pool: string, stopFirst: boolean): Promise<unknown>;
  /** Templates with disks a pool can be made of. */
  templates(): Promise<string[]>;
  clusters(): Promise<string[]>;
}

export async function defaultApi(core: Core): Promise<PoolScreenApi> {
  const p = core.pools;
  return {
    list: () => p.list(),
    create: (input) => p.create(input),
    take: (pool, user) => p.take(pool, user),
    giveBack: (vm) => p.giveBack(vm),
    grow: (pool, n) => p.grow(pool, n),
    shrink: (pool, n) => p.shrink(pool, n),
    remove: (pool, stopFirst) => p.remove(pool, { stopFirst }),
    templates: async () => [...new Set((await (await core.templates()).list()).filter((t) => t.disks.length && t.status === 'ready').map((t) => t.name))],
    clusters: async () => (await core.manager.clusters.list()).map((c) => c.name),
  };
}

export interface PoolsDeps {
  api?: (core: Core) => Promise<PoolScreenApi>;
}

type Mode = 'list' | 'details' | 'form' | 'take';
type SortKey = 'name' | 'size' | 'assigned';

const SORTS: [SortKey, string][] = [['name', 'name'], ['size', 'size'], ['assigned', 'assigned']];
const order = (key: SortKey) => (a: PoolView, b: PoolView): number =>
  key === 'size' ? b.size - a.size || a.name.localeCompare(b.name) : key === 'assigned' ? b.assigned - a.assigned || a.name.localeCompare(b.name) : a.name.localeCompare(b.name);
const filterFields = (p: PoolView) => [p.name, p.description, p.template, p.cluster ?? '', p.type, ...p.vms.flatMap((v) => [v.name, v.user ?? ''])];
/** A form's number as typed: a whole number, or the text itself for the core to refuse with its rule. */
const numberField = (v: string | undefined): number => (/^\d{1,6}$/.test(v ?? '') ? Number(v) : (v ?? '') as unknown as number);

export function makePoolsScreen(deps: PoolsDeps = {}) {
  const make = deps.api ?? defaultApi;
  return function Pools({ shell, active }: ScreenProps) {
    const t = useTheme();
    const { api, rows, error, reload } = useScreenApi<PoolView, PoolScreenApi>(shell.core, make);
    const [mode, setMode] = useState<Mode>('list');
    const [sort, setSort] = useState<SortKey>('name');
    const [filter, setFilter] = useState('');
    const [busy, setBusy] = useState<string | undefined>();
    const [templates, setTemplates] = useState<string[]>([]);
    const [clusters, setClusters] = useState<string[]>([]);
    const [form, dispatch] = useForm({});

    const { shown, sel, nav, tableH, filterError } = useFilteredList(rows, {
      filter, text: filterFields, compare: order(sort), orderBy: sort, key: (r) => r.name, height: () => Math.max(4, shell.size.rows - 10),
    });
    const vmKeys = useMemo(() => sel?.vms.map((v) => v.name) ?? [], [sel]);
    const { selected: selVmName, bindings: vmNav } = useSelection(vmKeys, tableH - 4, 'vm-selection');
    const selVm = sel?.vms.find((v) => v.name === selVmName);

    const fields: FormField[] = useMemo(() => (mode === 'take' ? [
      { id: 'user', label: 'User', placeholder: "letters, digits, '_', '.', '@', '-'" },
    ] : [
      { id: 'name', label: 'Name', placeholder: "letters, digits, '.', '-' and '_' (at most 40)" },
      { id: 'template', label: 'Template', choices: templates, placeholder: templates.length ? undefined : 'no template with disks' },
      { id: 'template-version', label: 'Version', placeholder: 'latest, a number or a version name' },
      { id: 'cluster', label: 'Cluster', choices: clusters },
      { id: 'size', label: 'Size', placeholder: 'VMs, at least 1' },
      { id: 'prestarted', label: 'Prestarted', placeholder: '0 to the size' },
      { id: 'max-per-user', label: 'Max per user', placeholder: 'at least 1' },
      { id: 'type', label: 'Type', choices: ['automatic', 'manual'] },
      { id: 'description', label: 'Description', placeholder: 'optional, one line' },
    ]), [mode, templates, clusters]);
    const inForm = mode === 'form' || mode === 'take';

    useFormInput(shell, form, active && inForm, {
      draft: (value) => dispatch({ type: 'draft', value }),
      commit: () => { const f = fields[form.focus]; if (f) dispatch({ type: 'commit', id: f.id, trim: true }); },
      cancel: () => dispatch({ type: 'cancel' }),
      next: () => dispatch({ type: 'move', delta: 1, count: fields.length }),
    });

    const { filtering, start: startFilter } = useFilterLine(shell, active, filter, setFilter);

    const openForm = async () => {
      if (!api) return;
      const [tp, cl] = await Promise.all([api.templates().catch((): string[] => []), api.clusters().catch((): string[] => [])]);
      setTemplates(tp);
      setClusters(cl);
      dispatch({ type: 'reset', values: { name: '', template: tp[0] ?? '', 'template-version': 'latest', cluster: cl.includes('Default') ? 'Default' : cl[0] ?? '', size: '', prestarted: '0', 'max-per-user': '1', type: 'automatic', description: '' } });
      setMode('form');
    };
    const openTake = () => { dispatch({ type: 'reset', values: { user: '' } }); setMode('take'); };
    /** Run a change; a field error marks its field, anything else is a notice. */
    const act = async (label: string, fn: () => Promise<string>, after?: () => void) => {
      setBusy(label);
      try {
        shell.notify('success', await fn());
        after?.();
      } catch (e) {
        if (inForm) showRefusal(shell, dispatch, e); else shell.notify(...errorNotice(e));
      } finally {
        setBusy(undefined);
        void reload();
      }
    };
    const submit = async () => {
      if (!api) return;
      const v = form.values;
      if (mode === 'take') {
        if (!sel) return;
        await act(`Taking a VM of pool ${sel.name} for ${v.user ?? ''}…`, async () => {
          const r = await api.take(sel.name, v.user ?? '');
          return `${r.vm} given to ${v.user ?? ''}${r.started ? ' and started' : ''}`;
        }, () => setMode('list'));
        return;
      }
      await act(`Creating pool ${v.name ?? ''}… (making its VMs)`, async () => {
        const p = await api.create({
          name: v.name ?? '', template: v.template ?? '', templateVersion: v['template-version'] || undefined, cluster: v.cluster || undefined, size: numberField(v.size),
          prestarted: numberField(v.prestarted), maxPerUser: numberField(v['max-per-user']), type: v.type as PoolType, description: v.description || undefined,
        });
        return `Created pool ${p.name} with ${p.vms.length} VM${p.vms.length === 1 ? '' : 's'}`;
      }, () => setMode('list'));
    };
    const running = sel?.vms.filter((v) => v.running) ?? [];

    const listKeys = mode === 'list' && !filtering;
    const why = (id: Parameters<Core['whyNot']>[0]) => (busy ? `busy: ${busy}` : shell.core.whyNot(id));
    const bindings: Binding[] = [
      ...(listKeys ? nav : []),
      ...(mode === 'details' ? vmNav : []),
      bind(K.details, { action: () => setMode('details'), when: listKeys && Boolean(sel) }),
      bind(K.filter, { action: startFilter, when: listKeys }),
      ...([[K.sortName, 'name'], [K.sortSize, 'size'], [K.sortAssigned, 'assigned']] as const).map(([k, key]) => bind(k, { action: () => setSort(key), when: listKeys, footer: key === 'name' })),
      bind(K.create, { action: openForm, when: listKeys, disabledReason: why('pool.create') }),
      bind(K.take, { action: openTake, when: listKeys && Boolean(sel), disabledReason: why('pool.take') }),
      bind(K.grow, { when: listKeys && Boolean(sel), disabledReason: why('pool.grow'), action: () => sel && api && act(`Growing pool ${sel.name}…`, async () => `Pool ${(await api.grow(sel.name, 1)).name} has ${sel.size + 1} VMs`) }),
      bind(K.shrink, {
        when: listKeys && Boolean(sel), disabledReason: why('pool.shrink'),
        confirm: sel ? `Remove one unassigned, stopped VM of pool ${sel.name} and its disk?` : undefined,
        action: () => sel && api && act(`Shrinking pool ${sel.name}…`, async () => `Pool ${(await api.shrink(sel.name, 1)).name} has ${sel.size - 1} VM${sel.size - 1 === 1 ? '' : 's'}`),
      }),
      bind(K.remove, {
        when: listKeys && Boolean(sel), disabledReason: why('pool.remove'),
        confirm: sel ? `Remove pool ${sel.name} and its ${sel.vms.length} VMs with their disks?${running.length ? ` ${running.map((v) => v.name).join(', ')} ${running.length === 1 ? 'runs and is' : 'run and are'} powered off first (${running.filter((v) => v.user).map((v) => v.user).join(', ') || 'no user'}).` : ''}` : undefined,
        action: () => sel && api && act(`Removing pool ${sel.name}…`, async () => { await api.remove(sel.name, running.length > 0); return `Removed pool ${sel.name} and its VMs`; }),
      }),
      bind(K.refresh, { action: reload, when: listKeys || mode === 'details' }),
      bind(K.giveBack, {
        when: mode === 'details' && Boolean(selVm), disabledReason: selVm && !selVm.user && !selVm.running ? `${selVm.name} is free already` : why('pool.return'),
        confirm: selVm ? `Return ${selVm.name} to pool ${sel?.name ?? ''}${selVm.user ? ` (from ${selVm.user})` : ''}? It is powered off and its run discarded.` : undefined,
        action: () => selVm && api && act(`Returning ${selVm.name}…`, async () => { await api.giveBack(selVm.name); return `${selVm.name} is back in pool ${sel?.name ?? ''}`; }),
      }),
      ...formBindings({
        shell, keys: K, form, dispatch, fields, inForm, submit, busy: Boolean(busy), leave: () => setMode('list'),
        submitDescription: mode === 'take' ? 'Take the VM' : 'Create the pool',
      }),
      bind(K.back, { description: 'Back to the list', action: () => setMode('list'), when: mode === 'details' && !busy }),
      ...managerTabBindings(shell, 'vm-pools', listKeys),
    ];
    useBindings(bindings);

    const w = shell.size.columns - 2;
    const columns: Column<PoolView>[] = useMemo(() => [
      { id: 'name', title: 'Name', width: 18, render: (r) => r.name },
      { id: 'template', title: 'Template', width: 18, render: (r) => `${r.template} (${r.templateVersion})` },
      { id: 'cluster', title: 'Cluster', width: 10, render: (r) => r.cluster ?? '-' },
      { id: 'type', title: 'Type', width: 9, render: (r) => r.type },
      { id: 'size', title: 'Size', width: 4, align: 'right', render: (r) => String(r.size) },
      { id: 'pre', title: 'Pre', width: 4, align: 'right', render: (r) => String(r.prestarted) },
      { id: 'running', title: 'Run', width: 4, align: 'right', render: (r) => String(r.running) },
      { id: 'assigned', title: 'Users', width: 5, align: 'right', render: (r) => String(r.assigned) },
    ], []);
    const vmColumns: Column<PoolView['vms'][number]>[] = useMemo(() => [
      { id: 'name', title: 'VM', width: 24, render: (v) => v.name },
      { id: 'state', title: 'State', width: 10, render: (v) => v.state, role: (v) => (v.running ? 'ok' : v.state === 'missing' ? 'error' : undefined) },
      { id: 'user', title: 'User', width: 16, render: (v) => v.user ?? 'free' },
      { id: 'since', title: 'Since', width: 20, render: (v) => v.assignedAt?.replace('T', ' ').slice(0, 19) ?? '-' },
    ], []);

    let body: React.ReactNode;
    if (inForm) {
      body = (
        <Box flexDirection="column">
          <Text bold {...tone(t, 'accent')}>{mode === 'take' ? `Take a VM of pool ${sel?.name ?? ''} for a user` : 'Create a VM pool: stateless thin VMs from a template'}</Text>
          <FormView fields={fields} state={form} labelWidth={16} />
          <Text {...tone(t, 'dim')}>Enter edits a field (or takes the next choice), space cycles a choice, s {mode === 'take' ? 'takes the VM (started if needed)' : 'creates the pool and its VMs'}, Esc cancels.</Text>
        </Box>
      );
    } else if (mode === 'details' && sel) {
      body = (
        <Box flexDirection="column">
          <Text bold {...tone(t, 'accent')}>Pool {sel.name}{sel.description ? ` · ${sel.description}` : ''}</Text>
          <Field label="template" value={`${sel.template} version ${sel.templateVersion} · cluster ${sel.cluster ?? '-'} · ${sel.type}`} />
          <Field label="size" value={`${sel.size} VMs, ${sel.prestarted} prestarted, at most ${sel.maxPerUser} per user · ${sel.running} running, ${sel.assigned} assigned`} />
          <Table rows={sel.vms} columns={vmColumns} rowKey={(v) => v.name} selectedKey={selVm?.name} height={tableH - 3} width={w} empty="No VMs." />
        </Box>
      );
    } else {
      body = (
        <Box flexDirection="column">
          <Box height={1}>
            {filtering ? <TextLine label="filter (regex, ! inverts): " value={filter} focused error={filterError} /> : (
              <Text wrap="truncate" {...tone(t, 'dim')}>
                {rows ? `${shown.length === rows.length ? rows.length : `${shown.length} of ${rows.length}`} pools` : 'Reading the pools…'} · sort {SORTS.find(([k]) => k === sort)![1]}{filter ? ` · filter "${filter}"` : ''}
              </Text>
            )}
          </Box>
          <Table rows={shown} columns={columns} rowKey={(r) => r.name} selectedKey={sel?.name} height={tableH} width={w}
            empty={filter ? 'No pool matches the filter (/ then Esc clears it).' : 'No pools yet: c creates one from a template.'} />
        </Box>
      );
    }

    return (
      <Box flexDirection="column" height={shell.size.rows} paddingX={1} overflow="hidden">
        {mode === 'list' ? <ManagerTabs current="vm-pools" /> : null}
        {error ? <Text {...tone(t, 'error')} wrap="truncate">Cannot read the pools: {error}</Text> : null}
        {body}
        {busy ? <Text {...tone(t, 'warn')}>{busy}</Text> : null}
      </Box>
    );
  };
}
