// The apply in progress as a state file on the target host
// (<stateDir>/pending.json, the last finished one in last.json), so any
// session and the detached watchdog see the same apply; a lock directory
// (mkdir is atomic) is held by the one process that confirms or rolls back.
import type { DiffLine } from '../../domain/net/diff.ts';
import type { NetChange, NetConfig } from '../../domain/net/model.ts';
import type { BackendName, Checkpoint } from './backend.ts';
import type { ProbeResult } from './probes.ts';
import type { Target } from './target.ts';

export const STATE_DIR = '/var/lib/hostdeck/net';

export type PendingStatus = 'applying' | 'waiting' | 'rolling-back' | 'confirmed' | 'rolled-back';

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

export interface PendingState {
  pending(): Promise<PendingApply | undefined>;
  last(): Promise<PendingApply | undefined>;
  write(p: PendingApply): Promise<void>;
  /** The apply is over: it becomes the last one and the claim is given back. */
  finish(p: PendingApply): Promise<void>;
  claim(): Promise<boolean>;
  unclaim(): Promise<void>;
}

export function pendingState(t: Target, stateDir: string, now: () => number): PendingState {
  const pendingFile = `${stateDir}/pending.json`;
  const lastFile = `${stateDir}/last.json`;
  const lockDir = `${stateDir}/finish.lock`;
  const readJson = async (path: string): Promise<PendingApply | undefined> => {
    const text = await t.readFile(path);
    if (!text) return undefined;
    try { return JSON.parse(text) as PendingApply; } catch { return undefined; }
  };
  const unclaim = async () => { await t.run('rmdir', ['--', lockDir]); };
  return {
    pending: () => readJson(pendingFile),
    last: () => readJson(lastFile),
    async write(p) { p.updatedAt = new Date(now()).toISOString(); await t.writeFile(pendingFile, JSON.stringify(p)); },
    async finish(p) {
      p.updatedAt = new Date(now()).toISOString();
      await t.writeFile(lastFile, JSON.stringify(p));
      await Promise.all([t.remove(pendingFile), unclaim()]);
    },
    claim: async () => (await t.run('mkdir', ['--', lockDir])).exitCode === 0,
    unclaim,
  };
}

/** How the running hostdeck starts itself on this host (the watchdog command). */
export function selfCommand(): string[] | null {
  const script = process.argv[1];
  return script && /\.(mjs|js|ts|tsx)$/.test(script) ? [process.execPath, ...process.execArgv.filter((a) => !a.startsWith('--inspect')), script] : null;
}
