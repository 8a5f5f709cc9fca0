// The first-run network wizard (install time, on the node's console):
// management NIC or bond, optional VLAN, IP, DNS, host name, then the
// summary (the staged diff) and apply through safe apply. Each step is
// validated before moving on; errors show on their field.
import { useEffect, useMemo, useState } from 'react';
import { Box, Text } from 'ink';
import { useBindings } from '../../src/app/keys.ts';
import type { Binding, ScreenProps } from '../../src/app/types.ts';
import { describeChange } from '../../src/domain/net/model.ts';
import { fieldErrorsOf, type NetStore } from '../../src/store/net.ts';
import { tone, useTheme } from '../../src/ui/theme.ts';
import { FieldList, useFieldForm, useFieldInput } from '../network/FormView.tsx';
import { useNet } from '../network/NetworkScreen.tsx';
import { diffSign } from '../network/view.ts';
import { STEPS, initialWizardValues, stepErrors, stepFields, wizardChanges } from './wizard.ts';

export function makeWizardScreen(store: NetStore) {
  return function NetworkWizard({ shell, active }: ScreenProps) {
    const t = useTheme();
    const s = useNet(store, shell);
    const nics = useMemo(() => s.inventory?.nics.map((n) => n.name) ?? [], [s.inventory]);
    const [stepIdx, setStepIdx] = useState(0);
    const step = STEPS[stepIdx]!;
    const [form, dispatch] = useFieldForm(initialWizardValues(s.config, nics));
    const fields = stepFields(step.id, nics).filter((f) => !f.visible || f.visible(form.values));
    const nav = useFieldInput(form, dispatch, fields, shell, active);
    const [staging, setStaging] = useState(false);
    const [stagedNote, setStagedNote] = useState<string | undefined>();
    const ready = Boolean(s.config && s.inventory);

    // The NIC choice starts at the first NIC once the inventory is read.
    useEffect(() => { if (!form.values.nic && nics[0]) dispatch({ type: 'cycle', id: 'nic', options: nics, delta: 0 }); }, [nics]);

    // Opened before the configuration was read: take its defaults (a free bond name, DNS, host name) once it is.
    const cfgRead = Boolean(s.config);
    useEffect(() => {
      if (!s.config || stepIdx !== 0) return;
      const d = initialWizardValues(s.config, nics);
      const v = form.values;
      dispatch({ type: 'reset', values: { ...v, bondName: v.bondName === 'bond0' ? d.bondName! : v.bondName!, servers: v.servers || d.servers!, search: v.search || d.search!, hostname: v.hostname || d.hostname! } });
    }, [cfgRead]);
    const goto = (i: number) => { dispatch({ type: 'reset', values: form.values }); setStepIdx(i); };
    const next = async () => {
      if (!s.config) { shell.notify('error', 'The current configuration has not been read yet'); return; }
      const errors = stepErrors(step.id, form.values, s.config);
      if (Object.keys(errors).length) {
        dispatch({ type: 'errors', errors });
        shell.notify('error', `${step.title}: ${Object.values(errors)[0]}`);
        return;
      }
      if (STEPS[stepIdx + 1]?.id === 'summary') {
        // Stage the whole configuration so the summary is the real diff.
        if (!store.service) { shell.notify('error', 'The network service is not available'); return; }
        setStaging(true);
        try {
          await store.service.discard();
          for (const { change } of wizardChanges(form.values, 'summary', s.config)) await store.service.stage(change);
          await store.refreshService();
          setStagedNote(undefined);
          goto(stepIdx + 1);
        } catch (e) {
          const fe = fieldErrorsOf(e);
          setStagedNote(`Not staged: ${fe ? fe.map((x) => `${x.field}: ${x.message}`).join('; ') : (e as Error).message}`);
          await store.service.discard().catch(() => undefined);
          await store.refreshService();
        } finally {
          setStaging(false);
        }
        return;
      }
      goto(stepIdx + 1);
    };
    const b: Binding[] = [
      ...nav,
      { keys: ['N', 'ctrl+n'], description: 'Next step', when: step.id !== 'summary' && !form.editing, disabledReason: staging ? 'staging…' : !ready ? 'reading the network…' : undefined, action: next },
      { keys: ['P'], description: 'Previous step', when: stepIdx > 0 && !form.editing, action: () => goto(stepIdx - 1) },
      {
        keys: ['A'], description: 'Apply', dangerous: true, when: step.id === 'summary',
        disabledReason: s.pending ? 'an apply is waiting for confirmation' : s.staged.length ? undefined : 'nothing is staged',
        action: () => shell.push('net-apply', { start: true }),
      },
    ];
    useBindings(b);
    return (
      <Box flexDirection="column" height={shell.size.rows} paddingX={1} overflow="hidden">
        <Text wrap="truncate">
          {STEPS.map((x, i) => (
            <Text key={x.id} {...(i === stepIdx ? { bold: true, inverse: true } : i < stepIdx ? tone(t, 'ok') : tone(t, 'dim'))}>{` ${i + 1} ${x.title} `}</Text>
          ))}
        </Text>
        <Box marginTop={1} flexDirection="column">
          <Text bold {...tone(t, 'accent')}>Step {stepIdx + 1} of {STEPS.length}: {step.title}</Text>
          {step.id === 'mgmt' && s.inventory ? (
            <Text wrap="wrap" {...tone(t, 'dim')}>
              NICs: {s.inventory.nics.map((n) => `${n.name} ${n.link}${n.lldp ? ` (${n.lldp.chassis} ${n.lldp.port})` : ''}`).join(' · ') || 'none'}
            </Text>
          ) : null}
          {step.id !== 'summary' ? <FieldList fields={fields} form={form} /> : (
            <Box flexDirection="column">
              {wizardChanges(form.values, 'summary', s.config).map(({ change }, i) => <Text key={i} wrap="truncate">• {describeChange(change)}</Text>)}
              <Text bold>Diff</Text>
              {s.diff.slice(0, Math.max(3, shell.size.rows - 12)).map((d, i) => <Text key={i} wrap="truncate" {...tone(t, d.sign === '+' ? 'ok' : d.sign === '-' ? 'error' : 'dim')}>{diffSign(d)}</Text>)}
            </Box>
          )}
          {form.errors._ ? <Text wrap="wrap" {...tone(t, 'error')}>{form.errors._}</Text> : null}
          {stagedNote ? <Text wrap="wrap" {...tone(t, 'error')}>{stagedNote}</Text> : null}
        </Box>
        <Box marginTop={1}>
          <Text wrap="wrap" {...tone(t, 'dim')}>
            {step.id === 'summary' ? 'A applies: you then confirm within the countdown or it rolls back. P goes back.' : 'Enter edits a field or changes a choice; N checks this step and goes on; P goes back.'}
          </Text>
        </Box>
      </Box>
    );
  };
}
