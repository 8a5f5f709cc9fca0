// VM lifecycle actions as key bindings for the VM list and the VM detail
// screen. Owned by the VM lifecycle work; the monitoring screens include
// whatever this returns for the selected VM.
import type { Binding, Shell } from '../../src/app/types.ts';
import type { DomainSummary } from '../../src/virt/types.ts';

/** Bindings for the selected VM (start, shutdown, console, snapshots, ...). */
export function vmActionBindings(_vm: DomainSummary | undefined, _shell: Shell): Binding[] {
  return [];
}
