// What the diagnostics ask programs, through the runner: the clock's sync
// state (timedatectl, else chronyc), the host's own name both ways (getent),
// and the host service's state (systemctl where systemd runs).
import { stat } from 'node:fs/promises';
import { isIP } from 'node:net';
import type { TimeSource } from '../../domain/diagnostics.ts';
import { run, type RunResult } from '../../exec/runner.ts';

/** Each program's own limit, below the check's: a hung one is killed, not left behind. */
const LIMIT_MS = 4000;

const failure = (r: RunResult) => r.spawnError ? 'not installed' : r.timedOut ? 'no answer' : (r.stderr.trim().split('\n')[0] || `exited with ${r.exitCode}`);

export async function readTimeSource(): Promise<TimeSource> {
  const td = await run('timedatectl', ['show'], { timeoutMs: LIMIT_MS });
  if (td.exitCode === 0 && !td.spawnError) return { source: 'timedatectl', text: td.stdout };
  const ch = await run('chronyc', ['-n', 'tracking'], { timeoutMs: LIMIT_MS });
  if (ch.exitCode === 0 && !ch.spawnError) return { source: 'chronyc', text: ch.stdout };
  return { source: 'none', why: `timedatectl: ${failure(td)}; chronyc: ${failure(ch)}` };
}

/** Addresses a name resolves to (getent ahosts), or why not. */
export async function resolveName(name: string): Promise<string[] | { why: string }> {
  const r = await run('getent', ['ahosts', '--', name], { timeoutMs: LIMIT_MS });
  if (r.spawnError) return { why: 'getent is not installed' };
  if (r.timedOut) return { why: `no answer within ${LIMIT_MS / 1000} s` };
  if (r.exitCode === 2) return { why: 'name not found' };
  if (r.exitCode !== 0) return { why: `getent exited with ${r.exitCode}` };
  return [...new Set(r.stdout.split('\n').map((l) => l.split(/\s+/)[0]).filter((a): a is string => Boolean(a) && isIP(a!) !== 0))];
}

/** Names an address resolves back to (getent hosts ADDRESS), or why not. */
export async function reverseName(address: string): Promise<{ address: string; names: string[] } | { address: string; why: string }> {
  const r = await run('getent', ['hosts', '--', address], { timeoutMs: LIMIT_MS });
  if (r.spawnError) return { address, why: 'getent is not installed' };
  if (r.timedOut) return { address, why: `no answer within ${LIMIT_MS / 1000} s` };
  const names = r.stdout.split('\n').flatMap((l) => l.trim().split(/\s+/).slice(1)).filter(Boolean);
  if (r.exitCode !== 0 || !names.length) return { address, why: 'no PTR record (nor /etc/hosts line)' };
  return { address, names };
}

/** Whether systemd is the init system (the directory it creates at boot, as sd_booted() checks). */
export const systemdRunning = (runDir = '/run/systemd/system') => stat(runDir).then((s) => s.isDirectory(), () => false);

export async function unitState(unit: string): Promise<{ systemd: false; why: string } | { systemd: true; text: string }> {
  if (!(await systemdRunning())) return { systemd: false, why: 'systemd is not the init system here: there is no service to check' };
  const r = await run('systemctl', ['show', '-p', 'LoadState,ActiveState', '--', unit], { timeoutMs: LIMIT_MS });
  if (r.exitCode !== 0 || r.spawnError) return { systemd: false, why: `systemctl cannot tell: ${failure(r)}` };
  return { systemd: true, text: r.stdout };
}
