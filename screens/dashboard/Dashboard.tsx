// The home screen: the menu of screens (single-key shortcuts) beside a live
// status pane of this host, refreshed every 2 s.
import { Fragment, useEffect, useMemo, useState } from 'react';
import { Box, Text } from 'ink';
import { bind, useBindings } from '../../src/app/keys.ts';
import { useStores } from '../../src/app/stores.ts';
import type { Binding, ScreenProps } from '../../src/app/types.ts';
import type { HostOverview } from '../../src/core/host.ts';
import { formatDuration } from '../../src/domain/duration.ts';
import { formatBytes } from '../../src/domain/size.ts';
import { fsUsedPercent, fsUsedText } from '../../src/domain/fs-usage.ts';
import { usePolled } from '../../src/store/use-polled.ts';
import { Field, Meter } from '../../src/ui/Panel.tsx';
import stringWidth from '../../src/ui/string-width.ts';
import { tone, useTheme } from '../../src/ui/theme.ts';
import type { VirtSnapshot } from '../../src/store/host.ts';
import type { VmSnapshot } from '../../src/store/vms.ts';
import { useVmStore } from '../../src/store/use-vms.ts';
import { useStorageSummary } from '../storage-domains/use-domains.ts';
import { useServiceLine, type ServiceLine } from './service-line.ts';
import { alertLine, useOpenAlerts } from '../../src/store/alerts.ts';
import { networkStatusLine, networkSummaryStore, type NetSummary } from '../network/summary.ts';
import type { PolledStore } from '../../src/store/poller.ts';
import { DASHBOARD_KEYS as K } from './keys.ts';

export interface StatusLine { label: string; text: string; role?: 'ok' | 'warn' | 'error' | 'dim' }

/** The network / storage / engine status lines (later screens fill these in). */
export function statusLines(h: HostOverview | undefined, engineLabel: string, storageText: string): StatusLine[] {
  const m = h?.management;
  const net: StatusLine = !h ? { label: 'network', text: '…', role: 'dim' }
    : !m ? { label: 'network', text: 'no management interface (no default route, no global address)', role: 'warn' }
    : { label: 'network', text: `${m.iface} ${m.state.toLowerCase()}, ${m.addresses.filter((a) => a.scope === 'global').length} address(es), gateway ${h.gateway ?? h.gateway6 ?? 'none'}`, role: m.state === 'UP' || m.state === 'UNKNOWN' ? 'ok' : 'warn' };
  return [
    net,
    { label: 'storage', text: storageText, role: 'dim' },
    { label: 'engine', text: engineLabel, role: engineLabel.startsWith('unconfigured') ? 'dim' : /mismatch/.test(engineLabel) ? 'error' : 'ok' },
  ];
}

export function virtLine(v: VirtSnapshot | undefined): { text: string; role: 'ok' | 'warn' | 'error' | 'dim' } {
  if (!v) return { text: 'connecting…', role: 'dim' };
  const s = v.status;
  if (s.state === 'connected') return { text: `${s.uri} connected${s.version?.daemon ? `, libvirt ${s.version.daemon}` : s.version?.library ? `, ${s.version.library}` : ''}${s.version?.hypervisor ? `, ${s.version.hypervisor}` : ''}`, role: 'ok' };
  if (s.state === 'connecting') return { text: `${s.uri} connecting…`, role: 'dim' };
  const retry = s.retryAt ? Math.max(0, Math.ceil((s.retryAt - Date.now()) / 1000)) : 0;
  return { text: `disconnected: libvirtd not reachable, retrying${retry ? ` in ${retry}s` : ''} (${s.uri}${s.error ? `: ${s.error}` : ''})`, role: 'error' };
}

/** The network line with the backend, bonds and a pending apply (their poll starts programs: mounted after the first frame). */
function NetworkLine({ h, labelWidth, summary, wrapWidth }: { h: HostOverview; labelWidth: number; summary: PolledStore<NetSummary>; wrapWidth: number }) {
  const net = usePolled(summary);
  const s = networkStatusLine(h, net.data);
  return <Field labelWidth={labelWidth} label={s.label} value={s.text} role={s.role} wrapWidth={wrapWidth} />;
}

function HostPane({ h, v, vms, width, rows, engineLabel, storage, service, alerts, netSummary }: { h?: HostOverview; v?: VirtSnapshot; vms?: VmSnapshot; width: number; rows: number; engineLabel: string; storage: { text: string; role: StatusLine['role'] }; service: ServiceLine; alerts: ServiceLine; netSummary: PolledStore<NetSummary> }) {
  const t = useTheme();
  // The first frame draws the network line from the host overview (no
  // process); the backend, bonds and pending apply, which need programs,
  // follow once it is on screen.
  const [netPoll, setNetPoll] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setNetPoll(true), 0);
    return () => clearTimeout(timer);
  }, []);
  if (!h) return <Text {...tone(t, 'dim')}>Reading this host…</Text>;
  const vl = virtLine(v);
  // VM counts come from the vms store (the same one the VM list reads), not from a list of their own.
  const counts = v?.status.state === 'disconnected' ? undefined : vms?.counts;
  const lw = 16;
  // A value longer than the pane (a libvirt URI, the engine line) wraps under itself instead of being cut.
  const wrapWidth = width;
  // The meters leave the file-system lines room for their figures on one line (the meter's own " 27% " is 6).
  const fsTextW = Math.max(0, ...h.filesystems.map((f) => stringWidth(fsUsedText(f, { percent: false }))));
  const meterW = Math.max(5, Math.min(30, width - lw - 6 - fsTextW));
  const addrs = h.management?.addresses.map((a) => `${a.address}/${a.prefix}`).join(' ') ?? '';
  const fsRows = Math.max(1, rows - 19);
  return (
    <Box flexDirection="column" width={width}>
      <Field wrapWidth={wrapWidth} labelWidth={lw} label="host" value={`${h.hostname}${h.fqdn && h.fqdn !== h.hostname ? ` (${h.fqdn})` : ''}`} />
      <Field wrapWidth={wrapWidth} labelWidth={lw} label="system" value={`${h.os}, kernel ${h.kernel}, up ${formatDuration(h.uptimeSec)}`} />
      <Field wrapWidth={wrapWidth} labelWidth={lw} label="cpu" value={`${h.cpu.model} · ${h.cpu.cores} cores, ${h.cpu.threads} threads`} />
      <Field wrapWidth={wrapWidth} labelWidth={lw} label="virtualization" value={h.virt.usable ? `KVM usable${h.virt.reason ? ` (${h.virt.reason})` : ''}` : `emulation only (TCG): ${h.virt.reason ?? 'KVM not usable'}`} role={h.virt.usable ? 'ok' : 'warn'} />
      <Field wrapWidth={wrapWidth} labelWidth={lw} label="memory" value={<Text><Meter ratio={h.memory.usedKiB / Math.max(1, h.memory.totalKiB)} width={meterW} /> {formatBytes(h.memory.usedKiB * 1024)} / {formatBytes(h.memory.totalKiB * 1024)}</Text>} />
      <Field wrapWidth={wrapWidth} labelWidth={lw} label="load" value={`${h.load.map((l) => l.toFixed(2)).join('  ')}  (${h.cpu.threads} threads)`} role={h.load[0] > h.cpu.threads ? 'warn' : undefined} />
      {h.filesystems.slice(0, fsRows).map((f) => (
        <Field key={f.mount} wrapWidth={wrapWidth} labelWidth={lw} label={`fs ${f.mount}`.slice(0, lw - 1)} value={<Text><Meter ratio={fsUsedPercent(f) / 100} width={meterW} /> {fsUsedText(f, { percent: false })}</Text>} />
      ))}
      <Field wrapWidth={wrapWidth} labelWidth={lw} label="management" value={h.management ? `${h.management.iface} ${h.management.state.toLowerCase()}  ${addrs || 'no address'}` : 'none'} role={h.management ? undefined : 'warn'} />
      <Field wrapWidth={wrapWidth} labelWidth={lw} label="gateway" value={[h.gateway, h.gateway6].filter(Boolean).join(', ') || 'none'} />
      <Field wrapWidth={wrapWidth} labelWidth={lw} label="dns" value={`${h.dns.join(' ') || 'none'}${h.searchDomains.length ? `  search ${h.searchDomains.join(' ')}` : ''}`} />
      <Field wrapWidth={wrapWidth} labelWidth={lw} label="libvirt" value={vl.text} role={vl.role} />
      <Field wrapWidth={wrapWidth} labelWidth={lw} label="vms" value={counts ? `${counts.total} total · ${counts.running} running · ${counts.paused} paused · ${counts.shutoff} shut off${counts.crashed ? ` · ${counts.crashed} crashed` : ''}` : v?.status.state === 'disconnected' ? 'unknown while libvirt is disconnected' : '…'} role={counts ? undefined : 'dim'} />
      {statusLines(h, engineLabel, storage.text).map((s) => (s.label === 'storage' ? { ...s, role: storage.role } : s)).map((s) => (s.label === 'network' ? networkStatusLine(h, undefined) : s)).map((s) => (
        s.label === 'network' && netPoll ? <NetworkLine key={s.label} h={h} labelWidth={lw} summary={netSummary} wrapWidth={wrapWidth} /> : <Field key={s.label} wrapWidth={wrapWidth} labelWidth={lw} label={s.label} value={s.text} role={s.role} />
      ))}
      <Field wrapWidth={wrapWidth} labelWidth={lw} label="service" value={service.text} role={service.role} />
      <Field wrapWidth={wrapWidth} labelWidth={lw} label="alerts" value={alerts.text} role={alerts.role} />
    </Box>
  );
}

const menuLine = (e: { key?: string; title: string }) => `${e.key ? `${e.key} ` : '  '}${e.title}`;

/**
 * The lines cut to `width` columns with an ellipsis, as a truncating Text
 * would show them; undefined when a line is not one column per character
 * (the menu then draws a Text per line and lets ink measure).
 */
export function fitLines(lines: readonly string[], width: number): string[] | undefined {
  if (lines.some((l) => stringWidth(l) !== l.length)) return undefined;
  return lines.map((l) => (l.length > width ? `${l.slice(0, width - 1)}…` : l));
}

/**
 * Which menu entries fit in `room` lines with `sel` among them: all when they
 * fit, else a window that follows the selection, a line above and below it
 * saying how many more there are (the screens are more than a serial
 * console's rows).
 */
export function menuWindow(count: number, sel: number, room: number): { first: number; end: number } {
  if (count <= room) return { first: 0, end: count };
  const withOne = Math.max(1, room - 1);
  if (sel < withOne - 1) return { first: 0, end: withOne };
  if (sel > count - withOne) return { first: count - withOne, end: count };
  const slots = Math.max(1, room - 2);
  const first = Math.max(1, Math.min(sel - Math.floor(slots / 2), count - slots - 1));
  return { first, end: first + slots };
}

export function Dashboard({ shell, active }: ScreenProps) {
  const t = useTheme();
  const stores = useStores();
  const host = usePolled(stores.host);
  const virt = usePolled(stores.virt);
  const vms = useVmStore(stores.vms);
  const entries = useMemo(() => shell.screens.filter((s) => s.inMenu !== false && s.id !== 'dashboard'), [shell.screens]);
  const [sel, setSel] = useState(0);
  const mode = usePolled(stores.mode);
  // Under 100 columns (the serial console's 80) the host pane takes the whole width, its values
  // wrapped rather than cut; the screens stay on their keys, in the footer, ? and the palette.
  const showMenu = shell.size.columns >= 100;
  const storage = useStorageSummary(shell.core);
  const service = useServiceLine(shell.core);
  const openAlerts = useOpenAlerts(shell.core);
  const alerts = alertLine(openAlerts.alerts, openAlerts.error);
  const engineLabel = mode.data ? (mode.data.mode === 'unconfigured' ? 'unconfigured: not registered with an engine, not standalone' : mode.data.summary) : '…';
  const bindings: Binding[] = [
    ...entries.filter((e) => e.key).map((e) => ({ keys: [e.key!], description: e.title, action: () => shell.push(e.id), group: 'Open' })),
    bind(K.previousMenuEntry, { when: showMenu, action: () => setSel((s) => Math.max(0, s - 1)), footer: false }),
    bind(K.nextMenuEntry, { when: showMenu, action: () => setSel((s) => Math.min(entries.length - 1, s + 1)), footer: false }),
    bind(K.open, { when: showMenu, action: () => { const e = entries[sel]; if (e) shell.push(e.id); }, footer: false }),
    bind(K.refresh, { action: () => { void stores.host.refresh(); void stores.virt.refresh(); void stores.vms.refresh(); } }),
  ];
  useBindings(bindings);
  void active;
  // Room for the longest entry, "c Storage connections", inside the border and padding.
  const menuW = 25;
  const selected = t.color ? { backgroundColor: t.selectBg, color: t.selectFg } : { inverse: true };
  // The rows inside the border: the title, the entries, a blank line, the selected entry's description (wrapped), the palette hint.
  const descLines = Math.ceil(stringWidth(entries[sel]?.description ?? '') / (menuW - 4)) + 1;
  const win = menuWindow(entries.length, sel, Math.max(3, shell.size.rows - 5 - descLines));
  const shown = entries.slice(win.first, win.end);
  const more = { above: win.first ? `(${win.first} more above)` : undefined, below: win.end < entries.length ? `(${entries.length - win.end} more below)` : undefined };
  const menuLines = fitLines(shown.map(menuLine), menuW - 4);
  const paneW = Math.max(20, shell.size.columns - (showMenu ? menuW : 0) - 4);
  return (
    <Box flexDirection="row" height={shell.size.rows}>
      {showMenu ? <Box flexDirection="column" width={menuW} borderStyle="round" {...(t.color ? { borderColor: t.border } : {})} paddingX={1}>
        {menuLines ? (
          // The title, the entries and the selected entry's description in one Text: one layout node instead of one per line.
          <Text>
            <Text bold {...tone(t, 'accent')}>Menu</Text>
            {more.above ? <>{'\n'}<Text {...tone(t, 'dim')}>{more.above}</Text></> : null}
            {menuLines.map((line, i) => (
              <Fragment key={shown[i]!.id}>{'\n'}<Text {...(win.first + i === sel ? selected : {})}>{line}</Text></Fragment>
            ))}
            {more.below ? <>{'\n'}<Text {...tone(t, 'dim')}>{more.below}</Text></> : null}
            {'\n\n'}<Text {...tone(t, 'dim')}>{entries[sel]?.description ?? ''}</Text>
          </Text>
        ) : (
          <>
            <Text bold {...tone(t, 'accent')}>Menu</Text>
            {more.above ? <Text {...tone(t, 'dim')}>{more.above}</Text> : null}
            {shown.map((e, i) => (
              <Text key={e.id} wrap="truncate" {...(win.first + i === sel ? selected : {})}>{menuLine(e)}</Text>
            ))}
            {more.below ? <Text {...tone(t, 'dim')}>{more.below}</Text> : null}
            <Box marginTop={1}><Text wrap="wrap" {...tone(t, 'dim')}>{entries[sel]?.description ?? ''}</Text></Box>
          </>
        )}
        <Box flexGrow={1} />
        <Text {...tone(t, 'dim')} wrap="truncate">: palette  ? help</Text>
      </Box> : null}
      {/* Clipped only vertically: every line is truncated to the pane's width, and a horizontal clip makes ink slice each line of every frame. */}
      <Box flexDirection="column" flexGrow={1} borderStyle="round" {...(t.color ? { borderColor: t.border } : {})} paddingX={1} overflowY="hidden">
        <HostPane h={host.data} v={virt.data} vms={vms.data} width={paneW} rows={shell.size.rows - 2} engineLabel={engineLabel} storage={storage} service={service} alerts={alerts} netSummary={networkSummaryStore(shell.core.network)} />
        {host.error ? <Text {...tone(t, 'error')} wrap="truncate">Could not read the host: {host.error}</Text> : null}
      </Box>
    </Box>
  );
}
