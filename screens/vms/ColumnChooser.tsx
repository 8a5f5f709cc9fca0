// The VM list's column chooser: a checkbox per column (NAME always shown),
// Space turns the one under the cursor on or off, Enter or Esc closes it.
// A small list of its own: the form kit's checkbox field is for forms.
import { useState } from 'react';
import { Box, Text, useInput } from 'ink';
import { tone, useTheme } from '../../src/ui/theme.ts';

export interface ColumnChoice { id: string; title: string; room: boolean }

export interface ColumnChooserProps {
  choices: readonly ColumnChoice[];
  hidden: ReadonlySet<string>;
  onToggle: (id: string) => void;
  onClose: () => void;
  active: boolean;
}

export function ColumnChooser({ choices, hidden, onToggle, onClose, active }: ColumnChooserProps) {
  const t = useTheme();
  const [cursor, setCursor] = useState(0);
  useInput((input, key) => {
    if (key.escape || key.return) onClose();
    else if (input === ' ') onToggle(choices[cursor]!.id);
    else if (key.downArrow || input === 'j') setCursor((c) => Math.min(choices.length - 1, c + 1));
    else if (key.upArrow || input === 'k') setCursor((c) => Math.max(0, c - 1));
  }, { isActive: active });
  const titleW = Math.max(4, ...choices.map((c) => c.title.length));
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1} alignSelf="flex-start">
      <Text bold>Columns</Text>
      <Text {...tone(t, 'dim')}>{'  [x] '}{'NAME'.padEnd(titleW)}  always shown</Text>
      {choices.map((c, i) => (
        <Text key={c.id} {...(i === cursor ? (t.color ? { backgroundColor: t.selectBg, color: t.selectFg } : { inverse: true }) : {})}>
          {i === cursor ? '▶ ' : '  '}{hidden.has(c.id) ? '[ ]' : '[x]'} {c.title.padEnd(titleW)}
          {c.room ? '' : <Text {...(i === cursor ? {} : tone(t, 'dim'))}>  no room at this width</Text>}
        </Text>
      ))}
      <Text {...tone(t, 'dim')}>Space turns on/off · Enter or Esc closes</Text>
    </Box>
  );
}
