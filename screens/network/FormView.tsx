// A field list for the network forms, the wizard and the tools: ↑/↓ move,
// Enter edits a text field (typed text, pasted chunks and the Enter that
// ends them arrive one key at a time) or cycles a choice, ←/→ cycle a
// choice. Errors show on their field.
import { useReducer } from 'react';
import { Box, Text, useInput, type Key } from 'ink';
import type { Binding, Shell } from '../../src/app/types.ts';
import { editText } from '../../src/ui/TextLine.tsx';
import { tone, useTheme } from '../../src/ui/theme.ts';
import { keyEvents } from '../vm-create/chunked.ts';
import { formReducer, type FieldDef, type FormState } from './forms.ts';

export function useFieldForm(initial: Record<string, string>) {
  return useReducer(formReducer, { values: initial, focus: 0, editing: false, draft: '', errors: {} } as FormState);
}

/**
 * Input and bindings for a field list. `fields` are the visible ones.
 * Returns the navigation bindings (to merge into the screen's own).
 */
export function useFieldInput(form: FormState, dispatch: React.Dispatch<Parameters<typeof formReducer>[1]>, fields: readonly FieldDef[], shell: Shell, active: boolean): Binding[] {
  const focus = Math.min(form.focus, Math.max(0, fields.length - 1));
  const field = fields[focus];
  useInput((input: string, key: Key) => {
    for (const [i, k] of keyEvents(input, key)) {
      if (k.escape) { dispatch({ type: 'cancel' }); shell.setCapture(false); return; }
      if (k.return || k.tab) {
        if (field) dispatch({ type: 'commit', id: field.id });
        shell.setCapture(false);
        if (k.tab) dispatch({ type: 'move', delta: 1, count: fields.length });
        return;
      }
      const next = editText(form.draft, i, k);
      if (next !== undefined) { form = { ...form, draft: next }; dispatch({ type: 'draft', value: next }); }
    }
  }, { isActive: active && form.editing });
  if (form.editing) return [];
  const cycle = (delta: number) => { if (field?.type === 'choice') dispatch({ type: 'cycle', id: field.id, options: field.options!, delta }); };
  return [
    { keys: ['up', 'k'], description: 'Previous field', action: () => dispatch({ type: 'move', delta: -1, count: fields.length }), footer: false, group: 'Form' },
    { keys: ['down', 'j', 'tab'], description: 'Next field', action: () => dispatch({ type: 'move', delta: 1, count: fields.length }), footer: false, group: 'Form' },
    {
      keys: ['enter'], description: field?.type === 'choice' ? 'Next choice' : 'Edit field', group: 'Form',
      action: () => {
        if (!field) return;
        if (field.type === 'choice') cycle(1);
        else { dispatch({ type: 'edit', id: field.id }); shell.setCapture(true); }
      },
    },
    { keys: ['right', 'space'], description: 'Next choice', action: () => cycle(1), when: field?.type === 'choice', footer: false, group: 'Form' },
    { keys: ['left'], description: 'Previous choice', action: () => cycle(-1), when: field?.type === 'choice', footer: false, group: 'Form' },
  ];
}

export function FieldList({ fields, form, labelWidth = 18 }: { fields: readonly FieldDef[]; form: FormState; labelWidth?: number }) {
  const t = useTheme();
  const focus = Math.min(form.focus, Math.max(0, fields.length - 1));
  return (
    <Box flexDirection="column">
      {fields.map((f, i) => {
        const focused = i === focus;
        const editing = focused && form.editing;
        const v = editing ? form.draft : form.values[f.id] ?? '';
        const err = form.errors[f.id];
        return (
          <Box key={f.id} flexDirection="column">
            <Box>
              <Box width={labelWidth + 2} flexShrink={0}>
                <Text {...(focused ? { bold: true } : tone(t, 'dim'))}>{focused ? '› ' : '  '}{f.label}</Text>
              </Box>
              <Text wrap="truncate">
                {f.type === 'choice'
                  ? <Text>{'‹ '}{v || '(default)'}{' ›'}</Text>
                  : v ? <Text {...(editing ? { underline: true } : {})}>{v}</Text> : <Text {...tone(t, 'dim')}>{f.placeholder ?? ''}</Text>}
                {editing ? <Text inverse> </Text> : null}
              </Text>
            </Box>
            {err ? <Box marginLeft={labelWidth + 2}><Text wrap="wrap" {...tone(t, 'error')}>{err}</Text></Box> : null}
          </Box>
        );
      })}
    </Box>
  );
}
