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

/** A run's outcome, handed to the store once the run is no longer in flight. */
export type RunOutcome<R> = { ok: true; value: R } | { ok: false; error: Error };

export interface PollLoopOptions<R> {
  intervalMs: number;
  /** The delay after the first failure (default the interval); each further failure in a row doubles it, up to 30 s. */
  backoffMs?: (intervalMs: number) => number;
  /** A run asked for while one is in flight runs right after it (a lifecycle event must not be lost) instead of being dropped. */
  runAgain?: boolean;
  /** Whether somebody watches: no run is scheduled otherwise. */
  watching: () => boolean;
  /** After every run, no longer in flight (a subscriber's refresh then starts a new run). */
  settled: (outcome: RunOutcome<R>) => void;
}

/** The one polling loop every store and screen hook runs on. */
export interface PollLoop {
  /** Run now; while a run is in flight, dropped (or run after it with runAgain). */
  run: () => Promise<void>;
  /** The first watcher came: run now when the data is at least an interval old (or there is none), else when it is due. */
  start: (ageMs?: number) => void;
  /** Nobody watches: the next run is not scheduled (a run in flight finishes). */
  pause: () => void;
  /** Fresh data came from elsewhere: the next run is an interval from now. */
  postpone: () => void;
  setInterval: (ms: number) => void;
  readonly intervalMs: number;
  /** An explicit refresh (a key, the daemon back) starts the error backoff over. */
  resetBackoff: () => void;
  /** No more scheduled runs until start (tests, shutdown). */
  stop: () => void;
}

export function createPollLoop<R>(step: () => Promise<R>, opts: PollLoopOptions<R>): PollLoop {
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;
  let again = false;
  let failures = 0;
  let interval = opts.intervalMs;
  let stopped = false;

  const clear = () => { if (timer) clearTimeout(timer); timer = undefined; };
  const schedule = () => {
    clear();
    if (stopped || !opts.watching()) return;
    const delay = failures ? Math.min(MAX_BACKOFF_MS, (opts.backoffMs?.(interval) ?? interval) * 2 ** Math.min(failures - 1, 5)) : interval;
    timer = setTimeout(() => { void run(); }, delay);
    timer.unref?.();
  };
  const run = (): Promise<void> => {
    if (inFlight) {
      if (opts.runAgain) again = true;
      return inFlight;
    }
    inFlight = (async () => {
      let outcome: RunOutcome<R>;
      try {
        outcome = { ok: true, value: await step() };
        failures = 0;
      } catch (err) {
        failures++;
        outcome = { ok: false, error: err as Error };
      } finally {
        inFlight = undefined;
      }
      opts.settled(outcome);
      if (again && !stopped && opts.watching()) { again = false; void run(); } else { again = false; schedule(); }
    })();
    return inFlight;
  };
  return {
    run,
    start(ageMs = Infinity) {
      stopped = false;
      if (inFlight) return;
      if (ageMs >= interval) void run(); else schedule();
    },
    pause: clear,
    postpone() { if (!inFlight) schedule(); },
    setInterval(ms) { interval = ms; schedule(); },
    get intervalMs() { return interval; },
    resetBackoff() { failures = 0; },
    stop() { stopped = true; clear(); },
  };
}

export function createPolledStore<T>(load: () => Promise<T>, intervalMs: number, opts: { backoffMs?: number } = {}): OfferablePolledStore<T> {
  let state: PolledState<T> = { loading: true };
  const subs = new Set<() => void>();
  const emit = () => { for (const s of subs) s(); };
  const loop = createPollLoop(load, {
    intervalMs,
    backoffMs: opts.backoffMs === undefined ? undefined : () => opts.backoffMs!,
    watching: () => subs.size > 0,
    settled(outcome) {
      if (!outcome.ok) {
        state = { ...state, error: outcome.error.message, loading: false };
        emit();
        return;
      }
      // The same data as before: screens need not redraw (a redraw costs a whole frame).
      if (!state.error && !state.loading && state.data !== undefined && sameData(state.data, outcome.value)) {
        state = { ...state, updatedAt: Date.now() };
      } else {
        state = { data: outcome.value, updatedAt: Date.now(), loading: false };
        emit();
      }
    },
  });

  return {
    getSnapshot: () => state,
    subscribe(fn) {
      subs.add(fn);
      if (subs.size === 1) loop.start(state.updatedAt === undefined ? Infinity : Date.now() - state.updatedAt);
      return () => {
        subs.delete(fn);
        if (subs.size === 0) loop.pause();
      };
    },
    refresh: loop.run,
    setPeriod: loop.setInterval,
    offer(data) {
      const same = !state.error && !state.loading && state.data !== undefined && sameData(state.data, data);
      state = same ? { ...state, updatedAt: Date.now() } : { data, updatedAt: Date.now(), loading: false };
      if (!same) emit();
      if (subs.size) loop.postpone();
    },
    stop: loop.stop,
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
