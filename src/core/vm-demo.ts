// `hostdeck demo`: a few tiny guests so a newcomer sees a living host on
// first run, and their removal. The VMs are created and removed through the
// VM use cases like any other (their own events); removal only touches VMs
// that carry the demo marker in their description.
import { InvalidInputError } from '../domain/errors.ts';
import { tinyGuestImage } from '../host/guest-image.ts';
import type { CoreContext } from './index.ts';
import { prepare } from './vm-common.ts';
import type { VmUseCases } from './vms.ts';

export const DEMO_PREFIX = 'hostdeck-demo-';
export const DEMO_MARKER = 'hostdeck demo VM (hostdeck demo --remove takes it away)';
export const DEMO_POOL = 'default';
const DEMO_POOL_DIR = '/var/lib/libvirt/images';

export function createDemoUseCases(ctx: CoreContext, vms: VmUseCases) {
  const virt = () => ctx.infra.virt;

  const list = async (): Promise<string[]> => {
    const doms = (await virt().domainList()).filter((d) => d.name.startsWith(DEMO_PREFIX));
    const out: string[] = [];
    for (const d of doms) {
      const xml = await virt().domainGetXml(d.name, { inactive: true }).catch(() => '');
      if (xml.includes(DEMO_MARKER)) out.push(d.name);
    }
    return out.sort();
  };

  return {
    list,

    async create(opts: { count?: number; running?: number; pool?: string; onStep?: (t: string) => void } = {}): Promise<{ created: string[]; existing: string[] }> {
      const step = opts.onStep ?? (() => undefined);
      const count = opts.count ?? 3;
      const running = opts.running ?? Math.min(2, count);
      const pool = opts.pool ?? DEMO_POOL;
      const prepared = await prepare(ctx, 'vm.demo', {
        object: pool, message: `Create the demo VMs on storage pool ${pool}`,
        // The pool first: a pool that is not there is refused before the image is built.
        check: async () => {
          const pools = await virt().storagePoolList();
          const p = pools.find((x) => x.name === pool);
          if (!p && pool !== DEMO_POOL) throw new InvalidInputError([{ field: 'pool', message: `pool: no storage pool named '${pool}'${pools.length ? ` (pools: ${pools.map((x) => x.name).join(', ')})` : ''}` }]);
          return p;
        },
        run: async (p) => {
          if (!p) {
            step(`creating storage pool ${DEMO_POOL} at ${DEMO_POOL_DIR}`);
            await virt().storagePoolCreateDir(DEMO_POOL, DEMO_POOL_DIR);
          } else if (p.state !== 'running') {
            step(`starting storage pool ${pool}`);
            await virt().storagePoolStart(pool);
          }
          step('building the tiny guest image (first time: about 10 s)');
          const img = await tinyGuestImage();
          const existing = await list();
          const all = new Set((await virt().domainList()).map((d) => d.name));
          const created: string[] = [];
          for (let i = 1; i <= count; i++) {
            const name = `${DEMO_PREFIX}${i}`;
            if (existing.includes(name) || all.has(name)) continue;
            step(`creating ${name}`);
            await vms.create({
              name, vcpus: 1, memoryMiB: 128, description: DEMO_MARKER, disks: [{ kind: 'new', pool, sizeMiB: 16, format: 'qcow2' }], nics: [],
              boot: 'kernel', kernel: img.kernel, initrd: img.initrd, cmdline: 'console=ttyS0 loglevel=4 panic=-1', osType: 'linux', machine: 'pc', graphics: 'vnc',
            }, { start: i <= running });
            created.push(name);
          }
          // Demo VMs that exist but are off get started up to the running count.
          for (const name of existing.slice(0, running)) {
            if ((await virt().domainState(name)) === 'shutoff') await vms.start(name).catch(() => undefined);
          }
          return { created, existing };
        },
      });
      return ctx.door.act('vm.demo', prepared.object, prepared.req, prepared.fn);
    },

    async remove(): Promise<{ removed: string[] }> {
      const removed: string[] = [];
      for (const name of await list()) {
        const state = await virt().domainState(name);
        if (state !== 'shutoff' && state !== 'crashed') await vms.forceOff(name);
        await vms.delete(name, { removeDisks: true });
        removed.push(name);
      }
      return { removed };
    },
  };
}

export type DemoUseCases = ReturnType<typeof createDemoUseCases>;
