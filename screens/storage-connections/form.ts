// The add-connection form: the type decides the fields, on the shared form
// state. Errors come from the same validation the CLI and the service use.
import { useReducer } from 'react';
import { formStateReducer, initialFormState, type FormState as FieldFormState } from '../../src/ui/form/form-state.ts';
import { CONNECTION_TYPES, NFS_VERSIONS, validateConnection, type ConnectionInput, type ConnectionType } from '../../src/domain/storage/connection.ts';
import { labelled } from '../../src/domain/counts.ts';

export interface FieldDef {
  id: keyof ConnectionInput;
  label: string;
  placeholder: string;
  /** Shown as * characters. */
  secret?: boolean;
  /** Cycled with space/left/right instead of typed. */
  choices?: readonly string[];
}

const NAME: FieldDef = { id: 'name', label: 'Name', placeholder: 'optional: letters, digits, _ . -' };

export const TYPE_FIELDS: Record<ConnectionType, FieldDef[]> = {
  nfs: [
    { id: 'path', label: 'Path', placeholder: 'server:/export, e.g. nfs.example.com:/exports/data' },
    { id: 'version', label: 'NFS version', placeholder: 'auto', choices: NFS_VERSIONS },
    { id: 'options', label: 'Mount options', placeholder: 'optional, e.g. noatime (soft,nosharecache,timeo=100,retrans=3 are always set)' },
  ],
  iscsi: [
    { id: 'portal', label: 'Portal', placeholder: 'ADDR[:PORT], e.g. 192.0.2.10 (port 3260)' },
    { id: 'target', label: 'Target', placeholder: 'iqn.YYYY-MM.reversed.domain:name (i discovers them)' },
    { id: 'chapUser', label: 'CHAP user', placeholder: 'optional' },
    { id: 'chapSecret', label: 'CHAP secret', placeholder: 'with a CHAP user: 12-255 characters', secret: true },
    { id: 'mutualUser', label: 'Mutual user', placeholder: 'optional: the target authenticates back' },
    { id: 'mutualSecret', label: 'Mutual secret', placeholder: 'with a mutual user', secret: true },
  ],
  fc: [{ id: 'wwid', label: 'LUN WWID', placeholder: 'optional: every FC LUN when empty' }],
  posixfs: [
    { id: 'spec', label: 'Spec', placeholder: '/dev/sdb1, server:/path or //server/share' },
    { id: 'vfsType', label: 'VFS type', placeholder: 'ext4, xfs, glusterfs, ...' },
    { id: 'options', label: 'Mount options', placeholder: 'optional, e.g. noatime' },
  ],
  localfs: [{ id: 'path', label: 'Directory', placeholder: 'an existing directory, e.g. /data/images' }],
};

export type Values = Partial<Record<keyof ConnectionInput, string>>;

/** The shared form state, with the type that decides the fields and the yes/no boxes. */
export type FormState = FieldFormState & {
  type: ConnectionType;
  persistent: boolean;
  /** Off saves the connection only (as the CLI's add without --connect-now); c connects it later. */
  connectNow: boolean;
};

/** The form's yes/no boxes and their labels. */
export const TOGGLES = { persistent: 'Reconnect at boot', connectNow: 'Connect now' } as const;

export type FormRow = { kind: 'type' } | { kind: 'field'; field: FieldDef } | { kind: 'toggle'; id: keyof typeof TOGGLES };

export function rows(type: ConnectionType): FormRow[] {
  return [{ kind: 'type' }, ...TYPE_FIELDS[type].map((field) => ({ kind: 'field' as const, field })), { kind: 'field', field: NAME }, { kind: 'toggle', id: 'persistent' }, { kind: 'toggle', id: 'connectNow' }];
}

export type FormAction =
  | { type: 'reset'; prefill?: { type?: ConnectionType; values?: Values } }
  | { type: 'move'; delta: number }
  | { type: 'cycle'; delta: number }
  | { type: 'edit' }
  | { type: 'draft'; value: string }
  | { type: 'commit' }
  | { type: 'cancel' }
  | { type: 'errors'; errors: Partial<Record<string, string>> };

/** Focus: an index into rows(): 0 type, 1..n the type's fields, then name, then the yes/no boxes. */
export const initialForm = (prefill?: { type?: ConnectionType; values?: Values }): FormState => ({
  ...initialFormState({ ...(prefill?.values ?? {}) } as Record<string, string>), type: prefill?.type ?? 'nfs', persistent: true, connectNow: true, focus: prefill?.values ? 3 : 0,
});

export function toInput(s: FormState): ConnectionInput {
  const v: ConnectionInput = { type: s.type, persistent: s.persistent };
  for (const f of [...TYPE_FIELDS[s.type], NAME]) {
    const x = s.values[f.id];
    if (x !== undefined && x !== '') (v as unknown as Record<string, string>)[f.id] = f.secret ? x : x.trim();
  }
  return v;
}

/** The rules' errors by field, each naming its field by the label the form shows ("CHAP secret", not chapSecret). */
export function errorsByField(type: ConnectionType, errors: readonly { field: string; message: string }[]): Partial<Record<string, string>> {
  const labels = new Map([...TYPE_FIELDS[type], NAME].map((f) => [f.id as string, f.label]));
  const out: Partial<Record<string, string>> = {};
  for (const e of errors) out[e.field] ??= labelled(e.message, e.field, labels.get(e.field));
  return out;
}

export function formErrors(s: FormState): Partial<Record<string, string>> {
  const r = validateConnection(toInput(s));
  return r.ok ? {} : errorsByField(s.type, r.errors);
}

export function reduce(s: FormState, a: FormAction): FormState {
  const list = rows(s.type);
  const row = list[s.focus];
  switch (a.type) {
    case 'reset': return initialForm(a.prefill);
    case 'move': return formStateReducer(s, { ...a, count: list.length, wrap: false });
    case 'cycle': {
      if (row?.kind === 'type') {
        const i = CONNECTION_TYPES.indexOf(s.type);
        const type = CONNECTION_TYPES[(i + a.delta + CONNECTION_TYPES.length) % CONNECTION_TYPES.length]!;
        return { ...s, type, errors: {}, focus: 0 };
      }
      if (row?.kind === 'toggle') return { ...s, [row.id]: !s[row.id] };
      if (row?.kind === 'field' && row.field.choices) {
        // An unset choice shows its first option, so cycling starts from there.
        const options = row.field.choices;
        const shown = { ...s, values: { ...s.values, [row.field.id]: s.values[row.field.id] ?? options[0]! } };
        return formStateReducer<string, FormState>(shown, { type: 'cycle', id: row.field.id, options, delta: a.delta });
      }
      return s;
    }
    case 'edit':
      if (row?.kind !== 'field' || row.field.choices) return reduce(s, { type: 'cycle', delta: 1 });
      return formStateReducer(s, { type: 'edit', id: row.field.id });
    case 'draft': return s.editing ? formStateReducer(s, a) : s;
    case 'commit': {
      if (!s.editing || row?.kind !== 'field') return { ...s, editing: false };
      const next = formStateReducer(s, { type: 'commit', id: row.field.id });
      // Show this field's rule as soon as it is left.
      const e = formErrors(next)[row.field.id];
      return { ...next, errors: { ...next.errors, [row.field.id]: s.draft ? e : undefined } };
    }
    default: return formStateReducer(s, a);
  }
}

export function useConnectionForm() {
  return useReducer(reduce, undefined, () => initialForm());
}
