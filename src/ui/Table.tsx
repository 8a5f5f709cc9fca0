// A table that renders only the visible rows. Selection is by key (identity),
// so a refresh that reorders rows keeps the same item selected.
import { Box, Text } from 'ink';
import { memo, type ReactNode } from 'react';
import { fitCell as fit } from './cell.ts';
import { tone, useTheme, type Theme } from './theme.ts';

export interface Column<T> {
  id: string;
  title: string;
  width: number;
  align?: 'left' | 'right';
  render: (row: T) => string;
  /** Colour role for a cell. */
  role?: (row: T) => 'ok' | 'warn' | 'error' | 'dim' | 'info' | undefined;
}

export interface TableProps<T> {
  rows: readonly T[];
  columns: readonly Column<T>[];
  rowKey: (row: T) => string;
  selectedKey?: string;
  height: number;
  width: number;
  sortColumn?: string;
  sortDesc?: boolean;
  empty?: ReactNode;
}


/** First visible row so that the selected index is in view. */
export function windowStart(selected: number, total: number, height: number): number {
  if (total <= height || selected < 0) return 0;
  const half = Math.floor(height / 2);
  return Math.max(0, Math.min(selected - half, total - height));
}

export function Table<T>({ rows, columns, rowKey, selectedKey, height, width, sortColumn, sortDesc, empty }: TableProps<T>) {
  const t = useTheme();
  // Header, rows and (when the rows do not all fit) the "x-y of n" line, within `height`.
  const bodyHeight = Math.max(1, height - 1 - (rows.length > height - 1 ? 1 : 0));
  const sel = selectedKey === undefined ? -1 : rows.findIndex((r) => rowKey(r) === selectedKey);
  const start = windowStart(sel, rows.length, bodyHeight);
  const visible = rows.slice(start, start + bodyHeight);
  const header = `  ${columns.map((c) => fit(`${c.title}${sortColumn === c.id ? (sortDesc ? '▼' : '▲') : ''}`, c.width, c.align)).join(' ')}`;
  return (
    <Box flexDirection="column" width={width} height={height} overflowY="hidden">
      <Text bold wrap="truncate" {...tone(t, 'accent')}>{header}</Text>
      {rows.length === 0 ? <Text {...tone(t, 'dim')}>{empty ?? 'Nothing to show.'}</Text> : null}
      {visible.map((r) => {
        const k = rowKey(r);
        return <TableRow key={k} row={r} columns={columns} selected={k === selectedKey} theme={t} />;
      })}
      {rows.length > bodyHeight ? <Text {...tone(t, 'dim')}>{`${start + 1}-${start + visible.length} of ${rows.length}`}</Text> : null}
    </Box>
  );
}

// One row; memoized so a key press or a refresh redraws only the rows whose
// data or selection changed (when the caller keeps row objects and columns stable).
const TableRow = memo(function TableRow<T>({ row, columns, selected, theme: t }: { row: T; columns: readonly Column<T>[]; selected: boolean; theme: Theme }) {
  return (
    <Text wrap="truncate" {...(selected ? (t.color ? { backgroundColor: t.selectBg, color: t.selectFg } : { inverse: true }) : {})}>
      {rowSegments(row, columns, selected).map((seg, i) => (
        <Text key={i} {...(seg.role ? tone(t, seg.role) : {})}>{seg.text}</Text>
      ))}
    </Text>
  );
}) as <T>(props: { row: T; columns: readonly Column<T>[]; selected: boolean; theme: Theme }) => ReactNode;

/** A row's text in runs of one colour role: fewer nodes for ink to lay out and draw than one per cell. */
export function rowSegments<T>(row: T, columns: readonly Column<T>[], selected: boolean): { text: string; role?: ReturnType<NonNullable<Column<T>['role']>> }[] {
  const out: { text: string; role?: ReturnType<NonNullable<Column<T>['role']>> }[] = [{ text: selected ? '▶ ' : '  ' }];
  columns.forEach((c, i) => {
    const role = selected ? undefined : c.role?.(row);
    const text = `${fit(c.render(row), c.width, c.align)}${i < columns.length - 1 ? ' ' : ''}`;
    const last = out[out.length - 1]!;
    if (last.role === role) last.text += text;
    else out.push({ text, role });
  });
  return out;
}
