// VM actions for the CLI and the TUI: the mutating calls of the access layer,
// each writing one event (who, what, which VM, result) through the event
// log. The access layer under it stays free of events and UI.
import type { UndefineResult, VirtConnection } from './connection.ts';
import type { DomainSpec } from './xml/create.ts';

/** The part of src/manager/events.ts EventLog used here. */
export interface ActionLog {
  action<T>(meta: { source: string; objectType?: string; objectId?: string; message: string; correlationId?: string }, fn: () => Promise<T> | T): Promise<T>;
}

export class VmActions {
  constructor(private readonly virt: VirtConnection, private readonly log: ActionLog) {}

  private act<T>(vm: string, message: string, fn: () => Promise<T>): Promise<T> {
    return this.log.action({ source: 'virt', objectType: 'vm', objectId: vm, message }, fn);
  }

  /** Define a VM from a spec; returns its name. */
  create(spec: DomainSpec): Promise<string> {
    return this.act(spec.name, `Create VM ${spec.name} (${spec.vcpus} vCPU, ${spec.memoryMiB} MiB)`, () => this.virt.domainCreate(spec));
  }

  /** Define (or redefine, for edit) a VM from XML; returns its name. */
  define(name: string, xml: string): Promise<string> {
    return this.act(name, `Define VM ${name}`, () => this.virt.domainDefine(xml));
  }

  /** Change memory, vCPUs, title or description (from the next start on). */
  edit(vm: string, changes: { memoryMiB?: number; vcpus?: number; title?: string; description?: string }): Promise<string> {
    const what = Object.entries(changes).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${v}`).join(', ');
    return this.act(vm, `Edit VM ${vm}: ${what}`, () => this.virt.domainUpdate(vm, changes));
  }

  clone(vm: string, newName: string, changes: { memoryMiB?: number; vcpus?: number } = {}): Promise<string> {
    return this.act(vm, `Clone VM ${vm} as ${newName}`, async () => (await this.virt.domainClone(vm, newName, changes)).name);
  }

  start(vm: string): Promise<void> {
    return this.act(vm, `Start VM ${vm}`, () => this.virt.domainStart(vm));
  }

  shutdown(vm: string): Promise<void> {
    return this.act(vm, `Shut down VM ${vm}`, () => this.virt.domainShutdown(vm));
  }

  reboot(vm: string): Promise<void> {
    return this.act(vm, `Reboot VM ${vm}`, () => this.virt.domainReboot(vm));
  }

  /** Power off at once (libvirt destroy). */
  powerOff(vm: string): Promise<void> {
    return this.act(vm, `Power off VM ${vm}`, () => this.virt.domainDestroy(vm));
  }

  pause(vm: string): Promise<void> {
    return this.act(vm, `Pause VM ${vm}`, () => this.virt.domainSuspend(vm));
  }

  resume(vm: string): Promise<void> {
    return this.act(vm, `Resume VM ${vm}`, () => this.virt.domainResume(vm));
  }

  save(vm: string, file: string): Promise<void> {
    return this.act(vm, `Save VM ${vm} to ${file}`, () => this.virt.domainSave(vm, file));
  }

  restore(vm: string, file: string): Promise<void> {
    return this.act(vm, `Restore VM ${vm} from ${file}`, () => this.virt.domainRestore(file));
  }

  setAutostart(vm: string, on: boolean): Promise<void> {
    return this.act(vm, `${on ? 'Enable' : 'Disable'} autostart of VM ${vm}`, () => this.virt.domainSetAutostart(vm, on));
  }

  delete(vm: string, opts: { removeStorage?: boolean; managedPools?: readonly string[] } = {}): Promise<UndefineResult> {
    return this.act(vm, `Delete VM ${vm}${opts.removeStorage ? ' and its disks' : ''}`, () => this.virt.domainUndefine(vm, opts));
  }

  snapshotCreate(vm: string, snap: { name: string; description?: string }): Promise<string> {
    return this.act(vm, `Create snapshot ${snap.name} of VM ${vm}`, () => this.virt.snapshotCreate(vm, snap));
  }

  snapshotRevert(vm: string, snapshot: string): Promise<void> {
    return this.act(vm, `Revert VM ${vm} to snapshot ${snapshot}`, () => this.virt.snapshotRevert(vm, snapshot));
  }

  snapshotDelete(vm: string, snapshot: string, opts: { children?: boolean } = {}): Promise<void> {
    return this.act(vm, `Delete snapshot ${snapshot}${opts.children ? ' and its children' : ''} of VM ${vm}`, () => this.virt.snapshotDelete(vm, snapshot, opts));
  }
}
