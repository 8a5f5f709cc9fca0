// A small form for the storage domain screen: fields as data, one edited at
// a time (Enter edits, Enter/Tab commits, Esc cancels the edit), choices
// cycled with space, errors shown beside their field.
import { useReducer } from 'react';
import { Box, Text } from 'ink';
import { tone, useTheme } from '../../src/ui/theme.ts';

export interface FormField {
  id: string;
  label: string;
  placeholder?: string;
  /** A fixed set of values: space cycles through them. */
  choices?: readonly string[];
}

export interface FormState {
  values: Record<string, string>;
  focus: number;
  editing: boolean;
  draft: string;
  errors: Record<string, string>;
}

export type FormAction =
  | { type: 'move'; delta: number; count: number }
  | { type: 'edit' }
  | { type: 'draft'; value: string }
  | { type: 'commit'; id: string }
  | { type: 'cancel' }
  | { type: 'set'; id: string; value: string }
  | { type: 'errors'; errors: Record<string, string> }
  | { type: 'reset'; values: Record<string, string> };

export function formReducer(s: FormState, a: FormAction): FormState {
  switch (a.type) {
    case 'move': return s.editing ? s : { ...s, focus: (s.focus + a.delta + a.count) % a.count };
    case 'edit': return { ...s, editing: true, draft: '' };
    case 'draft': return { ...s, draft: a.value };
    case 'commit': {
      const errors = { ...s.errors };
      delete errors[a.id];
      return { ...s, editing: false, values: { ...s.values, [a.id]: s.draft }, errors };
    }
    case 'cancel': return { ...s, editing: false, draft: '' };
    case 'set': {
      const errors = { ...s.errors };
      delete errors[a.id];
      return { ...s, values: { ...s.values, [a.id]: a.value }, errors };
    }
    case 'errors': return { ...s, errors: a.errors };
    case 'reset': return { values: a.values, focus: 0, editing: false, draft: '', errors: {} };
  }
}

export function useForm(initial: Record<string, string>) {
  return useReducer(formReducer, { values: initial, focus: 0, editing: false, draft: '', errors: {} });
}

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
