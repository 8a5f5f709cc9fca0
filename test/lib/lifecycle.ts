// Helpers for the VM lifecycle tests on the real libvirtd: a storage pool of
// their own, tiny guest inputs for hostdeck's create, libvirt's own view of
// the world (virsh), and cleanup of everything named hd-lc-*.
import { mkdirSync, rmSync, readdirSync } from 'node:fs';
import { run, runOk } from '../../src/exec/runner.ts';
import type { VmCreateInput } from '../../src/domain/vm-create.ts';
import { guestImage, SYSTEM_URI } from './guest.ts';

export const LC_PREFIX = 'hd-lc-';
export { SYSTEM_URI };

export function lcName(tag: string): string {
  return `${LC_PREFIX}${tag}-${process.pid.toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
}

/** libvirtd is being restarted (other integration files stop and start it): worth waiting for. */
const daemonAway = (stderr: string) => /failed to connect to the hypervisor|End of file while reading data|Cannot recv data/.test(stderr);

async function virshRun(args: string[]) {
  for (let i = 0; ; i++) {
    const r = await run('virsh', ['-c', SYSTEM_URI, ...args], { timeoutMs: 180_000, env: { LC_ALL: 'C' } });
    if (r.exitCode === 0 || !daemonAway(r.stderr) || i >= 30) return r;
    await new Promise((res) => setTimeout(res, 1000));
  }
}

/** libvirt's own view (virsh), throwing on failure; waits out a libvirtd restart. */
export async function virsh(...args: string[]): Promise<string> {
  const r = await virshRun(args);
  if (r.exitCode !== 0) return (await runOk('virsh', ['-c', SYSTEM_URI, ...args], { timeoutMs: 180_000, env: { LC_ALL: 'C' } })).stdout;
  return r.stdout;
}

/** `virsh` without throwing: exit code and output. */
export async function virshTry(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const r = await virshRun(args);
  return { code: r.exitCode, out: r.stdout, err: r.stderr };
}

export async function domstate(name: string): Promise<string> {
  const r = await virshTry('domstate', name);
  return r.code === 0 ? r.out.trim() : 'absent';
}

/** Names of every domain libvirt has, sorted (to assert nothing changed). */
export async function allDomains(): Promise<string[]> {
  return (await virsh('list', '--all', '--name')).split('\n').map((l) => l.trim()).filter(Boolean).sort();
}

export async function poolVolumes(pool: string): Promise<string[]> {
  await virshTry('pool-refresh', pool);
  return (await virsh('vol-list', pool, '--details')).split('\n').slice(2).map((l) => l.trim().split(/\s+/)[0]!).filter(Boolean).sort();
}

/** A directory pool of the test's own (running). */
export async function makePool(name: string): Promise<string> {
  const dir = `/var/lib/${name}`;
  mkdirSync(dir, { recursive: true });
  await virshTry('pool-destroy', name);
  await virshTry('pool-undefine', name);
  await virsh('pool-define-as', name, 'dir', '--target', dir);
  await virsh('pool-start', name);
  return name;
}

export async function removePool(name: string): Promise<void> {
  if (!name.startsWith(LC_PREFIX)) throw new Error('refusing to remove a pool outside hd-lc-*');
  await virshTry('pool-destroy', name);
  await virshTry('pool-undefine', name);
  rmSync(`/var/lib/${name}`, { recursive: true, force: true });
}

/** Destroy and undefine every hd-lc-* domain whose name starts with `prefix`; remove its serial log. */
export async function removeDomains(prefix: string): Promise<void> {
  if (!prefix.startsWith(LC_PREFIX)) throw new Error('refusing to remove domains outside hd-lc-*');
  for (const n of (await allDomains()).filter((d) => d.startsWith(prefix))) {
    await virshTry('destroy', n);
    await virshTry('undefine', n, '--snapshots-metadata', '--managed-save', '--nvram');
  }
  for (const f of readdirSync('/var/log/libvirt/qemu')) if (f.startsWith(prefix)) rmSync(`/var/log/libvirt/qemu/${f}`, { force: true });
}

/** A tiny guest as hostdeck's create input: direct kernel boot, one new 16 MiB disk on `pool`. */
export async function tinyInput(name: string, pool: string, over: Partial<VmCreateInput> = {}): Promise<VmCreateInput> {
  const img = await guestImage();
  return {
    name, vcpus: 1, memoryMiB: 128, disks: [{ kind: 'new', pool, sizeMiB: 16, format: 'qcow2' }], nics: [],
    boot: 'kernel', kernel: img.kernel, initrd: img.initrd, cmdline: 'console=ttyS0 loglevel=4 panic=-1',
    osType: 'linux', machine: 'pc', graphics: 'none', ...over,
  };
}

/** Wait until libvirtd answers (other integration files stop and start it), starting it when it is down. */
export async function libvirtReady(root: string): Promise<void> {
  const { spawnSync } = await import('node:child_process');
  const up = async () => (await run('virsh', ['-c', SYSTEM_URI, 'uri'], { timeoutMs: 10_000 })).exitCode === 0;
  for (let i = 0; i < 30 && !(await up()); i++) {
    spawnSync(`${root}/scripts/libvirt-up`, { stdio: 'inherit' });
    await new Promise((r) => setTimeout(r, 1000));
  }
}
