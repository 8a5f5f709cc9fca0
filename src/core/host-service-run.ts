// The host service's run: take the state DB's service lock (a lock whose
// process is gone is taken over), run the duties of service-duties.ts (each
// on its own schedule, a failure logged, recorded and evented without
// stopping the others), and on stop let the runs in flight end, give the lock
// back and say so. Its events are hostdeck's own work: the system principal.
import { WrongStateError } from '../domain/errors.ts';
import { HookError } from '../domain/hooks.ts';
import { processIdentity, processRuns } from '../host/process-identity.ts';
import { hostServiceRepo, type ServiceLock } from '../manager/repos/host-service.ts';
import type { EventInput } from '../manager/events.ts';
import { aroundHooks } from './hooks.ts';
import { systemPrincipal } from './principal.ts';
import { fileLog } from './storage-connections.ts';
import { SERVICE_DUTIES, type DutyDef } from './service-duties.ts';
import type { ServeOptions } from './host-service.ts';
import type { Core, CoreContext } from './index.ts';

/** How long a stop waits for duty runs in flight (a hung storage check is bounded by its own deadline). */
const DRAIN_MS = 15_000;

export async function runHostService(ctx: CoreContext, core: Core, opts: ServeOptions, duties: readonly DutyDef[] = SERVICE_DUTIES): Promise<void> {
  const { infra } = ctx;
  const repo = hostServiceRepo(infra.db);
  const system = systemPrincipal(ctx.door.principal.user);
  const pid = process.pid;
  const toFile = fileLog(infra.config.logFile, 'service');
  const log = (line: string) => { toFile(line); opts.echo?.(line); };
  const event = (e: Omit<EventInput, 'source' | 'objectType' | 'objectId' | 'user' | 'channel'>) => {
    try {
      infra.events.record({ ...e, source: 'host', objectType: 'host-service', objectId: `pid ${pid}`, user: system.user, channel: system.channel });
    } catch (err) {
      log(`could not write the event "${e.message}": ${(err as Error).message}`);
    }
  };

  const every = (d: DutyDef) => (d.everyMs === undefined ? undefined : opts.everyMs ?? d.everyMs);
  const lock: ServiceLock = { pid, since: new Date().toISOString(), duties: duties.map((d) => ({ id: d.id, ...(every(d) ? { everyMs: every(d) } : {}) })) };
  const identity = processIdentity(pid);
  if (identity) lock.identity = identity;
  const plan = duties.map((d) => `${d.id} (${every(d) === undefined ? 'at start' : `every ${every(d)! / 1000} s`})`).join(', ');
  // Between the before_service_start and after_service_start hooks: a failing before-hook keeps the service from starting.
  await aroundHooks(infra.config.hooks, () => infra.events, {
    action: 'service_start', object: { source: 'host', type: 'host-service', id: `pid ${pid}` },
    env: async () => ({ HOSTDECK_SERVICE_PID: String(pid), HOSTDECK_DB: infra.config.dbPath }),
  }, async () => {
    const claim = repo.claim(lock, (held) => processRuns(held.pid, held.identity));
    if (!claim.claimed) {
      throw new WrongStateError(`the host service already runs for ${infra.config.dbPath} (pid ${claim.holder.pid}, since ${claim.holder.since}); stop it with hostdeck service stop`);
    }
    if (claim.tookOverFrom) {
      const msg = `Host service took over the lock of pid ${claim.tookOverFrom.pid} (running since ${claim.tookOverFrom.since}), which no longer runs`;
      log(msg);
      event({ severity: 'warning', message: msg });
    }
    log(`host service started, pid ${pid}, state DB ${infra.config.dbPath}; duties: ${plan}`);
    event({ severity: 'info', result: 'success', message: `Host service started (pid ${pid}); duties: ${plan}` });
  }).catch((e: unknown) => {
    // A hook refused the start (the lock is not taken): say so where the operator looks.
    if (e instanceof HookError) {
      log(`host service not started: ${e.message}`);
      event({ severity: 'error', result: 'failure', message: `Host service not started: ${e.message}` });
    }
    throw e;
  });

  const stopped = () => opts.stop.aborted;
  const timers = new Set<NodeJS.Timeout>();
  const inflight = new Set<Promise<void>>();

  const schedule = (d: DutyDef) => {
    let run: () => Promise<string>;
    let failing = false;
    let said: string | undefined;
    const once = async () => {
      const began = Date.now();
      try {
        run ??= d.create(core);
        const message = await run();
        // A duty every 10 s doing the same thing each time: its log line when what it does changes.
        record(d, { ok: true, message, began }, said !== message);
        said = message;
        if (failing) event({ severity: 'info', result: 'success', message: `Host service duty ${d.id} works again: ${message}` });
        failing = false;
      } catch (err) {
        const message = (err as Error).message || String(err);
        record(d, { ok: false, message, began }, true);
        said = undefined;
        // Once per failing spell: a duty every 10 s that keeps failing would bury the log in copies.
        if (!failing) event({ severity: 'error', result: 'failure', message: `Host service duty ${d.id} failed: ${message}` });
        failing = true;
      }
    };
    const tick = () => {
      if (stopped()) return;
      const began = Date.now();
      const p = once().finally(() => {
        inflight.delete(p);
        const ms = every(d);
        if (ms === undefined || stopped()) return;
        const t = setTimeout(() => { timers.delete(t); tick(); }, Math.max(0, ms - (Date.now() - began)));
        timers.add(t);
      });
      inflight.add(p);
    };
    tick();
  };

  const record = (d: DutyDef, r: { ok: boolean; message: string; began: number }, logIt: boolean) => {
    const end = Date.now();
    if (logIt) log(`duty ${d.id} ${r.ok ? 'ok' : 'FAILED'} in ${end - r.began} ms: ${r.message}`);
    try {
      repo.recordDuty(d.id, { at: new Date(end).toISOString(), ok: r.ok, message: r.message, durationMs: end - r.began });
    } catch (err) {
      log(`could not record the run of duty ${d.id}: ${(err as Error).message}`);
    }
  };

  await new Promise<void>((resolve) => {
    if (stopped()) { resolve(); return; }
    opts.stop.addEventListener('abort', () => resolve(), { once: true });
    for (const d of duties) schedule(d);
  });

  for (const t of timers) clearTimeout(t);
  let drained: NodeJS.Timeout | undefined;
  await Promise.race([Promise.allSettled([...inflight]), new Promise((r) => { drained = setTimeout(r, DRAIN_MS); })]);
  clearTimeout(drained);
  const why = typeof opts.stop.reason === 'string' ? opts.stop.reason : 'stop requested';
  try {
    repo.release(pid);
  } catch (err) {
    log(`could not release the service lock: ${(err as Error).message}`);
  }
  log(`host service stopped (${why}), pid ${pid}`);
  event({ severity: 'info', result: 'success', message: `Host service stopped (${why}, pid ${pid})` });
}
