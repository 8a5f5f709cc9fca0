// The VM list: every VM with live figures (virt-top class), sorted by any
// column with a key, filtered with `/` (substring, regex, `!` inverts), the
// selection kept by identity across refreshes, changed values marked, and
// only the visible rows rendered.
import { useEffect, useMemo, useRef, useState, memo } from 'react';
import { Box, Text, useInput } from 'ink';
import { bind, useBindings } from '../../src/app/keys.ts';
import { managerTabBindings } from '../../src/app/manager-tabs.ts';
import { ManagerTabs } from '../../src/ui/ManagerTabs.tsx';
import { useSelection } from '../../src/app/list.ts';
import { useScreenState, useSelectedObject, useSessionState } from '../../src/app/screen-state.ts';
import { useStores } from '../../src/app/stores.ts';
import { stepRefresh } from '../../src/store/refresh.ts';
import type { Binding, ScreenProps } from '../../src/app/types.ts';
import { makeFilter } from '../../src/domain/filter.ts';
import { compactBytes } from '../../src/domain/size.ts';
import { compactDuration } from '../../src/domain/duration.ts';
import {
  defaultDesc, filterFields, formatPercent, sortRows, totalsText, vmMemoryKiB, vmTotals,
  type SortKey, type VmRow,
} from '../../src/domain/vm-figures.ts';
import { useVmStore } from '../../src/store/use-vms.ts';
import stringWidth from '../../src/ui/string-width.ts';
import { Table, type Column } from '../../src/ui/Table.tsx';
import { editText, TextLine } from '../../src/ui/TextLine.tsx';
import { tone, useTheme } from '../../src/ui/theme.ts';
import { vmActionBindings } from './actions.ts';
import { ColumnChooser } from './ColumnChooser.tsx';
import { SORT_DIGITS, VMS_KEYS as K } from './keys.ts';

const STATE_ROLE: Partial<Record<VmRow['state'], 'ok' | 'warn' | 'error' | 'dim'>> = { running: 'ok', blocked: 'ok', paused: 'warn', pmsuspended: 'warn', shutdown: 'warn', crashed: 'error', shutoff: 'dim' };

const MARK = { up: '↑', down: '↓' } as const;

function marked(text: string, mark: 'up' | 'down' | undefined): string {
  return mark ? `${text}${MARK[mark]}` : `${text} `;
}

/** The narrowest the name column gets before the rate columns make way for it. */
const NAME_MIN = 24;
/** Rate columns dropped in pairs, network first, while the name would get less than NAME_MIN. */
const DROP_ORDER = [['netRx', 'netTx'], ['diskRead', 'diskWrite']];

/**
 * The list's columns for `width`: the numeric columns keep the width their title
 * and a sort mark need, the name column gets the rest, and at narrow widths
 * (80 columns) the disk and network rates go so that names are not cut. The
 * columns the operator turned off (`hidden`) give their width to the name.
 */
export function vmColumns(width: number, hidden: ReadonlySet<string> = new Set()): Column<VmRow>[] {
  const role = (k: SortKey) => (r: VmRow) => (r.marks[k] ? 'warn' as const : undefined);
  const numeric: Column<VmRow>[] = [
    { id: 'state', title: 'STATE', width: 7, render: (r) => (r.state === 'pmsuspended' ? 'pmsusp' : r.state), role: (r) => STATE_ROLE[r.state] },
    { id: 'vcpus', title: 'VCPU', width: 5, align: 'right', render: (r) => (r.vcpus ? String(r.vcpus) : '-') },
    { id: 'cpu', title: 'CPU%', width: 6, align: 'right', render: (r) => marked(formatPercent(r.cpuPercent), r.marks.cpu), role: (r) => (r.marks.cpu ? 'warn' : (r.cpuPercent ?? 0) >= 90 ? 'error' : undefined) },
    { id: 'memory', title: 'MEM', width: 7, align: 'right', render: (r) => marked(compactBytes(vmMemoryKiB(r) * 1024), r.marks.memory), role: role('memory') },
    { id: 'diskRead', title: 'DISK R', width: 7, align: 'right', render: (r) => marked(compactBytes(r.diskReadBps), r.marks.diskRead), role: role('diskRead') },
    { id: 'diskWrite', title: 'DISK W', width: 7, align: 'right', render: (r) => marked(compactBytes(r.diskWriteBps), r.marks.diskWrite), role: role('diskWrite') },
    { id: 'netRx', title: 'NET RX', width: 7, align: 'right', render: (r) => marked(compactBytes(r.netRxBps), r.marks.netRx), role: role('netRx') },
    { id: 'netTx', title: 'NET TX', width: 7, align: 'right', render: (r) => marked(compactBytes(r.netTxBps), r.marks.netTx), role: role('netTx') },
    { id: 'uptime', title: 'UPTIME', width: 7, align: 'right', render: (r) => compactDuration(r.uptimeSec) },
  ];
  // The row: the selection marker (2), the name, then each column after a space.
  const nameRoom = (cols: readonly Column<VmRow>[]) => width - 2 - cols.reduce((a, c) => a + c.width + 1, 0);
  let shown = numeric;
  for (const ids of DROP_ORDER) {
    if (nameRoom(shown) >= NAME_MIN) break;
    shown = shown.filter((c) => !ids.includes(c.id));
  }
  shown = shown.filter((c) => !hidden.has(c.id));
  return [{ id: 'name', title: 'NAME', width: Math.max(8, nameRoom(shown)), render: (r) => r.name }, ...shown];
}

/** The columns the chooser offers (NAME is always shown), with whether `width` has room for each. */
export function columnChoices(width: number): { id: string; title: string; room: boolean }[] {
  const fitting = new Set(vmColumns(width).map((c) => c.id));
  return vmColumns(Infinity).filter((c) => c.id !== 'name').map((c) => ({ id: c.id, title: c.title, room: fitting.has(c.id) }));
}

// memo: the shell's clock redraws the header every second; the screen redraws only for its own data.
export const VmList = memo(function VmList({ shell, active }: ScreenProps) {
  const t = useTheme();
  const stores = useStores();
  const vm = useVmStore(stores.vms);
  // Sort, filter and selection stay while a VM's detail or the wizard covers the list (as in k9s and virt-top).
  const [sort, setSort] = useScreenState<{ key: SortKey; desc: boolean }>('sort', { key: 'cpu', desc: true });
  const [filter, setFilter] = useScreenState('filter', '');
  const [editing, setEditing] = useState(false);
  // The columns turned off stay so for the session, whichever way the list is opened again.
  const [hiddenIds, setHiddenIds] = useSessionState<readonly string[]>('vms.hidden-columns', []);
  const hidden = useMemo(() => new Set(hiddenIds), [hiddenIds]);
  const [choosing, setChoosing] = useState(false);
  // The list filters by the last valid expression typed: an invalid one is refused on the filter line.
  const typed = useMemo(() => makeFilter(filter), [filter]);
  const [expr, setExpr] = useScreenState('filter.applied', '');
  useEffect(() => { if (!typed.error) setExpr(filter); }, [typed, filter, setExpr]);
  const rowFilter = useMemo(() => makeFilter(expr), [expr]);
  const all = vm.data?.rows;
  const rows = useMemo(() => {
    const list = all ?? [];
    return sortRows(expr ? list.filter((r) => rowFilter.test(filterFields(r))) : list, sort.key, sort.desc);
  }, [all, rowFilter, expr, sort]);
  const keys = useMemo(() => rows.map((r) => r.name), [rows]);
  const width = shell.size.columns - 2;
  // The host's memory as the host store last read it (the dashboard reads it before the first
  // frame; the list redraws every tick): read, not subscribed to, since a subscription keeps
  // the whole host overview polling behind the VM list, twice the list's steady CPU.
  const hostMemoryKiB = stores.host.getSnapshot().data?.memory.totalKiB;
  const totals = useMemo(() => (all ? totalsText(vmTotals(all), hostMemoryKiB) : undefined), [all, hostMemoryKiB]);
  // The status line above the table, the host's totals below it (on two lines where one is too narrow, 80 columns,
  // broken between its figures: a number never leaves its unit).
  const totalsLines = useMemo(() => (totals ? packParts(totals.split(TOTALS_SEP), TOTALS_SEP, width) : ['']), [totals, width]);
  const totalsRows = totalsLines.length;
  // Below the manager's tab strip and the status line.
  const tableHeight = shell.size.rows - 2 - totalsRows;
  const { selected, bindings: nav } = useSelection(keys, tableHeight - 1);
  const current = selected !== undefined ? vm.data?.byName.get(selected) : undefined;
  useSelectedObject(selected !== undefined ? { kind: 'vm', label: selected, params: { name: selected } } : undefined);

  // The text as typed, ahead of the next render: keys typed faster than a
  // frame each see the previous key's text, and Enter judges what was typed.
  const typing = useRef(filter);
  useInput((input, key) => {
    if (key.escape) { typing.current = ''; setFilter(''); setEditing(false); shell.setCapture(false); return; }
    if (key.return) { if (!makeFilter(typing.current).error) { setEditing(false); shell.setCapture(false); } return; }
    const next = editText(typing.current, input, key);
    if (next !== undefined) { typing.current = next; setFilter(next); }
  }, { isActive: active && editing });

  const bindings: Binding[] = [
    ...nav,
    bind(K.details, { action: () => { if (selected) shell.push('vm', { name: selected }); }, when: Boolean(selected) }),
    bind(K.filter, { action: () => { typing.current = filter; setEditing(true); shell.setCapture(true); } }),
    // In ? help, not the footer (as the refresh keys): the footer's room goes to the VM's actions.
    bind(K.columns, { action: () => { setChoosing(true); shell.setCapture(true); }, footer: false }),
    ...vmActionBindings(current, shell),
    ...SORT_DIGITS.map(([k, key, label]): Binding => ({
      keys: [k], description: `Sort by ${label}`, footer: k === '1' || k === '4', group: 'Sort',
      action: () => setSort((s) => (s.key === key ? { key, desc: !s.desc } : { key, desc: defaultDesc(key) })),
    })),
    bind(K.refreshFaster, { description: `Refresh faster (now ${vm.intervalMs / 1000} s)`, action: () => stepRefresh(stores, -1), footer: false }),
    bind(K.refreshSlower, { action: () => stepRefresh(stores, 1), footer: false }),
    // In ? help: the footer's room goes to the VM's actions.
    ...managerTabBindings(shell, 'vms', !choosing, false),
  ];
  useBindings(bindings);

  const columns = useMemo(() => vmColumns(width, hidden), [width, hidden]);
  const counts = vm.data?.counts;
  const sortLabel = SORT_DIGITS.find(([, k]) => k === sort.key)![2];
  // On a line of its own: beside the typed pattern it would be cut at 80 columns.
  const refused = editing && typed.error ? `filter: ${typed.error}; the list keeps the last valid filter (Esc clears)` : undefined;
  return (
    <Box flexDirection="column" height={shell.size.rows} paddingX={1}>
      <ManagerTabs current="vms" />
      <Box height={1}>
        {editing ? <TextLine label="filter (regex, ! inverts): " value={filter} focused /> : (
          <Text wrap="truncate" {...tone(t, 'dim')}>
            {counts ? `${rows.length === counts.total ? `${counts.total} VMs` : `${rows.length} of ${counts.total} VMs`} · ${counts.running} running · ${counts.paused} paused · ${counts.shutoff} off` : 'Reading VMs…'}
            {` · sort ${sortLabel} ${sort.desc ? '▼' : '▲'}`}{expr ? ` · filter "${expr}"` : ''}{` · every ${vm.intervalMs / 1000} s`}
          </Text>
        )}
      </Box>
      {refused ? <Text {...tone(t, 'error')} wrap="truncate">{refused}</Text> : null}
      {vm.error ? <Text {...tone(t, 'error')} wrap="truncate">Cannot read VM figures: {vm.error}</Text> : null}
      {choosing ? (
        <Box height={tableHeight - (vm.error ? 1 : 0) - (refused ? 1 : 0)}>
          <ColumnChooser choices={columnChoices(width)} hidden={hidden} active={active}
            onToggle={(id) => setHiddenIds((h) => (h.includes(id) ? h.filter((x) => x !== id) : [...h, id]))}
            onClose={() => { setChoosing(false); shell.setCapture(false); }} />
        </Box>
      ) : (
        <Table rows={rows} columns={columns} rowKey={(r) => r.name} selectedKey={selected} height={tableHeight - (vm.error ? 1 : 0) - (refused ? 1 : 0)} width={width}
          sortColumn={sort.key} sortDesc={sort.desc}
          empty={vm.loading ? 'Reading VMs…' : expr ? 'No VM matches the filter (/ then Esc clears it).' : 'No VMs are defined on this host.'} />
      )}
      {totalsLines.map((l, i) => <Text key={i} wrap="truncate" {...tone(t, 'dim')}>{l}</Text>)}
    </Box>
  );
});

const TOTALS_SEP = ' · ';

/** Parts joined by sep into as few lines of at most width columns as they fit (a part wider than width gets a line of its own). */
export function packParts(parts: readonly string[], sep: string, width: number): string[] {
  const lines: string[] = [];
  for (const p of parts) {
    const last = lines.length ? lines[lines.length - 1]! : undefined;
    if (last !== undefined && stringWidth(last + sep + p) <= width) lines[lines.length - 1] = last + sep + p;
    else lines.push(p);
  }
  return lines.length ? lines : [''];
}
