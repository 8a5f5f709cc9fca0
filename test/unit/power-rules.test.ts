// The power plan's rules: options checked naming the field, each VM's fate,
// maintenance for the standalone manager, and the command that takes the host
// down with and without systemd.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parsePowerOptions, parseRestartService, planText, powerCommands, powerPlan, restartByHand } from '../../src/domain/power.ts';

const fields = (fn: () => unknown) => {
  try { fn(); } catch (e) { return ((e as { errors?: { field: string }[] }).errors ?? []).map((x) => x.field); }
  return [];
};

describe('power rules', () => {
  it('defaults to shutting the VMs down with a 120 s timeout', () => {
    assert.deepEqual(parsePowerOptions({}), { vms: 'shutdown', timeoutSec: 120 });
    assert.deepEqual(parsePowerOptions({ vms: 'save', timeoutSec: '30' }), { vms: 'save', timeoutSec: 30 });
  });

  it('refuses a policy or timeout outside the rules, naming every field', () => {
    assert.deepEqual(fields(() => parsePowerOptions({ vms: 'hibernate', timeoutSec: '-5' })), ['vms', 'timeout']);
    for (const t of ['0', '3601', '1.5', '1e3', '', ' ', '--1']) assert.deepEqual(fields(() => parsePowerOptions({ timeoutSec: t })), ['timeout'], t);
    assert.deepEqual(fields(() => parseRestartService('sshd')), ['service']);
    assert.equal(parseRestartService('libvirtd'), 'libvirtd');
  });

  it('the plan lists each VM with its fate, maintenance when standalone, and the way down', () => {
    const p = powerPlan('reboot', { vms: 'shutdown', timeoutSec: 60 }, { vms: [{ name: 'web', state: 'running' }], enterMaintenance: true, systemd: true });
    assert.deepEqual(p.steps, [
      'web: shut down (ACPI), forced off after 60 s',
      'this host goes into maintenance (it is the standalone manager)',
      'systemd stops the services and the host reboots (systemctl reboot)',
    ]);
    const text = planText(powerPlan('poweroff', { vms: 'save', timeoutSec: 60 }, { libvirtError: 'no socket', enterMaintenance: false, systemd: false }));
    assert.match(text, /^Power off this host\?\nlibvirt cannot be reached \(no socket\)/);
    assert.match(text, /No VM runs\.\n1\. no systemd here: file systems are synced and the kernel powers off at once \(poweroff -f\)/);
    assert.match(planText(powerPlan('reboot', { vms: 'save', timeoutSec: 5 }, { vms: [{ name: 'a', state: 'paused' }], enterMaintenance: false, systemd: true })), /a: saved \(memory written to disk; its next start resumes it\)/);
  });

  it('systemd takes the host down in order; without it the file systems are synced and the kernel asked at once', () => {
    assert.deepEqual(powerCommands('poweroff', true), [{ command: 'systemctl', args: ['poweroff'] }]);
    assert.deepEqual(powerCommands('reboot', false), [{ command: 'sync', args: [] }, { command: 'reboot', args: ['-f'] }]);
    assert.match(restartByHand('libvirtd'), /libvirtd --daemon/);
  });
});
