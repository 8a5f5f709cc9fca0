// Tiny guests for tests that need a real libvirtd: Debian's cloud kernel +
// a busybox initramfs (scripts/guest/build.sh, built on first use and cached),
// a 16 MiB qcow2 disk of their own, a tap NIC and a serial console logged to
// a file. Names start with "hd-test-"; removeGuests() takes away every
// domain and disk with a given prefix (call it in `finally` and before).
import { readFile, rm } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { run, runOk } from '../../src/exec/runner.ts';
import { domainXml, type DomainSpec } from '../../src/virt/xml/create.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
export const GUEST_PREFIX = 'hd-test-';
export const IMAGES_DIR = '/var/lib/libvirt/images';
export const SYSTEM_URI = 'qemu:///system';

export interface GuestImage {
  dir: string;
  kernel: string;
  initrd: string;
  /** The line the guest prints on its serial console once booted. */
  marker: string;
}

let image: Promise<GuestImage> | undefined;

/** Build the tiny guest if it is missing or its inputs changed (first time: ~10 s). */
export function guestImage(): Promise<GuestImage> {
  image ??= (async () => {
    const r = await runOk(`${ROOT}scripts/guest/build.sh`, ['--print-dir'], { timeoutMs: 300_000 });
    const dir = r.stdout.trim().split('\n').pop()!;
    const marker = (await readFile(`${dir}/marker`, 'utf8')).trim();
    return { dir, kernel: `${dir}/vmlinuz`, initrd: `${dir}/initrd.img`, marker };
  })();
  return image;
}

/** kvm where KVM works here, qemu (TCG) where scripts/libvirt-up found it unusable. */
export function domainType(): 'kvm' | 'qemu' {
  try {
    const v = readFileSync('/run/hostdeck/kvm', 'utf8').split('\n')[0] ?? '';
    return v.startsWith('usable') ? 'kvm' : 'qemu';
  } catch {
    return existsSync('/dev/kvm') ? 'kvm' : 'qemu';
  }
}

export const serialLogPath = (name: string) => `/var/log/libvirt/qemu/${name}-serial.log`;
export const diskPath = (name: string) => `${IMAGES_DIR}/${name}.qcow2`;

/** A unique guest name prefix for this test run: hd-test-<tag>-<pid, base 36>-<random>. */
export function guestName(tag: string): string {
  if (!/^[a-z]+$/.test(tag)) throw new Error('guestName: tag must be lower-case letters');
  return `${GUEST_PREFIX}${tag}-${process.pid.toString(36)}-${Math.floor(Math.random() * 1296).toString(36)}`;
}

/** The test process that made a guest name (guestName's format), or undefined for other names. */
export function guestOwnerPid(name: string): number | undefined {
  const m = /^hd-test-[a-z]+-([0-9a-z]+)-[0-9a-z]+(?:-|$)/.exec(name);
  return m ? parseInt(m[1]!, 36) : undefined;
}

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (err) { return (err as NodeJS.ErrnoException).code === 'EPERM'; }
}

/** Remove guests left behind by test processes that no longer run (killed mid-test). */
export async function removeStaleGuests(): Promise<void> {
  const r = await run('virsh', ['-c', SYSTEM_URI, 'list', '--all', '--name']);
  const stale = new Set<string>();
  for (const n of r.stdout.split('\n').map((l) => l.trim())) {
    const pid = guestOwnerPid(n);
    if (pid !== undefined && pid !== process.pid && !alive(pid)) stale.add(n.split('-').slice(0, 5).join('-'));
  }
  for (const p of stale) await removeGuests(`${p}-`);
  // Pools and networks such runs defined (hd-test-<tag>-<pid>-<rnd>-pool / -net).
  for (const [list, stop, undefine] of [['pool-list', 'pool-destroy', 'pool-undefine'], ['net-list', 'net-destroy', 'net-undefine']] as const) {
    const names = (await run('virsh', ['-c', SYSTEM_URI, list, '--all', '--name'])).stdout.split('\n').map((l) => l.trim());
    for (const n of names) {
      const pid = guestOwnerPid(n);
      if (pid === undefined || pid === process.pid || alive(pid)) continue;
      await run('virsh', ['-c', SYSTEM_URI, stop, n]);
      await run('virsh', ['-c', SYSTEM_URI, undefine, n]);
    }
  }
}

/** The domain XML of a tiny guest (creates its disk image). */
export interface TinyGuestOptions {
  memoryMiB?: number;
  nic?: boolean;
  vcpus?: number;
  /** Busy loops the guest runs from its boot (its init reads hostdeck.burn=N): a guest that burns CPU. */
  burn?: number;
}

export async function tinyGuestXml(name: string, opts: TinyGuestOptions = {}): Promise<string> {
  const img = await guestImage();
  await runOk('qemu-img', ['create', '-q', '-f', 'qcow2', diskPath(name), '16M']);
  const spec: DomainSpec = {
    name, type: domainType(), memoryMiB: opts.memoryMiB ?? 128, vcpus: opts.vcpus ?? 1,
    kernel: img.kernel, initrd: img.initrd, cmdline: `console=ttyS0 loglevel=4 panic=-1${opts.burn ? ` hostdeck.burn=${opts.burn}` : ''}`,
    disks: [{ path: diskPath(name), format: 'qcow2' }],
    nics: opts.nic === false ? [] : [{ type: 'ethernet' }],
    serial: { logFile: serialLogPath(name) },
    balloonStatsPeriod: 1,
  };
  return domainXml(spec);
}

/** Define a tiny guest with virsh (outside hostdeck); returns its name. */
export async function defineGuest(name: string, opts: TinyGuestOptions = {}): Promise<string> {
  const xml = await tinyGuestXml(name, opts);
  const file = `/tmp/${name}.xml`;
  const { writeFile } = await import('node:fs/promises');
  await writeFile(file, xml);
  try {
    await runOk('virsh', ['-c', SYSTEM_URI, 'define', file], { timeoutMs: 600_000 });
  } finally {
    await rm(file, { force: true });
  }
  return name;
}

/** virsh against the real libvirtd, throwing on failure (the test's own view of the world). */
export async function virshSys(...args: string[]): Promise<string> {
  return (await runOk('virsh', ['-c', SYSTEM_URI, ...args], { timeoutMs: 600_000 })).stdout;
}

export async function domstate(name: string): Promise<string> {
  return (await virshSys('domstate', name)).trim();
}

/** Wait for a line on the guest's serial console (the log file libvirt writes). Polls the file. */
export async function waitForSerial(name: string, text: string, timeoutMs = 180_000, since = 0): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const log = await readFile(serialLogPath(name), 'utf8').catch(() => '');
    const i = log.indexOf(text, since);
    if (i >= 0) return log.slice(i, log.indexOf('\n', i) >= 0 ? log.indexOf('\n', i) : undefined);
    if (Date.now() > until) throw new Error(`${name}: "${text}" did not appear on the serial console within ${timeoutMs / 1000} s; log tail: ${log.slice(-400)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Wait until `virsh domstate` says one of `states`. */
export async function waitForState(name: string, states: string[], timeoutMs = 180_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const s = (await run('virsh', ['-c', SYSTEM_URI, 'domstate', name])).stdout.trim();
    if (states.includes(s)) return s;
    if (Date.now() > until) throw new Error(`${name}: state "${s}", wanted ${states.join(' or ')} within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Destroy and undefine every domain whose name starts with `prefix`, and delete their disks and logs. */
export async function removeGuests(prefix: string): Promise<void> {
  if (!prefix.startsWith(GUEST_PREFIX)) throw new Error(`refusing to remove guests outside ${GUEST_PREFIX}*`);
  const r = await run('virsh', ['-c', SYSTEM_URI, 'list', '--all', '--name']);
  const names = r.stdout.split('\n').map((l) => l.trim()).filter((n) => n.startsWith(prefix));
  for (const n of names) {
    await run('virsh', ['-c', SYSTEM_URI, 'destroy', n]);
    await run('virsh', ['-c', SYSTEM_URI, 'undefine', n, '--snapshots-metadata', '--managed-save', '--nvram']);
  }
  const { readdir } = await import('node:fs/promises');
  for (const f of await readdir(IMAGES_DIR).catch(() => [] as string[])) {
    if (f.startsWith(prefix)) await rm(`${IMAGES_DIR}/${f}`, { force: true });
  }
  for (const f of await readdir('/var/log/libvirt/qemu').catch(() => [] as string[])) {
    if (f.startsWith(prefix)) await rm(`/var/log/libvirt/qemu/${f}`, { force: true });
  }
}
