// The state of every form in the console: its values, the focused field,
// the field being edited with its draft, what the operator has entered and
// each field's error, changed only through typed actions. A form with more
// to it (steps, a type that decides the fields) extends the state and hands
// these actions to formStateReducer.

export interface FormState<Id extends string = string> {
  values: Record<Id, string>;
  focus: number;
  editing: boolean;
  draft: string;
  errors: Partial<Record<Id, string>>;
  /** Fields the operator has committed or cycled: their rules show before submitting. */
  touched: Partial<Record<Id, boolean>>;
  /** The row of the focused pick list (a field of checkboxes) the cursor is on; 0 when unset. */
  row?: number;
}

export type FormAction<Id extends string = string> =
  /**
   * Focus another of `count` fields; past either end it wraps, or stops when `wrap` is false. Ignored while editing.
   * `rows` gives each pick list's number of rows by field index: the cursor steps through them before leaving the field.
   */
  | { type: 'move'; delta: number; count: number; wrap?: boolean; rows?: readonly number[] }
  /** Start editing a text field from its value, or from nothing when `blank`. */
  | { type: 'edit'; id: Id; blank?: boolean }
  | { type: 'draft'; value: string }
  /** The draft becomes the field's value (trimmed when `trim`); its error goes until it is checked again. */
  | { type: 'commit'; id: Id; trim?: boolean }
  | { type: 'cancel' }
  /** Values chosen elsewhere (a picker, a prefill); their errors go. */
  | { type: 'set'; values: Partial<Record<Id, string>> }
  /** The next (or previous) of a choice field's options; an unset field starts at the first. */
  | { type: 'cycle'; id: Id; options: readonly string[]; delta: number }
  /** Tick `option` in a pick list, or clear it when ticked; the value keeps the order of `options`. */
  | { type: 'toggle'; id: Id; option: string; options: readonly string[] }
  | { type: 'errors'; errors: Partial<Record<Id, string>> }
  | { type: 'reset'; values: Record<Id, string> };

/** Whether the operator has entered anything (committed a field or changed a choice), or is typing now. */
export function hasInput(s: FormState): boolean {
  return s.editing || Object.values(s.touched).some(Boolean);
}

export function initialFormState<Id extends string>(values: Record<Id, string>): FormState<Id> {
  return { values, focus: 0, editing: false, draft: '', errors: {}, touched: {}, row: 0 };
}

/** The options ticked in a pick list's value (names separated by spaces or commas). */
export function picked(value: string | undefined): string[] {
  return (value ?? '').split(/[\s,]+/).filter(Boolean);
}

const without = <T extends object>(o: T, keys: readonly PropertyKey[]): T => {
  const out = { ...o };
  for (const k of keys) delete (out as Record<PropertyKey, unknown>)[k];
  return out;
};

export function formStateReducer<Id extends string, S extends FormState<Id>>(s: S, a: FormAction<Id>): S {
  switch (a.type) {
    case 'move': {
      if (s.editing) return s;
      const rows = (i: number) => a.rows?.[i] ?? 0;
      const row = Math.min(s.row ?? 0, Math.max(0, rows(s.focus) - 1)) + a.delta;
      if (rows(s.focus) > 0 && row >= 0 && row < rows(s.focus)) return { ...s, row };
      const n = Math.max(1, a.count);
      const focus = a.wrap === false ? Math.max(0, Math.min(n - 1, s.focus + a.delta)) : (((s.focus + a.delta) % n) + n) % n;
      if (focus === s.focus) return s;
      return { ...s, focus, row: a.delta < 0 ? Math.max(0, rows(focus) - 1) : 0 };
    }
    case 'edit': return { ...s, editing: true, draft: a.blank ? '' : s.values[a.id] ?? '' };
    case 'draft': return { ...s, draft: a.value };
    case 'commit':
      return { ...s, editing: false, draft: '', values: { ...s.values, [a.id]: a.trim ? s.draft.trim() : s.draft }, touched: { ...s.touched, [a.id]: true }, errors: without(s.errors, [a.id]) };
    case 'cancel': return { ...s, editing: false, draft: '' };
    case 'set': return { ...s, values: { ...s.values, ...a.values }, errors: without(s.errors, Object.keys(a.values)) };
    case 'cycle': {
      if (!a.options.length) return s;
      const i = a.options.indexOf(s.values[a.id] ?? '');
      const from = i < 0 && a.delta >= 0 ? -a.delta : i;
      const next = a.options[(((from + a.delta) % a.options.length) + a.options.length) % a.options.length]!;
      return { ...s, values: { ...s.values, [a.id]: next }, touched: { ...s.touched, [a.id]: true }, errors: without(s.errors, [a.id]) };
    }
    case 'toggle': {
      const had = new Set(picked(s.values[a.id]));
      if (had.has(a.option)) had.delete(a.option);
      else had.add(a.option);
      // Ticked names the options no longer list stay, after them: clearing them is the operator's choice.
      const value = [...a.options.filter((o) => had.has(o)), ...[...had].filter((o) => !a.options.includes(o))].join(' ');
      return { ...s, values: { ...s.values, [a.id]: value }, touched: { ...s.touched, [a.id]: true }, errors: without(s.errors, [a.id]) };
    }
    case 'errors': return { ...s, errors: a.errors };
    case 'reset': return { ...s, ...initialFormState(a.values) };
  }
}
