// The host monitor: per-core bars, memory and swap, load, per-NIC and
// per-disk throughput, file systems, temperatures where reported, and charts
// of CPU, memory, network and disk over the last 5, 15 or 60 minutes (the
// live rings) or the last day, week, month or year (the history, with the
// rings over its last hour), and between them the busiest and the largest
// processes.
import { useState, memo } from 'react';
import { Box, Text } from 'ink';
import { bind, useBindings } from '../../src/app/keys.ts';
import { useStores } from '../../src/app/stores.ts';
import { stepRefresh } from '../../src/store/refresh.ts';
import type { Binding, ScreenProps } from '../../src/app/types.ts';
import { compactBytes } from '../../src/domain/size.ts';
import { fsUsedPercent } from '../../src/domain/fs-usage.ts';
import { useHostMetrics } from '../../src/store/use-vms.ts';
import { hbar } from '../../src/ui/braille.ts';
import { fitCell } from '../../src/ui/cell.ts';
import { Chart } from '../../src/ui/Chart.tsx';
import { tone, useTheme } from '../../src/ui/theme.ts';
import { CHART_WINDOWS, joinHistory, LEVEL_STEP_MS, nextWindow } from '../../src/domain/chart-windows.ts';
import { historySource, useHistorySeries } from '../../src/app/use-history-series.ts';
import { HOST_MONITOR_KEYS as K } from './keys.ts';
import { bothOrders, ProcessList, type ProcessOrder } from './ProcessList.tsx';

const rate = (v: number) => `${compactBytes(v)}/s`;

function Bar({ label, labelWidth, ratio, text, width }: { label: string; labelWidth: number; ratio: number; text: string; width: number }) {
  // A label too long for its room (a deep mount point) keeps its end, which tells it from its neighbours.
  const t = useTheme();
  const role = ratio >= 0.9 ? 'error' : ratio >= 0.75 ? 'warn' : 'ok';
  return (
    <Text wrap="truncate">
      <Text {...tone(t, 'dim')}>{fitCell(label, labelWidth - 1, 'left', 'end')} </Text>
      <Text {...tone(t, role)}>{hbar(ratio, width)}</Text>
      <Text> {text}</Text>
    </Text>
  );
}

// memo: the shell's clock redraws the header every second; the screen redraws only for its own data.
export const HostMonitor = memo(function HostMonitor({ shell }: ScreenProps) {
  const t = useTheme();
  const stores = useStores();
  const st = useHostMetrics(stores.hostMetrics);
  const [windowIndex, setWindowIndex] = useState(0);
  const win = CHART_WINDOWS[windowIndex]!;
  const [order, setOrder] = useState<ProcessOrder>('cpu');
  const both = bothOrders(shell.size.columns - 2);
  const orderReason = both ? 'both orders are shown at this width' : undefined;
  const bindings: Binding[] = [
    bind(K.longerWindow, { description: `Longer window (now ${win.label})`, action: () => setWindowIndex((w) => nextWindow(w, 1)) }),
    bind(K.shorterWindow, { action: () => setWindowIndex((w) => nextWindow(w, -1)) }),
    bind(K.refreshFaster, { description: `Refresh faster (now ${st.intervalMs / 1000} s)`, action: () => stepRefresh(stores, -1) }),
    bind(K.refreshSlower, { action: () => stepRefresh(stores, 1) }),
    bind(K.processesByCpu, { action: () => setOrder('cpu'), disabledReason: orderReason, footer: !both }),
    bind(K.processesByMemory, { action: () => setOrder('memory'), disabledReason: orderReason, footer: !both }),
  ];
  useBindings(bindings);
  const m = st.data;
  const past = useHistorySeries(shell.core, { kind: 'host' }, win, m?.at ?? 0);
  if (!m) return <Text {...tone(t, st.error ? 'error' : 'dim')}>{st.error ? `Cannot read the host's figures: ${st.error}` : 'Reading the host…'}</Text>;

  const width = shell.size.columns - 2;
  const leftW = Math.floor(width / 2) - 1;
  // Labels as wide as the longest mount point shown (/check, /var/lib/libvirt/images), as long as the bars keep 8 columns.
  const BAR_MIN = 8;
  const BAR_TEXT = 18;
  const labelW = Math.max(6, Math.min(leftW - BAR_MIN - BAR_TEXT, 1 + Math.max(0, ...m.filesystems.slice(0, 3).map((f) => f.mount.length))));
  const barW = Math.max(BAR_MIN, leftW - labelW - BAR_TEXT);
  const GiB = (b: number) => `${(b / 1024 ** 3).toFixed(1)}G`;
  const rowsAvail = shell.size.rows;
  // Four charts side by side where each gets 28 columns, else two by two (80 columns): a chart
  // of 18 columns cannot show its title and values.
  const across = Math.floor((width - 3) / 4) >= 28 ? 4 : 2;
  // The bars and the NIC and disk tables take what they show, up to half the screen (cores shown up to what fits).
  const topMax = Math.ceil(rowsAvail / 2);
  const fsRows = Math.min(3, m.filesystems.length);
  const fixedLeft = 4 + (m.temperatures ? 1 : 0);
  const coreRows = Math.max(1, Math.min(m.cores.length, topMax - fixedLeft - fsRows));
  const ioRows = Math.max(1, Math.floor(rowsAvail / 4));
  const nicRows = Math.min(m.nics.length, ioRows);
  const diskRows = Math.max(1, Math.min(m.disks.length, ioRows));
  const topH = Math.min(topMax, Math.max(fixedLeft + coreRows + fsRows, 2 + nicRows + diskRows));
  // The rest goes to the processes (up to half of it) and the charts, which keep a title
  // line and 3 rows each (80x24: two by two, 4 processes); a list of under 2 processes is left out.
  const rest = rowsAvail - topH;
  const chartsMin = across === 4 ? 5 : 8;
  const fitted = Math.min(rest - chartsMin, Math.floor(rest / 2));
  const procH = fitted >= 3 ? fitted : 0;
  const chartsH = rest - procH;
  const chartRows = Math.max(2, (across === 4 ? chartsH - 1 : Math.floor(chartsH / 2)) - 1);
  const now = m.at;
  const from = now - win.ms;
  // A long window: the history's averages (memory in KiB there), the live ring over its last hour.
  const LIVE_MS = CHART_WINDOWS[2]!.ms;
  const FIGURE = { cpu: ['cpu_pct', 1], memory: ['mem_used_kib', 1024], netRx: ['net_rx_bps', 1], netTx: ['net_tx_bps', 1], diskRead: ['disk_read_bps', 1], diskWrite: ['disk_write_bps', 1] } as const;
  const h = (s: keyof typeof FIGURE) => {
    const live = stores.hostMetrics.history(s, Math.min(win.ms, LIVE_MS), now);
    if (!win.history) return live;
    const [figure, scale] = FIGURE[s];
    return joinHistory((past.avg[figure] ?? []).map((p) => ({ t: p.t, v: p.v * scale })), live, LEVEL_STEP_MS[past.level ?? 'minute']);
  };
  const title = (what: string) => `${what} (${win.label}${historySource(win, past)})`;
  const peak = win.history && past.level && past.level !== 'minute' ? [{ label: 'peak', points: joinHistory(past.max.cpu_pct ?? [], [], LEVEL_STEP_MS[past.level]), role: 'warn' as const }] : [];
  // Each legend's current value is its series' latest point: the same sum over NICs and disks the chart draws.
  const latest = (s: Parameters<typeof h>[0], text: (v: number) => string) => { const p = h(s).at(-1); return p ? text(p.v) : '-'; };
  const nicW = Math.floor(width / 2) - 1;
  // Names whole: an interface name has up to 15 characters; disks (nvme0n1p1, dm-12) fewer. The two rates keep 20 columns.
  const nameW = Math.max(14, Math.min(nicW - 20, 1 + Math.max(0, ...m.nics.slice(0, nicRows).map((n) => n.name.length), ...m.disks.slice(0, diskRows).map((d) => d.name.length))));
  const ioRow = (name: string, a: string, b: string) => `${fitCell(name, nameW - 1)} ${a.padStart(10)}${b.padStart(10)}`;
  const cw = Math.floor((width - (across - 1)) / across);
  return (
    <Box flexDirection="column" height={rowsAvail} paddingX={1}>
      <Box flexDirection="row" height={topH}>
        <Box flexDirection="column" width={leftW} overflow="hidden">
          <Bar label="cpu" labelWidth={labelW} ratio={m.cpuPercent / 100} width={barW} text={`${m.cpuPercent.toFixed(1)}%`} />
          {m.cores.slice(0, coreRows).map((c, i) => <Bar key={i} label={`cpu${i}`} labelWidth={labelW} ratio={c / 100} width={barW} text={`${c.toFixed(1)}%`} />)}
          <Bar label="mem" labelWidth={labelW} ratio={m.memory.usedBytes / Math.max(1, m.memory.totalBytes)} width={barW} text={`${GiB(m.memory.usedBytes)}/${GiB(m.memory.totalBytes)}`} />
          <Bar label="swap" labelWidth={labelW} ratio={m.memory.swapUsedBytes / Math.max(1, m.memory.swapTotalBytes)} width={barW} text={m.memory.swapTotalBytes ? `${GiB(m.memory.swapUsedBytes)}/${GiB(m.memory.swapTotalBytes)}` : 'none'} />
          <Text wrap="truncate"><Text {...tone(t, 'dim')}>{'load'.padEnd(labelW)}</Text>{m.load.map((l) => l.toFixed(2)).join('  ')}  ({m.cores.length} CPUs)</Text>
          {m.temperatures ? <Text wrap="truncate"><Text {...tone(t, 'dim')}>{'temp'.padEnd(labelW)}</Text>{m.temperatures.main !== undefined ? `${m.temperatures.main.toFixed(0)}°C` : '-'}{m.temperatures.max !== undefined ? ` (max ${m.temperatures.max.toFixed(0)}°C)` : ''}</Text> : null}
          {m.filesystems.slice(0, 3).map((f) => <Bar key={f.mount} label={f.mount} labelWidth={labelW} ratio={fsUsedPercent(f) / 100} width={barW} text={`${fsUsedPercent(f)}% ${GiB(f.availKiB * 1024)} avail`} />)}
        </Box>
        <Box width={2} />
        <Box flexDirection="column" width={nicW} overflow="hidden">
          <Text bold wrap="truncate">{ioRow('NIC', 'RX', 'TX')}</Text>
          {m.nics.slice(0, nicRows).map((n) => <Text key={n.name} wrap="truncate">{ioRow(n.name, rate(n.inBps), rate(n.outBps))}</Text>)}
          <Text bold wrap="truncate">{ioRow('DISK', 'READ', 'WRITE')}</Text>
          {m.disks.slice(0, diskRows).map((d) => <Text key={d.name} wrap="truncate">{ioRow(d.name, rate(d.inBps), rate(d.outBps))}</Text>)}
          {m.disks.length === 0 ? <Text {...tone(t, 'dim')}>no block devices reported</Text> : null}
        </Box>
      </Box>
      {procH ? <ProcessList top={m.processes} order={order} width={width} height={procH} /> : null}
      <Box flexDirection="row" flexWrap="wrap" width={width} columnGap={1}>
        <Chart title={title('CPU %')} width={cw} height={chartRows} from={from} to={now} max={100} formatMax={(v) => `${v}%`}
          lines={[{ label: 'cpu', points: h('cpu'), current: `${m.cpuPercent.toFixed(0)}%` }, ...peak]} />
        <Chart title="Memory" width={cw} height={chartRows} from={from} to={now} max={m.memory.totalBytes} formatMax={GiB}
          lines={[{ label: 'used', points: h('memory'), current: GiB(m.memory.usedBytes), role: 'info' }]} />
        <Chart title="Network" width={cw} height={chartRows} from={from} to={now} formatMax={rate}
          lines={[{ label: 'rx', points: h('netRx'), current: latest('netRx', rate), role: 'ok' }, { label: 'tx', points: h('netTx'), current: latest('netTx', rate), role: 'info' }]} />
        <Chart title="Disk" width={cw} height={chartRows} from={from} to={now} formatMax={rate}
          lines={[{ label: 'read', points: h('diskRead'), current: latest('diskRead', rate), role: 'ok' }, { label: 'write', points: h('diskWrite'), current: latest('diskWrite', rate), role: 'warn' }]} />
      </Box>
    </Box>
  );
});

