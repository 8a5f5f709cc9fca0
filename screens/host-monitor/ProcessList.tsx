// The host monitor's process list (top/btop class): the busiest processes and
// the largest side by side where both fit with their command, else one list in
// the order the operator chose (P by CPU, M by memory, as in top).
import { Box } from 'ink';
import { compactBytes } from '../../src/domain/size.ts';
import type { ProcessRow, ProcessTop } from '../../src/domain/processes.ts';
import { Table, type Column } from '../../src/ui/Table.tsx';

export type ProcessOrder = 'cpu' | 'memory';

/** A list narrower than this shows one order at a time: a command needs its room. */
const SIDE_BY_SIDE_MIN = 50;
/** Room between the two lists. */
const GAP = 2;

/** Whether `width` columns show the busiest and the largest processes side by side. */
export const bothOrders = (width: number) => Math.floor((width - GAP) / 2) >= SIDE_BY_SIDE_MIN;

/** The command's room before the user column makes way for it. */
const COMMAND_MIN = 20;

/**
 * The columns for `width` (after the Table's 2-column marker): PID as wide as the
 * largest shown, the user as wide as the longest name (up to 12; left out where
 * the command would get under 20 columns), CPU % and RSS; the command gets the rest.
 */
export function processColumns(width: number, rows: readonly ProcessRow[]): Column<ProcessRow>[] {
  const pid: Column<ProcessRow> = { id: 'pid', title: 'PID', width: Math.max(3, ...rows.map((r) => String(r.pid).length)), align: 'right', render: (r) => String(r.pid) };
  const user: Column<ProcessRow> = { id: 'user', title: 'USER', width: Math.min(12, Math.max(4, ...rows.map((r) => r.user.length))), render: (r) => r.user };
  const figures: Column<ProcessRow>[] = [
    { id: 'cpu', title: 'CPU%', width: 6, align: 'right', render: (r) => r.cpuPercent.toFixed(1), role: (r) => (r.cpuPercent >= 90 ? 'error' : undefined) },
    { id: 'memory', title: 'RSS', width: 6, align: 'right', render: (r) => compactBytes(r.rssBytes) },
  ];
  const room = (cols: Column<ProcessRow>[]) => width - 2 - cols.reduce((a, c) => a + c.width + 1, 0);
  const withUser = [pid, user, ...figures];
  const cols = room(withUser) >= COMMAND_MIN ? withUser : [pid, ...figures];
  return [...cols, { id: 'command', title: 'COMMAND', width: Math.max(7, room(cols)), render: (r) => r.command, role: (r) => (r.vm ? 'info' : undefined) }];
}

function OneList({ rows, order, width, height }: { rows: readonly ProcessRow[]; order: ProcessOrder; width: number; height: number }) {
  const shown = rows.slice(0, Math.max(0, height - 1));
  return <Table rows={shown} columns={processColumns(width, shown)} rowKey={(r) => String(r.pid)} height={height} width={width} sortColumn={order} sortDesc empty="No process to show." />;
}

export function ProcessList({ top, order, width, height }: { top: ProcessTop; order: ProcessOrder; width: number; height: number }) {
  if (!bothOrders(width)) return <OneList rows={order === 'cpu' ? top.byCpu : top.byMemory} order={order} width={width} height={height} />;
  const half = Math.floor((width - GAP) / 2);
  return (
    <Box flexDirection="row" width={width} height={height} columnGap={GAP}>
      <OneList rows={top.byCpu} order="cpu" width={half} height={height} />
      <OneList rows={top.byMemory} order="memory" width={width - GAP - half} height={height} />
    </Box>
  );
}
