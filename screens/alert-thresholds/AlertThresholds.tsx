// Alert thresholds: every rule the host service's alerts duty evaluates, with
// its value, window and clear level, the global one and each scope's own
// setting; Enter sets the selected one (a form checked field by field before
// anything is written: percent 1..100, GiB more than 0, days 1..3650, minutes
// 1..1440, a scope the rule allows), x puts it back to its default after
// confirmation. Read-only mode drops the changing keys.
import { useMemo, useState } from 'react';
import { Box, Text } from 'ink';
import { useScreenApi } from '../../src/app/screen-api.ts';
import { mayDiscard } from '../../src/app/discard.ts';
import { bind, useBindings } from '../../src/app/keys.ts';
import { useSelection } from '../../src/app/list.ts';
import type { Binding, ScreenProps } from '../../src/app/types.ts';
import type { Core } from '../../src/core/index.ts';
import type { ThresholdSetInput, ThresholdView } from '../../src/core/alerts.ts';
import { parseScope, thresholdDef, validateThreshold } from '../../src/domain/alerts.ts';
import { fieldErrorsOf, type FieldError } from '../../src/domain/errors.ts';
import { formRefusal } from '../../src/domain/counts.ts';
import { Table, type Column } from '../../src/ui/Table.tsx';
import { tone, useTheme } from '../../src/ui/theme.ts';
import { errorNotice } from '../../src/ui/error-notice.ts';
import { hasInput } from '../../src/ui/form/form-state.ts';
import { useFormInput } from '../../src/ui/form/use-form-input.ts';
import { FormView, useForm, type FormField } from '../storage-domains/Form.tsx';
import { ALERT_THRESHOLD_KEYS as K } from './keys.ts';

const api = async (core: Core) => ({ list: () => core.alerts.thresholds() });
const keyOf = (r: ThresholdView) => `${r.name} ${r.scope}`;
const byField = (errs: readonly FieldError[]) => Object.fromEntries(errs.map((e) => [e.field, e.message.slice(e.message.indexOf(': ') + 2)]));
const unitText = (r: ThresholdView) => (r.value === null ? '-' : `${r.value}${r.unit === 'percent' ? ' %' : ` ${r.unit}`}`);

/** The form's text as a setting; a figure that is not a number is refused here, naming its field. */
export function thresholdInput(name: string, values: Partial<Record<string, string>>): { input: ThresholdSetInput; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const num = (id: 'value' | 'forMinutes', label: string) => {
    const v = values[id]?.trim();
    if (!v) return undefined;
    if (!/^-?\d+(\.\d+)?$/.test(v)) { errors.push({ field: id, message: `${label}: must be a number` }); return undefined; }
    return Number(v);
  };
  const value = num('value', 'value');
  const forMinutes = num('forMinutes', 'for-minutes');
  const scope = values.scope?.trim() || undefined;
  return { input: { name, ...(value !== undefined ? { value } : {}), ...(forMinutes !== undefined ? { forMinutes } : {}), ...(scope ? { scope } : {}) }, errors };
}

export function AlertThresholds({ shell, active }: ScreenProps) {
  const t = useTheme();
  const { rows, error, reload } = useScreenApi<ThresholdView, Awaited<ReturnType<typeof api>>>(shell.core, api);
  const [editing, setEditing] = useState<ThresholdView | undefined>();
  const [busy, setBusy] = useState(false);
  const [form, dispatch] = useForm({ value: '', forMinutes: '', scope: 'global' });
  const { selected, bindings: nav } = useSelection((rows ?? []).map(keyOf), Math.max(4, shell.size.rows - 10), 'threshold');
  const sel = rows?.find((r) => keyOf(r) === selected);
  const isState = editing ? thresholdDef(editing.name)?.unit === 'state' : false;

  const fields: FormField[] = useMemo(() => [
    ...(isState ? [] : [{ id: 'value', label: 'Value', placeholder: editing?.unit === 'percent' ? '1..100 (%)' : editing?.unit === 'GiB' ? 'more than 0 (GiB)' : '1..3650 (days)' }]),
    { id: 'forMinutes', label: 'For minutes', placeholder: '1..1440' },
    { id: 'scope', label: 'Scope', placeholder: editing && thresholdDef(editing.name)?.scopes.length ? `global or ${thresholdDef(editing.name)!.scopes.map((s) => `${s}:NAME`).join(', ')}` : 'global' },
  ], [editing, isState]);

  useFormInput(shell, form, active && Boolean(editing), {
    draft: (value) => dispatch({ type: 'draft', value }),
    commit: () => { const f = fields[form.focus]; if (f) dispatch({ type: 'commit', id: f.id, trim: true }); },
    cancel: () => dispatch({ type: 'cancel' }),
    next: () => dispatch({ type: 'move', delta: 1, count: fields.length }),
  });

  const refuse = (errs: FieldError[]) => { dispatch({ type: 'errors', errors: byField(errs) }); shell.notify('error', formRefusal(errs)); };
  const submit = async () => {
    if (!editing) return;
    const { input, errors } = thresholdInput(editing.name, form.values);
    // Checked here first: a form with a broken rule is not an attempt worth an event.
    const v = validateThreshold(input);
    const def = thresholdDef(editing.name);
    const scope = def ? parseScope(def, input.scope) : undefined;
    const all = [...errors, ...(v.ok ? [] : v.errors), ...(scope && !scope.ok ? scope.errors : [])];
    if (all.length) { refuse(all); return; }
    setBusy(true);
    try {
      const r = await shell.core.alerts.set(input);
      shell.notify('success', `Alert threshold ${r.name} (${r.scope}): ${r.text}`);
      setEditing(undefined);
    } catch (e) {
      const errs = fieldErrorsOf(e);
      if (errs) refuse(errs); else shell.notify(...errorNotice(e));
    } finally {
      setBusy(false);
      void reload();
    }
  };
  const reset = async () => {
    if (!sel) return;
    try {
      const r = await shell.core.alerts.reset(sel.name, sel.scope);
      shell.notify('success', `Alert threshold ${r.name} (${r.scope}) is back to ${r.text}`);
    } catch (e) {
      shell.notify(...errorNotice(e));
    } finally {
      void reload();
    }
  };
  const open = (r: ThresholdView) => {
    dispatch({ type: 'reset', values: { value: r.value === null ? '' : String(r.value), forMinutes: String(r.forMinutes), scope: r.scope } });
    setEditing(r);
  };

  const list = !editing;
  const formIdle = Boolean(editing) && !form.editing && !busy;
  const noSel = sel ? undefined : 'no threshold selected';
  const bindings: Binding[] = [
    ...(list ? nav : []),
    bind(K.edit, { when: list, disabledReason: shell.core.whyNot('alert.threshold-set') ?? noSel, action: () => { if (sel) open(sel); } }),
    bind(K.reset, {
      when: list, disabledReason: shell.core.whyNot('alert.threshold-reset') ?? noSel ?? (sel?.isDefault ? 'already the default' : undefined),
      confirm: sel ? `Reset alert threshold ${sel.name} (${sel.scope}) to ${sel.scope === 'global' ? 'its default' : 'the global one'}?` : undefined,
      action: reset,
    }),
    bind(K.refresh, { when: list, action: reload }),
    bind(K.editField, { when: formIdle, action: () => { const f = fields[form.focus]; if (f) { dispatch({ type: 'edit', id: f.id }); shell.setCapture(true); } } }),
    bind(K.nextField, { when: formIdle, footer: false, action: () => dispatch({ type: 'move', delta: 1, count: fields.length }) }),
    bind(K.previousField, { when: formIdle, footer: false, action: () => dispatch({ type: 'move', delta: -1, count: fields.length }) }),
    bind(K.submit, { when: formIdle, disabledReason: shell.core.whyNot('alert.threshold-set'), action: submit }),
    bind(K.back, { when: formIdle, action: async () => { if (await mayDiscard(shell, hasInput(form), 'what was entered in the form')) setEditing(undefined); } }),
  ];
  useBindings(bindings);

  const columns: Column<ThresholdView>[] = useMemo(() => [
    { id: 'name', title: 'Threshold', width: 30, render: (r) => r.name },
    { id: 'scope', title: 'Scope', width: 22, render: (r) => r.scope },
    { id: 'level', title: 'Level', width: 8, render: (r) => r.level, role: (r) => (r.level === 'critical' ? 'error' : 'warn') },
    { id: 'value', title: 'Value', width: 9, align: 'right', render: unitText },
    { id: 'for', title: 'For', width: 8, align: 'right', render: (r) => `${r.forMinutes} min` },
    { id: 'clear', title: 'Clears at', width: 9, align: 'right', render: (r) => (r.clearAt === null ? '-' : String(r.clearAt)) },
    { id: 'set', title: 'Set', width: 7, render: (r) => (r.isDefault ? 'default' : 'set'), role: (r) => (r.isDefault ? 'dim' : undefined) },
  ], []);

  return (
    <Box flexDirection="column" height={shell.size.rows} paddingX={1} overflow="hidden">
      <Text bold {...tone(t, 'accent')}>Alert thresholds</Text>
      {error ? <Text {...tone(t, 'error')} wrap="truncate">Cannot read the thresholds: {error}</Text> : null}
      {editing ? (
        <Box flexDirection="column">
          <Text bold>Set {editing.name}: {editing.summary}</Text>
          <FormView fields={fields} state={form} labelWidth={14} />
          <Text {...tone(t, 'dim')}>Enter edits a field, s saves, Esc cancels. An empty field keeps what applies now.</Text>
        </Box>
      ) : (
        <Box flexDirection="column">
          <Text {...tone(t, 'dim')} wrap="truncate">{sel ? sel.summary : 'The host service (hostdeck serve) raises an alert once a condition held for its window and clears it past the clear level.'}</Text>
          <Table rows={rows ?? []} columns={columns} rowKey={keyOf} selectedKey={sel ? keyOf(sel) : undefined} height={Math.max(4, shell.size.rows - 8)} width={shell.size.columns - 2}
            empty={rows ? 'No thresholds.' : 'Reading the thresholds…'} />
        </Box>
      )}
      {busy ? <Text {...tone(t, 'warn')}>Saving…</Text> : null}
    </Box>
  );
}
