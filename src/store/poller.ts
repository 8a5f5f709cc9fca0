// Pollers chain timeouts (never setInterval), drop a refresh that would
// overlap the one in flight, back off on errors, and run only while somebody
// is subscribed (the visible screen).

export interface PolledState<T> {
  data?: T;
  error?: string;
  /** When data was last refreshed successfully (ms since epoch). */
  updatedAt?: number;
  loading: boolean;
}

export interface PolledStore<T> {
  getSnapshot: () => PolledState<T>;
  subscribe: (fn: () => void) => () => void;
  /** Refresh now (dropped if one is already in flight). */
  refresh: () => Promise<void>;
  setPeriod: (ms: number) => void;
  /** Stop timers (tests, shutdown). */
  stop: () => void;
}

export interface OfferablePolledStore<T> extends PolledStore<T> {
  /** Data read elsewhere (e.g. by a store that reads more): taken as a refresh; subscribers hear of it only when it differs. */
  offer: (data: T) => void;
}

const MAX_BACKOFF_MS = 30_000;

export function createPolledStore<T>(load: () => Promise<T>, intervalMs: number, opts: { backoffMs?: number } = {}): OfferablePolledStore<T> {
  let state: PolledState<T> = { loading: true };
  const subs = new Set<() => void>();
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;
  let failures = 0;
  let interval = intervalMs;
  let stopped = false;

  const emit = () => { for (const s of subs) s(); };
  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (stopped || subs.size === 0) return;
    const delay = failures ? Math.min(MAX_BACKOFF_MS, (opts.backoffMs ?? interval) * 2 ** Math.min(failures - 1, 5)) : interval;
    timer = setTimeout(() => { void tick(); }, delay);
    timer.unref?.();
  };
  const tick = (): Promise<void> => {
    if (inFlight) return inFlight; // drop the overlapping refresh
    inFlight = (async () => {
      let unchanged = false;
      try {
        const data = await load();
        failures = 0;
        // The same data as before: screens need not redraw (a redraw costs a whole frame).
        if (!state.error && !state.loading && state.data !== undefined && sameData(state.data, data)) {
          state = { ...state, updatedAt: Date.now() };
          unchanged = true;
        } else {
          state = { data, updatedAt: Date.now(), loading: false };
        }
      } catch (err) {
        failures++;
        state = { ...state, error: (err as Error).message, loading: false };
      } finally {
        inFlight = undefined;
      }
      if (!unchanged) emit();
      schedule();
    })();
    return inFlight;
  };

  return {
    getSnapshot: () => state,
    subscribe(fn) {
      subs.add(fn);
      stopped = false;
      if (subs.size === 1 && !inFlight) {
        if (state.updatedAt === undefined || Date.now() - state.updatedAt >= interval) void tick();
        else schedule();
      }
      return () => {
        subs.delete(fn);
        if (subs.size === 0 && timer) { clearTimeout(timer); timer = undefined; }
      };
    },
    refresh: tick,
    setPeriod(ms) { interval = ms; schedule(); },
    offer(data) {
      const same = !state.error && !state.loading && state.data !== undefined && sameData(state.data, data);
      state = same ? { ...state, updatedAt: Date.now() } : { data, updatedAt: Date.now(), loading: false };
      if (!same) emit();
      if (subs.size && !inFlight) schedule();
    },
    stop() { stopped = true; if (timer) clearTimeout(timer); timer = undefined; },
  };
}

function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  try {
    return JSON.stringify(a) === JSON.stringify(b);
  } catch {
    return false;
  }
}
