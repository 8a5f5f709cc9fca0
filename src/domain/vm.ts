// Pure predicates for VM actions: whether an action is available for a VM in
// its current state and, when it is not, the reason to show the operator
// (a disabled menu entry says why). No I/O.
import type { DomainStateName } from '../virt/types.ts';

/** What the predicates look at; a DomainSummary or DomainInfo fits. */
export interface VmLike {
  name?: string;
  state: DomainStateName;
  /** Defined (persistent) rather than transient; assumed true when unknown. */
  persistent?: boolean;
  /** A managed save image exists. */
  managedSave?: boolean;
  /** Number of snapshots, when known. */
  snapshots?: number;
}

export interface Availability {
  available: boolean;
  /** Why not, in words for the operator (only when not available). */
  reason?: string;
}

const yes: Availability = { available: true };
const no = (reason: string): Availability => ({ available: false, reason });

const RUNNING: readonly DomainStateName[] = ['running', 'blocked'];
const ACTIVE: readonly DomainStateName[] = ['running', 'blocked', 'paused', 'shutdown', 'pmsuspended'];

export function vmIsActive(vm: VmLike): boolean {
  return ACTIVE.includes(vm.state);
}

function stateWords(s: DomainStateName): string {
  switch (s) {
    case 'running': case 'blocked': return 'running';
    case 'paused': return 'paused';
    case 'shutdown': return 'shutting down';
    case 'shutoff': return 'shut off';
    case 'crashed': return 'crashed';
    case 'pmsuspended': return 'suspended by the guest';
    default: return 'in an unknown state';
  }
}

export function vmCanStart(vm: VmLike): Availability {
  if (vm.state === 'shutoff' || vm.state === 'crashed') return yes;
  if (vm.state === 'paused') return no('it is paused: resume it instead');
  if (vm.state === 'pmsuspended') return no('it is suspended by the guest: wake it up instead');
  return no(`it is already ${stateWords(vm.state)}`);
}

export function vmCanShutdown(vm: VmLike): Availability {
  if (RUNNING.includes(vm.state)) return yes;
  if (vm.state === 'paused') return no('it is paused and cannot react: resume it first, or power it off');
  if (vm.state === 'shutdown') return no('it is already shutting down');
  return no(`it is ${stateWords(vm.state)}`);
}

export function vmCanReboot(vm: VmLike): Availability {
  if (RUNNING.includes(vm.state)) return yes;
  if (vm.state === 'paused') return no('it is paused: resume it first');
  return no(`it is ${stateWords(vm.state)}`);
}

/** Power off at once (libvirt "destroy"): data not written by the guest is lost. */
export function vmCanPowerOff(vm: VmLike): Availability {
  return vmIsActive(vm) ? yes : no(`it is ${stateWords(vm.state)}`);
}

export function vmCanPause(vm: VmLike): Availability {
  if (RUNNING.includes(vm.state)) return yes;
  return no(vm.state === 'paused' ? 'it is already paused' : `it is ${stateWords(vm.state)}`);
}

export function vmCanResume(vm: VmLike): Availability {
  return vm.state === 'paused' ? yes : no(`it is ${stateWords(vm.state)}, not paused`);
}

/** Save memory to a file and stop; restore brings it back. */
export function vmCanSave(vm: VmLike): Availability {
  if (RUNNING.includes(vm.state) || vm.state === 'paused') return yes;
  return no(`it is ${stateWords(vm.state)}`);
}

/** Start from the managed save image: only a shut-off VM that has one. */
export function vmCanRestore(vm: VmLike): Availability {
  if (vm.state !== 'shutoff') return no(`it is ${vm.state === 'running' ? 'running' : vm.state}`);
  if (vm.managedSave === false) return no('it has no saved state: start it instead');
  return yes;
}

export function vmCanDelete(vm: VmLike): Availability {
  if (vmIsActive(vm)) return no(`it is ${stateWords(vm.state)}: power it off first`);
  return yes;
}

export function vmCanEdit(vm: VmLike): Availability {
  if (vm.persistent === false) return no('it is transient (not defined): there is no definition to edit');
  return yes;
}

export function vmCanClone(vm: VmLike): Availability {
  if (vmIsActive(vm)) return no(`it is ${stateWords(vm.state)}: shut it down first`);
  return yes;
}

export function vmCanAutostart(vm: VmLike): Availability {
  if (vm.persistent === false) return no('it is transient: only defined VMs start with the host');
  return yes;
}

export function vmCanSnapshot(vm: VmLike): Availability {
  if (vm.state === 'shutdown') return no('it is shutting down: wait until it is off');
  if (vm.state === 'pmsuspended') return no('it is suspended by the guest');
  if (vm.state === 'nostate') return no('its state is unknown');
  return yes;
}

export function vmCanRevertSnapshot(vm: VmLike): Availability {
  if (vm.snapshots === 0) return no('it has no snapshots');
  if (vm.state === 'shutdown') return no('it is shutting down: wait until it is off');
  return yes;
}

export function vmCanOpenConsole(vm: VmLike): Availability {
  if (RUNNING.includes(vm.state) || vm.state === 'paused') return yes;
  return no(`it is ${stateWords(vm.state)}: start it first`);
}

export const VM_ACTIONS = {
  start: vmCanStart,
  shutdown: vmCanShutdown,
  reboot: vmCanReboot,
  poweroff: vmCanPowerOff,
  pause: vmCanPause,
  resume: vmCanResume,
  save: vmCanSave,
  delete: vmCanDelete,
  edit: vmCanEdit,
  clone: vmCanClone,
  autostart: vmCanAutostart,
  snapshot: vmCanSnapshot,
  revert: vmCanRevertSnapshot,
  console: vmCanOpenConsole,
} as const satisfies Record<string, (vm: VmLike) => Availability>;

export type VmAction = keyof typeof VM_ACTIONS;

/** Every action's availability for one VM (for menus and key bars). */
export function vmActions(vm: VmLike): Record<VmAction, Availability> {
  return Object.fromEntries(Object.entries(VM_ACTIONS).map(([k, f]) => [k, f(vm)])) as Record<VmAction, Availability>;
}
