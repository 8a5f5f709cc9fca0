// A field list for the network forms, the wizard and the tools: ↑/↓ move
// (through a pick list's rows too), Enter edits a text field or cycles a
// choice, ←/→ cycle a choice, Space or Enter ticks a pick list's row. Errors
// show on their field.
import { Box } from 'ink';
import type { Binding, Shell } from '../../src/app/types.ts';
import { picked, type FormAction, type FormState } from '../../src/ui/form/form-state.ts';
import { useFormState } from '../../src/ui/form/use-form-state.ts';
import { useFormInput } from '../../src/ui/form/use-form-input.ts';
import { FieldRow } from '../../src/ui/form/FieldRow.tsx';
import type { FieldDef } from './forms.ts';
import { bind } from '../../src/app/keys.ts';
import { NETWORK_KEYS as K } from './keys.ts';

export const useFieldForm = useFormState;

/**
 * Input and bindings for a field list. `fields` are the visible ones.
 * Returns the navigation bindings (to merge into the screen's own).
 */
export function useFieldInput(form: FormState, dispatch: React.Dispatch<FormAction>, fields: readonly FieldDef[], shell: Shell, active: boolean): Binding[] {
  const focus = Math.min(form.focus, Math.max(0, fields.length - 1));
  const field = fields[focus];
  const rows = fields.map((f) => f.picks?.length ?? 0);
  const move = (delta: number) => dispatch({ type: 'move', delta, count: fields.length, rows });
  useFormInput(shell, form, active, {
    draft: (value) => dispatch({ type: 'draft', value }),
    commit: () => { if (field) dispatch({ type: 'commit', id: field.id }); },
    cancel: () => dispatch({ type: 'cancel' }),
    next: () => move(1),
  });
  if (form.editing) return [];
  const cycle = (delta: number) => { if (field?.type === 'choice') dispatch({ type: 'cycle', id: field.id, options: field.options!, delta }); };
  return [
    bind(K.previousField, { action: () => move(-1), footer: false }),
    bind(K.nextField, { action: () => move(1), footer: false }),
    bind(K.tick, {
      when: Boolean(field?.picks?.length), description: `Tick or clear ${field?.picks?.[Math.min(form.row ?? 0, (field?.picks?.length ?? 1) - 1)]?.value ?? ''}`.trim(),
      action: () => {
        const option = field?.picks?.[Math.min(form.row ?? 0, field.picks.length - 1)]?.value;
        if (field && option) dispatch({ type: 'toggle', id: field.id, option, options: field.picks!.map((p) => p.value) });
      },
    }),
    bind(K.editOrChoose, {
      when: field?.type !== 'pick', description: field?.type === 'choice' ? 'Next choice' : 'Edit field', action: () => {
        if (!field) return;
        if (field.type === 'choice') cycle(1);
        else { dispatch({ type: 'edit', id: field.id }); shell.setCapture(true); }
      }
    }),
    bind(K.nextChoice, { action: () => cycle(1), when: field?.type === 'choice', footer: false }),
    bind(K.previousChoice, { action: () => cycle(-1), when: field?.type === 'choice', footer: false }),
  ];
}

export function FieldList({ fields, form, labelWidth = 18 }: { fields: readonly FieldDef[]; form: FormState; labelWidth?: number }) {
  const focus = Math.min(form.focus, Math.max(0, fields.length - 1));
  return (
    <Box flexDirection="column">
      {fields.map((f, i) => {
        const focused = i === focus;
        const editing = focused && form.editing;
        const v = editing ? form.draft : form.values[f.id] ?? '';
        const pick = f.type === 'pick' ? { options: f.picks ?? [], ticked: picked(v), row: form.row } : undefined;
        return (
          <FieldRow key={f.id} label={f.label} labelWidth={labelWidth} focused={focused} editing={editing}
            value={f.type === 'choice' ? `‹ ${v || '(default)'} ›` : pick ? pick.ticked.join(', ') : v} placeholder={f.type === 'pick' && !f.picks?.length ? 'none can be a port now' : f.placeholder} error={form.errors[f.id]} pick={pick} />
        );
      })}
    </Box>
  );
}
