// Braille line chart as an ink component (no second renderer beside ink):
// a title line with the legend and the axis top, then the canvas rows, each
// cell coloured by the series that drew most in it.
import { Box, Text } from 'ink';
import { memo } from 'react';
import type { Point } from '../domain/history.ts';
import { drawBraille } from './braille.ts';
import stringWidth from './string-width.ts';
import { tone, useTheme } from './theme.ts';

export interface ChartLine {
  label: string;
  points: readonly Point[];
  /** Colour role for this series. */
  role?: 'ok' | 'warn' | 'error' | 'info' | 'accent';
  /** The latest value as text for the legend. */
  current?: string;
}

export interface ChartProps {
  title: string;
  lines: readonly ChartLine[];
  width: number;
  /** Canvas rows (the title line comes on top). */
  height: number;
  from: number;
  to: number;
  max?: number;
  formatMax?: (v: number) => string;
}

const ROLES = ['ok', 'info', 'warn', 'accent'] as const;

export const Chart = memo(function Chart({ title, lines, width, height, from, to, max, formatMax }: ChartProps) {
  const t = useTheme();
  const legend = lines.map((l) => `  ${l.label}${l.current !== undefined ? ` ${l.current}` : ''}`);
  const full = drawBraille(lines, { width, height, from, to, max });
  const top = `  ↑${formatMax ? formatMax(full.max) : String(full.max)}`;
  // Title, legend and axis top on one line when they fit, else the legend on a line of its own
  // (taken from the canvas): a narrow chart (80 columns) keeps its title and values whole.
  const oneLine = stringWidth(title) + legend.reduce((a, s) => a + stringWidth(s), 0) + stringWidth(top) <= width;
  const c = oneLine ? full : drawBraille(lines, { width, height: Math.max(1, height - 1), from, to, max });
  const legendText = legend.map((s, i) => <Text key={i} {...tone(t, lines[i]!.role ?? ROLES[i % ROLES.length]!)}>{oneLine ? s : s.slice(i === 0 ? 2 : 0)}</Text>);
  return (
    <Box flexDirection="column" width={width} height={height + 1}>
      <Text wrap="truncate">
        <Text bold>{title}</Text>
        {oneLine ? legendText : null}
        <Text {...tone(t, 'dim')}>{top}</Text>
      </Text>
      {oneLine ? null : <Text wrap="truncate">{legendText}</Text>}
      {c.rows.map((row, r) => <ChartRow key={r} row={row} owner={c.owner[r]!} roles={lines.map((l, i) => l.role ?? ROLES[i % ROLES.length]!)} />)}
    </Box>
  );
});

function ChartRow({ row, owner, roles }: { row: string; owner: Int8Array; roles: readonly ChartLine['role'][] }) {
  const t = useTheme();
  // Runs of cells with the same owner become one Text.
  const parts: { text: string; owner: number }[] = [];
  for (let i = 0; i < row.length; i++) {
    const o = owner[i]!;
    const last = parts[parts.length - 1];
    if (last && last.owner === o) last.text += row[i];
    else parts.push({ text: row[i]!, owner: o });
  }
  return (
    <Text wrap="truncate">
      {parts.map((p, i) => <Text key={i} {...(p.owner >= 0 ? tone(t, roles[p.owner] ?? 'ok') : {})}>{p.text}</Text>)}
    </Text>
  );
}
