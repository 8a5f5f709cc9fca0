// The Network screen's live store: the inventory (re-read when a link,
// address or route changes, after an apply, on demand, and every 30 s for
// LLDP while the screen is open), live link state from watchLinks (an event
// stream on the real runner: no work while nothing changes), and the state
// of net-core's network service: backend, staged changes, their diff, an
// apply pending confirmation. Runs only while somebody is subscribed.
import type { NetChange, NetConfig } from '../domain/net/model.ts';
import type { FieldError } from '../domain/engine.ts';
import { readInventory, watchLinks, type InventoryRunner, type NetInventory } from '../host/net/inventory.ts';
import type { StageOptions } from '../host/net/service.ts';

/** One line of the staged diff: '+' added, '-' removed, ' ' context. */
export interface NetDiffLine { sign: '+' | '-' | ' ' | '~'; text: string }

export type ApplyStepStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped';
export interface ApplyStep { id: string; label: string; status: ApplyStepStatus; detail?: string }

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

/**
 * What the screens need from net-core's service (src/host/net/service.ts);
 * the adapter in screens/network/service.ts maps the real one onto this.
 */
export interface NetServiceApi {
  backend(): Promise<'networkmanager' | 'iproute2'>;
  current(): Promise<NetConfig>;
  staged(): Promise<NetChange[]>;
  /** Validates; rejects with NetValidationError-like `{ errors: FieldError[] }` and stages nothing. */
  stage(change: NetChange): Promise<void>;
  /** Stages a list at once (in place of everything staged with replace); the staged rows and their event commit together. */
  stageAll(changes: NetChange[], opts: Pick<StageOptions, 'replace' | 'event'>): Promise<void>;
  discard(): Promise<void>;
  diff(): Promise<NetDiffLine[]>;
  /** Resolves when the change is in place and waiting for confirmation (or rejects, rolled back). */
  apply(opts: { confirmTimeoutS: number; onStep: (steps: ApplyStep[]) => void }): Promise<PendingApply>;
  confirm(): Promise<void>;
  rollback(reason: string): Promise<void>;
  pending(): Promise<PendingApply | undefined>;
}

/** The field errors a refused change carries (net-core's NetValidationError, or any error with `errors`). */
export function fieldErrorsOf(e: unknown): FieldError[] | undefined {
  const errs = (e as { errors?: unknown } | null)?.errors;
  return Array.isArray(errs) && errs.every((x) => x && typeof (x as FieldError).field === 'string') ? (errs as FieldError[]) : undefined;
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
  service?: NetServiceApi;
  runner: InventoryRunner;
  /** The apply this session was waiting on is settled (confirmed or rolled back): drop it before the next read. */
  settled: () => void;
  /** Builds the service from the shell's services on first use (the production wiring). */
  attach: (services: unknown) => void;
  stop: () => void;
}

export function createNetStore(deps: { runner: InventoryRunner; service?: NetServiceApi; makeService?: (services: never) => NetServiceApi | undefined; slowPollMs?: number; pollMs?: number }): NetStore {
  let state: NetState = { staged: [], diff: [], loading: true };
  const subs = new Set<() => void>();
  const emit = () => { for (const s of subs) s(); };
  const set = (patch: Partial<NetState>) => { state = { ...state, ...patch }; emit(); };
  let invFlight: Promise<void> | undefined;
  let invAgain = false;
  let stopWatch: (() => void) | undefined;
  let slow: ReturnType<typeof setTimeout> | undefined;

  const readInv = async (): Promise<void> => {
    if (invFlight) { invAgain = true; return invFlight; }
    invFlight = (async () => {
      try {
        const inventory = await readInventory(deps.runner);
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
    const s = store.service;
    if (!s) return;
    try {
      // Pending and staged are quick (a state file, the DB): shown first; the diff needs the host's configuration read.
      const [staged, pending] = await Promise.all([s.staged(), s.pending()]);
      set({ staged, pending, serviceError: undefined });
      const [diff, config] = await Promise.all([s.diff(), s.current()]);
      set({ diff, config });
    } catch (e) {
      set({ serviceError: (e as Error).message });
    }
    if (state.backend === undefined) {
      try { set({ backend: await s.backend(), backendError: undefined }); } catch (e) { set({ backendError: (e as Error).message }); }
    }
  };

  const scheduleSlow = () => {
    if (slow) clearTimeout(slow);
    if (!subs.size) return;
    slow = setTimeout(() => { void Promise.all([readInv(), refreshService()]).finally(scheduleSlow); }, deps.slowPollMs ?? 30_000);
    slow.unref?.();
  };

  const start = () => {
    void readInv();
    void refreshService();
    let first = true;
    stopWatch = watchLinks(deps.runner, (changes) => {
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
    if (deps.runner.spawnStream) {
      let t: ReturnType<typeof setTimeout> | undefined;
      const s = deps.runner.spawnStream('ip', ['-o', 'monitor', 'address', 'route'], () => {
        if (t) return;
        t = setTimeout(() => { t = undefined; void readInv(); }, 300);
        t.unref?.();
      });
      stopStream = () => { s.kill(); if (t) clearTimeout(t); };
    }
    scheduleSlow();
  };
  let stopStream: (() => void) | undefined;
  const stopAll = () => {
    stopStream?.();
    stopStream = undefined;
    stopWatch?.();
    stopWatch = undefined;
    if (slow) clearTimeout(slow);
    slow = undefined;
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
    refresh: async () => { await Promise.all([readInv(), refreshService()]); },
    refreshService,
    service: deps.service,
    runner: deps.runner,
    settled() { set({ pending: undefined }); },
    attach(services) {
      if (store.service || !deps.makeService) return;
      try {
        store.service = deps.makeService(services as never);
      } catch (e) {
        set({ serviceError: `the network service cannot start: ${(e as Error).message}` });
      }
    },
    stop: stopAll,
  };
  return store;
}
