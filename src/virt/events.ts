// Domain events from `virsh event --all --loop --timestamp` (one long-running
// process for the whole connection, started through the runner). A pure
// parser for its lines (recorded real output: test/fixtures/virsh/event-*)
// and a stream that restarts the process with backoff when it ends.
import { spawnStream } from '../exec/runner.ts';
import { virshArgs, virshArgv } from './virsh.ts';

/** The lifecycle event names libvirt reports (virDomainEventType). */
export type LifecycleEvent = 'defined' | 'undefined' | 'started' | 'suspended' | 'resumed' | 'stopped' | 'shutdown' | 'pmsuspended' | 'crashed';

/** What the event means to an operator, in one word. */
export type DomainEventKind = 'define' | 'undefine' | 'start' | 'stop' | 'crash' | 'pause' | 'resume' | 'shutdown' | 'other';

export interface DomainEvent {
  /** libvirt's event id, e.g. "lifecycle", "reboot", "job-completed". */
  type: string;
  domain: string;
  /** When virsh received it (ms since epoch); the local clock when absent. */
  time: number;
  /** For lifecycle events: the event and its detail ("Booted", "Destroyed", "Failed", ...). */
  lifecycle?: LifecycleEvent;
  detail?: string;
  kind: DomainEventKind;
  /** The line as virsh printed it. */
  text: string;
}

const LIFECYCLE: Record<string, LifecycleEvent> = {
  Defined: 'defined', Undefined: 'undefined', Started: 'started', Suspended: 'suspended', Resumed: 'resumed',
  Stopped: 'stopped', Shutdown: 'shutdown', PMSuspended: 'pmsuspended', Crashed: 'crashed',
};

export function eventKind(lifecycle: LifecycleEvent | undefined, detail = ''): DomainEventKind {
  switch (lifecycle) {
    case 'defined': return 'define';
    case 'undefined': return 'undefine';
    case 'started': return 'start';
    case 'suspended': return 'pause';
    case 'resumed': return 'resume';
    case 'shutdown': return 'shutdown';
    case 'crashed': return 'crash';
    case 'stopped': return /^(Failed|Crashed)$/.test(detail) ? 'crash' : 'stop';
    case 'pmsuspended': return 'pause';
    default: return 'other';
  }
}

/**
 * Parse one line of `virsh event --all --loop [--timestamp]`. Returns null
 * for lines that are not an event (the tab-indented detail lines that follow
 * e.g. "job-completed", blank lines, "events received:" summaries).
 */
export function parseEventLine(line: string, now = Date.now()): DomainEvent | null {
  const m = /^(?:(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?)([+-]\d{4}): )?event '([^']+)' for domain '(.*?)'(?::\s*(.*))?$/.exec(line.trimEnd());
  if (!m) return null;
  const [, ts, tz, type, domain, rest = ''] = m;
  let time = now;
  if (ts && tz) {
    const t = Date.parse(`${ts.replace(' ', 'T')}${tz.slice(0, 3)}:${tz.slice(3)}`);
    if (Number.isFinite(t)) time = t;
  }
  const ev: DomainEvent = { type: type!, domain: domain!, time, kind: 'other', text: line };
  if (type === 'lifecycle') {
    const lm = /^(\S+)\s*(.*)$/.exec(rest.trim());
    const lifecycle = lm ? LIFECYCLE[lm[1]!] : undefined;
    if (lifecycle) {
      ev.lifecycle = lifecycle;
      ev.detail = lm![2] || undefined;
      ev.kind = eventKind(lifecycle, lm![2]);
    }
  } else if (rest) {
    ev.detail = rest;
  }
  return ev;
}

export interface EventStreamHooks {
  onEvent: (e: DomainEvent) => void;
  /** The virsh process ended (daemon gone, connection closed); it is restarted after `retryInMs`. */
  onExit?: (info: { exitCode: number; error: string; retryInMs: number }) => void;
}

const RESTART_MS = [250, 500, 1000, 2000, 4000, 8000];

/** One `virsh event --all --loop` for a URI, restarted with backoff while open. */
export class DomainEventStream {
  private proc?: { kill: () => void };
  private timer?: ReturnType<typeof setTimeout>;
  private closed = false;
  private failures = 0;

  constructor(private readonly uri: string, private readonly hooks: EventStreamHooks) {}

  start(): void {
    if (this.closed || this.proc) return;
    const startedAt = Date.now();
    // virsh flushes each event line itself, so nothing sits in a pipe buffer.
    const p = spawnStream('virsh', virshArgv(this.uri, virshArgs('event', {}, ['--all', '--loop', '--timestamp'])), (line) => {
      const e = parseEventLine(line);
      if (e) this.hooks.onEvent(e);
    }, { env: { LC_ALL: 'C' } });
    this.proc = p;
    void p.done.then((r) => {
      if (this.proc !== p) return;
      this.proc = undefined;
      if (this.closed) return;
      // A stream that ran for a while was healthy: restart quickly.
      if (Date.now() - startedAt > 10_000) this.failures = 0;
      const retryInMs = RESTART_MS[Math.min(this.failures, RESTART_MS.length - 1)]!;
      this.failures++;
      const error = r.stderr.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('error:')).map((l) => l.slice(6).trim()).join(': ') || `virsh event exited with code ${r.exitCode}`;
      this.hooks.onExit?.({ exitCode: r.exitCode, error, retryInMs });
      this.timer = setTimeout(() => { this.timer = undefined; this.start(); }, retryInMs);
      this.timer.unref?.();
    });
  }

  /** Restart now (e.g. right after the connection came back). */
  restart(): void {
    if (this.closed) return;
    if (this.timer) { clearTimeout(this.timer); this.timer = undefined; }
    this.failures = 0;
    if (!this.proc) this.start();
  }

  get running(): boolean {
    return Boolean(this.proc);
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    const p = this.proc;
    this.proc = undefined;
    p?.kill();
  }
}
