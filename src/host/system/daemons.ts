// Whether a daemon runs and how it is told to reread its configuration:
// systemctl where systemd runs, else the daemon's pid file (hosts and test
// hosts without systemd). Through a Target, so the same code reads a test host.
import type { Target } from '../net/target.ts';

export interface Daemon {
  /** The systemd unit. */
  unit: string;
  /** The pid file when systemd does not run. */
  pidFile: string;
}

export const SSHD: Daemon = { unit: 'ssh', pidFile: '/run/sshd.pid' };
export const RSYSLOGD: Daemon = { unit: 'rsyslog', pidFile: '/run/rsyslogd.pid' };
export const CHRONYD: Daemon = { unit: 'chrony', pidFile: '/run/chrony/chronyd.pid' };

export async function hasSystemd(t: Target): Promise<boolean> {
  return (await t.run('test', ['-d', '/run/systemd/system'])).exitCode === 0;
}

async function pidOf(t: Target, d: Daemon): Promise<number | undefined> {
  const pid = Number((await t.readFile(d.pidFile))?.trim());
  if (!Number.isInteger(pid) || pid <= 1) return undefined;
  return (await t.run('kill', ['-0', String(pid)])).exitCode === 0 ? pid : undefined;
}

export async function isRunning(t: Target, d: Daemon, systemd: boolean): Promise<boolean> {
  if (systemd) return (await t.run('systemctl', ['is-active', '--quiet', d.unit])).exitCode === 0;
  return (await pidOf(t, d)) !== undefined;
}

/** 'enabled', 'disabled', or why it cannot be told. */
export async function bootState(t: Target, d: Daemon, systemd: boolean): Promise<string> {
  if (!systemd) return 'unknown (no systemd on this host)';
  const r = await t.run('systemctl', ['is-enabled', d.unit]);
  return r.stdout.trim() || 'unknown';
}

/** Tell a running daemon to reread its configuration: 'reloaded', 'restarted' or 'not running'. */
export async function reload(t: Target, d: Daemon, systemd: boolean, how: 'reload' | 'restart', start?: readonly string[]): Promise<'reloaded' | 'restarted' | 'not running'> {
  if (systemd) {
    if (!(await isRunning(t, d, true))) return 'not running';
    await t.ok('systemctl', [how, d.unit]);
    return how === 'reload' ? 'reloaded' : 'restarted';
  }
  const pid = await pidOf(t, d);
  if (pid === undefined) return 'not running';
  if (how === 'reload') { await t.ok('kill', ['-s', 'HUP', String(pid)]); return 'reloaded'; }
  // No systemd: stop it by its pid and start it again as its package's init script would.
  await t.ok('kill', ['-s', 'TERM', String(pid)]);
  for (let i = 0; i < 100 && (await t.run('kill', ['-0', String(pid)])).exitCode === 0; i++) await new Promise((r) => setTimeout(r, 100));
  if (start) await t.ok(start[0]!, start.slice(1));
  return 'restarted';
}

/** Start or stop, enable or disable at boot: only through systemd (refused with the reason elsewhere). */
export async function control(t: Target, d: Daemon, verb: 'start' | 'stop' | 'enable' | 'disable'): Promise<void> {
  await t.ok('systemctl', [verb, d.unit]);
}
