// The steps of a safe network apply, in order, with the words the operator
// reads; the core reports its progress as these ids, the front ends show them.
export const APPLY_STEPS = [
  { id: 'validate', label: 'Validate the staged changes' },
  { id: 'probes-before', label: 'Choose connectivity probes (gateway, DNS, engine)' },
  { id: 'checkpoint', label: 'Take a checkpoint of the current configuration' },
  { id: 'apply', label: 'Apply' },
  { id: 'verify', label: 'Verify the host shows the change' },
  { id: 'probes-after', label: 'Run the probes again' },
  { id: 'confirm', label: 'Wait for your confirmation' },
] as const;

export type ApplyStepId = (typeof APPLY_STEPS)[number]['id'];

/** One progress report of an apply: the step now running (index of total), with a detail (the interface being changed). */
export interface ApplyProgress {
  step: ApplyStepId;
  index: number;
  total: number;
  state: 'running';
  detail?: string;
}

export function progressOf(step: ApplyStepId, detail?: string): ApplyProgress {
  return { step, index: APPLY_STEPS.findIndex((s) => s.id === step), total: APPLY_STEPS.length, state: 'running', ...(detail ? { detail } : {}) };
}

export type ApplyStepStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped';
export interface ApplyStep { id: ApplyStepId; label: string; status: ApplyStepStatus; detail?: string }

/** The progress list a front end shows, following the reports: every step before the running one is done. */
export function stepList() {
  const steps: ApplyStep[] = APPLY_STEPS.map((s) => ({ ...s, status: 'pending' }));
  const copy = () => steps.map((s) => ({ ...s }));
  return {
    report(p: ApplyProgress): ApplyStep[] {
      for (let j = 0; j < p.index; j++) if (steps[j]!.status === 'running' || steps[j]!.status === 'pending') steps[j]!.status = 'done';
      steps[p.index]!.status = 'running';
      if (p.detail) steps[p.index]!.detail = p.detail;
      return copy();
    },
    waiting(): ApplyStep[] {
      for (const s of steps) if (s.id !== 'confirm') s.status = s.status === 'pending' ? 'skipped' : 'done';
      steps[steps.length - 1]!.status = 'running';
      return copy();
    },
    failed(message: string): ApplyStep[] {
      const r = steps.find((s) => s.status === 'running');
      if (r) { r.status = 'failed'; r.detail = message; }
      return copy();
    },
  };
}
