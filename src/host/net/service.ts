// The network service: stage changes (validated, kept in the state DB),
// show them as a diff, and apply them safely:
//   validate -> diff -> checkpoint -> apply -> verify read-back (polled
//   every 200 ms until it matches; it fails once the mismatches have not
//   changed for 5 s, or for as long as the backend may take to settle) -> probes chosen before the change (only those that passed
//   then) -> wait for confirmation within the timeout -> commit, else roll
//   back and say why.
// The apply in progress lives in a state file on the target host
// (/var/lib/hostdeck/net/pending.json), so `net confirm` works from any
// session and a detached watchdog (`hostdeck net watchdog`, started on the
// target) rolls back at the deadline even when hostdeck was killed. With
// NetworkManager its checkpoint's own timeout is the last line of defence.
//
// Note for net-screens: this is the agreed API (createNetworkService); the
// screens call stage/staged/discard/diff/apply/confirm/rollback/pending/test.
import { randomUUID } from 'node:crypto';
import { changedInterfaces, diffConfig, mismatches, type DiffLine } from '../../domain/net/diff.ts';
import { ChangeChain, changeObject, describeChange, type NetChange, type NetConfig } from '../../domain/net/model.ts';
import { NetValidationError, validateChange, validateConfig, type FieldError } from '../../domain/net/validate.ts';
import type { Db } from '../../manager/db.ts';
import type { EventLog, EventResult, Severity } from '../../manager/events.ts';
import { readRegistration } from '../engine/state.ts';
import { detectBackend, type BackendName, type Checkpoint, type NetBackend } from './backend.ts';
import { Iproute2Backend } from './iproute2.ts';
import { NetworkManagerBackend } from './nm.ts';
import { Target, type NetRunner } from './target.ts';

export { NetValidationError };
export type { DiffLine, FieldError, NetChange, NetConfig, BackendName };

export const DEFAULT_CONFIRM_TIMEOUT_S = 60;
/** Time the apply itself (before waiting for confirmation) may take before the watchdog rolls it back. */
export const APPLY_BUDGET_S = 300;
export const VERIFY_TRIES = 5;
/** The read-back is polled this often (after each read) until it matches or the verification window ends. */
export const VERIFY_POLL_MS = 200;
/** After this long without a match, verification asks the backend to nudge (explicit activation of what it left to autoconnect). */
export const NUDGE_AFTER_MS = 20_000;
/** The shortest verification window: the issue's 5 reads 1 s apart. */
export const VERIFY_WINDOW_MS = VERIFY_TRIES * 1000;
export const STATE_DIR = '/var/lib/hostdeck/net';

export type PendingStatus = 'applying' | 'waiting' | 'rolling-back' | 'confirmed' | 'rolled-back';

export interface ProbeResult {
  name: 'gateway' | 'dns' | 'engine' | 'host';
  target: string;
  ok: boolean;
  detail: string;
}

export interface PendingApply {
  id: string;
  backend: BackendName;
  status: PendingStatus;
  startedAt: string;
  updatedAt: string;
  /** When the apply is rolled back unless confirmed (ISO time). */
  deadline: string;
  confirmTimeoutS: number;
  who: string;
  diff: DiffLine[];
  changes: NetChange[];
  desired: NetConfig;
  checkpoint: Checkpoint;
  probes: ProbeResult[];
  reason?: string;
}

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

export class NetError extends Error {
  constructor(message: string, public readonly kind: 'pending' | 'nothing' | 'failed' | 'rolled-back' | 'none-pending' = 'failed') {
    super(message);
    this.name = 'NetError';
  }
}

export interface NetworkServiceDeps {
  runner: NetRunner;
  db: Db;
  events: EventLog;
  /** Force a backend instead of detecting one. */
  backend?: BackendName;
  /** Program and arguments that start hostdeck on the target (the watchdog); null: no watchdog. */
  watchdogCommand?: readonly string[] | null;
  /** The state DB path on the target, passed to the watchdog. */
  targetDbPath?: string;
  stateDir?: string;
  /** Name looked up by the DNS probe. */
  dnsProbeName?: string;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface NetworkService {
  backend(): Promise<BackendName>;
  current(): Promise<NetConfig>;
  staged(): NetChange[];
  stage(change: NetChange, opts?: { current?: NetConfig }): Promise<NetChange[]>;
  /**
   * Stages a list (an unattended file) all at once: each change is checked
   * against the ones before it, then all are written in one transaction, so
   * a kill part-way leaves none of them staged. Time is linear in the list's
   * length; onProgress is called after each change is checked and written.
   */
  stageAll(changes: readonly NetChange[], opts?: StageOptions): Promise<number>;
  /** Drops every staged change; the deletion and its event commit together. */
  discard(): number;
  diff(): Promise<DiffLine[]>;
  desired(): Promise<{ current: NetConfig; desired: NetConfig; diff: DiffLine[] }>;
  apply(opts?: { confirmTimeoutS?: number; onStep?: (text: string) => void; yes?: boolean }): Promise<ApplyResult>;
  /** Waits until the pending apply is confirmed or rolled back (rolling back itself at the deadline). */
  waitForOutcome(id: string, onTick?: (p: PendingApply) => void): Promise<ApplyResult>;
  confirm(): Promise<PendingApply>;
  rollback(reason: string): Promise<PendingApply>;
  pending(): Promise<PendingApply | undefined>;
  last(): Promise<PendingApply | undefined>;
  test(targets?: string[]): Promise<ProbeResult[]>;
  /** The watchdog's loop: roll back apply `id` at its deadline unless it was confirmed. */
  watchdog(id: string): Promise<'confirmed' | 'rolled-back' | 'gone'>;
}

/** The event a staging writes, in the same transaction as the staged rows. */
export interface StagingEvent {
  message: string;
  objectType?: string;
  objectId?: string;
  severity?: Severity;
}

export interface StageOptions {
  current?: NetConfig;
  onProgress?: (phase: 'checking' | 'staging', done: number, total: number) => void;
  /** The changes take the place of everything staged (checked against the current configuration alone). */
  replace?: boolean;
  /** Default: "Staged: <the change>" on its interface, or "Staged N changes" for a list. */
  event?: StagingEvent;
}

/** What a staging's event says by default: the one change and its object, or the count. */
function stagingEvent(changes: readonly NetChange[]): StagingEvent {
  if (changes.length === 1) {
    const c = changes[0]!;
    const object = changeObject(c);
    return { message: `Staged: ${describeChange(c)}`, objectType: c.op === 'dns.set' || c.op === 'hostname.set' ? 'network' : 'interface', objectId: object };
  }
  return { message: `Staged ${changes.length} changes` };
}

const summary = (diff: DiffLine[]) => diff.map((d) => `${d.kind}${d.text}`).join('; ').slice(0, 500);

export function createNetworkService(deps: NetworkServiceDeps): NetworkService {
  const t = new Target(deps.runner);
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const stateDir = deps.stateDir ?? STATE_DIR;
  const pendingFile = `${stateDir}/pending.json`;
  const lastFile = `${stateDir}/last.json`;
  /** Held (mkdir is atomic) by the one process that confirms or rolls back an apply. */
  const lockDir = `${stateDir}/finish.lock`;
  const claim = async (): Promise<boolean> => (await t.run('mkdir', ['--', lockDir])).exitCode === 0;
  const unclaim = async () => { await t.run('rmdir', ['--', lockDir]); };
  let backendName: Promise<BackendName> | undefined;
  const backendImpls = new Map<BackendName, NetBackend>();

  const backendOf = async (name?: BackendName): Promise<NetBackend> => {
    const n = name ?? (await (backendName ??= deps.backend ? Promise.resolve(deps.backend) : detectBackend(t)));
    if (!backendImpls.has(n)) backendImpls.set(n, n === 'networkmanager' ? new NetworkManagerBackend(t) : new Iproute2Backend(t));
    return backendImpls.get(n)!;
  };

  const event = (message: string, result: EventResult, severity?: 'info' | 'warning' | 'error' | 'alert', correlationId?: string) =>
    deps.events.record({ source: 'network', objectType: 'network', objectId: 'host', message, result, ...(severity ? { severity } : {}), ...(correlationId ? { correlationId } : {}) });

  const staged = (): NetChange[] =>
    (deps.db.prepare('SELECT change FROM net_staged ORDER BY id').pluck().all() as string[]).map((s) => JSON.parse(s) as NetChange);

  const readJson = async (path: string): Promise<PendingApply | undefined> => {
    const text = await t.readFile(path);
    if (!text) return undefined;
    try { return JSON.parse(text) as PendingApply; } catch { return undefined; }
  };
  const pending = () => readJson(pendingFile);
  const writePending = async (p: PendingApply) => { p.updatedAt = new Date(now()).toISOString(); await t.writeFile(pendingFile, JSON.stringify(p)); };
  const finish = async (p: PendingApply) => {
    p.updatedAt = new Date(now()).toISOString();
    await t.writeFile(lastFile, JSON.stringify(p));
    await Promise.all([t.remove(pendingFile), unclaim()]);
  };
  /** Commit the checkpoint of an apply this session has claimed: the change stays; on failure the claim is given back. */
  const commitClaimed = async (p: PendingApply, be: { commit: (checkpoint: PendingApply['checkpoint']) => Promise<void> }) => {
    try {
      await be.commit(p.checkpoint);
    } catch (e) {
      await unclaim();
      throw e;
    }
    p.status = 'confirmed';
    await finish(p);
  };

  const restage = (changes: NetChange[]) => {
    if (!changes.length || staged().length) return;
    const ins = deps.db.prepare('INSERT INTO net_staged (change, user, staged_at) VALUES (?, ?, ?)');
    deps.db.transaction(() => { for (const c of changes) ins.run(JSON.stringify(c), deps.events.user, new Date(now()).toISOString()); })();
  };

  async function probe(p: Omit<ProbeResult, 'ok' | 'detail'>): Promise<ProbeResult> {
    if (p.name === 'gateway' || p.name === 'host') {
      const r = await t.run('ping', ['-c', '1', '-W', '2', '--', p.target], { timeoutMs: 8_000 });
      return { ...p, ok: r.exitCode === 0, detail: r.exitCode === 0 ? 'answers ping' : (r.stdout.split('\n').find((l) => /loss|unreachable/i.test(l)) ?? r.stderr.trim()) || 'no answer' };
    }
    if (p.name === 'dns') {
      const name = deps.dnsProbeName ?? 'localhost';
      const r = await t.run('busybox', ['nslookup', name, p.target], { timeoutMs: 12_000 });
      const text = `${r.stdout}\n${r.stderr}`;
      const ok = !r.timedOut && !/timed out|no servers could be reached|can't connect|connection refused/i.test(text) && /Server:|Name:|NXDOMAIN|can't find/i.test(text);
      return { ...p, ok, detail: ok ? `answers (${name})` : text.trim().split('\n').slice(-1)[0] || 'no answer' };
    }
    const [host, port] = [p.target.slice(0, p.target.lastIndexOf(':')), p.target.slice(p.target.lastIndexOf(':') + 1)];
    const r = await t.run('nc', ['-z', '-w', '3', '--', host.replace(/^\[|\]$/g, ''), port], { timeoutMs: 10_000 });
    return { ...p, ok: r.exitCode === 0, detail: r.exitCode === 0 ? 'accepts connections' : r.stderr.trim() || 'no connection' };
  }

  async function probeTargets(cfg: NetConfig): Promise<Omit<ProbeResult, 'ok' | 'detail'>[]> {
    const out: Omit<ProbeResult, 'ok' | 'detail'>[] = [];
    const r = await t.run('ip', ['-j', '-4', 'route', 'show', 'default']);
    const gws = r.exitCode === 0 ? (JSON.parse(r.stdout || '[]') as { gateway?: string }[]).map((x) => x.gateway).filter((g): g is string => Boolean(g)) : [];
    for (const g of new Set(gws)) out.push({ name: 'gateway', target: g });
    if (cfg.dns.servers[0]) out.push({ name: 'dns', target: cfg.dns.servers[0] });
    const reg = readRegistration(deps.db);
    if (reg) out.push({ name: 'engine', target: `${reg.engineHost.includes(':') ? `[${reg.engineHost}]` : reg.engineHost}:${reg.enginePort}` });
    return out;
  }

  async function doRollback(p: PendingApply, reason: string, by: string, claimed = false): Promise<PendingApply> {
    if (!claimed && !(await claim())) throw new NetError('the apply is already being confirmed or rolled back by another process', 'pending');
    p.status = 'rolling-back';
    p.reason = reason;
    await writePending(p);
    const be = await backendOf(p.backend);
    try {
      await be.rollback(p.checkpoint);
    } catch (e) {
      event(`Network rollback${by} failed: ${(e as Error).message} (reason: ${reason})`, 'failure', 'alert', p.id);
      p.status = 'waiting';
      await writePending(p);
      await unclaim();
      throw new NetError(`rollback failed: ${(e as Error).message}`);
    }
    p.status = 'rolled-back';
    await finish(p);
    // The changes staged again and the event that says why, committed together.
    deps.db.transaction(() => {
      restage(p.changes);
      event(`Network change rolled back${by}: ${reason}`, 'success', 'warning', p.id);
    }).immediate();
    return p;
  }

  const resultOf = (p: PendingApply, verifyTries = 0): ApplyResult => ({
    id: p.id, backend: p.backend, diff: p.diff, probes: p.probes, verifyTries, deadline: p.deadline, status: p.status, ...(p.reason ? { reason: p.reason } : {}),
  });

  async function desiredState(current?: NetConfig) {
    const cur = current ?? (await (await backendOf()).read());
    const chain = new ChangeChain(cur);
    const errors: FieldError[] = [];
    for (const c of staged()) {
      const e = validateChange(c, chain.config);
      if (e.length) errors.push(...e.map((x) => ({ field: x.field, message: `${describeChange(c)}: ${x.message}` })));
      else chain.apply(c);
    }
    if (errors.length) throw new NetValidationError(errors);
    return { current: cur, desired: chain.config, diff: diffConfig(cur, chain.config) };
  }

  async function startWatchdog(id: string): Promise<void> {
    if (!deps.watchdogCommand?.length) return;
    const [prog, ...rest] = deps.watchdogCommand;
    const args = [...rest, 'net', 'watchdog', '--id', id, ...(deps.targetDbPath ? ['--db', deps.targetDbPath] : [])];
    const r = await t.run('start-stop-daemon', ['--start', '--background', '--make-pidfile', '--pidfile', `/run/hostdeck-net-watchdog-${id.slice(0, 8)}.pid`, '--startas', prog!, '--', ...args]);
    if (r.exitCode !== 0) throw new NetError(`could not start the rollback watchdog: ${r.stderr.trim() || r.stdout.trim()}`);
  }

  const svc: NetworkService = {
    async backend() { return (await backendOf()).name; },
    async current() { return (await backendOf()).read(); },
    staged,

    async stage(change, opts = {}) {
      await svc.stageAll([change], opts);
      return staged();
    },

    async stageAll(changes, opts = {}) {
      const base = opts.current ?? (await svc.current());
      const progress = opts.onProgress ?? (() => {});
      const mark = () => deps.db.prepare('SELECT count(*) AS n, max(id) AS last FROM net_staged').get() as { n: number; last: number | null };
      const seen = mark();
      const chain = new ChangeChain(base);
      if (!opts.replace) for (const c of staged()) if (validateChange(c, chain.config).length === 0) chain.apply(c);
      const errors: FieldError[] = [];
      changes.forEach((c, i) => {
        const e = validateChange(c, chain.config);
        const where = changes.length > 1 ? `change ${i + 1} (${describeChange(c)}): ` : '';
        if (e.length) errors.push(...e.map((x) => ({ field: x.field, message: `${where}${x.message}` })));
        else chain.apply(c);
        progress('checking', i + 1, changes.length);
      });
      if (errors.length) throw new NetValidationError(errors);
      const ins = deps.db.prepare('INSERT INTO net_staged (change, user, staged_at) VALUES (?, ?, ?)');
      const at = new Date(now()).toISOString();
      const note = { objectType: 'network', objectId: 'host', ...(opts.event ?? stagingEvent(changes)) };
      // IMMEDIATE: the staged set the changes were checked against cannot change before they are written; the event commits with them.
      deps.events.recordChange(() => {
        const m = mark();
        if (m.n !== seen.n || m.last !== seen.last) throw new NetError('the staged changes changed while these were checked (another session staged or discarded); try again', 'pending');
        if (opts.replace) deps.db.prepare('DELETE FROM net_staged').run();
        changes.forEach((c, i) => { ins.run(JSON.stringify(c), deps.events.user, at); progress('staging', i + 1, changes.length); });
      }, () => ({ source: 'network', ...note, result: 'success' }));
      return changes.length;
    },

    discard() {
      return deps.events.recordChange(
        () => deps.db.prepare('DELETE FROM net_staged').run().changes,
        (n) => (n ? { source: 'network', objectType: 'network', objectId: 'host', message: `Discarded ${n} staged change${n === 1 ? '' : 's'}`, result: 'success' } : undefined),
      );
    },

    async diff() { return (await desiredState()).diff; },
    desired: (cur?: NetConfig) => desiredState(cur),

    async apply(opts = {}) {
      const confirmTimeoutS = opts.confirmTimeoutS ?? DEFAULT_CONFIRM_TIMEOUT_S;
      const step = opts.onStep ?? (() => {});
      // The pending state, the backend and the host's configuration are read side by side (each is a program start on the host).
      const [existing, be, early] = await Promise.all([pending(), backendOf(), svc.current()]);
      let readNow: NetConfig | undefined = early;
      let unlocking: Promise<void> = Promise.resolve();
      if (existing) {
        if (now() < Date.parse(existing.deadline) + 15_000 || existing.status === 'rolling-back') {
          throw new NetError(`another apply (${existing.id.slice(0, 8)} by ${existing.who}, ${existing.status}) is pending until ${existing.deadline}; confirm it (net confirm) or roll it back (net rollback) first`, 'pending');
        }
        // Left behind by a hostdeck that was killed and a watchdog that did not run: roll it back now.
        await unclaim();
        await doRollback(existing, `not confirmed by ${existing.deadline} (found stale at the next apply)`, ' (stale apply)');
        readNow = undefined;
      } else unlocking = unclaim();
      step('validate');
      const { current, desired, diff } = await desiredState(readNow);
      if (!diff.length) throw new NetError('nothing to apply: the staged changes match the current configuration', 'nothing');
      const whole = validateConfig(desired).filter((e) => !validateConfig(current).some((x) => x.message === e.message));
      if (whole.length) throw new NetValidationError(whole);
      const changes = staged();
      // Probes and checkpoint both come before the change; neither changes anything, so they run side by side.
      step('probes before the change');
      const probing = probeTargets(current).then((list) => Promise.all(list.map(probe)));
      step('checkpoint');
      const [before, cp] = await Promise.all([probing, be.checkpoint(current, desired, confirmTimeoutS + APPLY_BUDGET_S + 30), unlocking]);
      const chosen = before.filter((x) => x.ok);
      const id = randomUUID();
      const p: PendingApply = {
        id, backend: be.name, status: 'applying', startedAt: new Date(now()).toISOString(), updatedAt: '',
        deadline: new Date(now() + (confirmTimeoutS + APPLY_BUDGET_S) * 1000).toISOString(), confirmTimeoutS,
        who: deps.events.user, diff, changes, desired, checkpoint: cp, probes: [],
      };
      await writePending(p);
      // The staged set becomes the pending apply: its removal and the event that the apply started commit together.
      deps.db.transaction(() => {
        event(`Network apply started (${be.name}): ${summary(diff)}`, 'started', 'info', id);
        deps.db.prepare('DELETE FROM net_staged').run();
      }).immediate();
      await startWatchdog(id);
      const fail = async (reason: string): Promise<never> => {
        await doRollback(p, reason, '');
        throw new NetError(`${reason}; the previous configuration is back`, 'rolled-back');
      };
      step('apply');
      try {
        await be.realise(current, desired, (s) => step(`apply: ${s}`));
      } catch (e) {
        event(`Network apply failed: ${(e as Error).message}`, 'failure', 'error', id);
        return fail(`apply failed: ${(e as Error).message}`);
      }
      step('verify');
      const { added, changed, removed } = changedInterfaces(current, desired);
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
        names: desired.hostname !== current.hostname || JSON.stringify(desired.dns) !== JSON.stringify(current.dns),
        fallback: current,
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
      step('probes after the change');
      p.probes = await Promise.all(chosen.map((c) => probe({ name: c.name, target: c.target })));
      const failed = p.probes.filter((x) => !x.ok);
      if (failed.length) {
        event(`Network apply: probes failed after the change: ${failed.map((f) => `${f.name} ${f.target}`).join(', ')}`, 'failure', 'error', id);
        return fail(`connectivity lost: ${failed.map((f) => `${f.name} ${f.target} (${f.detail})`).join(', ')}`);
      }
      if (opts.yes) {
        // Confirmed in one go (the probes passed): no waiting state for other sessions to see, the checkpoint goes at once.
        if (!(await claim())) throw new NetError('the apply is being rolled back', 'pending');
        await commitClaimed(p, be);
        event(`Network change applied (${be.name}): ${summary(diff)}`, 'success', 'info', id);
        event(`Network change confirmed (at once: --yes and the probes passed): ${summary(diff)}`, 'success', 'info', id);
        return resultOf(p, tries);
      }
      p.status = 'waiting';
      p.deadline = new Date(now() + confirmTimeoutS * 1000).toISOString();
      await writePending(p);
      // NetworkManager's own rollback: a little after hostdeck's deadline (the watchdog's comes first).
      await be.adjust?.(cp, confirmTimeoutS + 30);
      event(`Network change applied (${be.name}), waiting for confirmation until ${p.deadline}: ${summary(diff)}`, 'success', 'info', id);
      return resultOf(p, tries);
    },

    async waitForOutcome(id, onTick) {
      for (;;) {
        const p = await pending();
        if (!p || p.id !== id) {
          const l = await svc.last();
          if (l?.id === id) return resultOf(l);
          throw new NetError('the apply is no longer pending and its outcome is unknown', 'failed');
        }
        onTick?.(p);
        if (p.status === 'waiting' && now() >= Date.parse(p.deadline) && (await claim())) {
          const r = await doRollback(p, `not confirmed within ${p.confirmTimeoutS} s`, '', true);
          return resultOf(r);
        }
        await sleep(1000);
      }
    },

    async confirm() {
      const p = await pending();
      if (!p) throw new NetError('no apply is waiting for confirmation', 'none-pending');
      if (p.status !== 'waiting') throw new NetError(`the apply is ${p.status}, not waiting for confirmation`, 'pending');
      if (!(await claim())) throw new NetError('the apply is being rolled back', 'pending');
      await commitClaimed(p, await backendOf(p.backend));
      event(`Network change confirmed: ${summary(p.diff)}`, 'success', 'info', p.id);
      return p;
    },

    async rollback(reason) {
      const p = await pending();
      if (!p) throw new NetError('no apply is pending; nothing to roll back', 'none-pending');
      if (p.status === 'rolling-back') throw new NetError('the apply is already being rolled back', 'pending');
      return doRollback(p, reason, '');
    },

    pending,
    last: () => readJson(lastFile),

    async test(targets = []) {
      const cur = await svc.current();
      const list = [...(await probeTargets(cur)), ...targets.map((x) => ({ name: 'host' as const, target: x }))];
      for (const s of cur.dns.servers.slice(1)) list.push({ name: 'dns', target: s });
      return Promise.all(list.map(probe));
    },

    async watchdog(id) {
      for (;;) {
        const p = await pending();
        if (!p || p.id !== id) {
          const l = await svc.last();
          return l?.id === id && l.status === 'confirmed' ? 'confirmed' : l?.id === id ? 'rolled-back' : 'gone';
        }
        const fresh = now() - Date.parse(p.updatedAt) < 120_000;
        // A little after the deadline: the apply's own process rolls back at the deadline when it is still there.
        if ((p.status === 'waiting' || p.status === 'applying') && now() >= Date.parse(p.deadline) + 5_000 && (await claim())) {
          await doRollback(p, `not confirmed within ${p.confirmTimeoutS} s`, ' by the watchdog (hostdeck was not there to do it)', true);
          return 'rolled-back';
        }
        if (p.status === 'rolling-back' && !fresh) {
          // The process rolling back died half-way: take its claim over.
          await unclaim();
          if (await claim()) {
            await doRollback(p, p.reason ?? 'an interrupted rollback', ' by the watchdog (an interrupted rollback)', true);
            return 'rolled-back';
          }
        }
        await sleep(1000);
      }
    },
  };
  return svc;
}

/** How the running hostdeck starts itself on this host (the watchdog command). */
export function selfCommand(): string[] | null {
  const script = process.argv[1];
  return script && /\.(mjs|js|ts|tsx)$/.test(script) ? [process.execPath, ...process.execArgv.filter((a) => !a.startsWith('--inspect')), script] : null;
}
