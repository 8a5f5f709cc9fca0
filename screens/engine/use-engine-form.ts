// The Engine screen's form: its fields, their rules, and the shared form
// state with the focused field's id filled in.
import { useReducer } from 'react';
import { formStateReducer, initialFormState, type FormState as FieldFormState } from '../../src/ui/form/form-state.ts';
import { validateRegistration, type RegistrationInput } from '../../src/domain/engine.ts';

export const FORM_FIELDS = [
  { id: 'engine', label: 'Engine address', placeholder: 'HOST or HOST:PORT, e.g. engine.example.com' },
  { id: 'port', label: 'HTTPS port', placeholder: '443' },
  { id: 'fingerprint', label: 'CA fingerprint', placeholder: 'optional: shown for you to check when connecting' },
  { id: 'sshUser', label: 'SSH user', placeholder: 'root' },
  { id: 'sshPort', label: 'SSH port', placeholder: '22' },
  { id: 'name', label: 'Node name', placeholder: '' },
  { id: 'address', label: 'Node address', placeholder: '' },
] as const;

export type FieldId = (typeof FORM_FIELDS)[number]['id'];
export type FormValues = Record<FieldId, string>;

export type FormState = FieldFormState<FieldId>;

export type FormAction =
  | { type: 'move'; delta: number }
  | { type: 'edit' }
  | { type: 'draft'; value: string }
  | { type: 'commit'; defaults: { name?: string; address?: string } }
  | { type: 'cancel' }
  | { type: 'errors'; errors: Partial<Record<FieldId, string>> }
  | { type: 'prefill'; values: Partial<FormValues> };

export const EMPTY_FORM: FormValues = { engine: '', port: '', fingerprint: '', sshUser: '', sshPort: '', name: '', address: '' };

export function toInput(v: FormValues): RegistrationInput {
  const opt = (s: string) => (s.trim() ? s.trim() : undefined);
  return { engine: v.engine.trim(), port: opt(v.port), fingerprint: opt(v.fingerprint), sshUser: opt(v.sshUser), sshPort: opt(v.sshPort), name: opt(v.name), address: opt(v.address) };
}

/** Every field's error for these values (empty when valid). */
export function formErrors(v: FormValues, defaults: { name?: string; address?: string }): Partial<Record<FieldId, string>> {
  const r = validateRegistration(toInput(v), defaults);
  if (r.ok) return {};
  const out: Partial<Record<FieldId, string>> = {};
  for (const e of r.errors) out[e.field as FieldId] ??= e.message;
  return out;
}

/** The shared form reducer, with the focused field's id filled in and every entered field re-checked on commit. */
export function formReducer(s: FormState, a: FormAction): FormState {
  const id = FORM_FIELDS[s.focus]!.id;
  switch (a.type) {
    case 'move': return formStateReducer(s, { ...a, count: FORM_FIELDS.length });
    case 'edit': return formStateReducer(s, { type: 'edit', id });
    case 'commit': {
      const next = formStateReducer(s, { type: 'commit', id, trim: true });
      // Re-check every field entered so far (a port can contradict the engine address);
      // an empty engine address is only an error when registering.
      const all = formErrors(next.values, a.defaults);
      const errors: Partial<Record<FieldId, string>> = {};
      for (const f of FORM_FIELDS) if (next.touched[f.id] && !(f.id === 'engine' && !next.values.engine)) errors[f.id] = all[f.id];
      return { ...next, errors };
    }
    case 'prefill': {
      // Values from elsewhere (kernel arguments) fill only what the operator left empty.
      const values: Partial<FormValues> = {};
      for (const [k, v] of Object.entries(a.values)) if (v !== undefined && !s.values[k as FieldId]) values[k as FieldId] = String(v);
      return formStateReducer(s, { type: 'set', values });
    }
    default: return formStateReducer(s, a);
  }
}

export function useEngineForm() {
  return useReducer(formReducer, EMPTY_FORM, initialFormState<FieldId>);
}
