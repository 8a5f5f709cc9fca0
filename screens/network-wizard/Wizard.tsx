// The first-run network wizard (install time, on the node's console):
// management NIC or bond, optional VLAN, IP, DNS, host name, then the
// summary and apply through safe apply. It starts from the configuration as
// it is (with what is already staged) and stages nothing until its apply:
// the summary is the diff of its answers, and leaving it drops them. Each
// step is validated before moving on; errors show on their field.
import { useEffect, useMemo, useRef, useState } from 'react';
import { Box, Text } from 'ink';
import { bind, useBindings } from '../../src/app/keys.ts';
import type { Binding, ScreenProps } from '../../src/app/types.ts';
import { diffConfig } from '../../src/domain/net/diff.ts';
import { riskText } from '../../src/domain/net/impact.ts';
import { applyChanges, describeChange, findIface } from '../../src/domain/net/model.ts';
import type { NetDiffLine, NetStore } from '../../src/store/net.ts';
import { fieldErrorsOf } from '../../src/domain/errors.ts';
import { tone, useTheme } from '../../src/ui/theme.ts';
import { FieldList, useFieldForm, useFieldInput } from '../network/FormView.tsx';
import { portPicks } from '../network/forms.ts';
import { picked } from '../../src/ui/form/form-state.ts';
import { useNet } from '../network/NetworkScreen.tsx';
import { RiskNote, diffRole, diffText, managementOf, risksOf } from '../network/Risk.tsx';
import { diffSign } from '../network/view.ts';
import { STEPS, initialWizardValues, ipValues, stepErrors, stepFields, topOf, wizardChanges } from './wizard.ts';
import { NETWORK_WIZARD_KEYS as K } from './keys.ts';

export function makeWizardScreen(store: NetStore) {
  return function NetworkWizard({ shell, active }: ScreenProps) {
    const t = useTheme();
    const s = useNet(store, shell);
    const nics = useMemo(() => s.inventory?.nics.map((n) => n.name) ?? [], [s.inventory]);
    const mgmt = managementOf(s.inventory);
    // The configuration the answers change: the host's, with what was staged before the wizard opened.
    const base = useMemo(() => (s.config ? applyChanges(s.config, s.staged) : undefined), [s.config, s.staged]);
    const ready = Boolean(base && s.inventory);
    const [stepIdx, setStepIdx] = useState(0);
    const step = STEPS[stepIdx]!;
    // The answers that describe the configuration as it is, once it is read: what "edited" is measured against.
    const initial = useRef<Record<string, string> | undefined>(ready ? initialWizardValues(base, nics, mgmt) : undefined);
    const [form, dispatch] = useFieldForm(initial.current ?? initialWizardValues(undefined, nics));
    // The interface whose address the IP step shows.
    const ipFor = useRef(initial.current && topOf(initial.current, base));
    useEffect(() => {
      if (initial.current || !ready) return;
      initial.current = initialWizardValues(base, nics, mgmt);
      ipFor.current = topOf(initial.current, base);
      dispatch({ type: 'reset', values: initial.current });
    }, [ready]);
    // A management interface that is not a NIC (a bridge) is offered as it is.
    const choices = useMemo(() => (initial.current?.nic && !nics.includes(initial.current.nic) ? [...nics, initial.current.nic] : nics), [nics, initial.current]);
    // The bond's ports are picked from the NICs that can be its ports; the management address moves to the bond at the IP step.
    const fields = initial.current && base
      ? stepFields(step.id, choices).filter((f) => !f.visible || f.visible(form.values)).map((f) => (f.portKinds ? { ...f, picks: portPicks(base, topOf({ ...form.values, vlan: '' }), f.portKinds, picked(form.values[f.id]), mgmt, true) } : f))
      : [];
    const nav = useFieldInput(form, dispatch, fields, shell, active);
    const [busy, setBusy] = useState(false);
    const [note, setNote] = useState<string | undefined>();
    const edited = Boolean(initial.current) && JSON.stringify(form.values) !== JSON.stringify(initial.current);

    const changes = useMemo(() => (base && step.id === 'summary' ? wizardChanges(form.values, 'summary', base).map((c) => c.change) : []), [base, form.values, step.id]);
    const diff: NetDiffLine[] = useMemo(() => (base ? diffConfig(base, applyChanges(base, changes)).map((d) => ({ sign: d.kind, text: d.text })) : []), [base, changes]);
    const risks = useMemo(() => risksOf(s, [...s.staged, ...changes]), [s.config, s.inventory, s.staged, changes]);

    const goto = (i: number, values = form.values) => { dispatch({ type: 'reset', values }); setStepIdx(i); };
    const next = () => {
      if (!base) { shell.notify('error', 'The current configuration has not been read yet'); return; }
      const errors = stepErrors(step.id, form.values, base);
      if (Object.keys(errors).length) {
        dispatch({ type: 'errors', errors });
        shell.notify('error', `${step.title}: ${Object.values(errors)[0]}`);
        return;
      }
      // Another existing interface chosen for management: the IP step starts from its address.
      const top = topOf(form.values, base);
      if (STEPS[stepIdx + 1]?.id === 'ip' && top !== ipFor.current) {
        ipFor.current = top;
        const have = findIface(base, top);
        if (have) { goto(stepIdx + 1, { ...form.values, ...ipValues(have) }); return; }
      }
      goto(stepIdx + 1);
    };
    const leave = async () => {
      if (edited && !(await shell.confirm("Discard the wizard's changes? Nothing has been staged; the host's network is not touched.", { yes: 'Discard', dangerous: false }))) return;
      shell.back();
    };
    const apply = async () => {
      const svc = store.net;
      if (!svc || !base) { shell.notify('error', 'The network service is not available'); return; }
      const errors = stepErrors('summary', form.values, base);
      if (Object.keys(errors).length) { setNote(`Not staged: ${Object.values(errors)[0]}`); return; }
      if (risks.length && !(await shell.confirm(`${riskText(risks)}. Stage and apply anyway?`, { yes: 'Apply anyway' }))) {
        shell.notify('info', 'Not applied: nothing was staged');
        return;
      }
      setBusy(true);
      try {
        // All the wizard's changes in one staging: one transaction and one event, none of them staged if any is refused.
        await svc.stageAll(changes, { event: { message: `Network setup wizard staged ${changes.length} change${changes.length === 1 ? '' : 's'}: ${changes.map(describeChange).join('; ')}`.slice(0, 500) } });
        await store.refreshService();
      } catch (e) {
        const fe = fieldErrorsOf(e);
        setNote(`Not staged: ${fe ? fe.map((x) => `${x.field}: ${x.message}`).join('; ') : (e as Error).message}`);
        return;
      } finally {
        setBusy(false);
      }
      // The wizard is done: the apply screen takes its place.
      shell.back();
      shell.push('net-apply', { start: true, acceptedRisks: risks.map((r) => r.reason) });
    };
    const b: Binding[] = [
      ...nav,
      bind(K.nextStep, { when: step.id !== 'summary' && !form.editing, disabledReason: !ready ? 'reading the network…' : undefined, action: next }),
      bind(K.previousStep, { when: stepIdx > 0 && !form.editing, action: () => goto(stepIdx - 1) }),
      bind(K.stageAndApply, {
        when: step.id === 'summary',
        disabledReason: busy ? 'staging…' : s.pending ? 'an apply is waiting for confirmation' : changes.length ? undefined : 'the wizard changes nothing',
        action: apply
      }),
      bind(K.leaveTheWizard, { when: !form.editing, action: leave }),
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
              NICs: {s.inventory.nics.map((n) => `${n.name} ${n.link}${n.lldp ? ` (${n.lldp.chassis} ${n.lldp.port})` : ''}`).join(' · ') || 'none'}{mgmt ? ` · management now: ${mgmt}` : ''}
            </Text>
          ) : null}
          {!initial.current ? <Text {...tone(t, 'dim')}>Reading the current network configuration…</Text> : null}
          {step.id !== 'summary' ? <FieldList fields={fields} form={form} /> : (
            <Box flexDirection="column">
              {changes.length ? changes.map((c, i) => <Text key={i} wrap="truncate">• {describeChange(c)}</Text>) : <Text {...tone(t, 'ok')}>Nothing to change: these answers are the host&apos;s current configuration.</Text>}
              {changes.length ? <Text bold>Diff</Text> : null}
              <RiskNote risks={risks} t={t} />
              {diff.slice(0, Math.max(3, shell.size.rows - 14)).map((d, i) => <Text key={i} wrap="truncate" {...tone(t, diffRole(d))}>{diffText(d, risks)}</Text>)}
              {s.staged.length ? <Text bold>Staged before the wizard opened (applied with it)</Text> : null}
              {s.staged.length ? s.diff.slice(0, 4).map((d, i) => <Text key={i} wrap="truncate" {...tone(t, 'dim')}>{diffSign(d)}</Text>) : null}
            </Box>
          )}
          {form.errors._ ? <Text wrap="wrap" {...tone(t, 'error')}>{form.errors._}</Text> : null}
          {note ? <Text wrap="wrap" {...tone(t, 'error')}>{note}</Text> : null}
        </Box>
        <Box marginTop={1}>
          <Text wrap="wrap" {...tone(t, 'dim')}>
            {step.id === 'summary'
              ? 'Nothing is staged yet. A stages these changes and applies them: you then confirm within the countdown or it rolls back. P goes back; Esc leaves without staging.'
              : 'Enter edits a field or changes a choice; Space ticks a port; N checks this step and goes on; P goes back; Esc leaves without staging.'}
          </Text>
        </Box>
      </Box>
    );
  };
}
