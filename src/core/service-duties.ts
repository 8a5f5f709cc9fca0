// What the host service (`hostdeck serve`) does while nobody has the console
// open, as data: a duty runs once at the service's start, or now and then
// every `everyMs`. Add a duty by adding one entry here; the service runs,
// logs and records each one, and a duty that fails is evented without
// stopping the others (src/core/host-service-run.ts).
import { HEALTH_INTERVAL_MS } from './storage-domain-monitor.ts';
import type { Core } from './index.ts';

/** How often the history samples this host, its VMs and storage domains (the warehouse's minute samples). */
const HISTORY_INTERVAL_MS = 60_000;

/** How often new events are sent to the notification subscriptions (an event waits at most this long). */
const NOTIFY_INTERVAL_MS = 5_000;

/**
 * How often the alerts are evaluated: a duty of its own rather than a step of
 * the history's minute round, so an alert's latency is this, not a minute, and a
 * slow history round (roll-ups, pruning) never holds an alert back.
 */
const ALERT_INTERVAL_MS = 15_000;

/** How often the pools are looked at: a user who shut down an automatic pool's VM waits at most this long for it to be free again. */
const POOL_INTERVAL_MS = 15_000;

export interface DutyDef {
  id: string;
  summary: string;
  /** Run every so many milliseconds (the first run at start); without it, once at start. */
  everyMs?: number;
  /**
   * Builds the duty for one service run (state kept between its runs lives in
   * the closure); each call of the returned function is one run, its result
   * what the run did (the log line and `service status`); a throw is a failure.
   */
  create(core: Core): () => Promise<string>;
}

export const SERVICE_DUTIES: readonly DutyDef[] = [
  {
    id: 'storage-reconnect',
    summary: 'Reconnect the storage connections marked persistent',
    create: (core) => async () => {
      const report = await core.storageConnections.reconnectPersistent();
      const failed = report.filter((r) => !r.ok);
      if (failed.length) throw new Error(failed.map((r) => `${r.label}: ${r.message}`).join('; '));
      return report.length ? `${report.length} persistent connection${report.length === 1 ? '' : 's'} connected` : 'no persistent storage connections';
    },
  },
  {
    id: 'storage-health',
    summary: 'Check that every active storage domain can be read',
    everyMs: HEALTH_INTERVAL_MS,
    create(core) {
      // One monitor for the whole run: it remembers a check still hanging from an earlier round.
      let checked: { name: string; status: string }[] = [];
      const monitor = core.storageDomains.newMonitor({ onRound: (domains) => { checked = domains; } });
      return async () => {
        checked = [];
        await (await monitor).checkNow();
        return checked.length ? checked.map((d) => `${d.name} ${d.status}`).join(', ') : 'no active storage domain to check';
      };
    },
  },
  {
    id: 'pool-prestart',
    summary: 'Keep the prestarted VMs of every pool running with no user; give back the VMs of automatic pools their users shut down',
    everyMs: POOL_INTERVAL_MS,
    create: (core) => async () => {
      const done = await core.pools.maintain();
      return done.length ? done.join('; ') : 'every pool ready';
    },
  },
  {
    id: 'history',
    summary: 'Sample this host, every VM and storage domain into the history; roll up ended hours and days; prune what is past its retention',
    everyMs: HISTORY_INTERVAL_MS,
    create(core) {
      // One sampler for the whole run: rates come from this round's and the last round's counters.
      const sampler = core.history.newSampler();
      return async () => (await sampler).run();
    },
  },
  {
    id: 'notifications',
    summary: 'Send the new events to the notification subscriptions (syslog, mail, webhook); retry failed deliveries with backoff',
    everyMs: NOTIFY_INTERVAL_MS,
    create(core) {
      // One dispatcher for the whole run; its cursor and queue are in the state DB.
      const dispatcher = core.notifications.newDispatcher();
      return async () => (await dispatcher).run();
    },
  },
  {
    id: 'alerts',
    summary: 'Evaluate the alert thresholds: raise an alert (and its event) once a condition held for its window, clear it once back below the clear level',
    everyMs: ALERT_INTERVAL_MS,
    create(core) {
      // One evaluator for the whole run: the CPU figure comes from this round's and the last round's counters.
      const evaluator = core.alerts.newEvaluator();
      return async () => (await evaluator).run();
    },
  },
];
