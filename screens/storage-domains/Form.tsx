// The storage domain screen's form: fields as data, one edited at a time
// (Enter edits, Enter/Tab commits, Esc cancels the edit), choices cycled with
// space, errors shown under their field.
import { Box } from 'ink';
import type { FormState } from '../../src/ui/form/form-state.ts';
import { useFormState } from '../../src/ui/form/use-form-state.ts';
import { FieldRow } from '../../src/ui/form/FieldRow.tsx';

export interface FormField {
  id: string;
  label: string;
  placeholder?: string;
  /** A fixed set of values: space cycles through them. */
  choices?: readonly string[];
}

export const useForm = useFormState;

export function FormView({ fields, state, labelWidth = 14 }: { fields: readonly FormField[]; state: FormState; labelWidth?: number }) {
  return (
    <Box flexDirection="column">
      {fields.map((f, i) => {
        const focused = i === state.focus;
        const v = focused && state.editing ? state.draft : state.values[f.id] ?? '';
        return (
          <FieldRow key={f.id} label={f.label} labelWidth={labelWidth} focused={focused} editing={focused && state.editing} value={v} placeholder={f.placeholder}
            hint={f.choices && focused && !state.editing ? `(space: ${f.choices.join('/')})` : undefined} error={state.errors[f.id]} />
        );
      })}
    </Box>
  );
}
