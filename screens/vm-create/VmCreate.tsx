// New VM wizard: Basics, Disk, Network, Boot and OS, Display, then a
// Summary before anything is defined. Every field is checked against the
// host's facts (pools, networks, memory, CPUs, names) as it is entered and
// again on the summary; the core validates once more and cleans up on
// any failure.
import { useEffect, useMemo, useState } from 'react';
import { Box, Text } from 'ink';
import { mayDiscard } from '../../src/app/discard.ts';
import { bind, useBindings } from '../../src/app/keys.ts';
import type { Binding, ScreenProps } from '../../src/app/types.ts';
import { createSummary, validateVmCreate, type FieldError, type HostFacts } from '../../src/domain/vm-create.ts';
import { fieldErrorsOf } from '../../src/domain/errors.ts';
import { formRefusal } from '../../src/domain/counts.ts';
import { hasInput } from '../../src/ui/form/form-state.ts';
import { useFormInput } from '../../src/ui/form/use-form-input.ts';
import { tone, useTheme } from '../../src/ui/theme.ts';
import { FieldRow } from '../../src/ui/form/FieldRow.tsx';
import { NETWORK_STEP, STEPS, SUMMARY_STEP, clusterCpuOf, fieldOf, nicOf, stepOf, templateValues, toCreateInput, useCreateForm, visibleFields, type FieldId, type Options } from './use-create-form.ts';
import { useClusterChoices } from './use-cluster-choices.ts';
import { vmInputFromTemplate, type TemplateMode } from '../../src/domain/templates.ts';
import type { TemplateView } from '../../src/core/templates.ts';
import { VM_CREATE_KEYS as K } from './keys.ts';
import { errorNotice } from '../../src/ui/error-notice.ts';

const LABEL_W = 16;

const reading = { missing: 'reading the host' };

/** The latest ready version of each template with its name. */
function latestVersions(list: readonly TemplateView[]): TemplateView[] {
  const byBase = new Map<string, TemplateView>();
  for (const t of list) if (t.status === 'ready' && (byBase.get(t.baseId)?.version ?? 0) < t.version) byBase.set(t.baseId, t);
  return [...byBase.values()].sort((a, b) => a.name.localeCompare(b.name));
}

function optionsOf(f: HostFacts | undefined): Options {
  if (!f) return { pools: [], volumes: {}, networks: [], bridges: [], machines: [], machineFacts: () => reading, osVariants: reading, isos: [] };
  const plain = f.machines.filter((m) => !/-\d/.test(m));
  return {
    pools: f.pools.map((p) => p.name), volumes: Object.fromEntries(Object.entries(f.volumes).map(([k, v]) => [k, [...v]])), networks: [...f.networks], bridges: [...f.bridges],
    machines: [...plain, ...f.machines.filter((m) => !plain.includes(m))], machineFacts: f.machineFacts, osVariants: f.osVariants,
    isos: Object.entries(f.volumes).flatMap(([pool, vols]) => vols.filter((v) => /\.iso$/i.test(v)).map((v) => `${pool}/${v}`)),
  };
}

export function VmCreate({ shell, active, params }: ScreenProps) {
  const t = useTheme();
  const [form, dispatch] = useCreateForm(params.values as Record<string, string> | undefined);
  const [facts, setFacts] = useState<HostFacts>();
  const [factsError, setFactsError] = useState<string>();
  const [busy, setBusy] = useState<string>();
  const [serviceErrors, setServiceErrors] = useState<FieldError[]>([]);

  useEffect(() => {
    let live = true;
    (async () => {
      const f = await shell.core.vms.hostFacts();
      if (!live) return;
      setFacts(f);
      dispatch({ type: 'fill', options: optionsOf(f) });
    })().catch((e: Error) => { if (live) setFactsError(e.message); });
    return () => { live = false; };
  }, []);

  const [templates, setTemplates] = useState<TemplateView[]>([]);
  useEffect(() => {
    let live = true;
    shell.core.templates().then((u) => u.list()).then((l) => { if (live) setTemplates(latestVersions(l)); }, () => undefined);
    return () => { live = false; };
  }, []);
  const clusterChoices = useClusterChoices(shell, form.values.cluster);
  const options = useMemo(() => ({ ...optionsOf(facts), templates: templates.map((x) => x.name), clusters: clusterChoices.clusters, profiles: clusterChoices.profiles }),
    [facts, templates, clusterChoices.clusters, clusterChoices.profiles]);
  // The clusters and their profiles read: the NICs on a profile get their first one.
  useEffect(() => { if (facts && clusterChoices.profiles) dispatch({ type: 'fill', options }); }, [Boolean(facts), clusterChoices.profiles]);
  const chosen = templates.find((x) => x.name === form.values.template);
  // A template picked: its hardware fill the fields as defaults.
  useEffect(() => {
    if (!chosen) return;
    dispatch({ type: 'set', values: templateValues(chosen.hardware, chosen.disks.length > 0) });
    // Before the host is read its choices are empty: filling then would blank the template's networks.
    if (facts) dispatch({ type: 'fill', options });
  }, [chosen?.id]);
  const { input: own, errors: textErrors } = toCreateInput(form.values);
  const { name: _name, ...overrides } = own;
  const input = chosen ? vmInputFromTemplate(chosen, chosen.poolName ?? undefined, own.name, overrides) : own;
  // What the core will define: the CPU left at the cluster's is its CPU type (checked and summed up as such).
  const defined = input.cpu === undefined ? { ...input, cpu: clusterCpuOf(options, form.values.cluster) } : input;
  const allErrors = useMemo(() => {
    const hostErrors = facts ? validateVmCreate(defined, { ...facts, profileProblem: clusterChoices.profileProblem }) : [];
    const seen = new Set(textErrors.map((e) => e.field));
    return [...textErrors, ...hostErrors.filter((e) => !seen.has(e.field)), ...serviceErrors];
  }, [form.values, facts, serviceErrors, options, clusterChoices.profileProblem]);
  // The refusal counts the form's fields marked, not the rules broken.
  const refusal = allErrors.length ? formRefusal(allErrors.map((e) => ({ field: fieldOf(e.field, form.values) ?? e.field, message: e.message }))) : undefined;
  const onSummary = form.step === SUMMARY_STEP;
  // Errors show on touched fields while filling in, all of them on the summary.
  const errorFor = (id: FieldId) => allErrors.find((e) => fieldOf(e.field, form.values) === id && (onSummary || form.touched[id]))?.message;

  const fields = visibleFields(form.step, form.values);
  const focused = fields[form.focus];
  const lock = shell.core.whyNot('vm.create');

  useFormInput(shell, form, active, {
    draft: (value) => dispatch({ type: 'draft', value }),
    commit: () => { dispatch({ type: 'commit' }); setServiceErrors([]); },
    cancel: () => { dispatch({ type: 'cancel' }); setServiceErrors([]); },
    next: () => dispatch({ type: 'move', delta: 1 }),
  });

  const create = async () => {
    if (refusal) { shell.notify('error', `Not created: ${refusal}`); return; }
    setBusy('Creating…');
    try {
      const opts = { start: form.start, onStep: (s: string) => setBusy(s) };
      const r = chosen
        ? await (await shell.core.templates()).createVm({ name: own.name, template: chosen.name, version: String(chosen.version), mode: form.values.templateMode as TemplateMode, overrides }, opts)
        : await shell.core.vms.create(input, opts);
      shell.notify('success', `${r.name} created${r.started ? ' and started' : ''}`);
      shell.back();
    } catch (e) {
      const fe = fieldErrorsOf(e);
      if (fe) setServiceErrors(fe);
      shell.notify(...errorNotice(e, 'Not created'));
    } finally {
      setBusy(undefined);
    }
  };

  const editing = form.editing;
  const bindings: Binding[] = [
    bind(K.nextField, { action: () => dispatch({ type: 'move', delta: 1 }), when: !editing && !onSummary, footer: false }),
    bind(K.previousField, { action: () => dispatch({ type: 'move', delta: -1 }), when: !editing && !onSummary, footer: false }),
    bind(K.editOrChoose, { description: focused?.choices ? 'Next choice' : 'Edit field', when: !editing && !onSummary, action: () => (focused?.choices ? dispatch({ type: 'cycle', delta: 1, options }) : (dispatch({ type: 'edit' }), shell.setCapture(true))) }),
    bind(K.nextChoice, { when: !editing && !onSummary && Boolean(focused?.choices), footer: false, action: () => dispatch({ type: 'cycle', delta: 1, options }) }),
    bind(K.previousChoice, { when: !editing && !onSummary && Boolean(focused?.choices), footer: false, action: () => dispatch({ type: 'cycle', delta: -1, options }) }),
    bind(K.nextStep, { description: onSummary ? 'Summary' : 'Next step', when: !editing && !onSummary, action: () => dispatch({ type: 'step', delta: 1 }) }),
    bind(K.previousStep, { when: !editing && form.step > 0, action: () => dispatch({ type: 'step', delta: -1 }) }),
    bind(K.addNic, { when: !editing && form.step === NETWORK_STEP, action: () => dispatch({ type: 'addNic', options }) }),
    bind(K.removeNic, { when: !editing && form.step === NETWORK_STEP, disabledReason: nicOf(focused?.id) === undefined ? 'move to a NIC first' : undefined, action: () => dispatch({ type: 'removeNic' }) }),
    bind(K.leave, { footer: false, when: !editing && !busy, action: async () => { if (await mayDiscard(shell, hasInput(form), "the new VM's settings")) shell.back(); } }),
    bind(K.startAfterCreate, { description: form.start ? 'Start after create: on' : 'Start after create: off', when: !editing && onSummary, action: () => dispatch({ type: 'toggleStart' }) }),
    bind(K.create, {
      description: form.start ? 'Create and start' : 'Create', when: !editing && onSummary,
      disabledReason: lock ?? (busy ? 'creating' : !facts ? 'reading the host' : refusal),
      action: create
    }),
  ];
  useBindings(bindings);

  const stepBar = (
    <Text wrap="truncate">
      {[...STEPS.map((s) => s.title), 'Summary'].map((title, i) => {
        const bad = i < SUMMARY_STEP && allErrors.some((e) => { const f = fieldOf(e.field, form.values); return f && stepOf(f) === i && (form.touched[f] || onSummary); });
        return <Text key={title} {...(i === form.step ? { bold: true, inverse: true } : bad ? tone(t, 'error') : tone(t, 'dim'))}>{` ${i + 1} ${title} `}</Text>;
      })}
    </Text>
  );

  return (
    <Box flexDirection="column" height={shell.size.rows} paddingX={1} overflow="hidden">
      <Text bold {...tone(t, 'accent')}>New virtual machine</Text>
      {stepBar}
      {factsError ? <Text {...tone(t, 'error')} wrap="truncate">Cannot read the host: {factsError}</Text> : !facts ? <Text {...tone(t, 'dim')}>Reading pools, networks and limits…</Text> : null}
      {lock ? <Text {...tone(t, 'warn')} wrap="truncate">VM actions are locked: {lock}</Text> : null}
      <Box flexDirection="column" marginTop={1}>
        {onSummary ? (
          <>
            {[...(chosen ? [['template', `${chosen.name} version ${chosen.version}, ${form.values.templateMode === 'clone' ? 'clone (full copies of its disks)' : 'thin (overlays on its disks)'}`] as [string, string]] : []),
              ...createSummary(defined).flatMap((row, i) => (i === 0 ? [row, ['cluster', form.values.cluster] as [string, string]] : [row]))].map(([k, v]) => (
              <Box key={k}><Box width={LABEL_W} flexShrink={0}><Text {...tone(t, 'dim')}>{k}</Text></Box><Text wrap="truncate">{v}</Text></Box>
            ))}
            <Text> </Text>
            <Text>Start after create: <Text bold>{form.start ? 'yes' : 'no'}</Text> <Text {...tone(t, 'dim')}>(s toggles)</Text></Text>
            {allErrors.length ? allErrors.slice(0, Math.max(1, shell.size.rows - 18)).map((e, i) => <Text key={i} wrap="wrap" {...tone(t, 'error')}>✗ {e.message}</Text>)
              : <Text {...tone(t, 'ok')}>Ready: Enter (or c) creates it. Nothing is defined before that.</Text>}
            {busy ? <Text {...tone(t, 'warn')}>… {busy}</Text> : null}
          </>
        ) : fields.map((f, i) => {
          const isFocus = i === form.focus;
          const value = isFocus && form.editing ? form.draft : form.values[f.id];
          const err = errorFor(f.id);
          const note = f.note?.(form.values, options);
          return (
            <Box key={f.id} flexDirection="column">
              <FieldRow label={f.label} labelWidth={LABEL_W} focused={isFocus} editing={isFocus && form.editing}
                value={f.choices ? `‹ ${value} ›` : value} placeholder={f.placeholder} error={err} />
              {note ? <Box paddingLeft={LABEL_W + 2}><Text wrap="wrap" {...tone(t, 'dim')}>{note}</Text></Box> : null}
            </Box>
          );
        })}
        {form.step === NETWORK_STEP && !fields.length ? <Text {...tone(t, 'dim')}>No NIC: a adds one (a VM without a NIC is fine).</Text> : null}
      </Box>
      {!onSummary ? <Box marginTop={1}><Text wrap="wrap" {...tone(t, 'dim')}>↑↓ move · Enter edits (or picks the next choice; ←→ too) · {form.step === NETWORK_STEP ? 'a adds a NIC · x removes the NIC under the cursor · ' : ''}] next step · [ back · the serial console is always added</Text></Box> : null}
    </Box>
  );
}
