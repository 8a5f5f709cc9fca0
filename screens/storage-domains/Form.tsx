// The storage domain screen's form: fields as data, one edited at a time
// (Enter edits, Enter/Tab commits, Esc cancels the edit), choices cycled with
// space, errors shown beside their field.
import { Box, Text } from 'ink';
import type { FormState } from '../../src/ui/form/form-state.ts';
import { useFormState } from '../../src/ui/form/use-form-state.ts';
import { tone, useTheme } from '../../src/ui/theme.ts';

export interface FormField {
  id: string;
  label: string;
  placeholder?: string;
  /** A fixed set of values: space cycles through them. */
  choices?: readonly string[];
}

export const useForm = useFormState;

export function FormView({ fields, state, labelWidth = 14 }: { fields: readonly FormField[]; state: FormState; labelWidth?: number }) {
  const t = useTheme();
  return (
    <Box flexDirection="column">
      {fields.map((f, i) => {
        const focused = i === state.focus;
        const v = focused && state.editing ? state.draft : state.values[f.id] ?? '';
        return (
          <Box key={f.id}>
            <Box width={labelWidth + 2} flexShrink={0}><Text {...(focused ? { bold: true } : tone(t, 'dim'))}>{focused ? '› ' : '  '}{f.label}</Text></Box>
            <Text wrap="truncate">
              {v ? <Text {...(focused && state.editing ? { underline: true } : {})}>{v}</Text> : <Text {...tone(t, 'dim')}>{f.placeholder ?? ''}</Text>}
              {focused && state.editing ? <Text inverse> </Text> : null}
              {f.choices && focused && !state.editing ? <Text {...tone(t, 'dim')}>  (space: {f.choices.join('/')})</Text> : null}
              {state.errors[f.id] ? <Text {...tone(t, 'error')}>  {state.errors[f.id]}</Text> : null}
            </Text>
          </Box>
        );
      })}
    </Box>
  );
}
