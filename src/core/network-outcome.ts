// How a pending network apply ends: confirmed (the checkpoint is committed),
// rolled back (the configuration before it restored and its changes staged
// again), waited for until one of those, or rolled back by the watchdog when
// nobody confirmed. Only the process that claims the pending state acts, so
// a confirm and a rollback from two sessions cannot both run.
import type { DiffLine } from '../domain/net/diff.ts';
import type { Db } from '../manager/db.ts';
import type { EventResult } from '../manager/events.ts';
import type { BackendName, NetBackend } from '../host/net/backend.ts';
import type { PendingApply, PendingStatus, pendingState } from '../host/net/pending.ts';
import type { ProbeResult } from '../host/net/probes.ts';
import { NetError } from './network-errors.ts';
import type { StagedSet } from './network-staged.ts';

export interface ApplyResult {
  id: string;
  backend: BackendName;
  diff: DiffLine[];
  probes: ProbeResult[];
  verifyTries: number;
  deadline: string;
  status: PendingStatus;
  reason?: string;
}

/** An event of the apply after the door's own (applied and waiting, rolled back and why), with the apply's id as correlation id. */
export type ApplyEvent = (message: string, result: EventResult, severity?: 'info' | 'warning' | 'error' | 'alert', correlationId?: string) => void;

export const summary = (diff: DiffLine[]) => diff.map((d) => `${d.kind}${d.text}`).join('; ').slice(0, 500);

export const resultOf = (p: PendingApply, verifyTries = 0): ApplyResult => ({
  id: p.id, backend: p.backend, diff: p.diff, probes: p.probes, verifyTries, deadline: p.deadline, status: p.status, ...(p.reason ? { reason: p.reason } : {}),
});

export interface OutcomeDeps {
  state: ReturnType<typeof pendingState>;
  backendOf: (name?: BackendName) => Promise<NetBackend>;
  set: Pick<StagedSet, 'restage'>;
  db: () => Db;
  event: ApplyEvent;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

export function applyOutcomes(deps: OutcomeDeps) {
  const { state, backendOf, set, event, now, sleep } = deps;

  /** Commit the checkpoint of an apply this session has claimed: the change stays; on failure the claim is given back. */
  const commitClaimed = async (p: PendingApply, be: NetBackend) => {
    try {
      await be.commit(p.checkpoint);
    } catch (e) {
      await state.unclaim();
      throw e;
    }
    p.status = 'confirmed';
    await state.finish(p);
  };

  async function rollback(p: PendingApply, reason: string, by: string, claimed = false): Promise<PendingApply> {
    if (!claimed && !(await state.claim())) throw new NetError('the apply is already being confirmed or rolled back by another process', 'pending');
    p.status = 'rolling-back';
    p.reason = reason;
    await state.write(p);
    const be = await backendOf(p.backend);
    try {
      await be.rollback(p.checkpoint);
    } catch (e) {
      event(`Network rollback${by} failed: ${(e as Error).message} (reason: ${reason})`, 'failure', 'alert', p.id);
      p.status = 'waiting';
      await state.write(p);
      await state.unclaim();
      throw new NetError(`rollback failed: ${(e as Error).message}`);
    }
    p.status = 'rolled-back';
    await state.finish(p);
    // The changes staged again and the event that says why, committed together.
    deps.db().transaction(() => {
      set.restage(p.changes);
      event(`Network change rolled back${by}: ${reason}`, 'success', 'warning', p.id);
    }).immediate();
    return p;
  }

  return {
    commitClaimed,
    rollback,

    async confirm(p: PendingApply): Promise<PendingApply> {
      if (!(await state.claim())) throw new NetError('the apply is being rolled back', 'pending');
      await commitClaimed(p, await backendOf(p.backend));
      event(`Network change confirmed: ${summary(p.diff)}`, 'success', 'info', p.id);
      return p;
    },

    async waitForOutcome(id: string, onTick?: (p: PendingApply) => void): Promise<ApplyResult> {
      for (;;) {
        const p = await state.pending();
        if (!p || p.id !== id) {
          const l = await state.last();
          if (l?.id === id) return resultOf(l);
          throw new NetError('the apply is no longer pending and its outcome is unknown', 'failed');
        }
        onTick?.(p);
        if (p.status === 'waiting' && now() >= Date.parse(p.deadline) && (await state.claim())) {
          return resultOf(await rollback(p, `not confirmed within ${p.confirmTimeoutS} s`, '', true));
        }
        await sleep(1000);
      }
    },

    // Rolls back even in read-only mode: it only ever restores the configuration an apply replaced.
    async watchdog(id: string): Promise<'confirmed' | 'rolled-back' | 'gone'> {
      for (;;) {
        const p = await state.pending();
        if (!p || p.id !== id) {
          const l = await state.last();
          return l?.id === id && l.status === 'confirmed' ? 'confirmed' : l?.id === id ? 'rolled-back' : 'gone';
        }
        const fresh = now() - Date.parse(p.updatedAt) < 120_000;
        // A little after the deadline: the apply's own process rolls back at the deadline when it is still there.
        if ((p.status === 'waiting' || p.status === 'applying') && now() >= Date.parse(p.deadline) + 5_000 && (await state.claim())) {
          await rollback(p, `not confirmed within ${p.confirmTimeoutS} s`, ' by the watchdog (hostdeck was not there to do it)', true);
          return 'rolled-back';
        }
        if (p.status === 'rolling-back' && !fresh) {
          // The process rolling back died half-way: take its claim over.
          await state.unclaim();
          if (await state.claim()) {
            await rollback(p, p.reason ?? 'an interrupted rollback', ' by the watchdog (an interrupted rollback)', true);
            return 'rolled-back';
          }
        }
        await sleep(1000);
      }
    },
  };
}
