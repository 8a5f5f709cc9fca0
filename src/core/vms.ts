// VM use cases as the console and the CLI call them: every action goes
// through the door (the policy, then its events), checks the VM's state
// with the pure predicates of src/domain/vm.ts and validates its input
// before anything changes. libvirt is reached through ctx.infra.virt only.
import { runInteractive } from '../exec/runner.ts';
import type { FieldError, HostFacts, VmCreateInput, VmEditInput } from '../domain/vm-create.ts';
import { displayAccess, type DisplayAccess } from '../domain/vm-display.ts';
import { diskSource, ownedDisks } from '../domain/vm-disks.ts';
import {
  vmCanAutostart, vmCanClone, vmCanDelete, vmCanEdit, vmCanOpenConsole, vmCanPause, vmCanPowerOff, vmCanReboot, vmCanRestore, vmCanResume, vmCanSave,
  vmCanShutdown, vmCanStart, type Availability, type VmLike,
} from '../domain/vm.ts';
import type { DomainInfo, DomainStateName, DomainSummary } from '../virt/types.ts';
import { parseDomainXml } from '../virt/xml/parse.ts';
import { storageDomainRepo } from '../manager/repos/storage-domains.ts';
import type { CoreContext } from './index.ts';
import { need, prepare, vmInfo, VmActionError, VmInputError, domainNames } from './vm-common.ts';
import type { CreateOptions, CreateResult } from './vm-create.ts';

/** VM creation's module and the VM rules, loaded on first use: the console's first frame creates, edits and clones no VM. */
const creation = () => import('./vm-create.ts');
const rules = () => import('../domain/vm-create.ts');
import { aroundVmHooks, startVmWithHooks } from './hooks.ts';

export interface ShutdownResult {
  /** True when the VM reached "shut off" within the timeout. */
  off: boolean;
  state: DomainStateName;
}

export interface EditResult {
  /** Changes that wait for the next boot (running VM), in words. */
  pending: string[];
}

export interface DeletePlan {
  name: string;
  state: DomainStateName;
  /** Why it cannot be deleted now, if so. */
  refused?: string;
  /** Disks delete removes when asked to: POOL/VOLUME or a path. */
  disks: { target: string; what: string; pool?: string; volume?: string; path?: string }[];
  /** With removeDisks: why its disks cannot be removed (then the VM is not deleted either). */
  diskRefusals?: string[];
  /** With removeDisks: disks kept because other VMs use them. */
  shared?: { disk: string; usedBy: string[] }[];
  snapshots: number;
}

/** What `vm show` and the console's display key read about one VM. */
export interface VmShow {
  vm: DomainInfo;
  /** Changes waiting for the next boot, in words. */
  pending: string[];
  display: DisplayAccess[];
  hostname: string;
}

/** What the edit form starts from: the next-boot definition's values and the VM's state. */
export interface VmEditFacts {
  vcpus: number;
  memoryKiB: number;
  description?: string;
  state: DomainStateName;
  pending: string[];
}

/** The libvirt pools of hostdeck's storage domains: the only pools whose files it removes itself (on a local URI, when libvirt does not list them). */
function managedPools(ctx: CoreContext): string[] {
  return storageDomainRepo(ctx.infra.db).all().map((d) => d.poolName);
}

export function createVmUseCases(ctx: CoreContext) {
  const virt = () => ctx.infra.virt;

  /** A state change whose availability is checked on the VM as it is when the action runs (a refusal is the action's failure event). */
  const whenAvailable = (name: string, verb: string, pred: (vm: VmLike) => Availability, fn: () => Promise<unknown>) =>
    async (): Promise<void> => { need(verb, name, pred(await vmInfo(ctx, name))); await fn(); };

  const pending = async (name: string): Promise<string[]> => {
    const [live, next] = await Promise.all([virt().domainGetXml(name), virt().domainGetXml(name, { inactive: true })]);
    const a = parseDomainXml(live);
    if (a.id === undefined) return [];
    return (await rules()).pendingChanges(a, parseDomainXml(next));
  };

  const deletePlan = async (name: string, opts: { removeDisks?: boolean } = {}): Promise<DeletePlan> => {
    const vm = await vmInfo(ctx, name);
    const a = vmCanDelete(vm);
    const plan: DeletePlan = {
      name, state: vm.state, refused: a.available ? undefined : a.reason, snapshots: vm.snapshots,
      disks: ownedDisks(vm.details.disks).map((d) => ({ target: d.target, what: diskSource(d), pool: d.pool, volume: d.volume, path: d.path })),
    };
    if (opts.removeDisks && !plan.refused) {
      const r = await virt().domainDiskRemovalPlan(name, managedPools(ctx));
      plan.diskRefusals = r.refusals;
      plan.shared = r.shared.map((x) => ({ disk: x.disk.source, usedBy: x.usedBy }));
    }
    return plan;
  };

  return {
    // ---- reads ----
    list: (): Promise<DomainSummary[]> => ctx.door.act('vm.list', { id: '*' }, { message: 'List the VMs' }, () => virt().domainList()),
    names: () => domainNames(ctx),
    get: (name: string): Promise<DomainInfo> => vmInfo(ctx, name),
    state: (name: string): Promise<DomainStateName> => virt().domainState(name),
    pending,
    show(name: string): Promise<VmShow> {
      return ctx.door.act('vm.show', { id: name }, { message: `Show VM ${name}` }, async () => {
        const [vm, p, node] = await Promise.all([vmInfo(ctx, name), pending(name).catch(() => []), virt().nodeInfo()]);
        return { vm, pending: p, display: displayAccess(vm.details.graphics, { hostname: node.hostname }), hostname: node.hostname };
      });
    },
    async editFacts(name: string): Promise<VmEditFacts> {
      const [xml, p, state] = await Promise.all([virt().domainGetXml(name, { inactive: true }), pending(name).catch(() => []), virt().domainState(name)]);
      const d = parseDomainXml(xml);
      return { vcpus: d.vcpus, memoryKiB: d.memoryKiB, description: d.description, state, pending: p };
    },
    /** Host facts for validation; for the create form, the volumes of every pool. */
    async hostFacts(wantVolumes?: readonly string[]): Promise<HostFacts> {
      const pools = wantVolumes ?? (await virt().storagePoolList().catch(() => [])).map((p) => p.name);
      return (await creation()).hostFacts(ctx, pools);
    },
    /** Machine types and the domain type VMs are defined with. */
    capabilities: async () => (await creation()).capabilities(ctx),
    validateCreate: async (input: VmCreateInput): Promise<FieldError[]> => (await creation()).vmValidateCreate(ctx, input),
    /** The create rule for a NIC's vNIC profile in a cluster (Default when none), as HostFacts.profileProblem: the wizard checks each field with it. */
    profileProblem: async (cluster?: string): Promise<NonNullable<HostFacts['profileProblem']>> => (await import('./vm-nic-profiles.ts')).profileChecker(ctx, cluster),
    deletePlan,

    // ---- actions ----
    create: async (input: VmCreateInput, opts: CreateOptions = {}): Promise<CreateResult> => (await creation()).vmCreate(ctx, input, opts),
    /** Between the before_vm_start and after_vm_start hooks; a VM with saved memory restores from it, between the vm_restore hooks. */
    start: (name: string) => ctx.door.act('vm.start', { id: name }, { message: `Start VM ${name}` }, async () => {
      const vm = await vmInfo(ctx, name);
      need('start', name, vmCanStart(vm));
      await (await import('./manager-vms.ts')).checkVmStart(ctx, vm);
      // A VM with saved memory resumes from it: that is a restore to its hooks (VDSM's dehibernate), with no XML to rewrite.
      await startVmWithHooks(ctx, name, { managedSave: vm.managedSave });
    }),
    reboot: (name: string) => ctx.door.act('vm.reboot', { id: name }, { message: `Reboot VM ${name}` }, whenAvailable(name, 'reboot', vmCanReboot, () => virt().domainReboot(name))),
    forceOff: (name: string) => ctx.door.act('vm.force-off', { id: name }, { message: `Force off VM ${name}` }, whenAvailable(name, 'force off', vmCanPowerOff, () => aroundVmHooks(ctx, 'vm_destroy', name, () => virt().domainDestroy(name)))),
    pause: (name: string) => ctx.door.act('vm.pause', { id: name }, { message: `Pause VM ${name}` }, whenAvailable(name, 'pause', vmCanPause, () => aroundVmHooks(ctx, 'vm_pause', name, () => virt().domainSuspend(name)))),
    resume: (name: string) => ctx.door.act('vm.resume', { id: name }, { message: `Resume VM ${name}` }, whenAvailable(name, 'resume', vmCanResume, () => aroundVmHooks(ctx, 'vm_resume', name, () => virt().domainResume(name)))),
    /** Save memory to libvirt's managed save image and stop; the next start (restore) resumes it. */
    save: (name: string) => ctx.door.act('vm.save', { id: name }, { message: `Save VM ${name}` }, whenAvailable(name, 'save', vmCanSave, () => aroundVmHooks(ctx, 'vm_save', name, () => virt().domainManagedSave(name)))),
    restore: (name: string) => ctx.door.act('vm.restore', { id: name }, { message: `Restore VM ${name}` }, whenAvailable(name, 'restore', vmCanRestore, () => startVmWithHooks(ctx, name, { managedSave: true }))),
    setAutostart: (name: string, on: boolean) => ctx.door.act('vm.autostart', { id: name }, { message: `${on ? 'Enable' : 'Disable'} autostart of VM ${name}` },
      whenAvailable(name, on ? 'enable autostart of' : 'disable autostart of', vmCanAutostart, () => virt().domainSetAutostart(name, on))),

    /**
     * ACPI shutdown, then wait up to `timeoutMs` for the guest to power off.
     * When it does not, the failure says so (the front ends offer force off).
     */
    shutdown(name: string, opts: { timeoutMs?: number } = {}): Promise<ShutdownResult> {
      const timeoutMs = opts.timeoutMs ?? 60_000;
      return ctx.door.act('vm.shutdown', { id: name }, { message: `Shut down VM ${name}` }, async () => {
        need('shut down', name, vmCanShutdown(await vmInfo(ctx, name)));
        // The after_vm_shutdown hooks run once the VM is off.
        return aroundVmHooks(ctx, 'vm_shutdown', name, async () => {
          await virt().domainShutdown(name);
          try {
            return { off: true, state: await virt().domainWaitState(name, ['shutoff'], timeoutMs) };
          } catch {
            const state = await virt().domainState(name).catch(() => 'nostate' as const);
            if (state === 'shutoff') return { off: true, state };
            throw new VmActionError(`${name} did not shut down within ${Math.round(timeoutMs / 1000)} s (it is ${state}); force it off if it hangs`);
          }
        });
      });
    },

    async edit(name: string, input: VmEditInput): Promise<EditResult> {
      const parts = [input.vcpus !== undefined ? `vCPUs ${input.vcpus}` : '', input.memoryMiB !== undefined ? `memory ${input.memoryMiB} MiB` : '', input.description !== undefined ? 'description' : ''].filter(Boolean);
      const p = await prepare(ctx, 'vm.edit', {
        object: name, message: `Edit VM ${name}: ${parts.join(', ')}`,
        check: async () => {
          const [vm, node] = await Promise.all([vmInfo(ctx, name), virt().nodeInfo()]);
          const errors = (await rules()).validateVmEdit(input, { cpus: node.cpus, memoryKiB: node.memoryKiB });
          if (errors.length) throw new VmInputError(errors);
          need('edit', name, vmCanEdit(vm));
          return vm;
        },
        run: async (vm) => {
          const running = vm.state !== 'shutoff' && vm.state !== 'crashed';
          // The next-boot definition (access layer's XML update), and the description live as well.
          await virt().domainUpdate(name, { vcpus: input.vcpus, memoryMiB: input.memoryMiB, description: input.description });
          if (input.description !== undefined && running) await virt().domainSetLiveDescription(name, input.description);
          if (!running) return { pending: [] };
          const next = parseDomainXml(await virt().domainGetXml(name, { inactive: true }));
          return { pending: (await rules()).pendingChanges({ vcpus: vm.vcpus, memoryKiB: vm.details.memoryKiB }, { vcpus: next.vcpus, memoryKiB: next.memoryKiB }) };
        },
      });
      return ctx.door.act('vm.edit', p.object, p.req, p.fn);
    },

    /** The clone's disks are new volumes in the source disks' pools, made by libvirt on the VM's connection (see VirtConnection.domainClone). */
    async clone(name: string, newName: string): Promise<{ name: string; volumes: string[] }> {
      const p = await prepare(ctx, 'vm.clone', {
        object: newName, message: `Clone VM ${name} as ${newName}`,
        check: async () => {
          const [vm, domains] = await Promise.all([vmInfo(ctx, name), domainNames(ctx)]);
          const problem = (await rules()).vmNameProblem(newName, domains);
          if (problem) throw new VmInputError([{ field: 'name', message: `new name: ${problem}` }]);
          need('clone', name, vmCanClone(vm));
        },
        run: () => virt().domainClone(name, newName),
      });
      return ctx.door.act('vm.clone', p.object, p.req, p.fn);
    },

    /**
     * Delete (undefine) a VM that is not running; with removeDisks its own disks
     * go too, through libvirt on its connection; a disk that cannot go that way
     * refuses the delete before anything changes. Disks other VMs use are kept (shared).
     */
    delete(name: string, opts: { removeDisks: boolean }): Promise<{ removed: string[]; shared: { disk: string; usedBy: string[] }[] }> {
      return ctx.door.act('vm.delete', { id: name }, { message: `Delete VM ${name}${opts.removeDisks ? ' and its disks' : ' (disks kept)'}` }, async () => {
        const plan = await deletePlan(name);
        if (plan.refused) throw new VmActionError(`cannot delete ${name}: ${plan.refused}`);
        const r = await virt().domainUndefine(name, opts.removeDisks ? { removeStorage: true, managedPools: managedPools(ctx) } : {});
        await (await creation()).removeSerialLog(ctx, name);
        return r;
      });
    },

    /** Hand the terminal to `virsh console` (Ctrl-] leaves it); resolves with virsh's exit code. */
    console(name: string): Promise<number> {
      return ctx.door.act('vm.console', { id: name }, { message: `Open the console of VM ${name}` }, async () => {
        need('open the console of', name, vmCanOpenConsole(await vmInfo(ctx, name)));
        const c = virt().domainConsoleCommand(name);
        return runInteractive(c.command, c.args);
      });
    },
  };
}

export type VmUseCases = ReturnType<typeof createVmUseCases>;
export { VmActionError, VmInputError } from './vm-common.ts';
export type { CreateOptions, CreateResult } from './vm-create.ts';
