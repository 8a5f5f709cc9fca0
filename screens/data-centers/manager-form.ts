// What the manager's list-and-form screens (data centers, clusters, logical
// networks) share: the rows filtered and sorted by a column, the keys of the
// create/edit form, and a refused save shown on its fields.
import type { Dispatch } from 'react';
import { mayDiscard } from '../../src/app/discard.ts';
import { bind } from '../../src/app/keys.ts';
import type { Binding, KeyEntry, Shell } from '../../src/app/types.ts';
import { fieldErrorsOf } from '../../src/domain/errors.ts';
import { formRefusal } from '../../src/domain/counts.ts';
import { errorNotice } from '../../src/ui/error-notice.ts';
import { hasInput, type FormAction, type FormState } from '../../src/ui/form/form-state.ts';
import type { FormField } from '../storage-domains/Form.tsx';

/** A save the core refused: its field errors under their fields (and a notice), any other error as a notice. */
export function showRefusal(shell: Shell, dispatch: Dispatch<FormAction>, e: unknown): void {
  const errs = fieldErrorsOf(e);
  if (errs) {
    dispatch({ type: 'errors', errors: Object.fromEntries(errs.map((x) => [x.field, x.message])) });
    shell.notify('error', `Not saved: ${formRefusal(errs)}`);
  } else shell.notify(...errorNotice(e));
}

/** The form's keys: edit or cycle a field, move, save, and leave (asked first when something was typed). */
export function formBindings(o: {
  shell: Shell; keys: Record<'editField' | 'nextChoice' | 'previousField' | 'nextField' | 'submit' | 'back', KeyEntry>; form: FormState; dispatch: Dispatch<FormAction>; fields: readonly FormField[]; inForm: boolean;
  submit: () => Promise<void>; submitDescription: string; busy: boolean; leave: () => void;
}): Binding[] {
  const { shell, keys: K, form, dispatch, fields, inForm } = o;
  const field = fields[form.focus];
  const ready = inForm && !form.editing;
  return [
    bind(K.editField, { action: () => { if (field?.choices) dispatch({ type: 'cycle', id: field.id, options: field.choices, delta: 1 }); else if (field) { dispatch({ type: 'edit', id: field.id }); shell.setCapture(true); } }, when: ready }),
    bind(K.nextChoice, { action: () => { if (field?.choices) dispatch({ type: 'cycle', id: field.id, options: field.choices, delta: 1 }); }, when: ready && Boolean(field?.choices) }),
    bind(K.previousField, { action: () => dispatch({ type: 'move', delta: -1, count: fields.length }), when: ready, footer: false }),
    bind(K.nextField, { action: () => dispatch({ type: 'move', delta: 1, count: fields.length }), when: ready, footer: false }),
    bind(K.submit, { description: o.submitDescription, action: o.submit, when: ready, disabledReason: o.busy ? 'saving…' : undefined }),
    bind(K.back, { action: async () => { if (await mayDiscard(shell, hasInput(form), 'what was entered in the form')) o.leave(); }, when: ready && !o.busy }),
  ];
}
