// Rebooting or powering off the host on the real libvirtd with tiny guests:
// a guest that ignores the ACPI shutdown is forced off after the timeout, a
// saved one comes back from its memory on start, a VM that cannot be saved
// stops everything before the host would go down (naming it and why), the
// standalone manager's host goes into maintenance first, every step is an
// event and read-only mode refuses. The final reboot/poweroff command must not
// run on this machine: a runner stand-in answers for it here (the system test
// host-power.test.ts runs it for real in a QEMU test host).
// Every running VM on this libvirtd is taken down, so the test checks that
// none but its own run (the integration tier runs its files one at a time).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { testServices } from '../lib/services.ts';
import { defineGuest, domstate, guestName, removeGuests, serialLogPath, tinyGuestXml, virshSys, waitForSerial, guestImage, SYSTEM_URI } from '../lib/guest.ts';
import { createCore } from '../../src/core/index.ts';
import { categoryOf } from '../../src/domain/errors.ts';
import { replace } from '../../src/exec/runner.ts';

const prefix = guestName('power');
const polite = `${prefix}-polite`;
const deaf = `${prefix}-deaf`;
const unsaveable = `${prefix}-shm`;

/** A tiny guest changed by `edit` (its XML) before it is defined. */
async function defineEdited(name: string, edit: (xml: string) => string): Promise<void> {
  const file = `/tmp/${name}.xml`;
  await writeFile(file, edit(await tinyGuestXml(name)));
  try { await virshSys('define', file); } finally { await rm(file, { force: true }); }
}

async function runningNames(): Promise<string[]> {
  return (await virshSys('list', '--name')).split('\n').map((l) => l.trim()).filter(Boolean);
}

async function bootAll(names: string[]): Promise<void> {
  const { marker } = await guestImage();
  for (const n of names) await virshSys('start', n);
  // Booted: the guest has set up its power button handler.
  for (const n of names) await waitForSerial(n, marker);
}

describe('host reboot and power off on the real libvirtd', () => {
  const s = testServices({ uri: SYSTEM_URI, channel: 'cli' });
  const core = createCore(s, { user: 'tester', channel: 'cli' });
  /** The power commands the stand-in answered for, with the VMs' states when each came. */
  const downCalls: { argv: string[]; states: Record<string, string> }[] = [];
  let restore: () => void = () => {};
  const events = () => s.events.list({ limit: 500 });

  before(async () => {
    assert.equal(process.getuid?.(), 0, 'the integration tier runs as root');
    const foreign = (await runningNames()).filter((n) => !n.startsWith(prefix));
    assert.deepEqual(foreign, [], 'no other VM runs on this libvirtd: this test takes every running VM down');
    await removeGuests(prefix);
    await defineGuest(polite, { nic: false });
    // No ACPI in the machine: the shutdown request reaches nothing that acts on it.
    await defineEdited(deaf, (x) => x.replace('<acpi/>', ''));
    // ivshmem in peer mode blocks migration, so QEMU refuses to save it.
    await defineEdited(unsaveable, (x) => x.replace('</devices>', `<shmem name='${unsaveable}'><model type='ivshmem-plain'/><size unit='M'>1</size></shmem></devices>`));
    // Stand-in for the last step only (this machine must stay up): the states of the guests at that moment.
    restore = replace((command, args) => {
      if (!['systemctl', 'sync', 'poweroff', 'reboot'].includes(command)) return undefined;
      return (async () => {
        const states: Record<string, string> = {};
        for (const n of [polite, deaf, unsaveable]) states[n] = await domstate(n);
        downCalls.push({ argv: [command, ...args], states });
        return { exitCode: 0 };
      })();
    });
    await core.manager.init();
  });
  after(async () => {
    restore();
    await removeGuests(prefix);
    await s.cleanup();
  });

  it('read-only mode refuses, and an invalid timeout is refused naming the field, nothing touched', async () => {
    const ro = testServices({ uri: SYSTEM_URI, channel: 'cli', readOnly: true });
    try {
      await assert.rejects(createCore(ro, { user: 'tester', channel: 'cli' }).power.run('poweroff'), (e: Error) => categoryOf(e) === 'forbidden' && /read-only/.test(e.message));
    } finally { await ro.cleanup(); }
    await assert.rejects(core.power.run('reboot', { timeoutSec: '0' }), (e: Error & { errors?: { field: string }[] }) => {
      assert.equal(categoryOf(e), 'invalid');
      assert.deepEqual(e.errors?.map((x) => x.field), ['timeout']);
      return true;
    });
    assert.equal(downCalls.length, 0);
  });

  it('a VM that cannot be saved stops the reboot before it happens, naming the VM and why', async () => {
    await bootAll([unsaveable]);
    const p = await core.power.plan('reboot', { vms: 'save' });
    assert.deepEqual(p.vms.map((v) => v.name), [unsaveable]);
    assert.equal(p.enterMaintenance, true);
    await assert.rejects(core.power.run('reboot', { vms: 'save' }), (e: Error) => {
      assert.match(e.message, new RegExp(`the host was not rebooted: VM ${unsaveable} could not be saved: .*(migrat|ivshmem)`));
      return true;
    });
    assert.equal(downCalls.length, 0, 'no power command ran');
    assert.equal(await domstate(unsaveable), 'running');
    assert.equal((await core.manager.host.show()).status === 'Maintenance', false, 'not put into maintenance');
    assert.ok(events().some((e) => e.message.startsWith(`Save VM ${unsaveable}`) && e.result === 'failure'));
    assert.ok(events().some((e) => e.message.startsWith('Reboot this host') && e.result === 'failure'));
    await virshSys('destroy', unsaveable);
  });

  it('power off: the polite guest shuts down on ACPI, the deaf one is forced off after the timeout, maintenance, then the power command', async () => {
    await bootAll([polite, deaf]);
    const r = await core.power.run('poweroff', { vms: 'shutdown', timeoutSec: 10 });
    assert.deepEqual(r.vms, [{ name: deaf, result: 'forced off' }, { name: polite, result: 'shut down' }]);
    assert.match(await readFile(serialLogPath(polite), 'utf8'), /power button, powering off/);
    // No systemd on this machine: sync, then the kernel is asked at once; both came after every VM was off.
    assert.deepEqual(downCalls.map((c) => c.argv), [['sync'], ['poweroff', '-f']]);
    for (const c of downCalls) assert.deepEqual(Object.values(c.states), ['shut off', 'shut off', 'shut off']);
    assert.equal((await core.manager.host.show()).status, 'Maintenance');
    const msgs = events().map((e) => `${e.message} ${e.result}`);
    for (const m of [`Shut down VM ${polite}`, `Force off VM ${deaf}`, 'Put this host into maintenance', 'Power off this host']) {
      assert.ok(msgs.some((x) => x.startsWith(m) && x.endsWith('success')), `event ${m}: ${msgs.join(' | ')}`);
    }
    assert.ok(msgs.some((x) => x.startsWith(`Shut down VM ${deaf}`) && x.endsWith('failure')), 'the ignored ACPI shutdown is an event');
    await core.manager.host.activate();
    downCalls.length = 0;
  });

  it('reboot saving the VMs: the guest is saved before the reboot and its next start resumes it (no new boot)', async () => {
    await bootAll([polite]);
    const r = await core.power.run('reboot', { vms: 'save' });
    assert.deepEqual(r.vms, [{ name: polite, result: 'saved' }]);
    assert.deepEqual(downCalls.map((c) => c.argv), [['sync'], ['reboot', '-f']]);
    assert.equal(downCalls[0]!.states[polite], 'shut off');
    assert.match(await virshSys('dominfo', polite), /Managed save:\s+yes/);
    await core.manager.host.activate();
    await core.vms.start(polite);
    assert.equal((await virshSys('domstate', '--reason', polite)).trim(), 'running (restored)', 'resumed from its memory, not booted again');
  });
});
