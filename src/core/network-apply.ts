// The safe apply of the staged network changes (see network.ts): validate,
// probe and checkpoint, change, verify, probe again, then wait for
// confirmation. Events after the door's own tell what happened on the way
// (applied and waiting, verification failed), with the apply's id as their
// correlation id; how the apply ends is network-outcome.ts.
import { randomUUID } from 'node:crypto';
import { progressOf, type ApplyProgress } from '../domain/net/apply-steps.ts';
import type { Db } from '../manager/db.ts';
import type { ActionScope, EventLog } from '../manager/events.ts';
import { readRegistration } from '../host/engine/state.ts';
import { detectBackend, type BackendName, type NetBackend } from '../host/net/backend.ts';
import { Iproute2Backend } from '../host/net/iproute2.ts';
import { NetworkManagerBackend } from '../host/net/nm.ts';
import { pendingState, type PendingApply } from '../host/net/pending.ts';
import { probe, probeTargets } from '../host/net/probes.ts';
import { Target, type NetRunner } from '../host/net/target.ts';
import { NetError } from './network-errors.ts';
import { applyOutcomes, resultOf, summary, type ApplyEvent, type ApplyResult } from './network-outcome.ts';
import { stagedPlan } from './network-plan.ts';
import type { StagedSet } from './network-staged.ts';
import { verifyApplied } from './network-verify.ts';
import { DEFAULT_CONFIRM_TIMEOUT_S } from './network.ts';
import { aroundHooks, type HookSettings } from './hooks.ts';

export type { ApplyResult };

/** Time the apply itself (before waiting for confirmation) may take before the watchdog rolls it back. */
export const APPLY_BUDGET_S = 300;

export interface ApplyOptions {
  confirmTimeoutS?: number;
  onProgress?: (p: ApplyProgress) => void;
  /** Confirm at once when the probes pass after the change. */
  yes?: boolean;
}

interface ApplyDeps {
  runner: NetRunner;
  db: () => Db;
  events: () => EventLog;
  set: StagedSet;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  backend?: BackendName;
  stateDir: string;
  watchdogCommand: readonly string[] | null;
  targetDbPath?: string;
  dnsProbeName?: string;
  /** The before_network_setup and after_network_setup hooks (none when not set). */
  hooks?: HookSettings;
}

/** Runs fn through the door as the apply action, with the event message given. */
type ActAsApply = <T>(message: string, fn: (scope: ActionScope) => Promise<T>) => Promise<T>;

export function createApply(deps: ApplyDeps) {
  const t = new Target(deps.runner);
  const { now, sleep, set } = deps;
  const state = pendingState(t, deps.stateDir, now);
  let backendName: Promise<BackendName> | undefined;
  const backendImpls = new Map<BackendName, NetBackend>();

  const backendOf = async (name?: BackendName): Promise<NetBackend> => {
    const n = name ?? (await (backendName ??= deps.backend ? Promise.resolve(deps.backend) : detectBackend(t)));
    if (!backendImpls.has(n)) backendImpls.set(n, n === 'networkmanager' ? new NetworkManagerBackend(t) : new Iproute2Backend(t));
    return backendImpls.get(n)!;
  };
  const current = async () => (await backendOf()).read();

  const event: ApplyEvent = (message, result, severity, correlationId) =>
    deps.events().record({ source: 'network', objectType: 'network', objectId: 'host', message, result, ...(severity ? { severity } : {}), ...(correlationId ? { correlationId } : {}) });

  const engine = () => {
    const reg = readRegistration(deps.db());
    return reg ? { host: reg.engineHost, port: reg.enginePort } : undefined;
  };

  const { desiredState, planned } = stagedPlan(set, current);
  const outcomes = applyOutcomes({ state, backendOf, set, db: deps.db, event, now, sleep });
  const { commitClaimed, rollback } = outcomes;

  async function startWatchdog(id: string): Promise<void> {
    if (!deps.watchdogCommand?.length) return;
    const [prog, ...rest] = deps.watchdogCommand;
    const args = [...rest, 'net', 'watchdog', '--id', id, ...(deps.targetDbPath ? ['--db', deps.targetDbPath] : [])];
    const r = await t.run('start-stop-daemon', ['--start', '--background', '--make-pidfile', '--pidfile', `/run/hostdeck-net-watchdog-${id.slice(0, 8)}.pid`, '--startas', prog!, '--', ...args]);
    if (r.exitCode !== 0) throw new NetError(`could not start the rollback watchdog: ${r.stderr.trim() || r.stdout.trim()}`);
  }

  async function apply(act: ActAsApply, opts: ApplyOptions = {}): Promise<ApplyResult> {
    const confirmTimeoutS = opts.confirmTimeoutS ?? DEFAULT_CONFIRM_TIMEOUT_S;
    const step = (id: Parameters<typeof progressOf>[0], detail?: string) => opts.onProgress?.(progressOf(id, detail));
    // The pending state, the backend and the host's configuration are read side by side (each is a program start on the host).
    const [existing, be, early] = await Promise.all([state.pending(), backendOf(), current()]);
    let stale: PendingApply | undefined;
    if (existing) {
      if (now() < Date.parse(existing.deadline) + 15_000 || existing.status === 'rolling-back') {
        throw new NetError(`another apply (${existing.id.slice(0, 8)} by ${existing.who}, ${existing.status}) is pending until ${existing.deadline}; confirm it (net confirm) or roll it back (net rollback) first`, 'pending');
      }
      stale = existing;
    }
    step('validate');
    // A stale apply's changes come back staged when it is rolled back: the plan is made again after it.
    const first = stale ? await desiredState(early) : await planned(early);
    // Hooks run inside the action: a failing before-hook stops it before anything changed, with the action's failure event.
    const hooked: ActAsApply = (message, fn) => act(message, (scope) => aroundHooks(deps.hooks, deps.events, {
      action: 'network_setup', object: { source: 'network', type: 'network', id: 'host' }, env: async () => ({ HOSTDECK_NETWORK_CHANGE: message }),
    }, () => fn(scope)));
    return hooked(`Network apply (${be.name}): ${summary(first.diff)}`, async () => {
      let plan = first;
      let unlocking: Promise<void> = Promise.resolve();
      if (stale) {
        // Left behind by a hostdeck that was killed and a watchdog that did not run: roll it back now.
        await state.unclaim();
        await rollback(stale, `not confirmed by ${stale.deadline} (found stale at the next apply)`, ' (stale apply)');
        plan = await planned();
      } else unlocking = state.unclaim();
      const { current: cur, desired, diff } = plan;
      const changes = set.list();
      // Probes and checkpoint both come before the change; neither changes anything, so they run side by side.
      step('probes-before');
      const probing = probeTargets(t, cur.dns.servers, engine()).then((list) => Promise.all(list.map((x) => probe(t, x, deps.dnsProbeName))));
      step('checkpoint');
      const [before, cp] = await Promise.all([probing, be.checkpoint(cur, desired, confirmTimeoutS + APPLY_BUDGET_S + 30), unlocking]);
      const chosen = before.filter((x) => x.ok);
      const id = randomUUID();
      const p: PendingApply = {
        id, backend: be.name, status: 'applying', startedAt: new Date(now()).toISOString(), updatedAt: '',
        deadline: new Date(now() + (confirmTimeoutS + APPLY_BUDGET_S) * 1000).toISOString(), confirmTimeoutS,
        who: deps.events().user, diff, changes, desired, checkpoint: cp, probes: [],
      };
      await state.write(p);
      // The staged set becomes the pending apply: its removal and the event that the apply started commit together.
      deps.db().transaction(() => {
        event(`Network apply started (${be.name}): ${summary(diff)}`, 'started', 'info', id);
        set.clear();
      }).immediate();
      await startWatchdog(id);
      const fail = async (reason: string): Promise<never> => {
        await rollback(p, reason, '');
        throw new NetError(`${reason}; the previous configuration is back`, 'rolled-back');
      };
      step('apply');
      try {
        await be.realise(cur, desired, (s) => step('apply', s));
      } catch (e) {
        event(`Network apply failed: ${(e as Error).message}`, 'failure', 'error', id);
        return fail(`apply failed: ${(e as Error).message}`);
      }
      step('verify');
      const { left, tries, elapsedMs } = await verifyApplied(be, cur, desired, { now, sleep });
      if (left.length) {
        event(`Network apply failed verification: ${left.join('; ')}`, 'failure', 'error', id);
        return fail(`the host does not show the change after ${tries} reads in ${Math.round(elapsedMs / 1000)} s: ${left.join('; ')}`);
      }
      step('probes-after');
      p.probes = await Promise.all(chosen.map((c) => probe(t, { name: c.name, target: c.target }, deps.dnsProbeName)));
      const failed = p.probes.filter((x) => !x.ok);
      if (failed.length) {
        event(`Network apply: probes failed after the change: ${failed.map((f) => `${f.name} ${f.target}`).join(', ')}`, 'failure', 'error', id);
        return fail(`connectivity lost: ${failed.map((f) => `${f.name} ${f.target} (${f.detail})`).join(', ')}`);
      }
      if (opts.yes) {
        // Confirmed in one go (the probes passed): no waiting state for other sessions to see, the checkpoint goes at once.
        if (!(await state.claim())) throw new NetError('the apply is being rolled back', 'pending');
        await commitClaimed(p, be);
        event(`Network change applied (${be.name}): ${summary(diff)}`, 'success', 'info', id);
        event(`Network change confirmed (at once: --yes and the probes passed): ${summary(diff)}`, 'success', 'info', id);
        return resultOf(p, tries);
      }
      p.status = 'waiting';
      p.deadline = new Date(now() + confirmTimeoutS * 1000).toISOString();
      await state.write(p);
      // NetworkManager's own rollback: a little after hostdeck's deadline (the watchdog's comes first).
      await be.adjust?.(cp, confirmTimeoutS + 30);
      event(`Network change applied (${be.name}), waiting for confirmation until ${p.deadline}: ${summary(diff)}`, 'success', 'info', id);
      step('confirm');
      return resultOf(p, tries);
    });
  }

  return {
    target: t,
    backendOf,
    current,
    desiredState,
    apply,
    rollback,
    confirm: outcomes.confirm,
    waitForOutcome: outcomes.waitForOutcome,
    watchdog: outcomes.watchdog,
  };
}
