// One network form (bond, VLAN, bridge, IP, DNS, host name, MTU) as a
// screen: `s` stages the change through net-core's service. Invalid input
// shows the field and the rule on that field, and nothing is staged.
import { useMemo, useState } from 'react';
import { Box, Text } from 'ink';
import { bind, useBindings } from '../../src/app/keys.ts';
import type { Binding, ScreenProps } from '../../src/app/types.ts';
import { applyChanges, describeChange } from '../../src/domain/net/model.ts';
import type { NetStore } from '../../src/store/net.ts';
import { fieldErrorsOf } from '../../src/domain/errors.ts';
import { formRefusal } from '../../src/domain/counts.ts';
import { tone, useTheme } from '../../src/ui/theme.ts';
import { FieldList, useFieldForm, useFieldInput } from './FormView.tsx';
import { FORMS, checkForm, errorsByField, formChange, formWarnings, initialValues, visibleFields, type FormKind } from './forms.ts';
import { useNet } from './NetworkScreen.tsx';
import { managementOf } from './Risk.tsx';
import { NETWORK_KEYS as K } from './keys.ts';
import { errorNotice } from '../../src/ui/error-notice.ts';

export function makeNetFormScreen(store: NetStore) {
  return function NetFormScreen({ shell, active, params }: ScreenProps) {
    const t = useTheme();
    const s = useNet(store, shell);
    const kind = (params.kind as FormKind) ?? 'dns';
    const target = typeof params.target === 'string' ? params.target : undefined;
    const desired = useMemo(() => (s.config ? applyChanges(s.config, s.staged) : undefined), [s.config, s.staged]);
    const [form, dispatch] = useFieldForm(useMemo(() => initialValues(kind, target, desired), [kind, target, desired === undefined]));
    const fields = visibleFields(kind, form.values, { cfg: desired, target, mgmt: managementOf(s.inventory) });
    const nav = useFieldInput(form, dispatch, fields, shell, active);
    const [busy, setBusy] = useState(false);
    // What is allowed but probably not meant (a bond without link monitoring), said as the CLI says it, while the values are entered.
    const warnings = formWarnings(formChange(kind, target, form.values));

    const stage = async () => {
      if (!store.net || !desired) { shell.notify('error', 'Not staged: the network configuration has not been read yet'); return; }
      const { change, errors } = checkForm(kind, target, form.values, desired);
      if (errors.length) {
        const marked = errorsByField(kind, form.values, errors);
        dispatch({ type: 'errors', errors: marked });
        shell.notify('error', `Not staged: ${formRefusal(marked)}`);
        return;
      }
      setBusy(true);
      try {
        await store.net.stage(change);
        await store.refreshService();
        // A result notice, so it is still read on the Network screen this form goes back to.
        shell.notify('success', `Staged: ${describeChange(change)} (A applies)${formWarnings(change).map((w) => `; warning: ${w}`).join('')}`);
        shell.back();
      } catch (e) {
        const fe = fieldErrorsOf(e);
        if (fe) dispatch({ type: 'errors', errors: errorsByField(kind, form.values, fe) });
        shell.notify(...errorNotice(e, 'Not staged'));
      } finally {
        setBusy(false);
      }
    };
    const b: Binding[] = [
      ...nav,
      bind(K.stage, { when: !form.editing, disabledReason: busy ? 'staging…' : s.pending ? 'an apply is waiting for confirmation' : undefined, action: stage }),
    ];
    useBindings(b);
    const title = `${FORMS[kind].title}${target ? `: ${target}` : ''}`;
    return (
      <Box flexDirection="column" height={shell.size.rows} paddingX={1} overflow="hidden">
        <Text bold {...tone(t, 'accent')}>{title}</Text>
        <Box marginTop={1}><FieldList fields={fields} form={form} /></Box>
        {warnings.map((w) => <Text key={w} wrap="wrap" {...tone(t, 'warn')}>⚠ warning: {w}</Text>)}
        <Box marginTop={1}>
          <Text wrap="wrap" {...tone(t, 'dim')}>
            Enter edits a field or changes a choice; Space ticks a port; s stages the change (nothing on the host changes until you apply from the Network screen); Esc goes back.
          </Text>
        </Box>
      </Box>
    );
  };
}
