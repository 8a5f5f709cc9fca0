// VM lifecycle actions as key bindings for the VM list and the VM detail
// screen. Owned by the VM lifecycle work; the monitoring screens include
// whatever this returns for the selected VM. Availability comes from the
// pure predicates (src/domain/vm.ts) and the core's door (read-only mode,
// the engine lock); an unavailable action stays listed with the reason.
import type { Binding, Shell } from '../../src/app/types.ts';
import type { ActionId } from '../../src/core/index.ts';
import { vmCanClone, vmCanDelete, vmCanEdit, vmCanOpenConsole, vmCanPause, vmCanPowerOff, vmCanReboot, vmCanRestore, vmCanResume, vmCanSave, vmCanShutdown, vmCanStart, vmCanAutostart, type Availability, type VmLike } from '../../src/domain/vm.ts';
import { bind } from '../../src/app/keys.ts';
import { handTerminalOver } from '../../src/app/terminal-handover.ts';
import { VMS_KEYS as K } from './keys.ts';

/** The ACPI shutdown wait before force off is offered (HOSTDECK_SHUTDOWN_TIMEOUT seconds overrides). */
export function shutdownTimeoutMs(): number {
  const s = Number(process.env.HOSTDECK_SHUTDOWN_TIMEOUT);
  return Number.isFinite(s) && s > 0 ? s * 1000 : 60_000;
}

type Target = VmLike & { name: string; autostart?: boolean };

const reason = (a: Availability) => (a.available ? undefined : a.reason);

/** Bindings for the selected VM (start, shutdown, console, snapshots, ...); `n` (new VM) works without one. */
export function vmActionBindings(vm: Target | undefined, shell: Shell): Binding[] {
  const vms = shell.core.vms;
  const create: Binding = bind(K.create, { disabledReason: shell.core.whyNot('vm.create'), action: () => shell.push('vm-create') });
  if (!vm) return [create];
  const name = vm.name;
  const why = (id: ActionId, a: Availability) => shell.core.whyNot(id) ?? reason(a);
  const done = (text: string) => shell.notify('success', text);
  const saved = vm.state === 'shutoff' && vm.managedSave === true;
  const paused = vm.state === 'paused';

  const shutdown = async () => {
    const secs = Math.round(shutdownTimeoutMs() / 1000);
    shell.notify('info', `Shutting down ${name} (ACPI); waiting up to ${secs} s…`);
    try {
      await vms.shutdown(name, { timeoutMs: shutdownTimeoutMs() });
      done(`${name} is shut off`);
    } catch (e) {
      if (!/did not shut down/.test((e as Error).message)) throw e;
      if (await shell.confirm(`${name} did not shut down within ${secs} s. Force it off? Data the guest has not written is lost.`, { dangerous: true, yes: 'Force off' })) {
        await vms.forceOff(name);
        done(`${name} was forced off`);
      } else {
        shell.notify('warning', `${name} is still shutting down (${K.forceOff.keys[0]} forces it off)`);
      }
    }
  };

  const display = async () => {
    const { display: acc, hostname } = await vms.show(name);
    if (!acc.length) { shell.notify('info', `${name} has no graphical display; ${K.console.keys[0]} opens its serial console`); return; }
    const a = acc[0]!;
    shell.notify('info', a.command ? `${a.type.toUpperCase()} ${a.listen}:${a.port}  ${a.command}${a.tunnel ? `  (from elsewhere: ssh -L ${a.port}:127.0.0.1:${a.port} root@${hostname})` : ''}` : `${a.type.toUpperCase()} on ${a.listen}: ${a.note}`);
  };

  return [
    saved
      ? bind(K.start, { description: 'Restore', disabledReason: why('vm.restore', vmCanRestore(vm)), action: async () => { await vms.restore(name); done(`${name} restored from its saved state`); } })
      : bind(K.start, { description: 'Start', disabledReason: why('vm.start', vmCanStart(vm)), action: async () => { await vms.start(name); done(`${name} started`); } }),
    bind(K.shutdown, { disabledReason: why('vm.shutdown', vmCanShutdown(vm)), confirm: `Shut down ${name}? The guest is asked to power off (ACPI).`, action: shutdown }),
    bind(K.reboot, { disabledReason: why('vm.reboot', vmCanReboot(vm)), confirm: `Reboot ${name}?`, action: async () => { await vms.reboot(name); done(`${name} is rebooting`); } }),
    bind(K.forceOff, { disabledReason: why('vm.force-off', vmCanPowerOff(vm)), confirm: `Force ${name} off now? Data the guest has not written is lost.`, action: async () => { await vms.forceOff(name); done(`${name} was forced off`); } }),
    paused
      ? bind(K.pause, { description: 'Resume', disabledReason: why('vm.resume', vmCanResume(vm)), action: async () => { await vms.resume(name); done(`${name} resumed`); } })
      : bind(K.pause, { description: 'Pause', disabledReason: why('vm.pause', vmCanPause(vm)), action: async () => { await vms.pause(name); done(`${name} paused`); } }),
    bind(K.save, { footer: false, disabledReason: why('vm.save', vmCanSave(vm)), confirm: `Save ${name}? Its memory is written to disk and it stops; start restores it.`, action: async () => { shell.notify('info', `Saving ${name}…`); await vms.save(name); done(`${name} saved; ${K.start.keys[0]} restores it`); } }),
    bind(K.autostart, { description: vm.autostart === undefined ? 'Autostart on/off' : vm.autostart ? 'Autostart off' : 'Autostart on', footer: false, disabledReason: why('vm.autostart', vmCanAutostart(vm)), action: async () => { const on = !(vm.autostart ?? (await vms.get(name)).autostart); await vms.setAutostart(name, on); done(`${name} ${on ? 'starts' : 'no longer starts'} with the host`); } }),
    bind(K.edit, { footer: false, disabledReason: why('vm.edit', vmCanEdit(vm)), action: () => shell.push('vm-edit', { name }) }),
    bind(K.clone, { footer: false, disabledReason: why('vm.clone', vmCanClone(vm)), action: () => shell.push('vm-clone', { name }) }),
    bind(K.delete, { disabledReason: why('vm.delete', vmCanDelete(vm)), action: () => shell.push('vm-delete', { name }) }),
    bind(K.console, { disabledReason: reason(vmCanOpenConsole(vm)), action: async () => {
      const code = await handTerminalOver(shell, `Serial console of ${name}; Ctrl-] comes back to hostdeck.`, () => vms.console(name));
      if (code !== 0) shell.notify('warning', `virsh console ended with code ${code}`);
    } }),
    bind(K.display, { footer: false, action: display }),
    bind(K.snapshots, { action: () => shell.push('vm-snapshots', { name }) }),
    bind(K.devices, { footer: false, action: () => shell.push('vm-devices', { name }) }),
    bind(K.properties, { footer: false, action: () => shell.push('custom-properties', { vm: name }) }),
    create,
  ];
}
