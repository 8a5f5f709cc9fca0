// Templates: every template version with its hardware, images and the VMs
// made from it, filtered with `/` and sorted with 1-3; Enter shows one
// template's versions; c makes one from a shut-off VM (a form whose VM and
// storage domain are picked from what can be used, checked field by field
// by the core); x removes one after confirmation (refused while thin VMs
// depend on it, naming them). Read-only mode drops the changing keys.
import { useMemo, useState } from 'react';
import { Box, Text } from 'ink';
import { useFilterLine } from '../../src/app/filter-line.ts';
import { useScreenApi } from '../../src/app/screen-api.ts';
import { mayDiscard } from '../../src/app/discard.ts';
import { bind, useBindings } from '../../src/app/keys.ts';
import { managerTabBindings } from '../../src/app/manager-tabs.ts';
import { ManagerTabs } from '../../src/ui/ManagerTabs.tsx';
import { useFilteredList } from '../../src/app/filtered-list.ts';
import type { Binding, ScreenProps } from '../../src/app/types.ts';
import type { Core } from '../../src/core/index.ts';
import type { Template, TemplateView } from '../../src/core/templates.ts';
import type { TemplateInput } from '../../src/domain/templates.ts';
import { fieldErrorsOf } from '../../src/domain/errors.ts';
import { formRefusal } from '../../src/domain/counts.ts';
import { formatBytes } from '../../src/domain/size.ts';
import { Field } from '../../src/ui/Panel.tsx';
import { Table, type Column } from '../../src/ui/Table.tsx';
import { TextLine } from '../../src/ui/TextLine.tsx';
import { tone, useTheme } from '../../src/ui/theme.ts';
import { errorNotice } from '../../src/ui/error-notice.ts';
import { hasInput } from '../../src/ui/form/form-state.ts';
import { useFormInput } from '../../src/ui/form/use-form-input.ts';
import { FormView, useForm, type FormField } from '../storage-domains/Form.tsx';
import { TEMPLATES_KEYS as K } from './keys.ts';

/** What the screen needs of the core (a test may stand in for it). */
export interface TemplateScreenApi {
  list(): Promise<TemplateView[]>;
  create(input: TemplateInput): Promise<Template>;
  remove(name: string, version?: string): Promise<unknown>;
  /** Shut-off VMs a template can be made from. */
  sourceVms(): Promise<string[]>;
  /** Active file data domains its images can go on. */
  domains(): Promise<string[]>;
}

export async function defaultApi(core: Core): Promise<TemplateScreenApi> {
  const t = await core.templates();
  return {
    list: () => t.list(),
    create: (input) => t.create(input),
    remove: (name, version) => t.remove(name, { version }),
    sourceVms: async () => (await core.vms.list()).filter((d) => d.state === 'shutoff').map((d) => d.name).sort(),
    domains: async () => (await core.storageDomains.list()).filter((d) => d.type === 'data' && d.kind === 'file' && d.status === 'active').map((d) => d.name),
  };
}

export interface TemplatesDeps {
  api?: (core: Core) => Promise<TemplateScreenApi>;
}

type Mode = 'list' | 'details' | 'form';
type SortKey = 'name' | 'created' | 'vms';

const SORTS: [SortKey, string][] = [['name', 'name'], ['created', 'created'], ['vms', 'VMs']];
const order = (key: SortKey) => (a: TemplateView, b: TemplateView): number =>
  key === 'vms' ? b.vms.length - a.vms.length || a.name.localeCompare(b.name) : key === 'created' ? b.createdAt.localeCompare(a.createdAt) : a.name.localeCompare(b.name) || a.version - b.version;
const filterFields = (t: TemplateView) => [t.name, t.versionName, t.description, t.storageDomain ?? '', t.sourceVm ?? '', t.status];
const sizeOf = (t: Template) => (t.disks.length ? formatBytes(t.disks.reduce((n, d) => n + d.sizeBytes, 0)) : '-');

export function makeTemplatesScreen(deps: TemplatesDeps = {}) {
  const make = deps.api ?? defaultApi;
  return function Templates({ shell, active }: ScreenProps) {
    const t = useTheme();
    const { api, rows, error, reload } = useScreenApi<TemplateView, TemplateScreenApi>(shell.core, make);
    const [mode, setMode] = useState<Mode>('list');
    const [sort, setSort] = useState<SortKey>('name');
    const [filter, setFilter] = useState('');
    const [busy, setBusy] = useState<string | undefined>();
    const [vms, setVms] = useState<string[]>([]);
    const [domains, setDomains] = useState<string[]>([]);
    const [form, dispatch] = useForm({});

    const { shown, sel, nav, tableH, filterError } = useFilteredList(rows, {
      filter, text: filterFields, compare: order(sort), orderBy: sort, key: (r) => r.id, height: () => Math.max(4, shell.size.rows - 10),
    });

    const fields: FormField[] = useMemo(() => [
      { id: 'name', label: 'Name', placeholder: "letters, digits, '.', '-' and '_' (at most 40)" },
      { id: 'vm', label: 'From VM', choices: vms, placeholder: vms.length ? undefined : 'no shut-off VM' },
      { id: 'storage-domain', label: 'Storage domain', choices: domains, placeholder: domains.length ? undefined : 'no active data domain' },
      { id: 'description', label: 'Description', placeholder: 'optional, one line' },
      { id: 'seal', label: 'Seal', choices: ['no', 'yes'] },
    ], [vms, domains]);
    const inForm = mode === 'form';

    useFormInput(shell, form, active && inForm, {
      draft: (value) => dispatch({ type: 'draft', value }),
      commit: () => { const f = fields[form.focus]; if (f) dispatch({ type: 'commit', id: f.id, trim: true }); },
      cancel: () => dispatch({ type: 'cancel' }),
      next: () => dispatch({ type: 'move', delta: 1, count: fields.length }),
    });

    const { filtering, start: startFilter } = useFilterLine(shell, active, filter, setFilter);

    const openForm = async () => {
      if (!api) return;
      const [v, d] = await Promise.all([api.sourceVms().catch(() => []), api.domains().catch(() => [])]);
      setVms(v);
      setDomains(d);
      dispatch({ type: 'reset', values: { name: '', vm: v[0] ?? '', 'storage-domain': d[0] ?? '', description: '', seal: 'no' } });
      setMode('form');
    };
    const cycle = (delta = 1) => {
      const f = fields[form.focus];
      if (f?.choices?.length) dispatch({ type: 'cycle', id: f.id, options: f.choices, delta });
    };
    const submit = async () => {
      if (!api) return;
      const v = form.values;
      setBusy(`Making template ${v.name ?? ''}… (copying the disks)`);
      try {
        const made = await api.create({ name: v.name ?? '', vm: v.vm ?? '', storageDomain: v['storage-domain'] ?? '', description: v.description || undefined, seal: v.seal === 'yes' });
        shell.notify('success', `Made template ${made.name} version ${made.version} from ${made.sourceVm ?? 'the VM'}`);
        setMode('list');
      } catch (e) {
        const errs = fieldErrorsOf(e);
        if (errs) { dispatch({ type: 'errors', errors: Object.fromEntries(errs.map((x) => [x.field, x.message])) }); shell.notify('error', formRefusal(errs)); } else shell.notify(...errorNotice(e));
      } finally {
        setBusy(undefined);
        void reload();
      }
    };
    const removeWhat = sel ? (sel.version > 1 ? `version ${sel.version} of template ${sel.name}` : `template ${sel.name}${(rows ?? []).some((r) => r.baseId === sel.baseId && r.version > 1) ? ' with every version' : ''}`) : '';
    const remove = async () => {
      if (!api || !sel) return;
      setBusy(`Removing ${removeWhat}…`);
      try {
        await api.remove(sel.name, sel.version > 1 ? String(sel.version) : undefined);
        shell.notify('success', `Removed ${removeWhat} and its images`);
      } catch (e) {
        shell.notify(...errorNotice(e));
      } finally {
        setBusy(undefined);
        void reload();
      }
    };

    const formIdle = inForm && !form.editing && !busy;
    const bindings: Binding[] = [
      ...(mode === 'list' && !filtering ? nav : []),
      bind(K.details, { action: () => setMode('details'), when: mode === 'list' && Boolean(sel) && !filtering }),
      bind(K.filter, { action: startFilter, when: mode === 'list' && !filtering }),
      ...([[K.sortName, 'name'], [K.sortCreated, 'created'], [K.sortVms, 'vms']] as const).map(([k, key]) => bind(k, { action: () => setSort(key), when: mode === 'list' && !filtering, footer: key === 'name' })),
      bind(K.create, { action: openForm, when: mode === 'list' && !filtering, disabledReason: busy ? `busy: ${busy}` : shell.core.whyNot('template.create') }),
      bind(K.remove, {
        when: mode === 'list' && Boolean(sel) && !filtering,
        disabledReason: busy ? `busy: ${busy}` : sel?.name === 'Blank' ? 'the Blank template cannot be removed' : shell.core.whyNot('template.remove'),
        confirm: sel ? `Remove ${removeWhat} and delete its images? VMs made from it as clones keep running; thin VMs refuse the removal.` : undefined,
        action: remove,
      }),
      bind(K.refresh, { action: reload, when: mode === 'list' && !filtering }),
      bind(K.editField, { action: () => { const f = fields[form.focus]; if (!f) return; if (f.choices) cycle(); else { dispatch({ type: 'edit', id: f.id, blank: true }); shell.setCapture(true); } }, when: formIdle }),
      bind(K.nextChoice, { action: () => cycle(), when: formIdle && Boolean(fields[form.focus]?.choices) }),
      bind(K.nextField, { action: () => dispatch({ type: 'move', delta: 1, count: fields.length }), when: formIdle, footer: false }),
      bind(K.previousField, { action: () => dispatch({ type: 'move', delta: -1, count: fields.length }), when: formIdle, footer: false }),
      bind(K.submit, { action: submit, when: formIdle, disabledReason: shell.core.whyNot('template.create') }),
      bind(K.back, { description: inForm ? 'Cancel' : 'Back to the list', action: async () => { if (!inForm || await mayDiscard(shell, hasInput(form), 'what was entered in the form')) setMode('list'); }, when: mode !== 'list' && !form.editing && !busy }),
      ...managerTabBindings(shell, 'templates', mode === 'list' && !filtering),
    ];
    useBindings(bindings);

    const w = shell.size.columns - 2;
    const columns: Column<TemplateView>[] = useMemo(() => [
      { id: 'name', title: 'Name', width: 18, render: (r) => r.name },
      { id: 'version', title: 'Ver', width: 4, align: 'right', render: (r) => String(r.version) },
      { id: 'vname', title: 'Version name', width: 13, render: (r) => r.versionName || '-' },
      { id: 'status', title: 'Status', width: 8, render: (r) => r.status, role: (r) => (r.status === 'ready' ? 'ok' : 'warn') },
      { id: 'hw', title: 'Hardware', width: 16, render: (r) => `${r.hardware.vcpus} vCPU ${r.hardware.memoryMiB} MiB` },
      { id: 'disks', title: 'Disks', width: 10, align: 'right', render: (r) => (r.disks.length ? `${r.disks.length} ${sizeOf(r)}` : 'none') },
      { id: 'domain', title: 'Domain', width: 12, render: (r) => r.storageDomain ?? '-' },
      { id: 'vms', title: 'VMs', width: 4, align: 'right', render: (r) => String(r.vms.length) },
    ], []);

    let body: React.ReactNode;
    if (mode === 'form') {
      body = (
        <Box flexDirection="column">
          <Text bold {...tone(t, 'accent')}>Make a template from a shut-off VM</Text>
          <FormView fields={fields} state={form} labelWidth={16} />
          <Text {...tone(t, 'dim')}>Enter edits a field (or takes the next choice), space cycles a choice, s makes the template (the VM&apos;s disks are copied), Esc cancels.</Text>
        </Box>
      );
    } else if (mode === 'details' && sel) {
      const versions = (rows ?? []).filter((r) => r.baseId === sel.baseId).sort((a, b) => a.version - b.version);
      body = (
        <Box flexDirection="column">
          <Text bold {...tone(t, 'accent')}>Template {sel.name}{sel.description ? ` · ${sel.description}` : ''}</Text>
          {versions.map((v) => (
            <Box key={v.id} flexDirection="column" marginTop={1}>
              <Field label={`version ${v.version}`} value={`${v.versionName || '(base)'} · ${v.status} · made ${v.createdAt.replace('T', ' ').slice(0, 19)}${v.sourceVm ? ` from ${v.sourceVm}` : ''}${v.sealed ? ', sealed' : ''}`} />
              <Field label="hardware" value={`${v.hardware.vcpus} vCPU, ${v.hardware.memoryMiB} MiB, CPU ${v.hardware.cpu ?? 'host-model'}, ${(v.hardware.firmware ?? 'bios').toUpperCase()}, ${v.hardware.machine}, ${v.hardware.osType}${v.hardware.osVariant ? ` (${v.hardware.osVariant})` : ''}, NICs ${v.hardware.nics.map((n) => `${n.source} ${n.model ?? 'virtio'}`).join(', ') || 'none'}`} />
              {v.disks.map((d) => <Field key={d.idx} label={`disk ${d.idx + 1}`} value={`${d.path} (${d.format}, ${formatBytes(d.sizeBytes)}, ${d.bus})`} />)}
              <Field label="VMs" value={v.vms.length ? v.vms.map((x) => `${x.vmName} (${x.mode})`).join(', ') : 'none'} role={v.vms.length ? undefined : 'dim'} />
            </Box>
          ))}
        </Box>
      );
    } else {
      body = (
        <Box flexDirection="column">
          <Box height={1}>
            {filtering ? <TextLine label="filter (regex, ! inverts): " value={filter} focused error={filterError} /> : (
              <Text wrap="truncate" {...tone(t, 'dim')}>
                {rows ? `${shown.length === rows.length ? rows.length : `${shown.length} of ${rows.length}`} template versions` : 'Reading the templates…'} · sort {SORTS.find(([k]) => k === sort)![1]}{filter ? ` · filter "${filter}"` : ''}
              </Text>
            )}
          </Box>
          <Table rows={shown} columns={columns} rowKey={(r) => r.id} selectedKey={sel?.id} height={tableH} width={w}
            empty={filter ? 'No template matches the filter (/ then Esc clears it).' : 'No templates yet: c makes one from a shut-off VM.'} />
        </Box>
      );
    }

    return (
      <Box flexDirection="column" height={shell.size.rows} paddingX={1} overflow="hidden">
        {mode === 'list' ? <ManagerTabs current="templates" /> : null}
        {error ? <Text {...tone(t, 'error')} wrap="truncate">Cannot read the templates: {error}</Text> : null}
        {body}
        {busy ? <Text {...tone(t, 'warn')}>{busy}</Text> : null}
      </Box>
    );
  };
}
