// The safe apply of the staged network changes, its confirmation, rollback
// and the watchdog that rolls back when nobody confirmed (see network.ts).
// Events after the door's own tell what happened on the way (applied and
// waiting, verification failed, rolled back and why), with the apply's id as
// their correlation id.
import { randomUUID } from 'node:crypto';
import { progressOf, type ApplyProgress } from '../domain/net/apply-steps.ts';
import { changedInterfaces, diffConfig, mismatches, type DiffLine } from '../domain/net/diff.ts';
import { ChangeChain, describeChange, type NetConfig } from '../domain/net/model.ts';
import { NetValidationError, validateChange, validateConfig, type FieldError } from '../domain/net/validate.ts';
import type { Db } from '../manager/db.ts';
import type { ActionScope, EventLog, EventResult } from '../manager/events.ts';
import { readRegistration } from '../host/engine/state.ts';
import { detectBackend, type BackendName, type NetBackend } from '../host/net/backend.ts';
import { Iproute2Backend } from '../host/net/iproute2.ts';
import { NetworkManagerBackend } from '../host/net/nm.ts';
import { pendingState, type PendingApply, type PendingStatus } from '../host/net/pending.ts';
import { probe, probeTargets, type ProbeResult } from '../host/net/probes.ts';
import { Target, type NetRunner } from '../host/net/target.ts';
import { NetError } from './network-errors.ts';
import type { StagedSet } from './network-staged.ts';

export { NetError, DEFAULT_CONFIRM_TIMEOUT_S };

import { DEFAULT_CONFIRM_TIMEOUT_S } from './network.ts';
/** Time the apply itself (before waiting for confirmation) may take before the watchdog rolls it back. */
export const APPLY_BUDGET_S = 300;
export const VERIFY_TRIES = 5;
/** The read-back is polled this often (after each read) until it matches or the verification window ends. */
export const VERIFY_POLL_MS = 200;
/** After this long without a match, verification asks the backend to nudge (explicit activation of what it left to autoconnect). */
export const NUDGE_AFTER_MS = 20_000;
/** The shortest verification window: 5 reads 1 s apart. */
export const VERIFY_WINDOW_MS = VERIFY_TRIES * 1000;

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
}

/** Runs fn through the door as the apply action, with the event message given. */
type ActAsApply = <T>(message: string, fn: (scope: ActionScope) => Promise<T>) => Promise<T>;

const summary = (diff: DiffLine[]) => diff.map((d) => `${d.kind}${d.text}`).join('; ').slice(0, 500);

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

  const event = (message: string, result: EventResult, severity?: 'info' | 'warning' | 'error' | 'alert', correlationId?: string) =>
    deps.events().record({ source: 'network', objectType: 'network', objectId: 'host', message, result, ...(severity ? { severity } : {}), ...(correlationId ? { correlationId } : {}) });

  const engine = () => {
    const reg = readRegistration(deps.db());
    return reg ? { host: reg.engineHost, port: reg.enginePort } : undefined;
  };

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

  const resultOf = (p: PendingApply, verifyTries = 0): ApplyResult => ({
    id: p.id, backend: p.backend, diff: p.diff, probes: p.probes, verifyTries, deadline: p.deadline, status: p.status, ...(p.reason ? { reason: p.reason } : {}),
  });

  async function desiredState(cur?: NetConfig) {
    const base = cur ?? (await current());
    const chain = new ChangeChain(base);
    const errors: FieldError[] = [];
    for (const c of set.list()) {
      const e = validateChange(c, chain.config);
      if (e.length) errors.push(...e.map((x) => ({ field: x.field, message: `${describeChange(c)}: ${x.message}` })));
      else chain.apply(c);
    }
    if (errors.length) throw new NetValidationError(errors);
    return { current: base, desired: chain.config, diff: diffConfig(base, chain.config) };
  }

  /** The staged changes checked as a whole: what applying them would change. */
  async function planned(readNow?: NetConfig) {
    const plan = await desiredState(readNow);
    if (!plan.diff.length) throw new NetError('nothing to apply: the staged changes match the current configuration', 'nothing');
    const whole = validateConfig(plan.desired).filter((e) => !validateConfig(plan.current).some((x) => x.message === e.message));
    if (whole.length) throw new NetValidationError(whole);
    return plan;
  }

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
    return act(`Network apply (${be.name}): ${summary(first.diff)}`, async () => {
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
      const { added, changed, removed } = changedInterfaces(cur, desired);
      // Polled until it matches. It fails when the mismatches stop changing for the window (the host is
      // done changing), or at three windows in all (a slow host that is still activating gets that long).
      const windowMs = Math.max(VERIFY_WINDOW_MS, be.settleMs ?? 0);
      const verifyStart = now();
      let tries = 0;
      let nudged = false;
      let left: string[];
      let lastText = '';
      let lastChange = verifyStart;
      // Each read is a few program starts on a host that is busy activating: read only what the change touches.
      const touchedCfg = [...added, ...changed].map((n) => desired.interfaces.find((i) => i.name === n)).filter((i) => i !== undefined);
      const parts = {
        routes: touchedCfg.some((i) => i.ipv4.gateway || i.ipv6.gateway || i.routes.length) || removed.length > 0,
        names: desired.hostname !== cur.hostname || JSON.stringify(desired.dns) !== JSON.stringify(cur.dns),
        fallback: cur,
        methods: false,
      };
      for (;;) {
        tries++;
        const got = await be.read(parts);
        left = mismatches(desired, got, [...added, ...changed], removed);
        if (!left.length) break;
        const text = left.join('; ');
        if (text !== lastText) { lastText = text; lastChange = now(); }
        if (now() - lastChange >= windowMs || now() - verifyStart >= 3 * windowMs) break;
        if (!nudged && be.nudge && now() - verifyStart >= NUDGE_AFTER_MS) { nudged = true; await be.nudge(got); }
        await sleep(VERIFY_POLL_MS);
      }
      if (left.length) {
        event(`Network apply failed verification: ${left.join('; ')}`, 'failure', 'error', id);
        return fail(`the host does not show the change after ${tries} reads in ${Math.round((now() - verifyStart) / 1000)} s: ${left.join('; ')}`);
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
