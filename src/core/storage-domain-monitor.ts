// The health check of every active (or unreachable) storage domain: every
// 10 s a child process reads the domain's metadata (file) or its LUN's first
// block (block) with direct I/O, bounded by a timeout; the wait is bounded
// here as well, so a child stuck in the kernel on a dead NFS server never
// holds up this process (it stays the only check in flight for its domain
// until it ends). A failed or late check marks the domain unreachable and
// raises an event; the first good one after that clears it with an event.
// The checks are hostdeck's own work: their events name the system principal.
import type { EventInput, EventLog } from '../manager/events.ts';
import { systemPrincipal, type Principal } from './principal.ts';
import type { DomainService, ProbeResult, StorageDomain } from './storage-domains.ts';

export const HEALTH_INTERVAL_MS = 10_000;
export const HEALTH_TIMEOUT_MS = 8_000;

export interface MonitorDeps {
  service: Pick<DomainService, 'list' | 'probe' | 'recordCheck'>;
  events: EventLog;
  /** Who the status-change events name (default: the system). */
  principal?: Principal;
  intervalMs?: number;
  timeoutMs?: number;
  /** Called after each round with the domains it checked, as they are now. */
  onRound?: (checked: StorageDomain[]) => void;
  /** Keep the process alive while the monitor runs (the foreground monitor verb); default false. */
  keepAlive?: boolean;
  /** Called after each round with the domains whose status changed. */
  onChange?: (changed: { domain: StorageDomain; from: string; to: string }[]) => void;
  /** True while another process checks these domains (the host service): the round is skipped. */
  checkedElsewhere?: () => boolean;
}

export interface DomainMonitor {
  start(): void;
  stop(): void;
  /** One round now; resolves when every check of the round has an outcome (or its deadline passed). */
  checkNow(): Promise<void>;
  readonly running: boolean;
}

export function createDomainMonitor(deps: MonitorDeps): DomainMonitor {
  const intervalMs = deps.intervalMs ?? HEALTH_INTERVAL_MS;
  const timeoutMs = deps.timeoutMs ?? HEALTH_TIMEOUT_MS;
  const principal = deps.principal ?? systemPrincipal('system');
  const inflight = new Map<string, { since: number; reported: boolean }>();
  let timer: NodeJS.Timeout | undefined;

  const eventOf = (d: StorageDomain, change: { from: string; to: string }, error?: string): EventInput => {
    const about = { source: 'storage', objectType: 'storage-domain', objectId: d.id, user: principal.user, channel: principal.channel } as const;
    if (change.to === 'inactive') return { ...about, severity: 'warning', message: `Storage domain ${d.name} is inactive: ${error ?? 'its connection is down'}; activate it once the connection is back` };
    if (change.to === 'unreachable') return { ...about, severity: 'error', message: `Storage domain ${d.name} is unreachable: ${error ?? 'health check failed'}`, result: 'failure' };
    return { ...about, severity: 'info', message: `Storage domain ${d.name} is reachable again`, result: 'success' };
  };
  /** The check's verdict and the event for the status change it causes, committed together. */
  const record = (d: StorageDomain, result: ProbeResult) =>
    deps.events.recordChange(() => deps.service.recordCheck(d.id, result), (change) => change && eventOf(d, change, result.ok ? undefined : result.error));

  const checkOne = async (d: StorageDomain): Promise<{ domain: StorageDomain; from: string; to: string } | undefined> => {
    const busy = inflight.get(d.id);
    if (busy) {
      // The previous check has not ended: that is a failure by itself (once per hang).
      if (!busy.reported && Date.now() - busy.since >= timeoutMs) {
        busy.reported = true;
        const error = `health check has not finished for ${Math.round((Date.now() - busy.since) / 1000)} s`;
        const change = record(d, { ok: false, error });
        if (change) return { domain: d, ...change };
      }
      return undefined;
    }
    const entry = { since: Date.now(), reported: false };
    inflight.set(d.id, entry);
    const probe = deps.service.probe(d, timeoutMs).finally(() => inflight.delete(d.id));
    let deadline: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => { deadline = setTimeout(() => resolve('late'), timeoutMs + 1000); deadline.unref?.(); });
    const r = await Promise.race([probe, late]);
    clearTimeout(deadline);
    const result = r === 'late' ? { ok: false as const, error: `health check did not finish within ${Math.round(timeoutMs / 1000)} s` } : r;
    if (r === 'late') entry.reported = true;
    const change = record(d, result);
    if (change) return { domain: d, ...change };
    return undefined;
  };

  let round: Promise<void> | undefined;
  const checkNow = (): Promise<void> => {
    if (deps.checkedElsewhere?.()) return Promise.resolve();
    round ??= (async () => {
      try {
        const domains = deps.service.list().filter((d) => d.status === 'active' || d.status === 'unreachable');
        const changed = (await Promise.all(domains.map((d) => checkOne(d).catch(() => undefined)))).filter((c) => c !== undefined);
        if (changed.length) deps.onChange?.(changed);
        deps.onRound?.(deps.service.list().filter((d) => domains.some((x) => x.id === d.id)));
      } finally {
        round = undefined;
      }
    })();
    return round;
  };

  return {
    start() {
      if (timer) return;
      // Chained timeouts: a round starts intervalMs after the previous one began (a hung check is bounded by its deadline).
      const tick = () => {
        const began = Date.now();
        // A round that cannot read the state DB (locked for long, or the process closing it) is
        // not the console's end: the next round tries again.
        void (async () => { try { await checkNow(); } catch { /* the next round tries again */ } })().finally(() => {
          if (!timer) return;
          timer = setTimeout(tick, Math.max(0, intervalMs - (Date.now() - began)));
          if (!deps.keepAlive) timer.unref?.();
        });
      };
      timer = setTimeout(tick, 0);
      if (!deps.keepAlive) timer.unref?.();
    },
    stop() {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
    checkNow,
    get running() { return timer !== undefined; },
  };
}
