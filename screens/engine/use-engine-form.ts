// The Engine screen's form: values, the focused field, the field being
// edited and per-field errors, as a reducer with typed actions.
import { useReducer } from 'react';
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

export interface FormState {
  values: FormValues;
  focus: number;
  editing: boolean;
  draft: string;
  errors: Partial<Record<FieldId, string>>;
  touched: Partial<Record<FieldId, boolean>>;
}

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

export function formReducer(s: FormState, a: FormAction): FormState {
  switch (a.type) {
    case 'move': {
      if (s.editing) return s;
      const n = FORM_FIELDS.length;
      return { ...s, focus: (s.focus + a.delta + n) % n };
    }
    case 'edit':
      return { ...s, editing: true, draft: s.values[FORM_FIELDS[s.focus]!.id] };
    case 'draft':
      return { ...s, draft: a.value };
    case 'commit': {
      const id = FORM_FIELDS[s.focus]!.id;
      const values = { ...s.values, [id]: s.draft.trim() };
      const touched = { ...s.touched, [id]: true };
      // Re-check every field entered so far (a port can contradict the engine address);
      // an empty engine address is only an error when registering.
      const all = formErrors(values, a.defaults);
      const errors: Partial<Record<FieldId, string>> = {};
      for (const f of FORM_FIELDS) if (touched[f.id] && !(f.id === 'engine' && !values.engine)) errors[f.id] = all[f.id];
      return { ...s, values, touched, editing: false, draft: '', errors };
    }
    case 'cancel':
      return { ...s, editing: false, draft: '' };
    case 'errors':
      return { ...s, errors: a.errors };
    case 'prefill': {
      const values = { ...s.values };
      for (const [k, v] of Object.entries(a.values)) if (v !== undefined && !values[k as FieldId]) values[k as FieldId] = String(v);
      return { ...s, values };
    }
  }
}

export function useEngineForm() {
  return useReducer(formReducer, { values: EMPTY_FORM, focus: 0, editing: false, draft: '', errors: {}, touched: {} });
}
