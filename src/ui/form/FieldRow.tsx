// One field of a form: the label in its column, the value (cut at the row's
// end, so a long value never pushes the layout), and the field's error on a
// line of its own under the value, wrapped to the width: an error is the one
// thing on the row the operator must read whole, whatever the value's length.
import type { ReactNode } from 'react';
import { Box, Text } from 'ink';
import { tone, useTheme } from '../theme.ts';

export function FieldRow({ label, labelWidth, focused, editing, value, placeholder, hint, error }: {
  label: string;
  /** The label column's width; the focus mark adds 2. */
  labelWidth: number;
  focused: boolean;
  editing: boolean;
  /** The value as shown (a choice already in its ‹ › marks); empty shows the placeholder. */
  value: ReactNode;
  placeholder?: string;
  /** Shown dim after the value (e.g. which key cycles a choice). */
  hint?: string;
  error?: string;
}) {
  const t = useTheme();
  return (
    <Box flexDirection="column">
      <Box>
        <Box width={labelWidth + 2} flexShrink={0}>
          <Text {...(focused ? { bold: true } : tone(t, 'dim'))}>{focused ? '› ' : '  '}{label}</Text>
        </Box>
        <Text wrap="truncate">
          {value ? <Text {...(editing ? { underline: true } : {})}>{value}</Text> : <Text {...tone(t, 'dim')}>{placeholder ?? ''}</Text>}
          {editing ? <Text inverse> </Text> : null}
          {hint ? <Text {...tone(t, 'dim')}>  {hint}</Text> : null}
        </Text>
      </Box>
      {error ? <Box marginLeft={labelWidth + 2}><Text wrap="wrap" {...tone(t, 'error')}>{error}</Text></Box> : null}
    </Box>
  );
}
