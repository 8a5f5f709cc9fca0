// net-core's network service (src/host/net/service.ts) seen through the
// interface the screens use (NetServiceApi in src/store/net.ts): its diff
// lines, its step texts as a progress list, its pending apply with the
// deadline as a time.
import type { NetworkService, PendingApply as CorePending } from '../../src/host/net/service.ts';
import type { ApplyStep, NetDiffLine, NetServiceApi, PendingApply } from '../../src/store/net.ts';

/** The steps of a safe apply in order, with the words the operator reads. */
export const APPLY_STEPS: { id: string; label: string }[] = [
  { id: 'validate', label: 'Validate the staged changes' },
  { id: 'probes before the change', label: 'Choose connectivity probes (gateway, DNS, engine)' },
  { id: 'checkpoint', label: 'Take a checkpoint of the current configuration' },
  { id: 'apply', label: 'Apply' },
  { id: 'verify', label: 'Verify the host shows the change' },
  { id: 'probes after the change', label: 'Run the probes again' },
  { id: 'confirm', label: 'Wait for your confirmation' },
];

/** A progress list that follows the service's step texts ("apply: ..." are details of the apply step). */
export function stepTracker(onSteps: (s: ApplyStep[]) => void) {
  const steps: ApplyStep[] = APPLY_STEPS.map((s) => ({ ...s, status: 'pending' }));
  const emit = () => onSteps(steps.map((s) => ({ ...s })));
  return {
    step(text: string) {
      const [head, ...rest] = text.split(': ');
      const i = steps.findIndex((s) => s.id === head);
      if (i < 0) return;
      for (let j = 0; j < i; j++) if (steps[j]!.status === 'running' || steps[j]!.status === 'pending') steps[j]!.status = 'done';
      steps[i]!.status = 'running';
      if (rest.length) steps[i]!.detail = rest.join(': ');
      emit();
    },
    waiting() {
      for (const s of steps) if (s.id !== 'confirm') s.status = s.status === 'pending' ? 'skipped' : 'done';
      steps[steps.length - 1]!.status = 'running';
      emit();
    },
    failed(message: string) {
      const r = steps.find((s) => s.status === 'running');
      if (r) { r.status = 'failed'; r.detail = message; }
      emit();
    },
  };
}

const diffLines = (d: { kind: '+' | '-' | '~'; text: string; object?: string }[]): NetDiffLine[] => d.map((x) => ({ sign: x.kind, text: x.text }));

function pendingOf(p: Pick<CorePending, 'deadline' | 'who' | 'diff' | 'probes'>): PendingApply {
  return {
    deadline: Date.parse(p.deadline),
    who: p.who,
    diff: diffLines(p.diff),
    probes: p.probes.map((x) => ({ name: `${x.name} ${x.target}`, ok: x.ok, detail: x.detail })),
  };
}

export function adaptNetworkService(svc: NetworkService): NetServiceApi {
  return {
    backend: () => svc.backend(),
    current: () => svc.current(),
    staged: async () => svc.staged(),
    stage: async (c) => { await svc.stage(c); },
    stageAll: async (changes, opts) => { await svc.stageAll(changes, opts); },
    discard: async () => { svc.discard(); },
    diff: async () => diffLines(await svc.diff()),
    async apply({ confirmTimeoutS, onStep }) {
      const tr = stepTracker(onStep);
      try {
        const r = await svc.apply({ confirmTimeoutS, onStep: (t) => tr.step(t) });
        tr.waiting();
        // This process rolls back at the deadline unless confirmed (from here or `hostdeck net confirm`).
        const outcome = svc.waitForOutcome(r.id).then(
          (o) => ({ status: o.status === 'confirmed' ? 'confirmed' as const : 'rolled-back' as const, reason: o.reason }),
          (e: Error) => ({ status: 'rolled-back' as const, reason: e.message }),
        );
        return { ...pendingOf({ deadline: r.deadline, who: '', diff: r.diff, probes: r.probes }), outcome };
      } catch (e) {
        tr.failed((e as Error).message);
        throw e;
      }
    },
    confirm: async () => { await svc.confirm(); },
    rollback: async (reason) => { await svc.rollback(reason); },
    async pending() {
      const p = await svc.pending();
      return p && (p.status === 'waiting' || p.status === 'applying') ? pendingOf(p) : undefined;
    },
  };
}
