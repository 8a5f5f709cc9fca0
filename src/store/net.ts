// The Network screen's live store: the inventory (re-read when a link,
// address or route changes, after an apply, on demand, and every 30 s for
// LLDP while the screen is open), live link state from watchLinks (an event
// stream on the real runner: no work while nothing changes), and the state
// of the core's network use cases: backend, staged changes, their diff, an
// apply pending confirmation. The staged set follows the event log (staging
// and discarding write an event in the same transaction, from this console or
// the CLI in another shell), as the Events screen does: re-read when this
// process writes an event or the highest event id moves (checked every
// second). Runs only while somebody is subscribed.
import type { NetChange, NetConfig } from '../domain/net/model.ts';
import { stepList, type ApplyStep } from '../domain/net/apply-steps.ts';
import type { DiffLine, NetInventory, NetworkUseCases, PendingApply as CorePending } from '../core/network.ts';
import type { EventUseCases } from '../core/events.ts';
import { createPollLoop } from './poller.ts';

export type { ApplyStep };

/** One line of the staged diff: '+' added, '-' removed, ' ' context. */
export interface NetDiffLine { sign: '+' | '-' | ' ' | '~'; text: string }

export interface ProbeResult { name: string; ok: boolean; detail?: string }

/** An apply waiting for the operator (or another session) to confirm. */
export interface PendingApply {
  /** ms since epoch when it rolls back by itself. */
  deadline: number;
  who: string;
  diff: NetDiffLine[];
  probes: ProbeResult[];
  /** Set by apply(): settles when the apply is confirmed or rolled back (this process rolls back at the deadline). */
  outcome?: Promise<{ status: 'confirmed' | 'rolled-back'; reason?: string }>;
}

/** What the network screens use of the core's network use cases. */
export type NetService = Pick<NetworkUseCases,
  'backend' | 'current' | 'inventory' | 'watchLinks' | 'watchAddresses' | 'staged' | 'stage' | 'stageAll' | 'discard' | 'diff'
  | 'apply' | 'waitForOutcome' | 'confirm' | 'rollback' | 'pending' | 'identify' | 'emergencyReset' | 'test'>;

/** What the store needs of the event log to notice another session's staging. */
export type EventFeed = Pick<EventUseCases, 'lastId' | 'subscribe'>;

const diffLines = (d: readonly DiffLine[]): NetDiffLine[] => d.map((x) => ({ sign: x.kind, text: x.text }));

function pendingOf(p: Pick<CorePending, 'deadline' | 'who' | 'diff' | 'probes'>): PendingApply {
  return {
    deadline: Date.parse(p.deadline),
    who: p.who,
    diff: diffLines(p.diff),
    probes: p.probes.map((x) => ({ name: `${x.name} ${x.target}`, ok: x.ok, detail: x.detail })),
  };
}

export interface NetState {
  inventory?: NetInventory;
  inventoryError?: string;
  backend?: string;
  backendError?: string;
  config?: NetConfig;
  staged: NetChange[];
  diff: NetDiffLine[];
  pending?: PendingApply;
  serviceError?: string;
  /** ms since epoch of the last link-state event. */
  linkEventAt?: number;
  loading: boolean;
}

export interface NetStore {
  getSnapshot: () => NetState;
  subscribe: (fn: () => void) => () => void;
  /** Re-read the inventory and the service state. */
  refresh: () => Promise<void>;
  /** Re-read only the service state (staged, diff, pending). */
  refreshService: () => Promise<void>;
  /** The core's network use cases (set by attach when the first network screen opens). */
  net?: NetService;
  /**
   * Applies the staged changes; onSteps gets the progress list. Resolves when
   * the change is in place and waiting for confirmation (or rejects, rolled back).
   */
  apply: (opts: { confirmTimeoutS: number; onSteps: (s: ApplyStep[]) => void }) => Promise<PendingApply>;
  /** The apply this session was waiting on is settled (confirmed or rolled back): drop it before the next read. */
  settled: () => void;
  /** Takes the network use cases and the event log of the shell's core on first use (each unless given at creation). */
  attach: (core: { network: NetService; events?: EventFeed }) => void;
  stop: () => void;
}

export function createNetStore(deps: { net?: NetService; events?: EventFeed; slowPollMs?: number; pollMs?: number; eventPollMs?: number }): NetStore {
  let state: NetState = { staged: [], diff: [], loading: true };
  const subs = new Set<() => void>();
  const emit = () => { for (const s of subs) s(); };
  const set = (patch: Partial<NetState>) => { state = { ...state, ...patch }; emit(); };
  let invFlight: Promise<void> | undefined;
  let invAgain = false;
  let stopWatch: (() => void) | undefined;

  const readInv = async (): Promise<void> => {
    if (invFlight) { invAgain = true; return invFlight; }
    invFlight = (async () => {
      try {
        if (!store.net) return;
        const inventory = await store.net.inventory();
        set({ inventory, inventoryError: undefined, loading: false });
      } catch (e) {
        set({ inventoryError: (e as Error).message, loading: false });
      } finally {
        invFlight = undefined;
      }
      if (invAgain) { invAgain = false; await readInv(); }
    })();
    return invFlight;
  };

  const refreshService = async (): Promise<void> => {
    const s = store.net;
    if (!s) return;
    try {
      // Pending is quick (a state file): shown first. The staged set shows with its diff (which needs the
      // host's configuration read), since the count the operator reads is the diff's lines.
      const p = await s.pending();
      const pending = p && (p.status === 'waiting' || p.status === 'applying') ? pendingOf(p) : undefined;
      set({ pending, serviceError: undefined });
      const staged = s.staged();
      const [diff, config] = await Promise.all([s.diff(), s.current()]);
      set({ staged, diff: diffLines(diff), config });
    } catch (e) {
      set({ serviceError: (e as Error).message });
    }
    if (state.backend === undefined) {
      try { set({ backend: await s.backend(), backendError: undefined }); } catch (e) { set({ backendError: (e as Error).message }); }
    }
  };

  const readAll = async (): Promise<void> => { await Promise.all([readInv(), refreshService()]); };
  // The slow re-read (LLDP, and whatever changed without an event). Both reads keep
  // their error for the screen; failing the run makes the loop back off.
  const loop = createPollLoop(async () => {
    await readAll();
    const error = state.inventoryError ?? state.serviceError;
    if (error) throw new Error(error);
  }, { intervalMs: deps.slowPollMs ?? 30_000, watching: () => subs.size > 0, settled: () => {} });

  // Staging and discarding (here or from the CLI) write an event: a new highest id re-reads the staged set.
  let events = deps.events;
  let lastEventId: number | undefined;
  const eventCheck = createPollLoop(async () => {
    if (!events) return;
    const id = events.lastId();
    if (id === lastEventId) return;
    lastEventId = id;
    await refreshService();
  }, { intervalMs: deps.eventPollMs ?? 1000, runAgain: true, watching: () => subs.size > 0 && events !== undefined, settled: () => {} });
  let stopEvents: (() => void) | undefined;
  const watchEvents = () => {
    if (!events || stopEvents) return;
    lastEventId = events.lastId();
    const off = events.subscribe(() => { void eventCheck.run(); });
    eventCheck.start(0);
    stopEvents = () => { off(); eventCheck.stop(); };
  };

  const start = () => {
    const net = store.net;
    if (!net) return;
    loop.start();
    watchEvents();
    let first = true;
    stopWatch = net.watchLinks((changes) => {
      if (first) { first = false; return; }
      // Show the new link state at once, then read the rest (addresses, bond ports) again.
      const inv = state.inventory;
      if (inv && changes.length) {
        const patch = <T extends { name: string; link: string; operstate: string }>(l: T): T => {
          const c = changes.find((x) => x.name === l.name);
          return c ? { ...l, link: c.link, operstate: c.operstate } : l;
        };
        set({ inventory: { ...inv, nics: inv.nics.map(patch), bonds: inv.bonds.map(patch), vlans: inv.vlans.map(patch), bridges: inv.bridges.map(patch), others: inv.others.map(patch) }, linkEventAt: Date.now() });
      }
      void readInv();
    }, { pollMs: deps.pollMs });
    // Addresses and routes change without a link event (DHCP, another tool): with a streaming
    // runner their events re-read the inventory too, so the slow poll is only for LLDP.
    let t: ReturnType<typeof setTimeout> | undefined;
    const stopAddr = net.watchAddresses(() => {
      if (t) return;
      t = setTimeout(() => { t = undefined; void readInv(); }, 300);
      t.unref?.();
    });
    if (stopAddr) stopStream = () => { stopAddr(); if (t) clearTimeout(t); };
  };
  let stopStream: (() => void) | undefined;
  const stopAll = () => {
    stopStream?.();
    stopStream = undefined;
    stopEvents?.();
    stopEvents = undefined;
    stopWatch?.();
    stopWatch = undefined;
    loop.stop();
  };

  const store: NetStore = {
    getSnapshot: () => state,
    subscribe(fn) {
      subs.add(fn);
      if (subs.size === 1) start();
      return () => {
        subs.delete(fn);
        if (subs.size === 0) stopAll();
      };
    },
    // Not through the loop: a refresh asked for during a slow run must still read again (readInv queues it).
    async refresh() {
      loop.resetBackoff();
      await readAll();
      loop.postpone();
    },
    refreshService,
    net: deps.net,
    async apply({ confirmTimeoutS, onSteps }) {
      const net = store.net;
      if (!net) throw new Error('the network use cases are not available');
      const steps = stepList();
      try {
        const r = await net.apply({ confirmTimeoutS, onProgress: (p) => onSteps(steps.report(p)) });
        onSteps(steps.waiting());
        // This process rolls back at the deadline unless confirmed (from here or `hostdeck net confirm`).
        const outcome = net.waitForOutcome(r.id).then(
          (o) => ({ status: o.status === 'confirmed' ? 'confirmed' as const : 'rolled-back' as const, reason: o.reason }),
          (e: Error) => ({ status: 'rolled-back' as const, reason: e.message }),
        );
        return { ...pendingOf({ deadline: r.deadline, who: '', diff: r.diff, probes: r.probes }), outcome };
      } catch (e) {
        onSteps(steps.failed((e as Error).message));
        throw e;
      }
    },
    settled() { set({ pending: undefined }); },
    attach(core) {
      events ??= core.events;
      if (subs.size) watchEvents();
      if (store.net) return;
      store.net = core.network;
      // Somebody subscribed before the use cases were there: start now.
      if (subs.size && !stopWatch) start();
    },
    stop: stopAll,
  };
  return store;
}
