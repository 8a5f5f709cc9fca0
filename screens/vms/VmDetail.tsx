// One VM: its configuration summary, the live figures of the last tick and
// braille line charts of CPU, memory, disk and network over the last 5, 15
// or 60 minutes (from the vms store's history rings), or the last day, week,
// month or year (from the history, with the rings over its last hour).
import { useEffect, useState, memo } from 'react';
import { Box, Text } from 'ink';
import { bind, useBindings } from '../../src/app/keys.ts';
import { useSelectedObject } from '../../src/app/screen-state.ts';
import { useStores } from '../../src/app/stores.ts';
import { stepRefresh } from '../../src/store/refresh.ts';
import type { Binding, ScreenProps } from '../../src/app/types.ts';
import { formatPercent, vmMemoryKiB } from '../../src/domain/vm-figures.ts';
import { compactBytes } from '../../src/domain/size.ts';
import { compactDuration } from '../../src/domain/duration.ts';
import { formatBytes } from '../../src/domain/size.ts';
import { diskText, nicText, vmFirmware } from '../../src/domain/vm-display.ts';
import { CHART_WINDOWS, joinHistory, LEVEL_STEP_MS, nextWindow } from '../../src/domain/chart-windows.ts';
import { historySource, useHistorySeries } from '../../src/app/use-history-series.ts';
import { Chart } from '../../src/ui/Chart.tsx';
import { Field } from '../../src/ui/Panel.tsx';
import { tone, useTheme } from '../../src/ui/theme.ts';
import type { DomainInfo } from '../../src/virt/types.ts';
import { vmActionBindings } from './actions.ts';
import { useVmStore } from '../../src/store/use-vms.ts';
import { VMS_KEYS as K } from './keys.ts';

/** Disk and NIC lines above the charts; beyond them the last line points to `vm show`. */
const MAX_DEVICE_LINES = 4;

const rate = (v: number) => `${compactBytes(v)}/s`;

// memo: the shell's clock redraws the header every second; the screen redraws only for its own data.
export const VmDetail = memo(function VmDetail({ shell, params }: ScreenProps) {
  const t = useTheme();
  const stores = useStores();
  const name = String(params.name ?? '');
  useSelectedObject({ kind: 'vm', label: name, params: { name } });
  const vm = useVmStore(stores.vms);
  const row = vm.data?.byName.get(name);
  const [windowIndex, setWindowIndex] = useState(0);
  const win = CHART_WINDOWS[windowIndex]!;
  const [info, setInfo] = useState<DomainInfo>();
  const [infoError, setInfoError] = useState<string>();
  // The configuration: read once when opened and again when the state changes (not every tick).
  const state = row?.state;
  useEffect(() => {
    let gone = false;
    shell.core.vms.get(name).then((i) => { if (!gone) { setInfo(i); setInfoError(undefined); } }, (e: Error) => { if (!gone) setInfoError(e.message); });
    return () => { gone = true; };
  }, [name, state, shell.core]);

  const bindings: Binding[] = [
    ...vmActionBindings(row ?? (info ? { ...info } : undefined), shell),
    bind(K.longerWindow, { description: `Longer window (now ${win.label})`, action: () => setWindowIndex((w) => nextWindow(w, 1)) }),
    bind(K.shorterWindow, { action: () => setWindowIndex((w) => nextWindow(w, -1)) }),
    bind(K.refreshFaster, { description: `Refresh faster (now ${vm.intervalMs / 1000} s)`, action: () => stepRefresh(stores, -1), footer: false }),
    bind(K.refreshSlower, { action: () => stepRefresh(stores, 1), footer: false }),
  ];
  useBindings(bindings);
  const now = vm.data?.at ?? Date.now();
  const past = useHistorySeries(shell.core, { kind: 'vm', uuid: row?.uuid ?? '' }, win, now);

  if (!row && !vm.loading && vm.data) return <Text {...tone(t, 'error')}>No VM named {name} on this host (it may have been removed).</Text>;
  if (!row) return <Text {...tone(t, 'dim')}>Reading {name}…</Text>;

  const width = shell.size.columns - 2;
  const lw = 10;
  // Each disk and NIC on a line of its own, as `hostdeck vm show` lists them (paths and MACs are long).
  const d = info?.details;
  const devices = d ? [['firmware', `${vmFirmware(d.os)} · CPU ${d.cpu ?? 'QEMU default'}`], ...d.disks.map((x) => [`disk ${x.target}`, diskText(x)]), ...d.interfaces.map((x) => ['nic', nicText(x)])] : [];
  const shownDevices = devices.length > MAX_DEVICE_LINES ? [...devices.slice(0, MAX_DEVICE_LINES - 1), ['more', `${devices.length - MAX_DEVICE_LINES + 1} more: hostdeck vm show ${name}`]] : devices;
  // The summary in two columns where each holds a uuid beside its label, else in one (80 columns):
  // side by side there, values would run into the next column.
  const twoColumns = width >= 2 * (lw + 38) + 2;
  const summaryRows = (twoColumns ? 5 : 9) + shownDevices.length;
  const chartRows = Math.max(2, Math.floor((shell.size.rows - summaryRows - 2) / 2) - 1);
  const chartW = Math.max(20, Math.floor((width - 2) / 2));
  const from = now - win.ms;
  // A long window: the history's averages, the live ring over its last hour.
  const LIVE_MS = CHART_WINDOWS[2]!.ms;
  const FIGURE = { cpu: 'cpu_pct', memory: 'mem_used_kib', diskRead: 'disk_read_bps', diskWrite: 'disk_write_bps', netRx: 'net_rx_bps', netTx: 'net_tx_bps' } as const;
  const h = (s: keyof typeof FIGURE) => {
    const live = stores.vms.history(name, s, Math.min(win.ms, LIVE_MS), now);
    return win.history ? joinHistory(past.avg[FIGURE[s]] ?? [], live, LEVEL_STEP_MS[past.level ?? 'minute']) : live;
  };
  const peak = win.history && past.level && past.level !== 'minute' ? [{ label: 'peak', points: joinHistory(past.max.cpu_pct ?? [], [], LEVEL_STEP_MS[past.level]), role: 'warn' as const }] : [];
  return (
    <Box flexDirection="column" height={shell.size.rows} paddingX={1}>
      <Box height={twoColumns ? 5 : 9} flexDirection={twoColumns ? 'row' : 'column'}>
        <Box flexDirection="column" width={twoColumns ? Math.floor(width / 2) - 1 : width} marginRight={twoColumns ? 2 : 0}>
          <Field labelWidth={lw} label="vm" value={`${row.name} (${row.state}${row.uptimeSec !== undefined ? `, up ${compactDuration(row.uptimeSec)}` : ''})`} role={row.state === 'running' ? 'ok' : row.state === 'crashed' ? 'error' : row.state === 'shutoff' ? 'dim' : 'warn'} />
          <Field labelWidth={lw} label="uuid" value={row.uuid || '-'} />
          <Field labelWidth={lw} label="cpu" value={`${row.vcpus} vCPU · ${formatPercent(row.cpuPercent)} %${row.cpuPercentHost !== undefined ? ` (${formatPercent(row.cpuPercentHost)} % of host)` : ''}`} />
          <Field labelWidth={lw} label="memory" value={`${formatBytes(row.memoryKiB * 1024)} of ${formatBytes(row.maxMemoryKiB * 1024)}${row.guestUsedKiB !== undefined ? ` · guest uses ${formatBytes(row.guestUsedKiB * 1024)}` : ''}`} />
          <Field labelWidth={lw} label="config" value={info ? `${[d?.type, d?.os.arch, d?.os.machine].filter(Boolean).join(' ')} · ${info.persistent ? 'persistent' : 'transient'} · ${info.snapshots} snapshot${info.snapshots === 1 ? '' : 's'}` : infoError ? `cannot read: ${infoError}` : '…'} role={infoError ? 'error' : undefined} />
        </Box>
        <Box flexDirection="column" flexGrow={1}>
          <Field labelWidth={lw} label="autostart" value={info ? (info.autostart ? 'on (starts with the host)' : 'off') : '…'} />
          <Field labelWidth={lw} label="disk i/o" value={`read ${rate(row.diskReadBps)} ${Math.round(row.diskReadIops)} IOPS · write ${rate(row.diskWriteBps)} ${Math.round(row.diskWriteIops)} IOPS`} />
          <Field labelWidth={lw} label="network" value={`rx ${rate(row.netRxBps)} · tx ${rate(row.netTxBps)}`} />
          <Field labelWidth={lw} label="charts" value={`last ${win.label} (< >) · every ${vm.intervalMs / 1000} s (+ -)`} role="dim" />
        </Box>
      </Box>
      {shownDevices.map(([label, value], i) => <Field key={i} labelWidth={lw} label={label!} value={value} />)}
      <Box flexDirection="row" marginTop={1}>
        <Chart title={win.history ? `CPU % (${win.label}${historySource(win, past)})` : 'CPU %'} width={chartW} height={chartRows} from={from} to={now} max={100} formatMax={(v) => `${v}%`}
          lines={[{ label: 'cpu', points: h('cpu'), current: `${formatPercent(row.cpuPercent)}%`, role: 'ok' }, ...peak]} />
        <Box width={2} />
        <Chart title="Memory" width={chartW} height={chartRows} from={from} to={now} max={Math.max(row.maxMemoryKiB, 1)} formatMax={(v) => compactBytes(v * 1024)}
          lines={[{ label: row.guestUsedKiB !== undefined ? 'guest used' : 'current', points: h('memory'), current: compactBytes(vmMemoryKiB(row) * 1024), role: 'info' }]} />
      </Box>
      <Box flexDirection="row" marginTop={1}>
        <Chart title="Disk" width={chartW} height={chartRows} from={from} to={now} formatMax={(v) => `${compactBytes(v)}/s`}
          lines={[{ label: 'read', points: h('diskRead'), current: rate(row.diskReadBps), role: 'ok' }, { label: 'write', points: h('diskWrite'), current: rate(row.diskWriteBps), role: 'warn' }]} />
        <Box width={2} />
        <Chart title="Network" width={chartW} height={chartRows} from={from} to={now} formatMax={(v) => `${compactBytes(v)}/s`}
          lines={[{ label: 'rx', points: h('netRx'), current: rate(row.netRxBps), role: 'ok' }, { label: 'tx', points: h('netTx'), current: rate(row.netTxBps), role: 'info' }]} />
      </Box>
    </Box>
  );
});
