// An apply's verification: the host's configuration read back until it shows
// the change, polled every 200 ms. It fails when the mismatches stop changing
// for the window (the host is done changing), or at three windows in all (a
// slow host that is still activating gets that long).
import { changedInterfaces, mismatches } from '../domain/net/diff.ts';
import type { NetConfig } from '../domain/net/model.ts';
import type { NetBackend } from '../host/net/backend.ts';

export const VERIFY_TRIES = 5;
/** The read-back is polled this often (after each read) until it matches or the verification window ends. */
export const VERIFY_POLL_MS = 200;
/** After this long without a match, verification asks the backend to nudge (explicit activation of what it left to autoconnect). */
export const NUDGE_AFTER_MS = 20_000;
/** The shortest verification window: 5 reads 1 s apart. */
export const VERIFY_WINDOW_MS = VERIFY_TRIES * 1000;

export interface Verification {
  /** What still does not match (empty: verified). */
  left: string[];
  tries: number;
  elapsedMs: number;
}

export async function verifyApplied(be: Pick<NetBackend, 'read' | 'nudge' | 'settleMs'>, cur: NetConfig, desired: NetConfig, clock: { now: () => number; sleep: (ms: number) => Promise<void> }): Promise<Verification> {
  const { now, sleep } = clock;
  const { added, changed, removed } = changedInterfaces(cur, desired);
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
  return { left, tries, elapsedMs: now() - verifyStart };
}
