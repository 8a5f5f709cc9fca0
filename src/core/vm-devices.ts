// A VM's NICs and disks after it was created: list them (live and defined),
// add a NIC (by vNIC profile, libvirt network or bridge) and take one out by
// its MAC, attach a disk (an existing volume or a new one) and detach one by
// its target. A running VM gets the device live and in its definition
// (virsh attach-device --live --config), a shut-off one in its definition.
// Each change runs between its before_/after_ nic_hotplug, nic_hotunplug,
// disk_hotplug, disk_hotunplug hooks; everything is checked before anything
// changes, and a new volume whose attach fails is removed again.
import type { DiskInput } from '../domain/vm-create.ts';
import type { NicInput } from '../domain/vm-devices.ts';
import {
  attachBus, bootDiskTarget, detachTargetProblem, diskAttachProblems, diskToDetach, hotplugVolumeName, nextDiskTarget, nicAddProblems, nicToRemove, removeMacProblem,
} from '../domain/vm-hotplug.ts';
import { diskSource } from '../domain/vm-disks.ts';
import { vmIsActive } from '../domain/vm.ts';
import { managerRepo } from '../manager/repos/manager-model.ts';
import { logicalNetworkRepo } from '../manager/repos/logical-networks.ts';
import { attachDevice, detachDevice, deviceElementXml, type DeviceScope } from '../virt/devices.ts';
import { diskDeviceXml, nicDeviceXml } from '../virt/xml/create.ts';
import type { StoragePool } from '../virt/storage.ts';
import { parseDomainXml, type DomainDetails, type DomainDisk, type DomainInterface } from '../virt/xml/parse.ts';
import { aroundVmHooks } from './hooks.ts';
import type { CoreContext } from './index.ts';
import { domainNames, prepare, vmInfo, VmActionError, VmInputError } from './vm-common.ts';
import { hostBridges, machineFacts, volumeFormat } from './vm-create.ts';
import { newMac, profileChecker, resolveProfileNics } from './vm-nic-profiles.ts';

export interface VmNicRow {
  mac: string;
  type: string;
  /** The libvirt network or bridge. */
  source: string;
  model: string;
  /** NETWORK/PROFILE when it was added by vNIC profile. */
  profile?: string;
  /** In the running VM / in its definition (the next start). */
  live: boolean;
  persistent: boolean;
}

export interface VmDiskRow {
  target: string;
  bus: string;
  device: string;
  /** POOL/VOLUME or a path. */
  source: string;
  format: string;
  boot: boolean;
  live: boolean;
  persistent: boolean;
}

/** A NIC to add: as `vm create --nic` takes it. */
export type NicAddInput = NicInput;
/** A disk to attach: as `vm create --disk` takes it. */
export type DiskAttachInput = DiskInput;

export interface NicAdded { vm: string; mac: string; live: boolean; xml: string }
export interface DiskAttached { vm: string; target: string; source: string; created: boolean; live: boolean; xml: string }

/** A VM as these actions see it: its state, and its devices live (while it runs) and defined. */
interface VmDevices {
  name: string;
  uuid: string;
  active: boolean;
  persistent: boolean;
  live?: DomainDetails;
  defined: DomainDetails;
}

const byMac = (i: DomainInterface) => i.mac?.toLowerCase() ?? '';

export function createVmDeviceUseCases(ctx: CoreContext) {
  const virt = () => ctx.infra.virt;

  const read = async (name: string): Promise<VmDevices> => {
    const info = await vmInfo(ctx, name);
    const active = vmIsActive(info);
    const defined = info.persistent ? parseDomainXml(await virt().domainGetXml(name, { inactive: true })) : info.details;
    return { name, uuid: info.uuid, active, persistent: info.persistent, live: active ? info.details : undefined, defined };
  };
  // The input's form is checked before the VM is looked up (a bad value is named whatever the VM),
  // what it names (a network, a pool, a volume) after: a VM that is not there is said first.
  const nicFormProblems = (nic: NicInput) => nicAddProblems(nic, { networks: [nic.source], bridges: [nic.source], profileProblem: () => undefined }, { name: '', macs: [] });
  const diskFormProblems = (disk: DiskInput) => diskAttachProblems(disk, {
    vm: '', active: false, machine: '', machineFacts: { missing: 'not read yet' }, disks: [], usedBy: () => [],
    pools: [{ name: disk.pool, state: 'running' } as StoragePool], volumes: disk.kind === 'existing' ? { [disk.pool]: [disk.volume] } : {},
  });
  /** Live and defined together, each device once (the live one first). */
  const allNics = (v: VmDevices) => [...(v.live?.interfaces ?? []), ...v.defined.interfaces.filter((d) => !v.live?.interfaces.some((l) => byMac(l) === byMac(d)))];
  const allDisks = (v: VmDevices) => [...(v.live?.disks ?? []), ...v.defined.disks.filter((d) => !v.live?.disks.some((l) => l.target === d.target))];
  /** A running VM changes live and (when defined) in its definition; a shut-off one in its definition. */
  const scopeOf = (v: VmDevices): DeviceScope => ({ live: v.active, config: v.persistent });
  const invalid = (errors: { field: string; message: string }[]) => { if (errors.length) throw new VmInputError(errors); };

  const profileNames = (uuid: string): Map<string, string> => {
    const repo = logicalNetworkRepo(ctx.infra.db);
    const profiles = new Map(repo.profiles().map((p) => [p.id, p]));
    const nets = new Map(repo.networks().map((n) => [n.id, n.name]));
    return new Map(repo.vmNics(uuid).flatMap((r) => {
      const p = profiles.get(r.profileId);
      return p ? [[r.mac, `${nets.get(p.networkId) ?? '?'}/${p.name}`] as const] : [];
    }));
  };

  return {
    listNics(name: string): Promise<VmNicRow[]> {
      return ctx.door.act('vm.nic-list', { id: name }, { message: `List the NICs of VM ${name}` }, async () => {
        const v = await read(name);
        const profiles = profileNames(v.uuid);
        return allNics(v).map((n) => ({
          mac: byMac(n), type: n.type, source: n.network ?? n.bridge ?? '-', model: n.model ?? '-', ...(profiles.has(byMac(n)) ? { profile: profiles.get(byMac(n)) } : {}),
          live: Boolean(v.live?.interfaces.some((l) => byMac(l) === byMac(n))), persistent: v.persistent && v.defined.interfaces.some((d) => byMac(d) === byMac(n)),
        }));
      });
    },

    listDisks(name: string): Promise<VmDiskRow[]> {
      return ctx.door.act('vm.disk-list', { id: name }, { message: `List the disks of VM ${name}` }, async () => {
        const v = await read(name);
        const disks = allDisks(v);
        const boot = bootDiskTarget(disks);
        return disks.map((d) => ({
          target: d.target, bus: d.bus ?? '-', device: d.device, source: diskSource(d) || '-', format: d.format ?? '-', boot: d.target === boot,
          live: Boolean(v.live?.disks.some((l) => l.target === d.target)), persistent: v.persistent && v.defined.disks.some((x) => x.target === d.target),
        }));
      });
    },

    /** Add a NIC; a profile NIC goes on its network's bridge with the profile's filter and is recorded against the VM. */
    async addNic(name: string, nic: NicAddInput): Promise<NicAdded> {
      const p = await prepare(ctx, 'vm.nic-add', {
        object: name,
        message: `Add a NIC (${nic.kind} ${nic.source}) to VM ${name}`,
        check: async () => {
          invalid(nicFormProblems(nic));
          const [v, networks] = await Promise.all([read(name), virt().networkList()]);
          const clusterId = managerRepo(ctx.infra.db).vmClusters().get(v.uuid);
          const facts = { networks: networks.map((n) => n.name), bridges: hostBridges(), ...(nic.kind === 'profile' ? { profileProblem: profileChecker(ctx, clusterId) } : {}) };
          const macs = allNics(v).map(byMac);
          invalid(nicAddProblems(nic, facts, { name, macs }));
          const resolved = resolveProfileNics(ctx, [{ ...nic, mac: nic.mac?.toLowerCase() ?? newMac(new Set(macs)) }]);
          const n = resolved.nics[0]!;
          const xml = nicDeviceXml({ type: n.kind === 'profile' ? 'bridge' : n.kind, source: n.source, mac: n.mac, model: n.model ?? 'virtio', ...(n.filter ? { filter: n.filter } : {}) });
          return { v, xml, mac: n.mac!, uses: resolved.uses };
        },
        run: ({ v, xml, mac, uses }) =>
          aroundVmHooks(ctx, 'nic_hotplug', name, async (rewritten) => {
            // A before-hook may have edited the NIC (its MAC kept: checked with the hook's result).
            const plugged = rewritten ?? xml;
            await attachDevice(virt().virsh, name, plugged, scopeOf(v));
            const repo = logicalNetworkRepo(ctx.infra.db);
            for (const u of uses) repo.recordNic(v.uuid, u.mac, u.profileId);
            return { vm: name, mac, live: v.active, xml: plugged };
          }, { deviceXml: xml, env: { HOSTDECK_NIC_MAC: mac } }),
      });
      return ctx.door.act('vm.nic-add', p.object, p.req, p.fn);
    },

    /** Take the NIC with this MAC out (live and defined, wherever it is). */
    async removeNic(name: string, mac: string): Promise<{ vm: string; mac: string }> {
      const p = await prepare(ctx, 'vm.nic-remove', {
        object: name,
        message: `Remove the NIC ${mac} from VM ${name}`,
        check: async () => {
          invalid([removeMacProblem(mac)].filter((e) => e !== undefined));
          const v = await read(name);
          const found = nicToRemove(mac, allNics(v), name);
          if ('error' in found) throw new VmInputError([found.error]);
          const m = byMac(found.nic);
          const scope = { live: Boolean(v.live?.interfaces.some((l) => byMac(l) === m)), config: v.persistent && v.defined.interfaces.some((d) => byMac(d) === m) };
          const xml = deviceElementXml(await virt().domainGetXml(name, { inactive: !scope.live }), { mac: m })!;
          return { v, m, scope, xml };
        },
        run: ({ v, m, scope, xml }) =>
          aroundVmHooks(ctx, 'nic_hotunplug', name, async () => {
            await detachDevice(virt().virsh, name, xml, scope);
            if (scope.live) await released(name, (d) => d.interfaces.some((i) => byMac(i) === m), `NIC ${m}`);
            logicalNetworkRepo(ctx.infra.db).forgetNic(v.uuid, m);
            return { vm: name, mac: m };
          }, { deviceXml: xml, env: { HOSTDECK_NIC_MAC: m } }),
      });
      return ctx.door.act('vm.nic-remove', p.object, p.req, p.fn);
    },

    /** Attach an existing volume, or a new one made for it, at the next free target of its bus. */
    async attachDisk(name: string, disk: DiskAttachInput): Promise<DiskAttached> {
      const p = await prepare(ctx, 'vm.disk-attach', {
        object: name,
        message: `Attach a ${disk.kind === 'new' ? `new ${disk.sizeMiB} MiB ${disk.format} volume on pool ${disk.pool}` : `volume ${disk.pool}/${disk.volume}`} to VM ${name}`,
        check: async () => {
          invalid(diskFormProblems(disk));
          const [v, pools] = await Promise.all([read(name), virt().storagePoolList()]);
          const running = pools.some((x) => x.name === disk.pool && x.state === 'running');
          const volumes = running ? { [disk.pool]: (await virt().storageVolumeList(disk.pool)).map((x) => x.name) } : {};
          const machine = v.defined.os.machine ?? 'pc';
          const disks = allDisks(v);
          const others = disk.kind === 'existing' ? await otherDisks(name) : [];
          invalid(diskAttachProblems(disk, {
            vm: name, active: v.active, machine, machineFacts: await machineFacts(ctx, machine), disks, pools, volumes,
            usedBy: (pool, volume) => others.filter((o) => o.disks.some((d) => diskSource(d) === `${pool}/${volume}`)).map((o) => o.name),
          }));
          const bus = attachBus(disk.bus, v.active, disks);
          const target = nextDiskTarget(bus, disks.map((d) => d.target))!;
          const volume = disk.kind === 'existing' ? disk.volume : hotplugVolumeName(name, target, disk.format);
          if (disk.kind === 'new' && volumes[disk.pool]?.includes(volume)) {
            throw new VmInputError([{ field: 'pool', message: `disk pool: pool ${disk.pool} has a volume named ${volume} already (attach it with volume=${volume})` }]);
          }
          const format = disk.kind === 'new' ? disk.format : await volumeFormat(ctx, disk.pool, disk.volume);
          const xml = diskDeviceXml({ pool: disk.pool, volume, format, target, bus });
          return { v, target, volume, xml };
        },
        run: ({ v, target, volume, xml }) =>
          aroundVmHooks(ctx, 'disk_hotplug', name, async (rewritten) => {
            // A before-hook may have edited the disk (its target and source kept: checked with the hook's result).
            const plugged = rewritten ?? xml;
            if (disk.kind === 'new') await virt().storageVolumeCreate(disk.pool, volume, disk.sizeMiB * 1024 * 1024, disk.format);
            try {
              await attachDevice(virt().virsh, name, plugged, scopeOf(v));
            } catch (e) {
              if (disk.kind !== 'new') throw e;
              const left = await virt().storageVolumeDelete(disk.pool, volume).then(() => false, () => true);
              throw new VmActionError(`${(e as Error).message} (${left ? `and could not remove the new volume ${disk.pool}/${volume}` : `the new volume ${disk.pool}/${volume} was removed`})`);
            }
            return { vm: name, target, source: `${disk.pool}/${volume}`, created: disk.kind === 'new', live: v.active, xml: plugged };
          }, { deviceXml: xml, env: { HOSTDECK_DISK_TARGET: target } }),
      });
      return ctx.door.act('vm.disk-attach', p.object, p.req, p.fn);
    },

    /** Detach the disk at this target (live and defined, wherever it is); its volume stays. */
    async detachDisk(name: string, target: string): Promise<{ vm: string; target: string; source: string }> {
      const p = await prepare(ctx, 'vm.disk-detach', {
        object: name,
        message: `Detach disk ${target} from VM ${name}`,
        check: async () => {
          invalid([detachTargetProblem(target, name)].filter((e) => e !== undefined));
          const v = await read(name);
          const found = diskToDetach(target, allDisks(v), { name, active: v.active });
          if ('error' in found) throw new VmInputError([found.error]);
          const scope = { live: Boolean(v.live?.disks.some((l) => l.target === target)), config: v.persistent && v.defined.disks.some((d) => d.target === target) };
          const xml = deviceElementXml(await virt().domainGetXml(name, { inactive: !scope.live }), { target })!;
          return { scope, xml, source: diskSource(found.disk) };
        },
        run: ({ scope, xml, source }) =>
          aroundVmHooks(ctx, 'disk_hotunplug', name, async () => {
            await detachDevice(virt().virsh, name, xml, scope);
            if (scope.live) await released(name, (d) => d.disks.some((x) => x.target === target), `disk ${target}`);
            return { vm: name, target, source };
          }, { deviceXml: xml, env: { HOSTDECK_DISK_TARGET: target } }),
      });
      return ctx.door.act('vm.disk-detach', p.object, p.req, p.fn);
    },
  };

  /** The disks of every other domain (who else uses a volume). */
  async function otherDisks(name: string): Promise<{ name: string; disks: DomainDisk[] }[]> {
    const names = (await domainNames(ctx)).filter((n) => n !== name);
    return Promise.all(names.map(async (n) => ({ name: n, disks: await virt().domainGetXml(n).then((x) => parseDomainXml(x).disks, () => []) })));
  }

  /**
   * A live unplug asks the guest to let go of the device; libvirt waits a few
   * seconds for it. Still there after that (a guest without hot-plug support,
   * or busy): the VM keeps it until the guest lets go, and the operator hears so.
   */
  async function released(name: string, has: (d: DomainDetails) => boolean, what: string): Promise<void> {
    for (let i = 0; i < 20; i++) {
      if (!has(parseDomainXml(await virt().domainGetXml(name)))) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new VmActionError(`the guest of ${name} has not released ${what} yet: it stays in the running VM until the guest lets go of it`);
  }
}

export type VmDeviceUseCases = ReturnType<typeof createVmDeviceUseCases>;
