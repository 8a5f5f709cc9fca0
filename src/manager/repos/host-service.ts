// The host service's lock and its duties' last runs, kept in the settings
// table of the state DB it serves: one service per state DB, and every
// process that opens the DB (the console, the CLI) reads who holds it
// without asking the service. Claiming runs under SQLite's write lock, so two
// services starting together cannot both take it.
import { getSetting, setSetting, type Db } from '../db.ts';

const LOCK_KEY = 'host-service.lock';
const dutyKey = (id: string) => `host-service.duty.${id}`;
const DUTY_PREFIX = 'host-service.duty.';

export interface ServiceLock {
  pid: number;
  /** Which process the PID was when it claimed the lock (boot and start time; see src/host/process-identity.ts). */
  identity?: string;
  /** ISO 8601. */
  since: string;
  /** The duties it runs, and each periodic one's interval in milliseconds (none: once at start). */
  duties: { id: string; everyMs?: number }[];
}

export interface DutyRun {
  /** When the last run ended (ISO 8601). */
  at: string;
  ok: boolean;
  /** What it did, or why it failed. */
  message: string;
  durationMs: number;
}

export type ClaimResult =
  | { claimed: true; tookOverFrom?: ServiceLock }
  | { claimed: false; holder: ServiceLock };

function parse<T>(text: string | undefined): T | undefined {
  if (text === undefined) return undefined;
  try { return JSON.parse(text) as T; } catch { return undefined; }
}

export function hostServiceRepo(db: Db) {
  const read = (): ServiceLock | undefined => parse<ServiceLock>(getSetting(db, LOCK_KEY));
  return {
    read,
    /** Take the lock unless a running process holds it; a lock whose process is gone is taken over. */
    claim(lock: ServiceLock, runs: (held: ServiceLock) => boolean): ClaimResult {
      return db.transaction((): ClaimResult => {
        const held = read();
        if (held && held.pid !== lock.pid && runs(held)) return { claimed: false, holder: held };
        setSetting(db, LOCK_KEY, JSON.stringify(lock));
        // The last runs shown are this service's own.
        db.prepare('DELETE FROM settings WHERE key LIKE ?').run(`${DUTY_PREFIX}%`);
        return held && held.pid !== lock.pid ? { claimed: true, tookOverFrom: held } : { claimed: true };
      }).immediate();
    },
    /** Give the lock up (only the holder's own). */
    release(pid: number): void {
      db.transaction(() => { if (read()?.pid === pid) setSetting(db, LOCK_KEY, null); }).immediate();
    },
    recordDuty(id: string, run: DutyRun): void {
      setSetting(db, dutyKey(id), JSON.stringify(run));
    },
    dutyRuns(): Map<string, DutyRun> {
      const rows = db.prepare('SELECT key, value FROM settings WHERE key LIKE ?').all(`${DUTY_PREFIX}%`) as { key: string; value: string }[];
      const out = new Map<string, DutyRun>();
      for (const r of rows) {
        const run = parse<DutyRun>(r.value);
        if (run) out.set(r.key.slice(DUTY_PREFIX.length), run);
      }
      return out;
    },
  };
}
