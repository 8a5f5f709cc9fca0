// Storage connections: NFS, iSCSI, FC, POSIX and local directories with type,
// target, live state and whether they reconnect at boot; add (a form per type
// with each field's rule, CHAP secrets masked), connect, disconnect and
// remove with confirmation, iSCSI discovery (with discovery CHAP, the secret
// masked) to pick a target from, the LUNs
// of a block connection and the Fibre Channel HBAs.
import { useState } from 'react';
import { Box, Text, useInput } from 'ink';
import { mayDiscard } from '../../src/app/discard.ts';
import { bind, useBindings } from '../../src/app/keys.ts';
import type { Binding, ScreenProps } from '../../src/app/types.ts';
import { BLOCK_TYPES, connectionTarget, type StorageConnection } from '../../src/domain/storage/connection.ts';
import { formatBytes } from '../../src/domain/size.ts';
import { formRefusal } from '../../src/domain/counts.ts';
import { Field } from '../../src/ui/Panel.tsx';
import { Table, type Column } from '../../src/ui/Table.tsx';
import { editText } from '../../src/ui/TextLine.tsx';
import { tone, useTheme } from '../../src/ui/theme.ts';
import { FieldRow } from '../../src/ui/form/FieldRow.tsx';
import { hasInput } from '../../src/ui/form/form-state.ts';
import { useFormInput } from '../../src/ui/form/use-form-input.ts';
import { errorsByField, formErrors, rows, toInput, TOGGLES, useConnectionForm, type FormState } from './form.ts';
import { eventTime } from '../../src/domain/duration.ts';
import { useConnections, type ConnectionsScreenDeps, type View } from './use-connections.ts';
import { STORAGE_CONNECTIONS_KEYS as K } from './keys.ts';

const LABEL_W = 18;

const stateRole = (s: string): 'ok' | 'warn' | 'error' | 'dim' | undefined => (s === 'connected' ? 'ok' : s === 'failed' ? 'error' : s === 'unknown' ? 'warn' : 'dim');

/** When a last error happened: the time today, else the date and time. */
function errorWhen(iso: string): string {
  const full = eventTime(iso);
  return full.slice(0, 10) === eventTime(new Date().toISOString()).slice(0, 10) ? full.slice(11, 16) : full.slice(5, 16);
}

function FormView({ form }: { form: FormState }) {
  return (
    <Box flexDirection="column">
      {rows(form.type).map((r, i) => {
        const focused = i === form.focus;
        const label = r.kind === 'type' ? 'Type' : r.kind === 'toggle' ? TOGGLES[r.id] : r.field.label;
        let value: string;
        let placeholder = '';
        let err: string | undefined;
        if (r.kind === 'type') value = `‹ ${form.type} ›`;
        else if (r.kind === 'toggle') value = form[r.id] ? '[x] yes' : '[ ] no';
        else {
          const raw = focused && form.editing ? form.draft : (form.values[r.field.id] ?? '');
          value = r.field.secret ? '*'.repeat(raw.length) : r.field.choices ? `‹ ${raw || r.field.choices[0]} ›` : raw;
          placeholder = r.field.placeholder;
          err = form.errors[r.field.id];
        }
        return <FieldRow key={`${form.type}-${i}`} label={label} labelWidth={LABEL_W} focused={focused} editing={focused && form.editing} value={value} placeholder={placeholder} error={err} />;
      })}
    </Box>
  );
}

export function makeStorageConnectionsScreen(deps: ConnectionsScreenDeps) {
  return function StorageConnections({ shell, active }: ScreenProps) {
    const t = useTheme();
    const c = useConnections(shell, deps);
    const [form, dispatch] = useConnectionForm();
    const [view, setView] = useState<View>({ kind: 'list' });
    const [selKey, setSelKey] = useState<string | undefined>(undefined);
    const [pick, setPick] = useState(0);
    const [portalDraft, setPortalDraft] = useState('');
    // The discovery view's text fields: the portal, and discovery CHAP (user
    // and secret: the secret is only held here, masked on screen, and dropped
    // when the view closes; the service puts it on one short iscsiadm update).
    const [discEdit, setDiscEdit] = useState<'portal' | 'user' | 'secret' | undefined>();
    const [discUser, setDiscUser] = useState('');
    const [discSecret, setDiscSecret] = useState('');
    const portalEditing = discEdit !== undefined;

    const sel: StorageConnection | undefined = c.list.find((x) => x.id === selKey) ?? c.list[0];
    const idx = sel ? c.list.indexOf(sel) : -1;
    const liveState = (x: StorageConnection) => c.busy[x.id] ?? c.status[x.id]?.state ?? x.state;

    const toList = () => { setView({ kind: 'list' }); setDiscSecret(''); shell.setCapture(false); };
    const editDiscovery = (f: 'portal' | 'user' | 'secret') => { setDiscEdit(f); shell.setCapture(true); };
    /** Sendtargets discovery on the portal, with discovery CHAP when a user is given. */
    const discover = () => {
      const portal = portalDraft.trim();
      const user = discUser.trim();
      setView({ kind: 'discover', portal, busy: true });
      setPick(0);
      c.discover(portal, user || discSecret ? { user, secret: discSecret } : undefined).then(
        (targets) => setView({ kind: 'discover', portal, targets, busy: false }),
        (e: Error) => {
          const errs = (e as { errors?: { message: string }[] }).errors;
          setView({ kind: 'discover', portal, error: errs?.length ? errs.map((x) => x.message.replace(/^chapUser:/, 'CHAP user:').replace(/^chapSecret:/, 'CHAP secret:')).join('; ') : e.message, busy: false });
        },
      );
    };
    const openForm = (prefill?: Parameters<typeof dispatch>[0] & { type: 'reset' }) => { dispatch(prefill ?? { type: 'reset' }); setView({ kind: 'form' }); };

    useFormInput(shell, form, active && view.kind === 'form', {
      draft: (value) => dispatch({ type: 'draft', value }),
      commit: () => dispatch({ type: 'commit' }),
      cancel: () => dispatch({ type: 'cancel' }),
      next: () => dispatch({ type: 'move', delta: 1 }),
    });
    // The discovery portal and its CHAP fields take every key while edited.
    useInput((input, key) => {
      if (key.escape) { setDiscEdit(undefined); shell.setCapture(false); return; }
      if (key.return) {
        setDiscEdit(undefined);
        shell.setCapture(false);
        discover();
        return;
      }
      const [value, set] = discEdit === 'user' ? [discUser, setDiscUser] : discEdit === 'secret' ? [discSecret, setDiscSecret] : [portalDraft, setPortalDraft];
      const next = editText(value, input, key);
      if (next !== undefined) set(next);
    }, { isActive: active && view.kind === 'discover' && portalEditing });

    const submit = async () => {
      const errors = formErrors(form);
      if (Object.values(errors).some(Boolean)) {
        dispatch({ type: 'errors', errors });
        shell.notify('error', `Not added: ${formRefusal(errors)}`);
        return;
      }
      const fieldErrors = await c.add(toInput(form), form.connectNow);
      if (fieldErrors?.length) dispatch({ type: 'errors', errors: errorsByField(form.type, fieldErrors) });
      else if (fieldErrors === undefined) { dispatch({ type: 'reset' }); toList(); }
    };

    const isBlock = sel ? BLOCK_TYPES.includes(sel.type) : false;
    const connected = sel ? liveState(sel) === 'connected' : false;
    const busySel = sel ? c.busy[sel.id] : undefined;
    const inList = view.kind === 'list';
    const bindings: Binding[] = [
      // list
      bind(K.previous, { action: () => { const n = c.list[Math.max(0, idx - 1)]; if (n) setSelKey(n.id); }, when: inList, footer: false }),
      bind(K.next, { action: () => { const n = c.list[Math.min(c.list.length - 1, idx + 1)]; if (n) setSelKey(n.id); }, when: inList, footer: false }),
      bind(K.add, { action: () => openForm(), when: inList }),
      bind(K.connect, { when: inList && Boolean(sel), disabledReason: busySel ? `${busySel}…` : connected ? 'connected already' : undefined, action: () => { if (sel) void c.connect(sel); } }),
      bind(K.disconnect, {
        when: inList && Boolean(sel), disabledReason: busySel ? `${busySel}…` : !connected ? 'not connected' : undefined,
        confirm: sel ? `Disconnect ${connectionTarget(sel.type, sel.params)}? ${isBlock ? 'Its LUNs go away from this host' : 'It is unmounted'}; VMs and storage domains on it lose their storage.` : undefined,
        action: () => { if (sel) void c.disconnect(sel); }
      }),
      bind(K.remove, {
        when: inList && Boolean(sel), disabledReason: busySel ? `${busySel}…` : connected ? 'connected: disconnect it first' : undefined,
        confirm: sel ? `Remove the connection ${sel.name ?? connectionTarget(sel.type, sel.params)}? hostdeck forgets it${sel.hasSecret ? ' and deletes its stored CHAP secrets' : ''}; the storage itself is not touched.` : undefined,
        action: () => { if (sel) void c.remove(sel); }
      }),
      bind(K.reconnectAtBootOnOff, { when: inList && Boolean(sel), footer: false, action: () => { if (sel) void c.setPersistent(sel, !sel.persistent); } }),
      bind(K.luns, {
        when: inList && Boolean(sel), disabledReason: !isBlock ? 'file storage has no LUNs' : !connected ? 'not connected' : undefined,
        action: () => { if (!sel) return; const id = sel.id; setView({ kind: 'luns', id }); c.luns(id).then((luns) => setView({ kind: 'luns', id, luns }), (e: Error) => setView({ kind: 'luns', id, error: e.message })); }
      }),
      bind(K.iscsiDiscovery, { when: inList, action: () => { setView({ kind: 'discover', portal: portalDraft, busy: false }); editDiscovery('portal'); } }),
      bind(K.fcHBAs, { when: inList, action: () => { setView({ kind: 'fc' }); c.fc().then((r) => setView({ kind: 'fc', ...r }), (e: Error) => setView({ kind: 'fc', error: e.message })); } }),
      bind(K.refresh, { when: inList, action: () => { void c.refresh(); } }),
      // form
      bind(K.previousField, { action: () => dispatch({ type: 'move', delta: -1 }), when: view.kind === 'form' && !form.editing, footer: false }),
      bind(K.nextField, { action: () => dispatch({ type: 'move', delta: 1 }), when: view.kind === 'form' && !form.editing, footer: false }),
      bind(K.previousChoice, { action: () => dispatch({ type: 'cycle', delta: -1 }), when: view.kind === 'form' && !form.editing, footer: false }),
      bind(K.nextChoice, { action: () => dispatch({ type: 'cycle', delta: 1 }), when: view.kind === 'form' && !form.editing, footer: false }),
      bind(K.editField, { action: () => { dispatch({ type: 'edit' }); const r = rows(form.type)[form.focus]; if (r?.kind === 'field' && !r.field.choices) shell.setCapture(true); }, when: view.kind === 'form' && !form.editing }),
      bind(K.save, { description: form.connectNow ? 'Save and connect' : 'Save', action: submit, when: view.kind === 'form' && !form.editing }),
      // discovery results
      bind(K.previous, { action: () => setPick((p) => Math.max(0, p - 1)), when: view.kind === 'discover' && !portalEditing, footer: false }),
      bind(K.next, { action: () => setPick((p) => p + 1), when: view.kind === 'discover' && !portalEditing, footer: false }),
      bind(K.useThisTarget, {
        when: view.kind === 'discover' && !portalEditing && Boolean(view.kind === 'discover' && view.targets?.length),
        action: () => { if (view.kind !== 'discover' || !view.targets?.length) return; const tg = view.targets[Math.min(pick, view.targets.length - 1)]!; openForm({ type: 'reset', prefill: { type: 'iscsi', values: { portal: tg.portal, target: tg.target } } }); }
      }),
      bind(K.editPortal, { when: view.kind === 'discover' && !portalEditing, action: () => editDiscovery('portal') }),
      bind(K.discoveryCHAPUser, { when: view.kind === 'discover' && !portalEditing, action: () => editDiscovery('user') }),
      bind(K.discoveryCHAPSecret, { when: view.kind === 'discover' && !portalEditing, action: () => editDiscovery('secret') }),
      bind(K.discoverAgain, { when: view.kind === 'discover' && !portalEditing, disabledReason: view.kind === 'discover' && view.busy ? 'discovering…' : undefined, action: discover }),
      bind(K.backToTheList, { when: !inList && !form.editing && !portalEditing, action: async () => { if (view.kind !== 'form' || await mayDiscard(shell, hasInput(form), 'the new connection')) toList(); } }),
    ];
    useBindings(bindings);

    const h = shell.size.rows;
    const w = shell.size.columns - 2;
    // Target and last error share what the fixed columns leave.
    const freeW = Math.max(24, w - 14 - 7 - 13 - 8 - 12);
    const targetW = Math.max(12, Math.floor(freeW * 0.45));
    const columns: Column<StorageConnection>[] = [
      { id: 'name', title: 'NAME', width: 14, render: (x) => x.name ?? x.id.slice(0, 8) },
      { id: 'type', title: 'TYPE', width: 7, render: (x) => x.type },
      { id: 'target', title: 'TARGET', width: targetW, render: (x) => connectionTarget(x.type, x.params) },
      { id: 'state', title: 'STATE', width: 13, render: liveState, role: (x) => stateRole(liveState(x)) },
      { id: 'persistent', title: 'AT BOOT', width: 8, render: (x) => (x.persistent ? 'yes' : 'no') },
      { id: 'error', title: 'LAST ERROR', width: Math.max(12, freeW - targetW), render: (x) => (x.lastError ? `${x.lastErrorAt ? `${errorWhen(x.lastErrorAt)} ` : ''}${x.lastError}` : ''), role: () => 'error' },
    ];

    if (view.kind === 'form') {
      return (
        <Box flexDirection="column" height={h} paddingX={1} overflow="hidden">
          <Text bold {...tone(t, 'accent')}>Add a storage connection</Text>
          <FormView form={form} />
          <Box marginTop={1}><Text wrap="wrap" {...tone(t, 'dim')}>Enter edits a field (space or ←/→ for choices), s saves (and connects when Connect now is yes), Esc goes back. Secrets are stored encrypted and never shown.</Text></Box>
        </Box>
      );
    }
    if (view.kind === 'discover') {
      const targets = view.targets ?? [];
      const p = Math.min(pick, Math.max(0, targets.length - 1));
      return (
        <Box flexDirection="column" height={h} paddingX={1} overflow="hidden">
          <Text bold {...tone(t, 'accent')}>iSCSI discovery (sendtargets)</Text>
          <Box><Box width={LABEL_W + 2}><Text {...tone(t, 'dim')}>  Portal</Text></Box><Text>{discEdit === 'portal' ? portalDraft : view.portal}</Text>{discEdit === 'portal' ? <Text inverse> </Text> : null}{discEdit === 'portal' && !portalDraft ? <Text {...tone(t, 'dim')}> ADDR[:PORT], Enter discovers</Text> : null}</Box>
          <Box><Box width={LABEL_W + 2}><Text {...tone(t, 'dim')}>  CHAP user</Text></Box><Text>{discUser}</Text>{discEdit === 'user' ? <Text inverse> </Text> : null}{!discUser && discEdit !== 'user' ? <Text {...tone(t, 'dim')}>none (u sets one when the portal asks for discovery CHAP)</Text> : null}</Box>
          <Box><Box width={LABEL_W + 2}><Text {...tone(t, 'dim')}>  CHAP secret</Text></Box><Text>{'*'.repeat(discSecret.length)}</Text>{discEdit === 'secret' ? <Text inverse> </Text> : null}{!discSecret && discEdit !== 'secret' ? <Text {...tone(t, 'dim')}>{discUser ? 'w sets it (12-255 characters, never shown)' : ''}</Text> : null}</Box>
          {view.busy ? <Text {...tone(t, 'warn')}>Asking {view.portal} for its targets…</Text> : null}
          {view.error ? <Text wrap="wrap" {...tone(t, 'error')}>{view.error}</Text> : null}
          {view.targets && !targets.length ? <Text {...tone(t, 'dim')}>The portal offers no targets to this host.</Text> : null}
          {targets.map((tg, i) => (
            <Text key={`${tg.portal}-${tg.target}`} wrap="truncate" {...(i === p ? { inverse: true } : {})}>{i === p ? '▶ ' : '  '}{tg.target}  {tg.portal},{tg.tpgt}</Text>
          ))}
          {targets.length ? <Text {...tone(t, 'dim')}>Enter adds the selected target (the CHAP fields are next).</Text> : null}
        </Box>
      );
    }
    if (view.kind === 'luns' || view.kind === 'fc') {
      const luns = view.luns;
      return (
        <Box flexDirection="column" height={h} paddingX={1} overflow="hidden">
          {view.kind === 'fc' ? (
            <>
              <Text bold {...tone(t, 'accent')}>Fibre Channel HBAs</Text>
              {view.hosts && !view.hosts.length ? <Text {...tone(t, 'dim')}>This host has no Fibre Channel HBA (/sys/class/fc_host is empty).</Text> : null}
              {(view.hosts ?? []).map((x) => (
                <Text key={x.host} wrap="truncate">{x.host.padEnd(7)} WWNN {x.wwnn}  WWPN {x.wwpn}  <Text {...tone(t, /online/i.test(x.portState) ? 'ok' : 'error')}>{x.portState}</Text>  {x.speed}</Text>
              ))}
            </>
          ) : <Text bold {...tone(t, 'accent')}>LUNs of {c.list.find((x) => x.id === view.id)?.name ?? view.id}</Text>}
          {view.error ? <Text wrap="wrap" {...tone(t, 'error')}>{view.error}</Text> : null}
          {!luns && !view.error ? <Text {...tone(t, 'dim')}>Reading…</Text> : null}
          {luns ? (
            <Table rows={luns} rowKey={(l) => l.wwid || l.devicePath} height={Math.max(3, h - 6)} width={w} empty="No LUNs." columns={[
              { id: 'wwid', title: 'WWID', width: 36, render: (l) => l.wwid },
              { id: 'size', title: 'SIZE', width: 9, align: 'right', render: (l) => formatBytes(l.sizeBytes) },
              { id: 'vendor', title: 'VENDOR', width: 9, render: (l) => l.vendor },
              { id: 'model', title: 'MODEL', width: 16, render: (l) => l.model },
              { id: 'serial', title: 'SERIAL', width: 20, render: (l) => l.serial },
              { id: 'dev', title: 'DEVICE', width: Math.max(12, w - 36 - 9 - 9 - 16 - 20 - 8), render: (l) => l.devicePath },
            ]} />
          ) : null}
        </Box>
      );
    }
    const st = sel ? c.status[sel.id] : undefined;
    const detailH = 6;
    return (
      <Box flexDirection="column" height={h} paddingX={1} overflow="hidden">
        <Table rows={c.list} columns={columns} rowKey={(x) => x.id} selectedKey={sel?.id} height={Math.max(3, h - detailH - 1)} width={w}
          empty="No storage connections yet: a adds one (NFS, iSCSI, FC, POSIX, local directory), i discovers iSCSI targets." />
        {sel ? (
          <Box flexDirection="column" marginTop={1} height={detailH} overflow="hidden">
            <Field labelWidth={LABEL_W} label="connection" value={`${sel.type} ${connectionTarget(sel.type, sel.params)}${sel.name ? ` (${sel.name})` : ''}`} />
            <Field labelWidth={LABEL_W} label="state" value={`${liveState(sel)}${st?.detail ? `: ${st.detail}` : ''}`} role={stateRole(liveState(sel))} />
            {c.mountPath(sel) ? <Field labelWidth={LABEL_W} label="mount path" value={c.mountPath(sel)} /> : null}
            {sel.type === 'iscsi' ? <Field labelWidth={LABEL_W} label="CHAP" value={sel.hasSecret ? `user ${(sel.params as { chapUser?: string }).chapUser ?? ''}, secret stored (encrypted)${sel.hasMutualSecret ? '; mutual CHAP' : ''}` : 'none'} /> : null}
            {sel.lastError && liveState(sel) !== 'connected' ? <Field labelWidth={LABEL_W} label="last error" value={`${sel.lastErrorAt ? `${eventTime(sel.lastErrorAt)} ` : ''}${sel.lastError}`} role="error" /> : null}
          </Box>
        ) : null}
      </Box>
    );
  };
}
