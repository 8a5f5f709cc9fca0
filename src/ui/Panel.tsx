// A titled, bordered pane and a key/value row, the dashboard's building blocks.
import type { ReactNode } from 'react';
import { Box, Text } from 'ink';
import stringWidth from './string-width.ts';
import { tone, useTheme } from './theme.ts';

export function Panel({ title, children, width, height, grow }: { title: string; children: ReactNode; width?: number | string; height?: number; grow?: number }) {
  const t = useTheme();
  return (
    <Box flexDirection="column" borderStyle="round" {...(t.color ? { borderColor: t.border } : {})} paddingX={1} width={width} height={height} flexGrow={grow} overflow="hidden">
      <Text bold {...tone(t, 'accent')}>{title}</Text>
      {children}
    </Box>
  );
}

/**
 * A label in a column of labelWidth, then the value, truncated at the row's
 * end; given the row's `wrapWidth`, a text value longer than the room beside
 * its label continues on the next lines under itself (a narrow pane shows the
 * whole value). A label that fits and a value that fits share one Text (one
 * layout node per row instead of four, and no wrapping to measure: rows of
 * fields are most of a dashboard's nodes, and each costs the first frame its
 * layout); a longer label keeps a column of its own and wraps in it.
 */
export function Field({ label, value, labelWidth = 14, role, wrapWidth }: { label: string; value: ReactNode; labelWidth?: number; role?: 'ok' | 'warn' | 'error' | 'dim'; wrapWidth?: number }) {
  const t = useTheme();
  const w = stringWidth(label);
  const wrap = wrapWidth !== undefined && typeof value === 'string' && stringWidth(value) > wrapWidth - labelWidth;
  if (w <= labelWidth && !wrap) {
    return (
      <Text wrap="truncate">
        <Text {...tone(t, 'dim')}>{label + ' '.repeat(labelWidth - w)}</Text>
        <Text {...(role ? tone(t, role) : {})}>{value}</Text>
      </Text>
    );
  }
  return (
    // Not shrunk: a pane too short for every wrapped row clips the last ones instead of drawing rows over each other.
    <Box flexShrink={wrap ? 0 : 1}>
      <Box width={labelWidth} flexShrink={0}><Text {...tone(t, 'dim')}>{label}</Text></Box>
      {wrap
        // In a box of its own: ink measures a bare Text at its full length, and the row would not grow for the wrapped lines.
        ? <Box flexGrow={1} flexShrink={1} minWidth={0}><Text wrap="wrap" {...(role ? tone(t, role) : {})}>{value}</Text></Box>
        : <Text wrap="truncate" {...(role ? tone(t, role) : {})}>{value}</Text>}
    </Box>
  );
}

/** A one-line bar like [#####.....] 42%. */
export function Meter({ ratio, width = 20 }: { ratio: number; width?: number }) {
  const t = useTheme();
  const r = Math.max(0, Math.min(1, Number.isFinite(ratio) ? ratio : 0));
  const full = Math.round(r * width);
  const role = r >= 0.9 ? 'error' : r >= 0.75 ? 'warn' : 'ok';
  return (
    <Text>
      <Text {...tone(t, role)}>{'█'.repeat(full)}</Text>
      <Text {...tone(t, 'dim')}>{'░'.repeat(width - full)}</Text>
      <Text> {Math.round(r * 100).toString().padStart(3)}%</Text>
    </Text>
  );
}
