// The Engine screen's live state: the engine mode and approval (re-read every
// few seconds, so approval on the engine shows up), this host's defaults,
// the kernel-argument values to prefill, and running a registration with
// progress.
import { useCallback, useEffect, useRef, useState } from 'react';
import { REGISTRATION_STEPS, type FieldError, type RegistrationInput, type StepProgress } from '../../src/domain/engine.ts';
import type { Shell } from '../../src/app/types.ts';
import { createPolledStore } from '../../src/store/poller.ts';
import {
  EngineError, enginePaths, stateWords, type EngineEnv, type EngineErrorKind, type EngineStatus,
} from '../../src/core/engine.ts';
import { errorNotice } from '../../src/ui/error-notice.ts';
import { fieldErrorsOf } from '../../src/domain/errors.ts';
import { formRefusal } from '../../src/domain/counts.ts';

export interface EngineScreenDeps {
  /** Paths, timeouts and defaults (tests point these at a temp dir and the engine stand-in). */
  env: () => EngineEnv;
  /** How often the approval state is re-read (ms). */
  pollMs?: number;
}

export type RunPhase = 'idle' | 'running' | 'done' | 'failed';

export interface RunState {
  phase: RunPhase;
  steps: StepProgress[];
  error?: string;
  kind?: EngineErrorKind;
}

const initialSteps = (): StepProgress[] => REGISTRATION_STEPS.map((s) => ({ id: s.id, status: 'pending' }));

/** The trust question; the fingerprint in two halves of ten bytes so it fits the dialog unbroken. */
export function trustQuestion(ca: { subject: string; fingerprint: string }): string {
  const bytes = ca.fingerprint.split(':');
  return [
    'The engine presented this CA. It cannot be verified yet: compare its SHA-1 fingerprint with the one the engine shows before trusting it.',
    '',
    `subject: ${ca.subject}`,
    'fingerprint:',
    `  ${bytes.slice(0, 10).join(':')}`,
    `  ${bytes.slice(10).join(':')}`,
  ].join('\n');
}

export function useEngine(shell: Shell, deps: EngineScreenDeps) {
  const env = useRef(deps.env()).current;
  const paths = useRef(env.paths ?? enginePaths()).current;
  const [status, setStatus] = useState<EngineStatus>(() => shell.core.engine.status(paths));
  const [defaults, setDefaults] = useState<{ name?: string; address?: string }>({});
  const [run, setRun] = useState<RunState>({ phase: 'idle', steps: initialSteps() });
  const running = useRef(false);
  const [prefill] = useState<RegistrationInput | undefined>(() => shell.core.engine.bootValues(paths));

  const refresh = useCallback(() => {
    const next = shell.core.engine.status(paths);
    setStatus((prev) => (prev.summary === next.summary && prev.mode === next.mode ? prev : next));
  }, [shell.core, paths]);

  useEffect(() => {
    let alive = true;
    void (env.defaults ?? shell.core.engine.defaults)().then((d) => { if (alive) setDefaults(d); }, () => undefined);
    return () => { alive = false; };
  }, [env, shell.core]);

  // Approval happens on the engine, so it is polled (the one poller: never overlapping, backing off on errors).
  useEffect(() => {
    const poll = createPolledStore(() => shell.core.engine.show(paths), deps.pollMs ?? 3000);
    const off = poll.subscribe(() => {
      const next = poll.getSnapshot().data;
      if (next) setStatus((prev) => (prev.summary === next.summary && prev.mode === next.mode ? prev : next));
    });
    return () => { off(); poll.stop(); };
  }, [shell.core, paths, deps.pollMs]);

  /** Run the registration; resolves to the field errors when the input is invalid (nothing ran then). */
  const register = useCallback(async (input: RegistrationInput): Promise<FieldError[] | undefined> => {
    if (running.current) return undefined;
    running.current = true;
    setRun({ phase: 'running', steps: initialSteps() });
    try {
      const r = await shell.core.engine.register(input, {
        ...env,
        onProgress: (steps) => setRun((cur) => ({ ...cur, steps })),
        confirmTrust: (ca) => shell.confirm(trustQuestion(ca), { dangerous: true, yes: 'Trust and register' }),
      });
      setRun((cur) => ({ ...cur, phase: 'done' }));
      setStatus(r.status);
      shell.notify('success', `Registered with ${r.status.engine}: ${stateWords(r.status.state)}`);
      return undefined;
    } catch (e) {
      const fe = fieldErrorsOf(e);
      if (fe) {
        setRun({ phase: 'idle', steps: initialSteps() });
        shell.notify('error', `Not registered: ${formRefusal(fe)}`);
        return fe;
      }
      const kind = e instanceof EngineError ? e.kind : undefined;
      const message = (e as Error).message;
      setRun((cur) => ({ ...cur, phase: 'failed', error: message, kind }));
      shell.notify(kind === 'rejected' ? 'warning' : 'error', `Not registered: ${message}`);
      return undefined;
    } finally {
      running.current = false;
      refresh();
    }
  }, [env, shell, refresh]);

  const unregister = useCallback(async () => {
    try {
      const r = await shell.core.engine.unregister({ paths });
      shell.notify('success', `Unregistered from ${r.engine}. Remove the host on the engine too.`);
      setRun({ phase: 'idle', steps: initialSteps() });
    } catch (e) {
      shell.notify(...errorNotice(e, 'Unregister failed'));
    } finally {
      refresh();
    }
  }, [shell, paths, refresh]);

  return { status, defaults, run, prefill, register, unregister, refresh };
}
