// Storage domains: every domain of the data center with its type, status
// and capacity (bars), its connection; create (form), import (scan a
// connection, pick a domain), maintenance / activate / detach with
// confirmation (a refusal lists the VMs that use the domain), and its
// volumes: create, delete, upload a file with a progress bar. In the create
// form, the connection and the LUN are picked from lists (l): the storage
// connections, and the LUNs the chosen iSCSI/FC connection shows.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Box, Text } from 'ink';
import { mayDiscard } from '../../src/app/discard.ts';
import { bind, useBindings } from '../../src/app/keys.ts';
import { managerTabBindings } from '../../src/app/manager-tabs.ts';
import { ManagerTabs } from '../../src/ui/ManagerTabs.tsx';
import type { Binding, ScreenProps } from '../../src/app/types.ts';
import { DOMAIN_TYPES, VOLUME_FORMATS, domainActionBlocked, usedRatio, type DomainUser, type FieldError } from '../../src/domain/storage/domain.ts';
import { formatBytes } from '../../src/domain/size.ts';
import type { ConnectionRecord, FoundDomain, StorageDomain, StorageVolume } from '../../src/core/storage-domains.ts';
import { Field, Meter } from '../../src/ui/Panel.tsx';
import { Table, type Column } from '../../src/ui/Table.tsx';
import { tone, useTheme } from '../../src/ui/theme.ts';
import { hasInput } from '../../src/ui/form/form-state.ts';
import { useFormInput } from '../../src/ui/form/use-form-input.ts';
import { FormView, useForm, type FormField } from './Form.tsx';
import { defaultApi, useApi, useDomains, type DomainScreenApi } from './use-domains.ts';
import { STORAGE_DOMAINS_KEYS as K } from './keys.ts';
import { errorNotice } from '../../src/ui/error-notice.ts';
import { fieldErrorsOf } from '../../src/domain/errors.ts';
import { formRefusal } from '../../src/domain/counts.ts';

type Mode = 'list' | 'create' | 'import' | 'volumes' | 'volume-new' | 'upload';

const CREATE_FIELDS: FormField[] = [
  { id: 'name', label: 'Name', placeholder: 'letters, digits, - and _ (at most 50)' },
  { id: 'type', label: 'Type', choices: DOMAIN_TYPES },
  { id: 'connection', label: 'Connection', placeholder: 'a storage connection name or id' },
  { id: 'lun', label: 'LUN', placeholder: 'iSCSI/FC only: WWID when the connection has several' },
  { id: 'description', label: 'Description', placeholder: 'optional, one line' },
];
const VOLUME_FIELDS: FormField[] = [
  { id: 'name', label: 'Name', placeholder: 'e.g. web1-disk0.qcow2' },
  { id: 'size', label: 'Size', placeholder: 'e.g. 10G, 512M (at least 1 MiB)' },
  { id: 'format', label: 'Format', choices: VOLUME_FORMATS },
];
const UPLOAD_FIELDS: FormField[] = [
  { id: 'file', label: 'File', placeholder: 'absolute path on this host, e.g. /root/debian-12.iso' },
  { id: 'name', label: 'Volume name', placeholder: 'default: the file name' },
];

const statusRole = (s: string) => (s === 'active' ? 'ok' : s === 'unreachable' ? 'error' : s === 'maintenance' ? 'warn' : 'dim');

function bar(ratio: number | undefined, width: number): string {
  if (ratio === undefined) return '-'.padEnd(width + 5);
  const full = Math.round(ratio * width);
  return `${'█'.repeat(full)}${'░'.repeat(width - full)} ${String(Math.round(ratio * 100)).padStart(3)}%`;
}

function fieldErrors(errors: FieldError[]): Record<string, string> {
  return Object.fromEntries(errors.map((e) => [e.field, e.message]));
}

export interface StorageDomainsDeps {
  api?: (core: ScreenProps['shell']['core']) => Promise<DomainScreenApi>;
  pollMs?: number;
}

export function makeStorageDomainsScreen(deps: StorageDomainsDeps = {}) {
  const make = deps.api ?? defaultApi;
  return function StorageDomains({ shell, active }: ScreenProps) {
    const t = useTheme();
    const { api, error: apiError } = useApi(shell.core, make);
    const { domains, reload, error: listError } = useDomains(api, deps.pollMs);
    const [mode, setMode] = useState<Mode>('list');
    const [selId, setSelId] = useState<string | undefined>();
    const [busy, setBusy] = useState<string | undefined>();
    const [refusal, setRefusal] = useState<{ domain: string; action: string; users: DomainUser[] } | undefined>();
    const [connections, setConnections] = useState<ConnectionRecord[]>([]);
    const [connSel, setConnSel] = useState(0);
    const [found, setFound] = useState<FoundDomain[] | undefined>();
    const [foundSel, setFoundSel] = useState(0);
    const [volumes, setVolumes] = useState<StorageVolume[] | undefined>();
    const [volError, setVolError] = useState<string | undefined>();
    const [volSel, setVolSel] = useState<string | undefined>();
    const [progress, setProgress] = useState<{ name: string; done: number; total: number } | undefined>();
    const [form, dispatch] = useForm({});
    /** The list the connection or LUN field of the create form is picked from (l). */
    const [picker, setPicker] = useState<{ field: 'connection' | 'lun'; title: string; items?: { value: string; label: string }[]; error?: string; sel: number } | undefined>();

    const sel = domains.find((d) => d.id === selId) ?? domains[0];
    useEffect(() => { if (!selId && domains[0]) setSelId(domains[0].id); }, [domains, selId]);

    const fields = mode === 'create' ? CREATE_FIELDS : mode === 'volume-new' ? VOLUME_FIELDS : mode === 'upload' ? UPLOAD_FIELDS : [];
    const inForm = fields.length > 0;

    const loadVolumes = useCallback(async (d: StorageDomain) => {
      if (!api) return;
      setVolError(undefined);
      try {
        const v = await api.service.volumes(d.id);
        setVolumes(v);
        setVolSel((cur) => (cur && v.some((x) => x.name === cur) ? cur : v[0]?.name));
      } catch (e) {
        setVolumes([]);
        setVolError((e as Error).message);
      }
    }, [api]);

    useFormInput(shell, form, active && inForm, {
      draft: (value) => dispatch({ type: 'draft', value }),
      commit: () => { const f = fields[form.focus]; if (f) dispatch({ type: 'commit', id: f.id }); },
      cancel: () => dispatch({ type: 'cancel' }),
      next: () => dispatch({ type: 'move', delta: 1, count: fields.length }),
    });

    /** Run an action with a busy line; a refusal with VMs is kept on screen; field errors go to the form. */
    const act = async (label: string, fn: () => Promise<string | void>, opts: { onFieldErrors?: (e: FieldError[]) => void; domain?: string; action?: string } = {}): Promise<boolean> => {
      setBusy(label);
      setRefusal(undefined);
      try {
        const msg = await fn();
        if (msg) shell.notify('success', msg);
        return true;
      } catch (e) {
        const errs = fieldErrorsOf(e);
        const users = (e as { users?: DomainUser[] }).users;
        if (errs && opts.onFieldErrors) { opts.onFieldErrors(errs); shell.notify('error', formRefusal(errs)); } else shell.notify(...errorNotice(e));
        if (users?.length && opts.domain) setRefusal({ domain: opts.domain, action: opts.action ?? label, users });
        return false;
      } finally {
        setBusy(undefined);
        void reload();
      }
    };

    const startForm = (m: Mode, values: Record<string, string>) => { dispatch({ type: 'reset', values }); setMode(m); setPicker(undefined); };
    const pickField = mode === 'create' && !form.editing ? fields[form.focus]?.id : undefined;
    const openPicker = async () => {
      if (!api) return;
      if (pickField === 'connection') {
        setPicker({ field: 'connection', title: 'Storage connections', sel: 0 });
        try {
          const list = await api.connections();
          setConnections(list);
          setPicker((p) => p && { ...p, items: list.map((c) => ({ value: c.name ?? c.id, label: `${(c.name ?? c.id).padEnd(20)} ${c.type.padEnd(6)} ${c.state ?? ''}` })) });
        } catch (e) { setPicker((p) => p && { ...p, error: `Cannot list the storage connections: ${(e as Error).message}` }); }
      } else if (pickField === 'lun') {
        const key = form.values.connection ?? '';
        const conn = connections.find((c) => c.id === key || c.name === key);
        if (!key || !conn) { shell.notify('warning', key ? `No storage connection ${key}: pick one first` : 'Pick the connection first: its LUNs are listed'); return; }
        if (conn.type !== 'iscsi' && conn.type !== 'fc') { shell.notify('warning', `${conn.name ?? conn.id} is a ${conn.type} connection: LUNs exist on iSCSI and FC connections`); return; }
        if (!api.luns) return;
        setPicker({ field: 'lun', title: `LUNs of ${conn.name ?? conn.id}`, sel: 0 });
        try {
          const luns = await api.luns(conn.id);
          setPicker((p) => p && { ...p, items: luns.map((l) => ({ value: l.wwid, label: `${l.wwid}  ${formatBytes(l.sizeBytes).padStart(8)}  ${`${l.vendor} ${l.model}`.trim().padEnd(20)} ${l.devicePath}` })) });
        } catch (e) { setPicker((p) => p && { ...p, error: `Cannot list the LUNs: ${(e as Error).message}` }); }
      }
    };
    const pick = () => {
      const item = picker?.items?.[picker.sel];
      if (!picker || !item) return;
      dispatch({ type: 'set', values: { [picker.field]: item.value } });
      setPicker(undefined);
    };
    const cycle = () => {
      const f = fields[form.focus];
      if (!f?.choices) return;
      dispatch({ type: 'cycle', id: f.id, options: f.choices, delta: 1 });
    };

    const submitCreate = async () => {
      if (!api) return;
      const v = form.values;
      const ok = await act(`Creating ${v.name || 'domain'}…`, async () => {
        const d = await api.service.create({ name: v.name ?? '', type: v.type ?? '', connectionId: v.connection ?? '', lun: v.lun || undefined, description: v.description });
        setSelId(d.id);
        return `Created ${d.type} storage domain ${d.name}`;
      }, { onFieldErrors: (errs) => dispatch({ type: 'errors', errors: fieldErrors(errs) }) });
      if (ok) setMode('list');
    };

    const openImport = async () => {
      if (!api) return;
      setFound(undefined);
      setFoundSel(0);
      setMode('import');
      try { setConnections(await api.connections()); } catch (e) { shell.notify(...errorNotice(e, 'Cannot list the storage connections')); }
    };
    const scan = async () => {
      const c = connections[connSel];
      if (!api || !c) return;
      await act(`Scanning ${c.name ?? c.id}…`, async () => { setFound(await api.service.scan(c.id)); setFoundSel(0); });
    };
    const doImport = async () => {
      const c = connections[connSel];
      const f = found?.[foundSel];
      if (!api || !c || !f) return;
      if (f.attachedAs) { shell.notify('warning', `${f.metadata.name} is already attached as ${f.attachedAs}`); return; }
      const ok = await act(`Importing ${f.metadata.name}…`, async () => {
        const d = await api.service.import(c.id, f.metadata.uuid);
        setSelId(d.id);
        return `Imported ${d.name} (created ${d.createdAt.slice(0, 10)} by ${d.creatorHost})`;
      });
      if (ok) setMode('list');
    };

    const submitVolume = async () => {
      if (!api || !sel) return;
      const v = form.values;
      const ok = await act(`Creating volume ${v.name ?? ''}…`, async () => {
        const vol = await api.service.volumeCreate(sel.id, { name: v.name ?? '', size: v.size ?? '', format: v.format });
        setVolSel(vol.name);
        return `Created volume ${vol.name} (${formatBytes(vol.capacityBytes)})`;
      }, { onFieldErrors: (errs) => dispatch({ type: 'errors', errors: fieldErrors(errs) }) });
      if (ok) { setMode('volumes'); await loadVolumes(sel); }
    };

    const submitUpload = async () => {
      if (!api || !sel) return;
      const v = form.values;
      const name = v.name || (v.file ?? '').replace(/^.*\//, '');
      setProgress({ name, done: 0, total: 0 });
      const ok = await act(`Uploading ${name}…`, async () => {
        const vol = await api.service.upload(sel.id, v.file ?? '', { name: v.name || undefined, onProgress: (p) => setProgress({ name, done: p.doneBytes, total: p.totalBytes }) });
        setVolSel(vol.name);
        return `Uploaded ${vol.name} (${formatBytes(vol.capacityBytes)}) to ${sel.name}`;
      }, { onFieldErrors: (errs) => dispatch({ type: 'errors', errors: fieldErrors(errs) }) });
      setProgress(undefined);
      if (ok) { setMode('volumes'); await loadVolumes(sel); }
    };

    const move = (delta: number) => {
      if (picker) {
        const n = picker.items?.length ?? 0;
        if (n) setPicker({ ...picker, sel: Math.max(0, Math.min(n - 1, picker.sel + delta)) });
      } else if (mode === 'list') {
        const i = Math.max(0, domains.findIndex((d) => d.id === sel?.id));
        const n = domains[Math.max(0, Math.min(domains.length - 1, i + delta))];
        if (n) setSelId(n.id);
      } else if (mode === 'volumes' && volumes?.length) {
        const i = Math.max(0, volumes.findIndex((v) => v.name === volSel));
        setVolSel(volumes[Math.max(0, Math.min(volumes.length - 1, i + delta))]!.name);
      } else if (mode === 'import') {
        if (found) setFoundSel((s) => Math.max(0, Math.min(found.length - 1, s + delta)));
        else setConnSel((s) => Math.max(0, Math.min(connections.length - 1, s + delta)));
      } else if (inForm) dispatch({ type: 'move', delta, count: fields.length });
    };

    const why = (action: Parameters<typeof domainActionBlocked>[0]) => (busy ? `busy: ${busy}` : sel ? domainActionBlocked(action, sel) : 'no storage domain selected');
    const vol = volumes?.find((v) => v.name === volSel);
    const back = () => { setMode(mode === 'volume-new' || mode === 'upload' ? 'volumes' : 'list'); setRefusal(undefined); };

    const bindings: Binding[] = [
      bind(K.previous, { action: () => move(-1), footer: false, when: !form.editing }),
      bind(K.next, { action: () => move(1), footer: false, when: !form.editing }),
      // The list
      bind(K.create, { action: () => startForm('create', { type: 'data', connection: '' }), when: mode === 'list', disabledReason: busy ? `busy: ${busy}` : undefined }),
      bind(K.import, { action: openImport, when: mode === 'list', disabledReason: busy ? `busy: ${busy}` : undefined }),
      bind(K.volumes, { action: () => { if (sel) { setMode('volumes'); setVolumes(undefined); void loadVolumes(sel); } }, when: mode === 'list' && Boolean(sel), disabledReason: sel && sel.status !== 'active' ? `${sel.name} is ${sel.status}: volumes are listed while it is active` : undefined }),
      bind(K.maintenance, {
        when: mode === 'list' && Boolean(sel), disabledReason: why('maintenance'),
        confirm: sel ? `Put storage domain ${sel.name} into maintenance? Its libvirt pool stops; VMs cannot use it until it is activated.` : undefined,
        action: () => { if (sel) void act(`Maintenance of ${sel.name}…`, async () => { const d = await api!.service.maintenance(sel.id); return `${d.name} is in maintenance`; }, { domain: sel.name, action: 'maintenance' }); }
      }),
      bind(K.activate, {
        when: mode === 'list' && Boolean(sel), disabledReason: why('activate'),
        action: () => { if (sel) void act(`Activating ${sel.name}…`, async () => { const d = await api!.service.activate(sel.id); return `${d.name} is active`; }); }
      }),
      bind(K.detach, {
        when: mode === 'list' && Boolean(sel), disabledReason: why('detach'),
        confirm: sel ? `Detach ${sel.name} from the data center? Its libvirt pool is removed; the data stays on the storage and Import finds it again.` : undefined,
        action: () => { if (sel) void act(`Detaching ${sel.name}…`, async () => { await api!.service.detach(sel.id); setSelId(undefined); return `Detached ${sel.name}; its data stays on the storage`; }, { domain: sel.name, action: 'detach' }); }
      }),
      bind(K.refresh, { action: () => { void reload(); if (mode === 'volumes' && sel) void loadVolumes(sel); }, when: mode === 'list' || mode === 'volumes' }),
      // Import
      bind(K.importOrScan, { description: found ? 'Import domain' : 'Scan connection', action: found ? doImport : scan, when: mode === 'import', dangerous: Boolean(found), disabledReason: busy ? `busy: ${busy}` : undefined }),
      // Volumes
      bind(K.newVolume, { action: () => startForm('volume-new', { format: sel?.kind === 'block' || sel?.type === 'iso' ? 'raw' : 'qcow2' }), when: mode === 'volumes', disabledReason: why('volumes') }),
      bind(K.upload, { action: () => startForm('upload', {}), when: mode === 'volumes', disabledReason: why('upload') }),
      bind(K.deleteVolume, {
        when: mode === 'volumes' && Boolean(vol), disabledReason: why('volumes'),
        confirm: vol && sel ? `Delete volume ${vol.name} of ${sel.name}? Its data is lost.` : undefined,
        action: () => { if (vol && sel) void act(`Deleting ${vol.name}…`, async () => { await api!.service.volumeDelete(sel.id, vol.name); await loadVolumes(sel); return `Deleted ${vol.name}`; }, { domain: sel.name, action: `delete ${vol.name}` }); }
      }),
      // Forms
      bind(K.editField, { action: () => { if (fields[form.focus]?.choices) cycle(); else { dispatch({ type: 'edit', id: fields[form.focus]!.id, blank: true }); shell.setCapture(true); } }, when: inForm && !form.editing && !picker }),
      bind(K.nextChoice, { action: cycle, when: inForm && !form.editing && !picker && Boolean(fields[form.focus]?.choices) }),
      bind(K.nextField, { action: () => move(1), when: inForm && !form.editing && !picker, footer: false }),
      bind(K.pick, {
        description: pickField === 'lun' ? 'Pick a LUN' : 'Pick a connection', action: () => { void openPicker(); },
        when: !picker && (pickField === 'connection' || pickField === 'lun'), disabledReason: pickField === 'lun' && !api?.luns ? 'LUNs cannot be listed here' : undefined
      }),
      bind(K.submit, { description: mode === 'create' ? 'Create domain' : mode === 'upload' ? 'Start upload' : 'Create volume', when: inForm && !form.editing && !picker, disabledReason: busy ? `busy: ${busy}` : undefined, action: mode === 'create' ? submitCreate : mode === 'upload' ? submitUpload : submitVolume }),
      // The picker
      bind(K.usePicked, { description: picker?.field === 'lun' ? 'Use this LUN' : 'Use this connection', action: pick, when: Boolean(picker), disabledReason: picker && !picker.items?.length ? (picker.error ?? (picker.items ? 'nothing to pick' : 'reading…')) : undefined }),
      bind(K.closeTheList, { action: () => setPicker(undefined), when: Boolean(picker) }),
      bind(K.back, { description: inForm ? 'Cancel' : 'Back to the domains', action: async () => { if (!inForm || await mayDiscard(shell, hasInput(form), 'what was entered in the form')) back(); }, when: mode !== 'list' && !form.editing && !busy && !picker }),
      ...managerTabBindings(shell, 'storage-domains', mode === 'list'),
    ];
    useBindings(bindings);

    const w = shell.size.columns - 2;
    const connName = useMemo(() => new Map(connections.map((c) => [c.id, c.name ?? c.id])), [connections]);
    useEffect(() => { if (api) void api.connections().then(setConnections, () => undefined); }, [api]);
    const columns: Column<StorageDomain>[] = useMemo(() => [
      { id: 'name', title: 'Name', width: 16, render: (d) => d.name },
      { id: 'type', title: 'Type', width: 6, render: (d) => d.type },
      { id: 'status', title: 'Status', width: 11, render: (d) => d.status, role: (d) => statusRole(d.status) },
      { id: 'used%', title: 'Used', width: 17, render: (d) => bar(usedRatio(d), 12), role: (d) => { const r = usedRatio(d); return r === undefined ? 'dim' : r >= 0.9 ? 'error' : r >= 0.75 ? 'warn' : 'ok'; } },
      { id: 'used', title: 'Used', width: 9, align: 'right', render: (d) => formatBytes(d.usedBytes ?? undefined) },
      { id: 'free', title: 'Free', width: 9, align: 'right', render: (d) => formatBytes(d.freeBytes ?? undefined) },
      { id: 'cap', title: 'Capacity', width: 9, align: 'right', render: (d) => formatBytes(d.capacityBytes ?? undefined) },
      { id: 'conn', title: 'Connection', width: 18, render: (d) => connName.get(d.connectionId) ?? d.connectionId },
    ], [connName]);
    const volColumns: Column<StorageVolume>[] = useMemo(() => [
      { id: 'name', title: 'Volume', width: 28, render: (v) => v.name },
      { id: 'cap', title: 'Capacity', width: 10, align: 'right', render: (v) => formatBytes(v.capacityBytes) },
      { id: 'alloc', title: 'Allocated', width: 10, align: 'right', render: (v) => formatBytes(v.allocationBytes) },
      { id: 'path', title: 'Path', width: Math.max(10, w - 54), render: (v) => v.path },
    ], [w]);

    const top = apiError ? <Text {...tone(t, 'error')}>Storage domains are not available: {apiError}</Text>
      : listError ? <Text {...tone(t, 'error')}>Cannot read the storage domains: {listError}</Text> : null;

    let body: React.ReactNode;
    if (mode === 'list') {
      const tableH = Math.max(4, Math.min(domains.length + 2, shell.size.rows - 13));
      body = (
        <Box flexDirection="column">
          <Table rows={domains} columns={columns} rowKey={(d) => d.id} selectedKey={sel?.id} height={tableH} width={w}
            empty="No storage domains. c creates one on a storage connection; i imports one found on a connection." />
          {sel ? (
            <Box flexDirection="column" marginTop={1}>
              <Field label="domain" value={`${sel.name} · ${sel.type} · ${sel.id}`} />
              <Field label="status" value={`${sel.status}${sel.lastError ? `: ${sel.lastError}` : ''}`} role={statusRole(sel.status)} />
              <Field label="capacity" value={<Text><Meter ratio={usedRatio(sel) ?? 0} width={20} /> {formatBytes(sel.usedBytes ?? undefined)} used, {formatBytes(sel.freeBytes ?? undefined)} free of {formatBytes(sel.capacityBytes ?? undefined)}</Text>} />
              <Field label="storage" value={sel.kind === 'block' ? `volume group ${sel.path} on ${sel.device ?? '?'}` : sel.path} />
              <Field label="pool" value={`${sel.poolName} (libvirt ${sel.poolType})`} />
              <Field label="checked" value={sel.checkedAt ? `${sel.checkedAt.replace('T', ' ').slice(0, 19)} (health check every 10 s)` : 'not yet'} role="dim" />
            </Box>
          ) : null}
        </Box>
      );
    } else if (mode === 'import') {
      body = !found ? (
        <Box flexDirection="column">
          <Text bold {...tone(t, 'accent')}>Import: choose the connection to scan (Enter)</Text>
          {connections.length === 0 ? <Text {...tone(t, 'dim')}>No storage connections. Add and connect one first (Storage connections screen or hostdeck storage connection add).</Text> : null}
          {connections.map((c, i) => (
            <Text key={c.id} wrap="truncate" {...(i === connSel ? { inverse: true } : {})}>{`${i === connSel ? '▶ ' : '  '}${(c.name ?? c.id).padEnd(20)} ${c.type.padEnd(8)} ${c.state ?? ''}`}</Text>
          ))}
        </Box>
      ) : (
        <Box flexDirection="column">
          <Text bold {...tone(t, 'accent')}>Domains on {connections[connSel]?.name ?? connections[connSel]?.id} (Enter imports)</Text>
          {found.length === 0 ? <Text {...tone(t, 'dim')}>No storage domains on this connection.</Text> : null}
          {found.map((f, i) => (
            <Text key={f.metadata.uuid} wrap="truncate" {...(i === foundSel ? { inverse: true } : {})}>
              {`${i === foundSel ? '▶ ' : '  '}${f.metadata.name.padEnd(18)} ${f.metadata.type.padEnd(7)} ${f.metadata.uuid}  by ${f.metadata.creatorHost} ${f.metadata.createdAt.slice(0, 10)}${f.attachedAs ? `  (attached as ${f.attachedAs})` : ''}`}
            </Text>
          ))}
        </Box>
      );
    } else if (mode === 'volumes') {
      body = (
        <Box flexDirection="column">
          <Text bold {...tone(t, 'accent')}>Volumes of {sel?.name} ({sel?.type}, {formatBytes(sel?.freeBytes ?? undefined)} free)</Text>
          {volError ? <Text {...tone(t, 'error')}>{volError}</Text> : null}
          {volumes === undefined ? <Text {...tone(t, 'dim')}>Reading the volumes…</Text> : (
            <Table rows={volumes} columns={volColumns} rowKey={(v) => v.name} selectedKey={volSel} height={Math.max(3, shell.size.rows - 6)} width={w}
              empty={`No volumes. n creates one${sel?.type !== 'export' ? ', u uploads a file' : ''}.`} />
          )}
        </Box>
      );
    } else {
      const title = mode === 'create' ? 'Create a storage domain' : mode === 'upload' ? `Upload a file to ${sel?.name}` : `New volume in ${sel?.name}`;
      body = (
        <Box flexDirection="column">
          <Text bold {...tone(t, 'accent')}>{title}</Text>
          <FormView fields={fields} state={form} />
          {mode === 'create' && !picker ? <Text {...tone(t, 'dim')} wrap="truncate">Connections: {connections.map((c) => `${c.name ?? c.id} (${c.type}, ${c.state ?? '?'})`).join(', ') || 'none yet'}</Text> : null}
          {picker ? (
            <Box flexDirection="column" marginTop={1}>
              <Text bold>{picker.title} (Enter uses one, Esc closes)</Text>
              {picker.error ? <Text {...tone(t, 'error')}>{picker.error}</Text>
                : !picker.items ? <Text {...tone(t, 'dim')}>Reading…</Text>
                  : picker.items.length === 0 ? <Text {...tone(t, 'dim')}>{picker.field === 'lun' ? 'No LUNs on this connection (is it connected?).' : 'No storage connections. Add one on the Storage connections screen.'}</Text>
                    : picker.items.map((it, i) => <Text key={it.value} wrap="truncate" {...(i === picker.sel ? { inverse: true } : {})}>{`${i === picker.sel ? '▶ ' : '  '}${it.label}`}</Text>)}
            </Box>
          ) : null}
          {progress ? (
            <Box marginTop={1}>
              <Text>{progress.name} </Text><Meter ratio={progress.total ? progress.done / progress.total : 0} width={30} />
              <Text> {formatBytes(progress.done)} of {formatBytes(progress.total || undefined)}</Text>
            </Box>
          ) : null}
          <Text {...tone(t, 'dim')}>Enter edits a field (space cycles a choice{mode === 'create' ? ', l picks the connection or LUN from a list' : ''}), s {mode === 'create' ? 'creates' : mode === 'upload' ? 'uploads' : 'creates'}, Esc goes back.</Text>
        </Box>
      );
    }

    return (
      <Box flexDirection="column" height={shell.size.rows} paddingX={1} overflow="hidden">
        {mode === 'list' ? <ManagerTabs current="storage-domains" /> : null}
        {top}
        {body}
        {busy ? <Text {...tone(t, 'warn')}>{busy}</Text> : null}
        {refusal ? (
          <Box flexDirection="column" marginTop={1}>
            <Text {...tone(t, 'error')}>{refusal.action} of {refusal.domain} refused: these VMs use it</Text>
            {refusal.users.map((u) => <Text key={u.vm} wrap="truncate">  {u.vm} ({u.state}): {u.disks.join(', ')}</Text>)}
          </Box>
        ) : null}
      </Box>
    );
  };
}
