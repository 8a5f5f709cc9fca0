// The boot image (scripts/testhost/build-image, cached under .cache/testhost)
// and the choice between KVM and TCG.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, utimesSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { REPO_ROOT, runProc } from './proc.ts';

export interface BootImage {
  dir: string;
  /** The kernel QEMU boots: the uncompressed ELF (PVH entry) when the build could extract it. */
  kernel: string;
  initrd: string;
  /** Directory holding lib/modules/<release>, bind-mounted inside the test host. */
  modules: string;
  release: string;
  packageName: string;
  packageVersion: string;
}

let imagePromise: Promise<BootImage> | undefined;

/** Builds the test-host image if its inputs changed (about 10 s), else returns the cached one. */
export function ensureImage(): Promise<BootImage> {
  imagePromise ??= buildImage().catch((e: unknown) => { imagePromise = undefined; throw e; });
  return imagePromise;
}

async function buildImage(): Promise<BootImage> {
  const script = join(REPO_ROOT, 'scripts/testhost/build-image');
  const child = spawn(script, [], { stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (b: Buffer) => out.push(b));
  child.stderr.on('data', (b: Buffer) => { err.push(b); if (process.env.HOSTDECK_TESTHOST_DEBUG) process.stderr.write(b); });
  const code = await new Promise<number>((res, rej) => { child.on('error', rej); child.on('close', (c) => res(c ?? 1)); });
  if (code !== 0) throw new Error(`scripts/testhost/build-image failed (${code}):\n${Buffer.concat(err).toString()}`);
  const dir = Buffer.concat(out).toString().trim().split('\n').pop() ?? '';
  const env = Object.fromEntries(readFileSync(join(dir, 'image.env'), 'utf8').split('\n').filter(Boolean)
    .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  const now = new Date();
  utimesSync(join(dir, 'complete'), now, now); // marks the image as in use (build-image keeps it)
  const vmlinux = join(dir, 'vmlinux');
  return {
    dir,
    kernel: existsSync(vmlinux) ? vmlinux : join(dir, 'vmlinuz'),
    initrd: join(dir, 'initramfs.cpio'),
    modules: join(dir, 'kernel'),
    release: env.release ?? '',
    packageName: env.package ?? '',
    packageVersion: env.version ?? '',
  };
}

export type Accel = 'kvm' | 'tcg';
let accelPromise: Promise<{ accel: Accel; why: string }> | undefined;

/**
 * KVM where it really runs guests, TCG otherwise. Reuses scripts/libvirt-up's
 * verdict (/run/hostdeck/kvm, same boot) when there is one, else probes the
 * same way: a boot sector that exits QEMU through isa-debug-exit.
 * HOSTDECK_TESTHOST_ACCEL=kvm|tcg overrides.
 */
export function chooseAccel(): Promise<{ accel: Accel; why: string }> {
  accelPromise ??= probeAccel();
  return accelPromise;
}

async function probeAccel(): Promise<{ accel: Accel; why: string }> {
  const forced = process.env.HOSTDECK_TESTHOST_ACCEL;
  if (forced === 'kvm' || forced === 'tcg') return { accel: forced, why: 'HOSTDECK_TESTHOST_ACCEL' };
  if (!existsSync('/dev/kvm')) return { accel: 'tcg', why: '/dev/kvm missing' };
  let bootId = '';
  try { bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim(); } catch { /* none */ }
  try {
    const [verdict, id] = readFileSync('/run/hostdeck/kvm', 'utf8').split('\n');
    if (verdict && id === bootId) return { accel: verdict.startsWith('usable') ? 'kvm' : 'tcg', why: verdict };
  } catch { /* no cached verdict */ }
  const dir = mkdtempSync(join(tmpdir(), 'hostdeck-kvmprobe-'));
  try {
    const img = Buffer.alloc(512);
    Buffer.from([0xb0, 0x2a, 0xe6, 0xf4, 0xf4, 0xeb, 0xfd]).copy(img);
    img[510] = 0x55; img[511] = 0xaa;
    const file = join(dir, 'boot.img');
    writeFileSync(file, img);
    const r = await runProc(['qemu-system-x86_64', '-accel', 'kvm', '-machine', 'pc', '-m', '16', '-display', 'none',
      '-serial', 'none', '-monitor', 'none', '-nodefaults', '-no-reboot', '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04',
      '-drive', `file=${file},format=raw,if=floppy`], { timeoutMs: 3000 });
    return r.code === 85 ? { accel: 'kvm', why: 'probe guest ran under KVM' } : { accel: 'tcg', why: `KVM probe failed (exit ${r.code})` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
