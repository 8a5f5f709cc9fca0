// Custom VM properties from the console. For a VM: every name its cluster
// allows, with the VM's value and the rule it must match; Enter sets a value
// (checked against the rule as it is typed in, and again by the core), Ctrl-D
// unsets one. For a cluster: the names it allows with their rules; n allows
// another, Enter changes a rule, Ctrl-D stops allowing one (refused while a
// VM has it, naming the VMs).
import { useCallback, useEffect, useState } from 'react';
import { Box, Text } from 'ink';
import { bind, useBindings } from '../../src/app/keys.ts';
import { useSelection } from '../../src/app/list.ts';
import type { ScreenProps } from '../../src/app/types.ts';
import type { PropertyRule, VmProperties } from '../../src/core/custom-properties.ts';
import { ruleProblems, valueProblems } from '../../src/domain/custom-properties.ts';
import { fieldErrorsOf } from '../../src/domain/errors.ts';
import { errorNotice } from '../../src/ui/error-notice.ts';
import { FieldRow } from '../../src/ui/form/FieldRow.tsx';
import { useFormInput } from '../../src/ui/form/use-form-input.ts';
import { useFormState } from '../../src/ui/form/use-form-state.ts';
import { tone, useTheme } from '../../src/ui/theme.ts';
import { CUSTOM_PROPERTIES_KEYS as K } from './keys.ts';

type Field = 'name' | 'value';
/** What the open form does: set a VM's value, allow a new name, or change a name's rule. The 'value' field holds the value or the rule. */
type FormMode = { kind: 'value'; name: string } | { kind: 'new-rule' } | { kind: 'rule'; name: string };
const EMPTY = { name: '', value: '' };
/** A rule's message without its "label: " (the form shows it under the field, which has the label). */
const ruleOf = (message: string) => message.slice(message.indexOf(': ') + 2);

interface Row { name: string; regex: string; value?: string }

export function CustomProperties({ shell, active, params }: ScreenProps) {
  const t = useTheme();
  const vm = typeof params.vm === 'string' ? params.vm : undefined;
  const clusterKey = typeof params.cluster === 'string' ? params.cluster : undefined;
  const cp = shell.core.customProperties;
  const [ofVm, setOfVm] = useState<VmProperties>();
  const [rules, setRules] = useState<PropertyRule[]>();
  const [error, setError] = useState<string>();
  const [mode, setMode] = useState<FormMode>();
  const [form, dispatch] = useFormState<Field>(EMPTY);
  const [busy, setBusy] = useState(false);

  const reload = useCallback(async () => {
    try {
      if (vm) { const p = await cp.ofVm(vm); setOfVm(p); setRules(p.rules); } else if (clusterKey) setRules(await cp.rules(clusterKey));
      setError(undefined);
    } catch (e) {
      setError((e as Error).message);
    }
  }, [cp, vm, clusterKey]);
  useEffect(() => { void reload(); }, [reload]);

  const cluster = ofVm?.cluster ?? clusterKey ?? '';
  const rows: Row[] = (rules ?? []).map((r) => ({ ...r, value: ofVm?.values[r.name] }));
  const { selected, bindings: nav } = useSelection(rows.map((r) => r.name), shell.size.rows - 10, 'property');
  const sel = rows.find((r) => r.name === selected);

  const fields: Field[] = mode?.kind === 'new-rule' ? ['name', 'value'] : ['value'];
  const field = fields[Math.min(form.focus, fields.length - 1)]!;
  const problems = (v: typeof EMPTY): Partial<Record<Field, string>> => {
    if (!mode) return {};
    if (mode.kind === 'value') {
      const p = valueProblems({ [mode.name]: v.value }, rules ?? [], cluster)[0];
      return p ? { value: ruleOf(p.message) } : {};
    }
    const out: Partial<Record<Field, string>> = {};
    for (const e of ruleProblems({ name: mode.kind === 'rule' ? mode.name : v.name, regex: v.value })) out[e.field === 'regex' ? 'value' : 'name'] = ruleOf(e.message);
    return out;
  };
  const close = () => { setMode(undefined); shell.setCapture(false); };
  const save = async (v: typeof EMPTY) => {
    if (!mode) return;
    setBusy(true);
    try {
      if (mode.kind === 'value') {
        await cp.setOnVm(vm!, { set: { [mode.name]: v.value } });
        shell.notify('success', `Set ${mode.name} on VM ${vm}; its hooks get it from its next action`);
      } else {
        const name = mode.kind === 'rule' ? mode.name : v.name;
        await cp.setRule(cluster, { name, regex: v.value });
        shell.notify('success', `Cluster ${cluster} allows ${name}: values matching ${v.value}`);
      }
      close();
    } catch (e) {
      const fe = fieldErrorsOf(e);
      if (fe?.length) {
        dispatch({ type: 'errors', errors: { value: ruleOf(fe[0]!.message) } });
        dispatch({ type: 'edit', id: 'value' });
        shell.setCapture(true);
      } else { close(); shell.notify(...errorNotice(e, 'Not changed')); }
    } finally {
      setBusy(false);
      void reload();
    }
  };
  useFormInput(shell, form, active && Boolean(mode) && !busy, {
    draft: (value) => dispatch({ type: 'draft', value }),
    commit: ({ draft }) => {
      const values = { ...form.values, [field]: draft };
      const found = problems(values);
      dispatch({ type: 'commit', id: field });
      dispatch({ type: 'errors', errors: found });
      if (found[field]) { dispatch({ type: 'edit', id: field }); return 'editing'; }
      if (field === 'name') { dispatch({ type: 'move', delta: 1, count: fields.length }); dispatch({ type: 'edit', id: 'value' }); return 'editing'; }
      const bad = fields.find((f) => found[f]);
      if (bad) { dispatch({ type: 'move', delta: fields.indexOf(bad) - form.focus, count: fields.length }); dispatch({ type: 'edit', id: bad }); return 'editing'; }
      void save(values);
    },
    cancel: () => { dispatch({ type: 'cancel' }); setMode(undefined); },
  });
  const open = (m: FormMode, values: typeof EMPTY) => {
    dispatch({ type: 'reset', values });
    dispatch({ type: 'edit', id: m.kind === 'new-rule' ? 'name' : 'value' });
    setMode(m);
    shell.setCapture(true);
  };

  const changeWhy = shell.core.whyNot(vm ? 'vm.property-set' : 'cluster.property-set') ?? (!sel ? 'no property selected' : undefined);
  const removeWhy = shell.core.whyNot(vm ? 'vm.property-set' : 'cluster.property-remove') ?? (!sel ? 'no property selected' : vm && sel.value === undefined ? `VM ${vm} has no value for ${sel.name}` : undefined);
  useBindings([
    ...(mode ? [] : nav),
    bind(K.edit, {
      when: !mode, disabledReason: changeWhy, description: vm ? 'Set the value' : 'Change the rule',
      action: () => { if (sel) open(vm ? { kind: 'value', name: sel.name } : { kind: 'rule', name: sel.name }, { name: sel.name, value: vm ? sel.value ?? '' : sel.regex }); },
    }),
    bind(K.add, { when: !mode && !vm, disabledReason: shell.core.whyNot('cluster.property-set'), action: () => open({ kind: 'new-rule' }, EMPTY) }),
    bind(K.remove, {
      when: !mode, disabledReason: removeWhy, description: vm ? 'Unset the value' : 'Stop allowing it',
      confirm: sel ? (vm ? `Unset ${sel.name} on VM ${vm}?` : `Stop allowing ${sel.name} in cluster ${cluster}?`) : undefined,
      action: async () => {
        if (!sel) return;
        try {
          if (vm) await cp.setOnVm(vm, { unset: [sel.name] }); else await cp.removeRule(cluster, sel.name);
          shell.notify('success', vm ? `Unset ${sel.name} on VM ${vm}` : `Cluster ${cluster} no longer allows ${sel.name}`);
        } catch (e) { shell.notify(...errorNotice(e, 'Not changed')); } finally { void reload(); }
      },
    }),
    bind(K.refresh, { footer: false, when: !mode, action: () => void reload() }),
  ]);

  const nameW = Math.min(40, Math.max(8, ...rows.map((r) => r.name.length)));
  return (
    <Box flexDirection="column" paddingX={1} height={shell.size.rows} overflow="hidden">
      <Text bold {...tone(t, 'accent')}>{vm ? `Custom properties of VM ${vm}` : `Custom properties allowed in cluster ${cluster}`}{vm && ofVm ? <Text {...tone(t, 'dim')}>  (cluster {ofVm.cluster})</Text> : null}</Text>
      {error ? <Text {...tone(t, 'error')} wrap="wrap">{error}</Text> : null}
      {mode ? (
        <Box flexDirection="column" marginY={1}>
          <Text>{mode.kind === 'value' ? `Value of ${mode.name} (must match ${rows.find((r) => r.name === mode.name)?.regex ?? ''} whole)` : mode.kind === 'rule' ? `Rule of ${mode.name}` : 'Allow a new property'}</Text>
          {fields.map((f) => {
            const editing = field === f && form.editing;
            const label = f === 'name' ? 'name:' : mode.kind === 'value' ? 'value:' : 'regex:';
            return <FieldRow key={f} label={label} labelWidth={8} focused={field === f} editing={editing} value={editing ? form.draft : form.values[f]}
              placeholder={f === 'name' ? 'lower-case letters, digits, _' : mode.kind === 'value' ? '' : 'e.g. (true|false) or .*'} error={form.errors[f]} />;
          })}
          <Text {...tone(t, 'dim')}>Enter: {fields.length > 1 && field === 'name' ? 'next' : 'save'} · Esc cancels</Text>
        </Box>
      ) : null}
      {rules && rows.length === 0 ? (
        <Text {...tone(t, 'dim')} wrap="wrap">{vm ? `Cluster ${cluster} allows no custom property: allow one from the clusters screen (P).` : 'No custom property is allowed yet: n allows one.'}</Text>
      ) : null}
      {rows.length ? (
        <Box flexDirection="column">
          <Text {...tone(t, 'dim')} wrap="truncate">{'  NAME'.padEnd(nameW + 2)} {vm ? `${'VALUE'.padEnd(24)} ` : ''}RULE (whole value)</Text>
          {rows.map((r) => {
            const isSel = r.name === selected;
            return (
              <Text key={r.name} wrap="truncate" {...(isSel ? { inverse: true } : {})}>
                {isSel ? '› ' : '  '}{r.name.padEnd(nameW)} {vm ? <Text {...(r.value === undefined ? tone(t, 'dim') : {})}>{(r.value ?? '-').padEnd(24)} </Text> : null}{r.regex}
              </Text>
            );
          })}
        </Box>
      ) : null}
    </Box>
  );
}
