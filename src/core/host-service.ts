// The host service seen from any hostdeck process: whether it runs for this
// state DB (read from its lock in the DB, no process started), its duties and
// their last runs; stopping it; and running it (`hostdeck serve`, loaded on
// first use: the console's first frame does not pay for it).
import { WrongStateError } from '../domain/errors.ts';
import { processRuns, signalProcess } from '../host/process-identity.ts';
import { hostServiceRepo, type DutyRun } from '../manager/repos/host-service.ts';
import { SERVICE_DUTIES, type DutyDef } from './service-duties.ts';
import type { Core, CoreContext } from './index.ts';

export interface DutyStatus {
  id: string;
  summary: string;
  /** Milliseconds between runs; undefined: once at the service's start. */
  everyMs?: number;
  last?: DutyRun;
}

export interface ServiceStatus {
  running: boolean;
  /** The running service's PID and since when (ISO 8601). */
  pid?: number;
  since?: string;
  /** A lock left by a service that no longer runs (killed): the next `serve` takes it over. */
  stale?: { pid: number; since: string };
  duties: DutyStatus[];
  /** hostdeck's log file, where the service writes what it does. */
  logFile: string;
}

export interface ServeOptions {
  /** Aborted to stop the service; its reason (a signal's name) goes into the stop event. */
  stop: AbortSignal;
  /** Where each line of the service's log goes besides hostdeck's log file (a terminal the service runs on). */
  echo?: (line: string) => void;
  /** Every periodic duty's interval instead of its own (tuning, tests). */
  everyMs?: number;
}

export interface HostServiceUseCases {
  status(): ServiceStatus;
  /** SIGTERM to the running service; resolves once it has released its lock (rejects when it does not within `timeoutMs`). */
  stop(timeoutMs?: number): Promise<{ pid: number }>;
  /** Run the service until `opts.stop` aborts; rejects at once when another runs for this state DB. */
  serve(core: Core, opts: ServeOptions): Promise<void>;
}

const STOP_TIMEOUT_MS = 30_000;

export function createHostServiceUseCases(ctx: CoreContext): HostServiceUseCases {
  const repo = () => hostServiceRepo(ctx.infra.db);
  const status = (): ServiceStatus => {
    const r = repo();
    const lock = r.read();
    const runs = r.dutyRuns();
    const running = lock !== undefined && processRuns(lock.pid, lock.identity);
    // A running service's own schedule (serve --interval changes it); else the registry's.
    const everyMs = (d: DutyDef) => (running ? lock.duties.find((x) => x.id === d.id)?.everyMs : d.everyMs);
    const duties = SERVICE_DUTIES.map((d) => ({ id: d.id, summary: d.summary, ...(everyMs(d) ? { everyMs: everyMs(d) } : {}), ...(runs.has(d.id) ? { last: runs.get(d.id)! } : {}) }));
    const logFile = ctx.infra.config.logFile;
    if (!lock) return { running: false, duties, logFile };
    if (!running) return { running: false, stale: { pid: lock.pid, since: lock.since }, duties, logFile };
    return { running: true, pid: lock.pid, since: lock.since, duties, logFile };
  };
  return {
    status,
    async stop(timeoutMs = STOP_TIMEOUT_MS) {
      const s = status();
      if (!s.running || s.pid === undefined) throw new WrongStateError(`the host service is not running for ${ctx.infra.config.dbPath}`);
      const pid = s.pid;
      return ctx.door.act('host-service.stop', { id: 'host-service' }, { message: `Stop the host service (pid ${pid})` }, async () => {
        if (!signalProcess(pid, 'SIGTERM')) return { pid };
        const deadline = Date.now() + timeoutMs;
        while (Date.now() < deadline) {
          const lock = repo().read();
          if (lock?.pid !== pid || !processRuns(pid, lock.identity)) return { pid };
          await new Promise((r) => setTimeout(r, 100));
        }
        throw new Error(`the host service (pid ${pid}) did not stop within ${Math.round(timeoutMs / 1000)} s of SIGTERM`);
      });
    },
    async serve(core, opts) {
      const { runHostService } = await import('./host-service-run.ts');
      return runHostService(ctx, core, opts);
    },
  };
}
