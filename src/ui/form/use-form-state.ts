// A form's state in a component: the shared reducer, or a form's own that
// extends it (steps, a type that decides the fields).
import { useReducer, type Dispatch } from 'react';
import { formStateReducer, initialFormState, type FormAction, type FormState } from './form-state.ts';

export function useFormState<Id extends string = string>(initial: Record<NoInfer<Id>, string>): [FormState<Id>, Dispatch<FormAction<Id>>] {
  return useReducer(formStateReducer<Id, FormState<Id>>, initial, initialFormState<Id>);
}
