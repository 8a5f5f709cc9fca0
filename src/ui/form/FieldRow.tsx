// One field of a form: the label in its column, the value (cut at the row's
// end, so a long value never pushes the layout), and the field's error on a
// line of its own under the value, wrapped to the width: an error is the one
// thing on the row the operator must read whole, whatever the value's length.
// A pick list (checkboxes) shows one `[x]` / `[ ]` row per option under its
// label, the cursor's row marked `›`: signs, so it reads the same without colour.
import type { ReactNode } from 'react';
import { Box, Text } from 'ink';
import { tone, useTheme } from '../theme.ts';

export interface PickOption {
  value: string;
  /** Shown dim after the option (what it is, or why it may not be wanted). */
  note?: string;
}

export function FieldRow({ label, labelWidth, focused, editing, value, placeholder, hint, error, pick }: {
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
  /** A pick list: its options, those ticked, and the row the cursor is on (while focused). */
  pick?: { options: readonly PickOption[]; ticked: readonly string[]; row?: number };
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
      {pick?.options.map((o, i) => {
        const here = focused && i === Math.min(pick.row ?? 0, pick.options.length - 1);
        return (
          <Box key={o.value} marginLeft={labelWidth + 2}>
            <Text wrap="truncate">
              <Text {...(here ? { bold: true } : {})}>{here ? '› ' : '  '}{pick.ticked.includes(o.value) ? '[x]' : '[ ]'} {o.value}</Text>
              {o.note ? <Text {...tone(t, 'dim')}>  {o.note}</Text> : null}
            </Text>
          </Box>
        );
      })}
      {error ? <Box marginLeft={labelWidth + 2}><Text wrap="wrap" {...tone(t, 'error')}>{error}</Text></Box> : null}
    </Box>
  );
}
