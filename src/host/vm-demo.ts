// `hostdeck demo`: a few tiny guests (scripts/guest/build.sh: Debian's cloud
// kernel + a busybox initramfs) so a newcomer sees a living host on first
// run, and their removal. Created through the same service as any VM, so
// they write events like any other; removal only touches VMs that carry
// the demo marker in their description.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runOk } from '../exec/runner.ts';
import { InvalidInputError } from '../domain/errors.ts';
import type { Services } from '../services.ts';
import { vmCreate, vmDelete, vmForceOff, vmStart } from './vm-service.ts';

export const DEMO_PREFIX = 'hostdeck-demo-';
export const DEMO_MARKER = 'hostdeck demo VM (hostdeck demo --remove takes it away)';
export const DEMO_POOL = 'default';
const DEMO_POOL_DIR = '/var/lib/libvirt/images';

/** scripts/guest/build.sh, found upward from this module (source tree or dist/ bundle). */
export function guestBuildScript(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const p = join(dir, 'scripts/guest/build.sh');
    if (existsSync(p)) return p;
    dir = dirname(dir);
  }
  return undefined;
}

/** Build (or reuse) the tiny guest image; returns its kernel and initrd. */
export async function tinyGuestImage(): Promise<{ kernel: string; initrd: string }> {
  const script = guestBuildScript();
  if (!script) throw new Error('scripts/guest/build.sh not found next to hostdeck');
  // The script is the program started (its shebang picks the interpreter); it takes no user value.
  const r = await runOk(script, ['--print-dir'], { timeoutMs: 600_000 });
  const dir = r.stdout.trim().split('\n').pop()!;
  return { kernel: join(dir, 'vmlinuz'), initrd: join(dir, 'initrd.img') };
}

export async function demoList(s: Services): Promise<string[]> {
  const doms = (await s.virt.domainList()).filter((d) => d.name.startsWith(DEMO_PREFIX));
  const out: string[] = [];
  for (const d of doms) {
    const xml = await s.virt.domainGetXml(d.name, { inactive: true }).catch(() => '');
    if (xml.includes(DEMO_MARKER)) out.push(d.name);
  }
  return out.sort();
}

async function ensurePool(s: Services, pool: string, step: (t: string) => void): Promise<void> {
  const pools = await s.virt.storagePoolList();
  const p = pools.find((x) => x.name === pool);
  if (!p && pool !== DEMO_POOL) throw new InvalidInputError([{ field: 'pool', message: `pool: no storage pool named '${pool}'${pools.length ? ` (pools: ${pools.map((x) => x.name).join(', ')})` : ''}` }]);
  if (!p) {
    step(`creating storage pool ${DEMO_POOL} at ${DEMO_POOL_DIR}`);
    await s.events.action({ source: 'storage', objectType: 'pool', objectId: DEMO_POOL, message: `Create storage pool ${DEMO_POOL} (${DEMO_POOL_DIR}) for the demo VMs` },
      () => s.virt.storagePoolCreateDir(DEMO_POOL, DEMO_POOL_DIR));
  } else if (p.state !== 'running') {
    step(`starting storage pool ${pool}`);
    await s.virt.storagePoolStart(pool);
  }
}

export async function demoCreate(s: Services, opts: { count?: number; running?: number; pool?: string; onStep?: (t: string) => void } = {}): Promise<{ created: string[]; existing: string[] }> {
  const step = opts.onStep ?? (() => undefined);
  const count = opts.count ?? 3;
  const running = opts.running ?? Math.min(2, count);
  // The pool first: a pool that is not there is refused before the image is built.
  const pool = opts.pool ?? DEMO_POOL;
  await ensurePool(s, pool, step);
  step('building the tiny guest image (first time: about 10 s)');
  const img = await tinyGuestImage();
  const existing = await demoList(s);
  const all = new Set((await s.virt.domainList()).map((d) => d.name));
  const created: string[] = [];
  for (let i = 1; i <= count; i++) {
    const name = `${DEMO_PREFIX}${i}`;
    if (existing.includes(name) || all.has(name)) continue;
    step(`creating ${name}`);
    await vmCreate(s, {
      name, vcpus: 1, memoryMiB: 128, description: DEMO_MARKER, disks: [{ kind: 'new', pool, sizeMiB: 16, format: 'qcow2' }],
      boot: 'kernel', kernel: img.kernel, initrd: img.initrd, cmdline: 'console=ttyS0 loglevel=4 panic=-1', osType: 'linux', machine: 'pc', graphics: 'vnc',
    }, { start: i <= running });
    created.push(name);
  }
  // Demo VMs that exist but are off get started up to the running count.
  for (const name of existing.slice(0, running)) {
    if ((await s.virt.domainState(name)) === 'shutoff') await vmStart(s, name).catch(() => undefined);
  }
  return { created, existing };
}

export async function demoRemove(s: Services): Promise<{ removed: string[] }> {
  const names = await demoList(s);
  const removed: string[] = [];
  for (const name of names) {
    const state = await s.virt.domainState(name);
    if (state !== 'shutoff' && state !== 'crashed') await vmForceOff(s, name);
    await vmDelete(s, name, { removeDisks: true });
    removed.push(name);
  }
  return { removed };
}

/** The guest's marker line (for tests and the demo's own check). */
export function guestMarker(dir: string): string {
  return readFileSync(join(dir, 'marker'), 'utf8').trim();
}
