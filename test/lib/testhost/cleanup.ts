// What the test-host harness has running or created on this machine, so it
// can all go on success, failure, timeout and process exit.
//
// - Every QEMU and machine-side helper is started under
//   `setpriv --pdeathsig KILL`, so it dies with this Node process even when
//   that is killed with SIGKILL.
// - Network namespaces, temporary directories and processes are registered
//   here; an exit hook removes whatever is still registered, synchronously.
// - Names carry this process's pid (netns `hdt-<pid>-<n>`, directories
//   `hostdeck-testhost-<pid>-...`, QEMU `-name hostdeck-testhost-<pid>-...`)
//   so `sweepStale()` can remove what a killed earlier run left behind.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const MARK = 'hostdeck-testhost';
export const NETNS_PREFIX = 'hdt-';
/** Interface names the harness gives its tap devices: `ht<pid36>h<n>n<i>`. */
export const TAP_PREFIX = 'ht';

const procs = new Set<ChildProcess>();
const netns = new Set<string>();
const dirs = new Set<string>();
let hooked = false;

function hook(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', cleanupNow);
  for (const [sig, n] of [['SIGINT', 2], ['SIGTERM', 15], ['SIGHUP', 1]] as const) {
    process.once(sig, () => { cleanupNow(); process.exit(128 + n); });
  }
}

export function trackProcess(p: ChildProcess): void {
  hook();
  procs.add(p);
  p.once('exit', () => procs.delete(p));
}
export function untrackProcess(p: ChildProcess): void { procs.delete(p); }
export function trackNetns(name: string): void { hook(); netns.add(name); }
export function untrackNetns(name: string): void { netns.delete(name); }
export function trackDir(path: string): void { hook(); dirs.add(path); }
export function untrackDir(path: string): void { dirs.delete(path); }

/** Synchronous last-resort cleanup (exit hook, signals). */
export function cleanupNow(): void {
  for (const p of procs) {
    try { if (p.pid && p.exitCode === null && p.signalCode === null) process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ }
  }
  procs.clear();
  for (const ns of netns) spawnSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
  netns.clear();
  for (const d of dirs) { try { rmSync(d, { recursive: true, force: true }); } catch { /* best effort */ } }
  dirs.clear();
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}

/** Removes what harness runs in processes that no longer exist left behind. */
export function sweepStale(): void {
  const ns = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout ?? '';
  for (const line of ns.split('\n')) {
    const name = line.split(' ')[0] ?? '';
    const m = /^hdt-(\d+)-/.exec(name);
    if (m && !alive(Number(m[1]))) spawnSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
  }
  for (const e of safeReaddir(tmpdir())) {
    const m = /^hostdeck-testhost-(\d+)-/.exec(e);
    if (m && !alive(Number(m[1]))) rmSync(join(tmpdir(), e), { recursive: true, force: true });
  }
  for (const q of leftoverQemu()) {
    if (!alive(q.ownerPid)) { try { process.kill(q.pid, 'SIGKILL'); } catch { /* gone */ } }
  }
}

function safeReaddir(d: string): string[] {
  try { return readdirSync(d); } catch { return []; }
}

/** QEMU processes started by this harness (any run), from /proc. */
export function leftoverQemu(): { pid: number; ownerPid: number; name: string }[] {
  const out: { pid: number; ownerPid: number; name: string }[] = [];
  for (const e of safeReaddir('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    let argv: string[];
    try { argv = readFileSync(`/proc/${e}/cmdline`, 'utf8').split('\0'); } catch { continue; }
    if (!argv[0]?.includes('qemu-system')) continue;
    const i = argv.indexOf('-name');
    const name = i >= 0 ? argv[i + 1] ?? '' : '';
    const m = new RegExp(`^${MARK}-(\\d+)-`).exec(name);
    if (m) out.push({ pid: Number(e), ownerPid: Number(m[1]), name });
  }
  return out;
}

/** Everything of the harness that exists on this machine right now (for leak checks). */
export function leftovers(): { qemu: string[]; netns: string[]; taps: string[]; dirs: string[] } {
  const ns = (spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout ?? '')
    .split('\n').map((l) => l.split(' ')[0] ?? '').filter((n) => n.startsWith(NETNS_PREFIX));
  const links = (spawnSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' }).stdout ?? '')
    .split('\n').map((l) => /^\d+:\s+([^:@]+)/.exec(l)?.[1] ?? '')
    .filter((n) => new RegExp(`^${TAP_PREFIX}[0-9a-z]+h[0-9a-z]+n\\d+$`).test(n));
  return {
    qemu: leftoverQemu().map((q) => `${q.pid} ${q.name}`),
    netns: ns,
    taps: links,
    dirs: safeReaddir(tmpdir()).filter((e) => e.startsWith(`${MARK}-`)),
  };
}

/**
 * What the harness left behind in processes that have ended (leaks): QEMU,
 * namespaces, tap devices in this namespace, temporary directories.
 * Resources of harness processes still running are not counted.
 */
export function leaked(): { qemu: string[]; netns: string[]; taps: string[]; dirs: string[] } {
  const left = leftovers();
  const dead = (pid: number): boolean => !alive(pid);
  return {
    qemu: leftoverQemu().filter((q) => dead(q.ownerPid)).map((q) => `${q.pid} ${q.name}`),
    netns: left.netns.filter((n) => dead(Number(/^hdt-(\d+)-/.exec(n)?.[1] ?? 0))),
    taps: left.taps.filter((t) => dead(parseInt(new RegExp(`^${TAP_PREFIX}([0-9a-z]+)h`).exec(t)?.[1] ?? '0', 36))),
    dirs: left.dirs.filter((d) => dead(Number(/^hostdeck-testhost-(\d+)-/.exec(d)?.[1] ?? 0))),
  };
}
