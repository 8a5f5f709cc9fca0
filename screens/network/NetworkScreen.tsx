// The Network screen: every NIC, bond, VLAN and bridge with link state,
// speed, MTU, membership, addresses and the LLDP neighbour; a detail pane
// for the selected one; the backend in use; what is staged; an apply that
// waits for confirmation. Actions are key bindings (dangerous ones drop out
// in read-only mode); forms stage changes through net-core's service.
import { memo, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { Box, Text } from 'ink';
import { bind, keyLabel, useBindings } from '../../src/app/keys.ts';
import { useSelection } from '../../src/app/list.ts';
import type { Binding, ScreenProps } from '../../src/app/types.ts';
import { allLinks, type NetInventory, type NetLink } from '../../src/core/network.ts';
import type { NetState, NetStore } from '../../src/store/net.ts';
import { Field } from '../../src/ui/Panel.tsx';
import { Table, type Column } from '../../src/ui/Table.tsx';
import { tone, useTheme, type Theme } from '../../src/ui/theme.ts';
import type { ManagementRisk } from '../../src/domain/net/impact.ts';
import { applyChanges, type IfaceConfig, type NetConfig } from '../../src/domain/net/model.ts';
import { RiskNote, diffRole, diffText, risksOf } from './Risk.tsx';
import { addressLabel, backendLabel, linkRole, nicRows, secondsLeft, speedLabel, type NicRow } from './view.ts';
import { stagedChanges } from '../../src/domain/counts.ts';
import { NETWORK_KEYS as K } from './keys.ts';
import { errorNotice } from '../../src/ui/error-notice.ts';

/** The store's state; the first screen that opens attaches net-core's service (it needs the state DB) and the event log (it follows staging elsewhere). */
export function useNet(store: NetStore, shell?: { core: { network: NonNullable<NetStore['net']> } }): NetState {
  if (shell) store.attach(shell.core);
  return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
}

const KIND_LABEL: Record<NetLink['kind'], string> = { ethernet: 'nic', bond: 'bond', vlan: 'vlan', bridge: 'bridge', other: 'other' };

function globalAddrs(l: NetLink): string {
  return l.addresses.filter((a) => a.scope === 'global').map((a) => a.cidr).join(' ') || (l.memberOf ? '' : '-');
}

function lldpText(l: NetLink): string {
  return l.kind === 'ethernet' && l.lldp ? `${l.lldp.chassis} ${l.lldp.port}` : '';
}

/** What a staged interface will have: its static addresses, or how it gets them. */
function stagedAddrs(i: IfaceConfig): string {
  const parts = [i.ipv4, i.ipv6].map((ip) => (ip.method === 'static' ? ip.addresses.join(' ') : ip.method === 'none' ? '' : ip.method));
  return parts.filter(Boolean).join(' ') || (i.master ? '' : '-');
}

/**
 * The columns over a row of the host (its link) or a staged one (its desired
 * configuration). A staged row is dim, its name signed `+` (created) or `-`
 * (removed) and its last column says so: the signs read without colour.
 */
function columns(width: number): Column<NicRow>[] {
  const fixed = 10 + 6 + 5 + 6 + 5 + 8 + 7;
  const rest = Math.max(16, width - fixed - 4);
  const addrW = Math.max(12, Math.floor(rest * 0.6));
  const lldpW = Math.max(6, rest - addrW);
  const of = (host: (l: NetLink) => string, staged: (i: IfaceConfig) => string) => (r: NicRow) => (r.link ? host(r.link) : staged(r.iface!));
  const dim = (role?: (l: NetLink) => ReturnType<typeof linkRole>) => (r: NicRow) => (r.staged ? 'dim' as const : role && r.link ? role(r.link) : undefined);
  return [
    { id: 'name', title: 'NAME', width: 10, render: (r) => (r.staged ? `${r.staged} ${r.name}` : r.name), role: dim() },
    { id: 'kind', title: 'KIND', width: 6, render: of((l) => (l.kind === 'other' ? l.type : KIND_LABEL[l.kind]), (i) => KIND_LABEL[i.kind]), role: dim() },
    { id: 'link', title: 'LINK', width: 5, render: of((l) => l.link, () => ''), role: dim(linkRole) },
    { id: 'speed', title: 'SPEED', width: 6, align: 'right', render: of((l) => (l.kind === 'ethernet' ? speedLabel(l.speedMbps) : l.kind === 'bond' ? `${l.ports.filter((p) => p.link === 'up').length}/${l.ports.length}` : ''), () => ''), role: dim() },
    { id: 'mtu', title: 'MTU', width: 5, align: 'right', render: of((l) => String(l.mtu), (i) => (i.mtu ? String(i.mtu) : '')), role: dim() },
    { id: 'member', title: 'MEMBER', width: 8, render: of((l) => l.memberOf ?? (l.kind === 'vlan' ? `↑${l.parent}` : ''), (i) => i.master ?? (i.vlan ? `↑${i.vlan.parent}` : '')), role: dim() },
    { id: 'addr', title: 'ADDRESSES', width: addrW, render: of(globalAddrs, stagedAddrs), role: dim() },
    { id: 'lldp', title: 'LLDP', width: lldpW, render: (r) => (r.staged === '+' ? '+ staged' : r.staged === '-' ? '- staged' : lldpText(r.link!)), role: () => 'dim' },
  ];
}

/** The detail pane of a row a staged change creates: what it will be once applied (`want`: the configuration then). */
function StagedDetail({ i, want, t }: { i: IfaceConfig; want: NetConfig; t: Theme }) {
  const lw = 12;
  const ports = want.interfaces.filter((p) => p.master === i.name).map((p) => p.name).join(', ') || 'none';
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate" {...tone(t, 'accent')}>+ {i.name} · {i.kind} · staged: created when applied</Text>
      {i.bond ? <Field labelWidth={lw} label="mode" value={Object.entries(i.bond).map(([k, v]) => (k === 'mode' ? String(v) : `${k} ${Array.isArray(v) ? v.join(' ') : String(v)}`)).join(' · ')} /> : null}
      {i.kind === 'bond' || i.kind === 'bridge' ? <Field labelWidth={lw} label="ports" value={ports} /> : null}
      {i.vlan ? <Field labelWidth={lw} label="vlan" value={`id ${i.vlan.id} on ${i.vlan.parent}`} /> : null}
      {i.bridge ? <Field labelWidth={lw} label="bridge" value={`STP ${i.bridge.stp ? 'on' : 'off'}`} /> : null}
      <Field labelWidth={lw} label="addresses" value={stagedAddrs(i)} />
      <Text wrap="truncate" {...tone(t, 'dim')}>{keyLabel(K.apply.keys[0])} applies it · {keyLabel(K.delete.keys[0])} stages its removal · {keyLabel(K.discard.keys[0])} discards what is staged</Text>
    </Box>
  );
}

function Detail({ l, inv, t, removed }: { l: NetLink; inv: NetInventory; t: Theme; removed?: boolean }) {
  const lw = 12;
  const addrs = l.addresses.map(addressLabel).join('  ') || 'none';
  const gws = inv.gateways.filter((g) => g.dev === l.name).map((g) => g.gateway).join(', ');
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate" {...tone(t, 'accent')}>{l.name} · {l.kind === 'other' ? l.type : l.kind}{l.memberOf ? ` · port of ${l.memberOf}` : ''}{removed ? ' · - staged: removed when applied' : ''}</Text>
      <Field labelWidth={lw} label="link" value={`${l.link}${l.adminUp ? '' : ' (administratively down)'} · operstate ${l.operstate} · MTU ${l.mtu} · MAC ${l.mac ?? '-'}`} role={linkRole(l)} />
      <Field labelWidth={lw} label="addresses" value={`${addrs}${gws ? `  gateway ${gws}` : ''}`} />
      {l.kind === 'ethernet' ? (
        <>
          <Field labelWidth={lw} label="hardware" value={`driver ${l.driver ?? '?'} · ${l.bus ?? 'bus ?'} · speed ${speedLabel(l.speedMbps)}${l.duplex ? ` ${l.duplex} duplex` : ''}${l.permMac ? ` · permanent MAC ${l.permMac}` : ''}`} />
          <Field labelWidth={lw} label="LLDP" value={l.lldp ? `switch ${l.lldp.chassis} port ${l.lldp.port}${l.lldp.vlan ? ` vlan ${l.lldp.vlan}` : ''}${l.lldp.mgmtIp ? ` · ${l.lldp.mgmtIp}` : ''}` : inv.lldp.state === 'running' ? 'no neighbour heard' : inv.lldp.reason} role={l.lldp ? undefined : 'dim'} />
        </>
      ) : null}
      {l.kind === 'bond' ? (
        <>
          <Field labelWidth={lw} label="mode" value={`${l.mode}${Object.entries(l.options).length ? ` · ${Object.entries(l.options).map(([k, v]) => `${k} ${v}`).join(' · ')}` : ''}`} />
          <Field labelWidth={lw} label="ports" value={l.ports.length ? l.ports.map((p) => `${p.name} ${p.link}${p.state ? ` ${p.state}` : ''}${p.failures ? ` (${p.failures} failures)` : ''}`).join(' · ') + (l.activePort ? ` · active ${l.activePort}` : '') : 'none'} role={l.degraded ? 'warn' : 'ok'} />
        </>
      ) : null}
      {l.kind === 'vlan' ? <Field labelWidth={lw} label="vlan" value={`id ${l.id} on ${l.parent}${l.protocol ? ` (${l.protocol})` : ''}`} /> : null}
      {l.kind === 'bridge' ? <Field labelWidth={lw} label="bridge" value={`ports ${l.ports.join(', ') || 'none'} · STP ${l.stp ? 'on' : 'off'}`} /> : null}
    </Box>
  );
}

/** Bottom pane: an apply waiting for confirmation, or the staged changes. */
function StagedPane({ s, t, full, rows, risks }: { s: NetState; t: Theme; full: boolean; rows: number; risks: ManagementRisk[] }) {
  if (s.pending) {
    return (
      <Text wrap="truncate" {...tone(t, 'warn')}>
        An apply is waiting for confirmation ({s.pending.who}): rolling back in {secondsLeft(s.pending.deadline)} s. {K.apply.keys[0]} opens it.
      </Text>
    );
  }
  if (!s.staged.length) return <Text {...tone(t, 'dim')}>Nothing staged. Changes are staged first, then applied together with a confirmation.</Text>;
  // Under the heading: the lines that fit, keeping a row for the "… more lines" note when some do not.
  const room = Math.max(1, rows - 1);
  const lines = full || s.diff.length <= room ? s.diff : s.diff.slice(0, Math.max(1, room - 1));
  return (
    <Box flexDirection="column">
      <Text bold {...tone(t, 'accent')}>{stagedChanges(s.diff.length)} · {K.apply.keys[0]} apply · {K.discard.keys[0]} discard · {K.diff.keys[0]} {full ? 'hide' : 'show'} the diff</Text>
      <RiskNote risks={risks} t={t} />
      {lines.map((d, i) => <Text key={i} wrap="truncate" {...tone(t, diffRole(d))}>{diffText(d, risks)}</Text>)}
      {!full && s.diff.length > lines.length ? <Text {...tone(t, 'dim')}>… {s.diff.length - lines.length} more lines ({K.diff.keys[0]} shows all)</Text> : null}
    </Box>
  );
}

export function makeNetworkScreen(store: NetStore) {
  return memo(function NetworkScreen({ shell }: ScreenProps) {
    const t = useTheme();
    const s = useNet(store, shell);
    const inv = s.inventory;
    const links = useMemo(() => (inv ? allLinks(inv) : []), [inv]);
    // The staged set is live (the store follows staging here and from the CLI): its new interfaces are rows too.
    const want = useMemo(() => (s.config ? applyChanges(s.config, s.staged) : undefined), [s.config, s.staged]);
    const rows = useMemo(() => nicRows(links, s.config, s.staged), [links, s.config, s.staged]);
    const keys = useMemo(() => rows.map((r) => r.name), [rows]);
    const [showDiff, setShowDiff] = useState(false);
    const [, tick] = useState(0);
    // An identify in progress: the same key stops it; leaving the screen stops it too.
    const [blinking, setBlinking] = useState<string | undefined>();
    const stopBlink = useRef<AbortController | undefined>(undefined);
    useEffect(() => () => stopBlink.current?.abort(), []);
    // The countdown of an apply pending in another session redraws every second, only while there is one.
    useEffect(() => {
      if (!s.pending) return;
      let timer: ReturnType<typeof setTimeout>;
      const next = () => { timer = setTimeout(() => { tick((n) => n + 1); if (Date.now() > s.pending!.deadline + 1000) void store.refreshService(); next(); }, 1000); };
      next();
      return () => clearTimeout(timer);
    }, [s.pending]);
    const risks = useMemo(() => risksOf(s, s.staged), [s.config, s.inventory, s.staged]);
    // The warning takes up to two lines above the diff.
    const noteRows = risks.length && !s.pending ? 2 : 0;
    const bottomRows = (showDiff ? Math.max(4, Math.floor(shell.size.rows / 2)) : Math.min(5, 1 + Math.max(1, s.diff.length))) + noteRows;
    const detailRows = 7;
    const tableHeight = Math.max(4, shell.size.rows - 1 - detailRows - bottomRows - 1);
    const { selected, bindings: nav } = useSelection(keys, tableHeight - 1);
    const row = rows.find((r) => r.name === selected);
    const sel = row?.link;
    // What the keys act on: the selected interface, as the host has it or as a staged change creates it.
    const target = sel ? { name: sel.name, kind: sel.kind, memberOf: sel.memberOf } : row?.iface ? { name: row.name, kind: row.iface.kind, memberOf: row.iface.master } : undefined;
    const removedWhy = row?.staged === '-' ? `${row.name} is staged for removal (${keyLabel(K.discard.keys[0])} discards what is staged)` : undefined;
    const svc = store.net;
    const noSvc = svc ? undefined : 'the network service (net-core) is not available in this build';
    const pendingWhy = s.pending ? 'an apply is waiting for confirmation' : undefined;
    const stageWhy = noSvc ?? pendingWhy;
    const form = (kind: string, target?: string) => shell.push('net-form', { kind, target });
    const deletable = target && (target.kind === 'bond' || target.kind === 'vlan' || target.kind === 'bridge');
    const b: Binding[] = [
      ...nav,
      bind(K.refresh, { footer: false, action: async () => { await store.refresh(); } }),
      bind(K.bond, { disabledReason: stageWhy, action: () => form('bond') }),
      bind(K.vlan, { footer: false, disabledReason: stageWhy, action: () => form('vlan', target && !row?.staged && (target.kind === 'ethernet' || target.kind === 'bond') ? target.name : undefined) }),
      bind(K.bridge, { footer: false, disabledReason: stageWhy, action: () => form('bridge') }),
      bind(K.edit, {
        description: target?.kind === 'bond' ? 'Edit bond' : 'IP settings', when: Boolean(target),
        disabledReason: stageWhy ?? removedWhy ?? (target?.memberOf ? `${target.name} is a port of ${target.memberOf}; edit ${target.memberOf}` : undefined),
        action: () => form(target!.kind === 'bond' ? 'bond-edit' : 'ip', target!.name)
      }),
      bind(K.ip, { footer: false, when: Boolean(target), disabledReason: stageWhy ?? removedWhy ?? (target?.memberOf ? `${target.name} is a port of ${target.memberOf}; set the address on ${target.memberOf}` : undefined), action: () => form('ip', target!.name) }),
      bind(K.mtu, { footer: false, when: Boolean(target), disabledReason: stageWhy ?? removedWhy, action: () => form('mtu', target!.name) }),
      bind(K.dns, { footer: false, disabledReason: stageWhy, action: () => form('dns') }),
      bind(K.hostname, { footer: false, disabledReason: stageWhy, action: () => form('hostname') }),
      bind(K.delete, {
        description: `Delete ${target?.kind ?? ''}`.trim(), footer: false, when: Boolean(deletable),
        disabledReason: stageWhy ?? removedWhy, confirm: target ? `Stage deleting ${target.kind} ${target.name}? Nothing changes until you apply.` : undefined,
        action: async () => {
          const op = target!.kind === 'bond' ? 'bond.delete' : target!.kind === 'vlan' ? 'vlan.delete' : 'bridge.delete';
          try {
            await svc!.stage({ op, name: target!.name });
            shell.notify('success', `Staged: delete ${target!.kind} ${target!.name} (${K.apply.keys[0]} applies)`);
          } catch (e) {
            shell.notify(...errorNotice(e, 'Not staged'));
          }
          await store.refreshService();
        }
      }),
      bind(K.identify, {
        description: blinking ? `Stop identify (${blinking})` : 'Identify (blink LED)', footer: false,
        when: sel?.kind === 'ethernet' || blinking !== undefined,
        disabledReason: !blinking && sel?.kind === 'ethernet' && sel.identifySupported === false ? `identify is not supported by driver ${sel.driver ?? '(none)'}` : undefined,
        action: async () => {
          if (stopBlink.current) { stopBlink.current.abort(); return; }
          if (sel?.kind !== 'ethernet') return;
          const stop = new AbortController();
          stopBlink.current = stop;
          setBlinking(sel.name);
          shell.notify('info', `Blinking ${sel.name}'s port LED for 10 s… (${K.identify.keys[0]} again stops it)`);
          try {
            const r = await svc!.identify(sel, 10, { signal: stop.signal });
            shell.notify(r.ok ? (r.cancelled ? 'info' : 'success') : 'error', r.message);
          } catch (e) {
            shell.notify(...errorNotice(e, 'Not identified'));
          } finally {
            if (stopBlink.current === stop) stopBlink.current = undefined;
            setBlinking(undefined);
          }
        }
      }),
      bind(K.diff, { description: showDiff ? 'Hide diff' : 'Staged diff', when: s.staged.length > 0, action: () => setShowDiff((v) => !v) }),
      bind(K.apply, {
        description: s.pending ? 'Confirm or roll back' : 'Apply', disabledReason: noSvc ?? (s.pending || s.staged.length ? undefined : 'nothing is staged'),
        action: () => shell.push('net-apply')
      }),
      bind(K.discard, {
        footer: false, when: s.staged.length > 0,
        confirm: `Discard ${stagedChanges(s.diff.length)}? The host's network is not touched.`,
        action: async () => {
          try {
            const n = await svc!.discard();
            shell.notify('success', `Discarded ${stagedChanges(n)}`);
          } catch (e) {
            shell.notify(...errorNotice(e, 'Not discarded'));
          }
          await store.refreshService();
        }
      }),
      bind(K.tools, { action: () => shell.push('net-tools') }),
      bind(K.wizard, { footer: false, disabledReason: stageWhy, action: () => shell.push('network-wizard') }),
    ];
    useBindings(b);

    const width = shell.size.columns - 2;
    const cols = useMemo(() => columns(width), [width]);
    const gw = inv?.gateways.map((g) => `${g.gateway} (${g.dev})`).join(', ') || 'none';
    return (
      <Box flexDirection="column" height={shell.size.rows} paddingX={1} overflow="hidden">
        <Text wrap="truncate">
          <Text {...tone(t, 'dim')}>backend </Text><Text {...(s.backend ? tone(t, 'accent') : tone(t, 'dim'))}>{backendLabel(s)}</Text>
          <Text {...tone(t, 'dim')}> · host </Text>{inv?.hostname || '…'}
          <Text {...tone(t, 'dim')}> · gateway </Text>{gw}
          <Text {...tone(t, 'dim')}> · DNS </Text>{inv?.dns.servers.join(' ') || 'none'}
          <Text {...tone(t, 'dim')}> · LLDP </Text>{inv ? (inv.lldp.state === 'running' ? 'on' : 'off') : '…'}
        </Text>
        {s.inventoryError ? <Text wrap="truncate" {...tone(t, 'error')}>Cannot read the interfaces: {s.inventoryError}</Text> : null}
        <Table rows={rows} columns={cols} rowKey={(r) => r.name} selectedKey={selected} height={tableHeight} width={width}
          empty={s.loading ? 'Reading interfaces…' : 'No network interfaces found.'} />
        <Box height={detailRows} flexDirection="column" overflow="hidden">
          {sel && inv && !showDiff ? <Detail l={sel} inv={inv} t={t} removed={row?.staged === '-'} /> : null}
          {row?.iface && want && !showDiff ? <StagedDetail i={row.iface} want={want} t={t} /> : null}
        </Box>
        <Box flexDirection="column" height={bottomRows} overflow="hidden">
          <StagedPane s={s} t={t} full={showDiff} rows={bottomRows - noteRows} risks={risks} />
          {s.serviceError ? <Text wrap="truncate" {...tone(t, 'error')}>Network service: {s.serviceError}</Text> : null}
        </Box>
      </Box>
    );
  });
}
