// Snapshot use cases: list (as a tree), take (with memory, or disk-only as
// overlay files next to each disk), revert and delete, each refused with
// the reason when libvirt cannot do it on this VM's disks. Snapshot events
// are filed under their VM, as before the snapshot screen existed apart.
import { descriptionProblem, snapshotCreateProblem, snapshotDeleteProblem, snapshotNameProblem, snapshotRevertProblem, type SnapshotMode } from '../domain/vm-create.ts';
import { ownedDisks } from '../domain/vm-disks.ts';
import { vmCanSnapshot } from '../domain/vm.ts';
import { NotFoundError } from '../domain/errors.ts';
import { flattenSnapshotTree, snapshotTree, type Snapshot, type SnapshotNode } from '../virt/snapshots.ts';
import { snapshotDescription, snapshotDomainXml } from '../virt/xml/named.ts';
import { parseDomainXml, type DomainDisk } from '../virt/xml/parse.ts';
import type { CoreContext } from './index.ts';
import { need, prepare, vmInfo, vmLookupError, VmActionError, VmInputError } from './vm-common.ts';
import { aroundVmHooks } from './hooks.ts';

export type { Snapshot, SnapshotNode, SnapshotMode };

const libvirtVersions = new WeakMap<object, Promise<string | undefined>>();

export function createSnapshotUseCases(ctx: CoreContext) {
  const virt = () => ctx.infra.virt;

  const find = async (name: string, snapshot: string): Promise<{ snap: Snapshot; list: Snapshot[] }> => {
    const list = await virt().snapshotList(name).catch((e: unknown) => { throw vmLookupError(e, name); });
    const snap = list.find((x) => x.name === snapshot);
    if (!snap) throw new NotFoundError(`${name} has no snapshot named '${snapshot}'${list.length ? ` (snapshots: ${list.map((x) => x.name).join(', ')})` : ''}`);
    return { snap, list };
  };

  /** The libvirt library's version (what a revert of a disk-only snapshot needs), read once per connection. */
  const libraryVersion = (): Promise<string | undefined> => {
    const known = virt().getStatus().version?.library;
    if (known) return Promise.resolve(known);
    let p = libvirtVersions.get(virt());
    if (!p) { p = virt().readVersion().then((v) => v.library, () => undefined); libvirtVersions.set(virt(), p); }
    return p;
  };

  /**
   * An internal snapshot lives inside a disk image; once a disk-only snapshot
   * put an overlay on top, the VM runs on another image and libvirt cannot
   * delete the internal one. Compares the image the snapshot recorded with
   * the one in use.
   */
  const internalSnapshotMoved = async (name: string, snap: Snapshot): Promise<string | undefined> => {
    if (snap.state === 'disk-snapshot') return undefined;
    const [xml, dom] = await Promise.all([virt().snapshotGetXml(name, snap.name).catch(() => ''), virt().domainGetXml(name).catch(() => '')]);
    const recorded = xml ? snapshotDomainXml(xml) : undefined;
    if (!recorded || !dom) return undefined;
    const then = parseDomainXml(recorded);
    const now = parseDomainXml(dom);
    const src = (d: DomainDisk) => d.path ?? (d.pool && d.volume ? `${d.pool}/${d.volume}` : '');
    for (const d of ownedDisks(then.disks)) {
      const cur = now.disks.find((x) => x.target === d.target);
      if (cur && src(cur) !== src(d)) return `its state is inside ${src(d)}, but disk ${d.target} now runs on ${src(cur)} (a disk-only snapshot's overlay): libvirt cannot delete it from there`;
    }
    return undefined;
  };

  /** A snapshot action between the VM's before_vm_snapshot and after_vm_snapshot hooks, which are told which action on which snapshot ('' when libvirt names it). */
  const snapshotHooks = <T>(name: string, action: 'create' | 'revert' | 'delete', snapshot: string, fn: () => Promise<T>): Promise<T> =>
    aroundVmHooks(ctx, 'vm_snapshot', name, fn, { env: { HOSTDECK_SNAPSHOT_ACTION: action, HOSTDECK_SNAPSHOT_NAME: snapshot } });

  return {
    libraryVersion,

    list(name: string): Promise<{ list: Snapshot[]; tree: SnapshotNode[]; rows: SnapshotNode[] }> {
      return ctx.door.act('snapshot.list', { id: name }, { message: `List the snapshots of VM ${name}` }, async () => {
        const names = await virt().snapshotList(name).catch((e: unknown) => { throw vmLookupError(e, name); });
        // The list gives no descriptions: each snapshot's XML has its own (one it cannot read goes without).
        const list = await Promise.all(names.map(async (s) => {
          const xml = await virt().snapshotGetXml(name, s.name).catch(() => '');
          return { ...s, description: xml ? snapshotDescription(xml) : undefined };
        }));
        const tree = snapshotTree(list);
        return { list, tree, rows: flattenSnapshotTree(tree) };
      });
    },

    /** Take a snapshot; an empty name lets libvirt name it, as virsh does. Returns the snapshot's name. */
    async create(name: string, snap: { name: string; description?: string; mode: SnapshotMode }): Promise<string> {
      // A disk-only snapshot's overlay files are named after the snapshot, so it needs its name first: libvirt's own (the time in seconds).
      const named = snap.name || snap.mode === 'full' ? snap.name : String(Math.floor(Date.now() / 1000));
      const which = named ? ` ${named}` : '';
      const p = await prepare(ctx, 'snapshot.create', {
        object: name, objectType: 'vm', message: `Take snapshot${which} of VM ${name}`,
        describe: (vm) => `Take ${snap.mode === 'disk-only' ? 'disk-only snapshot' : vm.state === 'running' || vm.state === 'paused' ? 'snapshot with memory' : 'snapshot'}${which} of VM ${name}`,
        check: async () => {
          const [vm, existing] = await Promise.all([vmInfo(ctx, name), virt().snapshotList(name).catch(() => [] as Snapshot[])]);
          const np = snapshotNameProblem(snap.name, existing.map((x) => x.name));
          const dp = descriptionProblem(snap.description);
          if (np || dp) throw new VmInputError([...(np ? [{ field: 'snapshot', message: `snapshot name: ${np}` }] : []), ...(dp ? [{ field: 'description', message: `description: ${dp}` }] : [])]);
          need('snapshot', name, vmCanSnapshot(vm));
          const fp = snapshotCreateProblem(snap.mode, vm.details.disks);
          if (fp) throw new VmActionError(`cannot take a ${snap.mode === 'full' ? 'full' : 'disk-only'} snapshot of ${name}: ${fp}`);
          return vm;
        },
        run: (vm) => snapshotHooks(name, 'create', named, async () => {
          if (snap.mode === 'full') return virt().snapshotCreate(name, { name: named, description: snap.description });
          // Overlay files next to each disk (libvirt cannot name them for pool-volume disks); other devices are left out.
          const specs: string[] = [];
          for (const d of vm.details.disks) {
            const own = d.device === 'disk' && !d.readonly;
            if (!own) { specs.push(`${d.target},snapshot=no`); continue; }
            const path = d.path ?? (d.pool && d.volume ? await virt().storageVolumePath(d.pool, d.volume) : undefined);
            if (!path) throw new VmActionError(`cannot take a disk-only snapshot of ${name}: disk ${d.target} has no file to put an overlay next to`);
            const overlay = `${path.replace(/\.(qcow2|raw|img)$/, '')}.${named.replace(/[^A-Za-z0-9._+-]/g, '_')}.qcow2`;
            specs.push(`${d.target},snapshot=external,file=${overlay.replace(/,/g, ',,')}`);
          }
          return virt().snapshotCreateDiskOnly(name, { name: named, description: snap.description }, specs);
        }),
      });
      return ctx.door.act('snapshot.create', p.object, p.req, p.fn);
    },

    async revert(name: string, snapshot: string): Promise<void> {
      const p = await prepare(ctx, 'snapshot.revert', {
        object: name, objectType: 'vm', message: `Revert VM ${name} to snapshot ${snapshot}`,
        check: async () => {
          const { snap } = await find(name, snapshot);
          const rp = snapshotRevertProblem(snap, await libraryVersion());
          if (rp) throw new VmActionError(`cannot revert ${name} to ${snapshot}: ${rp}`);
        },
        run: () => snapshotHooks(name, 'revert', snapshot, () => virt().snapshotRevert(name, snapshot)),
      });
      return ctx.door.act('snapshot.revert', p.object, p.req, p.fn);
    },

    async delete(name: string, snapshot: string, opts: { children?: boolean } = {}): Promise<void> {
      const p = await prepare(ctx, 'snapshot.delete', {
        object: name, objectType: 'vm', message: `Delete snapshot ${snapshot}${opts.children ? ' and its children' : ''} of VM ${name}`,
        check: async () => {
          const { snap, list } = await find(name, snapshot);
          const dp = snapshotDeleteProblem(snap, list) ?? (await internalSnapshotMoved(name, snap));
          if (dp) throw new VmActionError(`cannot delete snapshot ${snapshot} of ${name}: ${dp}`);
        },
        run: () => snapshotHooks(name, 'delete', snapshot, () => virt().snapshotDelete(name, snapshot, opts)),
      });
      return ctx.door.act('snapshot.delete', p.object, p.req, p.fn);
    },
  };
}

export type SnapshotUseCases = ReturnType<typeof createSnapshotUseCases>;
