// Engine: register this host with an oVirt engine, as the oVirt Node console
// does. A live status pane (mode, engine, approval), the form (engine
// address and port, CA fingerprint, SSH user and port, node name and
// address), and the progress of each step with the failure in words.
import { useEffect } from 'react';
import { Box, Text } from 'ink';
import { bind, useBindings } from '../../src/app/keys.ts';
import type { Binding, ScreenProps } from '../../src/app/types.ts';
import { REGISTRATION_STEPS, engineLabel, parseEngineAddress, type StepProgress } from '../../src/domain/engine.ts';
import { formRefusal } from '../../src/domain/counts.ts';
import { stateWords, type EngineStatus } from '../../src/core/engine.ts';
import { Field } from '../../src/ui/Panel.tsx';
import { useFormInput } from '../../src/ui/form/use-form-input.ts';
import { tone, useTheme, type Theme } from '../../src/ui/theme.ts';
import { FieldRow } from '../../src/ui/form/FieldRow.tsx';
import { FORM_FIELDS, formErrors, toInput, useEngineForm, type FieldId, type FormValues } from './use-engine-form.ts';
import { useEngine, type EngineScreenDeps, type RunState } from './use-engine.ts';
import { ENGINE_KEYS as K } from './keys.ts';
import { errorNotice } from '../../src/ui/error-notice.ts';

const LABEL_W = 16;

const STEP_MARK: Record<StepProgress['status'], { mark: string; role?: 'ok' | 'error' | 'dim' | 'warn' }> = {
  pending: { mark: '·', role: 'dim' },
  running: { mark: '…', role: 'warn' },
  done: { mark: '✓', role: 'ok' },
  failed: { mark: '✗', role: 'error' },
  skipped: { mark: '-', role: 'dim' },
};

function StatusPane({ status, t }: { status: EngineStatus; t: Theme }) {
  const role = status.state === 'approved' ? 'ok' : status.state === 'pending-approval' ? 'warn' : status.state === 'certificate-mismatch' ? 'error' : 'dim';
  return (
    <Box flexDirection="column">
      <Field labelWidth={LABEL_W} label="mode" value={status.mode} />
      <Field labelWidth={LABEL_W} label="engine" value={status.engine ?? 'none'} role={status.engine ? undefined : 'dim'} />
      <Field labelWidth={LABEL_W} label="state" value={stateWords(status.state)} role={role} />
      {status.mode === 'registered' ? (
        <Text wrap="truncate" {...tone(t, 'warn')}>VM actions are read-only here while the engine manages this host; monitoring stays.</Text>
      ) : null}
    </Box>
  );
}

function FormView({ values, focus, editing, draft, errors, placeholders, locked }: {
  values: FormValues; focus: number; editing: boolean; draft: string; errors: Partial<Record<FieldId, string>>;
  placeholders: Partial<Record<FieldId, string>>; locked: boolean;
}) {
  return (
    <Box flexDirection="column">
      {FORM_FIELDS.map((f, i) => {
        const focused = i === focus && !locked;
        const v = focused && editing ? draft : values[f.id];
        const ph = placeholders[f.id] ?? f.placeholder;
        return <FieldRow key={f.id} label={f.label} labelWidth={LABEL_W} focused={focused} editing={focused && editing} value={v} placeholder={ph} error={errors[f.id]} />;
      })}
    </Box>
  );
}

function ProgressView({ run, t, compact }: { run: RunState; t: Theme; compact: boolean }) {
  const steps = compact ? run.steps.filter((s) => s.status !== 'pending') : run.steps;
  return (
    <Box flexDirection="column">
      {steps.map((s) => {
        const m = STEP_MARK[s.status];
        const label = REGISTRATION_STEPS.find((x) => x.id === s.id)!.label;
        return (
          <Text key={s.id} wrap="truncate">
            <Text {...tone(t, m.role ?? 'fg')}>{m.mark} </Text>
            <Text {...(s.status === 'pending' ? tone(t, 'dim') : {})}>{label}</Text>
            {s.detail && s.status === 'done' ? <Text {...tone(t, 'dim')}>  {s.detail}</Text> : null}
          </Text>
        );
      })}
      {run.phase === 'failed' && run.error ? <Text wrap="wrap" {...tone(t, run.kind === 'rejected' ? 'warn' : 'error')}>{run.error}</Text> : null}
      {run.phase === 'done' ? <Text {...tone(t, 'ok')}>Registered, pending approval: approve the host on the engine (Compute › Hosts).</Text> : null}
    </Box>
  );
}

export function makeEngineScreen(deps: EngineScreenDeps) {
  return function EngineScreen({ shell, active }: ScreenProps) {
    const t = useTheme();
    const { status, defaults, run, prefill, register, unregister, refresh } = useEngine(shell, deps);
    const [form, dispatch] = useEngineForm();
    const registered = status.mode === 'registered';
    const busy = run.phase === 'running';

    useEffect(() => {
      if (prefill) dispatch({ type: 'prefill', values: { engine: prefill.engine, fingerprint: prefill.fingerprint, sshUser: prefill.sshUser, sshPort: prefill.sshPort === undefined ? undefined : String(prefill.sshPort), name: prefill.name, address: prefill.address } });
    }, [prefill, dispatch]);

    // While registered the form shows what was registered.
    const r = status.registration;
    const shown: FormValues = registered && r ? {
      engine: engineLabel(r.engineHost, r.enginePort), port: String(r.enginePort), fingerprint: r.caFingerprint, sshUser: r.sshUser, sshPort: String(r.sshPort), name: r.name, address: r.address,
    } : form.values;

    useFormInput(shell, form, active, {
      draft: (value) => dispatch({ type: 'draft', value }),
      commit: () => dispatch({ type: 'commit', defaults }),
      cancel: () => dispatch({ type: 'cancel' }),
      next: () => dispatch({ type: 'move', delta: 1 }),
    });

    const doRegister = async () => {
      const errors = formErrors(form.values, defaults);
      if (!form.values.engine.trim()) errors.engine = 'engine: is required (HOST or HOST:PORT)';
      if (Object.values(errors).some(Boolean)) {
        dispatch({ type: 'errors', errors });
        shell.notify('error', `Not registered: ${formRefusal(errors)}`);
        return;
      }
      const fieldErrors = await register(toInput(form.values));
      if (fieldErrors) dispatch({ type: 'errors', errors: Object.fromEntries(fieldErrors.map((e) => [e.field, e.message])) });
    };

    const lockedReason = registered ? `registered with ${status.engine}; unregister first` : busy ? 'registration in progress' : undefined;
    const bindings: Binding[] = [
      bind(K.previousField, { action: () => dispatch({ type: 'move', delta: -1 }), when: !registered && !form.editing, footer: false }),
      bind(K.nextField, { action: () => dispatch({ type: 'move', delta: 1 }), when: !registered && !form.editing, footer: false }),
      bind(K.editField, { action: () => { dispatch({ type: 'edit' }); shell.setCapture(true); }, when: !form.editing && !registered, disabledReason: busy ? 'registration in progress' : undefined }),
      bind(K.register, { action: doRegister, when: !form.editing && !registered, disabledReason: busy ? 'registration in progress' : undefined }),
      bind(K.unregister, {
        when: registered && !busy,
        confirm: `Unregister from ${status.engine}? The engine's SSH key and CA are removed from this host and VM actions come back here. Remove the host on the engine as well.`,
        action: unregister
      }),
      // Standalone: this host manages itself (a host has one manager, so not while registered).
      bind(K.standalone, {
        when: !form.editing && status.mode === 'unconfigured' && !busy,
        confirm: 'Make this host a standalone manager? It joins the Default cluster; registering with an engine is refused until it leaves standalone mode.',
        action: async () => { try { const s = await shell.core.manager.init(); shell.notify('success', `This host is a standalone manager, in cluster ${s.cluster ?? '-'}`); } catch (e) { shell.notify(...errorNotice(e)); } refresh(); },
      }),
      bind(K.leaveStandalone, {
        when: !form.editing && status.mode === 'standalone',
        confirm: 'Leave standalone mode? (Refused while this host manages VMs recorded in its clusters.)',
        action: async () => { try { await shell.core.manager.leave(); shell.notify('success', 'This host is no longer a standalone manager'); } catch (e) { shell.notify(...errorNotice(e)); } refresh(); },
      }),
    ];
    useBindings(bindings);

    const placeholders: Partial<Record<FieldId, string>> = {
      name: defaults.name ? `${defaults.name} (this host's name)` : 'required: no host name found',
      address: defaults.address ? `${defaults.address} (management IP)` : 'required: no management IP found',
    };
    const portInAddress = form.values.engine ? parseEngineAddress(form.values.engine).port : undefined;
    if (portInAddress) placeholders.port = `${portInAddress} (from the engine address)`;
    const wide = shell.size.columns >= 110;
    const showProgress = run.phase !== 'idle';
    return (
      <Box flexDirection="column" height={shell.size.rows} paddingX={1} overflow="hidden">
        <StatusPane status={status} t={t} />
        <Box marginTop={1} flexDirection={wide ? 'row' : 'column'} gap={wide ? 2 : 0}>
          <Box flexDirection="column" width={wide ? Math.floor((shell.size.columns - 4) / 2) : undefined} flexShrink={0}>
            <Text bold {...tone(t, 'accent')}>{registered ? 'Registered with' : 'Register with an oVirt engine'}</Text>
            <FormView values={shown} focus={form.focus} editing={form.editing} draft={form.draft} errors={registered ? {} : form.errors} placeholders={placeholders} locked={Boolean(lockedReason)} />
          </Box>
          {showProgress ? (
            <Box flexDirection="column" marginTop={wide ? 0 : 1} flexGrow={1}>
              <Text bold {...tone(t, 'accent')}>Progress</Text>
              <ProgressView run={run} t={t} compact={!wide} />
            </Box>
          ) : !registered ? (
            <Box marginTop={wide ? 0 : 1} flexGrow={1}>
              <Text wrap="wrap" {...tone(t, 'dim')}>
                Enter edits a field, r registers. The engine CA is fetched first; its fingerprint is shown for you to compare with the engine's before anything is written.
              </Text>
            </Box>
          ) : null}
        </Box>
      </Box>
    );
  };
}
