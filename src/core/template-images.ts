// The image files of templates and of the VMs cloned from them, each made by
// qemu-img through the runner: a template image is a full copy of a VM's
// disk, read-only once made; a clone's disk is a full copy of it. A file
// made half-way is removed. (A thin VM's disk, a qcow2 overlay backed by the
// template image, is a libvirt volume: pools.ts volumeCreateOverlay.)
import { chmod, readdir, rm } from 'node:fs/promises';
import { runOk, which } from '../exec/runner.ts';
import { WrongStateError } from '../domain/errors.ts';
import { TEMPLATE_IMAGE_RE } from '../domain/templates.ts';

/** Copies of disk images may take long (gigabytes); a hung storage still ends. */
const COPY_TIMEOUT_MS = 6 * 60 * 60 * 1000;
const QUICK_TIMEOUT_MS = 60_000;

/** Run fn to make `path`; when it fails, the file it left is removed. */
async function making(path: string, fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    await rm(path, { force: true });
    throw e;
  }
}

/** A full copy of an image (`qemu-img convert`), in the given format. */
export function copyImage(src: string, srcFormat: string, dst: string, dstFormat: 'qcow2' | 'raw'): Promise<void> {
  return making(dst, () => runOk('qemu-img', ['convert', '-f', srcFormat, '-O', dstFormat, src, dst], { timeoutMs: COPY_TIMEOUT_MS }));
}

/** The virtual size of an image in bytes (`qemu-img info`). */
export async function virtualSize(path: string, format: string): Promise<number> {
  const r = await runOk('qemu-img', ['info', '--output=json', '-f', format, path], { timeoutMs: QUICK_TIMEOUT_MS });
  return Number((JSON.parse(r.stdout) as { 'virtual-size'?: number })['virtual-size'] ?? 0);
}

export const SEAL_MISSING = 'virt-sysprep is not installed on this host (Debian package guestfs-tools): a template cannot be sealed here; nothing was made';

/** Whether images can be sealed here. */
export const canSeal = (): Promise<boolean> => which('virt-sysprep');

/** Take the machine's identity out of an image (host keys, machine id, logs) before it becomes a template. */
export async function sealImage(path: string, format: string): Promise<void> {
  if (!(await canSeal())) throw new WrongStateError(SEAL_MISSING);
  await runOk('virt-sysprep', ['--format', format, '-a', path], { timeoutMs: COPY_TIMEOUT_MS });
}

/** Template images are read-only: nothing may write to what thin VMs read through. */
export const makeReadOnly = (path: string) => chmod(path, 0o444);

/** The template images in a storage domain's images directory, by the template id in their names. */
export async function templateImagesIn(dir: string): Promise<{ file: string; templateId: string }[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.flatMap((file) => {
    const m = TEMPLATE_IMAGE_RE.exec(file);
    return m ? [{ file: `${dir}/${file}`, templateId: m[1]! }] : [];
  });
}

/** Whether a process of this host is alive (a 'creating' row's creator). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
