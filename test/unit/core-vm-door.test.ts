// Read-only mode and a registered oVirt engine refuse every VM and snapshot
// action through the core itself (not through the console's keys): one
// refusal event each, the refusal before any input or state check, and
// libvirt (the test:/// driver, whose state lives in this connection) untouched.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { ACTION_CATALOG, createCore, type ActionId, type Core } from '../../src/core/index.ts';
import { ForbiddenError } from '../../src/domain/errors.ts';
import { writeRegistration } from '../../src/host/engine/state.ts';
import { testServices } from '../lib/services.ts';

const VM = 'test';

/** Each VM and snapshot action as a front end calls it, on values that would pass every check. */
const CALLS: Partial<Record<ActionId, (core: Core) => Promise<unknown>>> = {
  'vm.create': (c) => c.vms.create({ name: 'door-new', vcpus: 1, memoryMiB: 64, disks: [], boot: 'network', nics: [{ kind: 'network', source: 'default' }], osType: 'linux', machine: 'pc', graphics: 'none' }, { start: true }),
  'vm.start': (c) => c.vms.start(VM),
  'vm.shutdown': (c) => c.vms.shutdown(VM, { timeoutMs: 1000 }),
  'vm.reboot': (c) => c.vms.reboot(VM),
  'vm.force-off': (c) => c.vms.forceOff(VM),
  'vm.pause': (c) => c.vms.pause(VM),
  'vm.resume': (c) => c.vms.resume(VM),
  'vm.save': (c) => c.vms.save(VM),
  'vm.restore': (c) => c.vms.restore(VM),
  'vm.edit': (c) => c.vms.edit(VM, { vcpus: 1, description: 'changed' }),
  'vm.autostart': (c) => c.vms.setAutostart(VM, true),
  'vm.clone': (c) => c.vms.clone(VM, 'door-clone'),
  'vm.delete': (c) => c.vms.delete(VM, { removeDisks: true }),
  'vm.demo': (c) => c.demo.create({ pool: 'default-pool' }),
  'vm.property-set': (c) => c.customProperties.setOnVm(VM, { set: { sap_agent: 'true' } }),
  'vm.nic-add': (c) => c.vmDevices.addNic(VM, { kind: 'network', source: 'default' }),
  'vm.nic-remove': (c) => c.vmDevices.removeNic(VM, '52:54:00:12:34:56'),
  'vm.disk-attach': (c) => c.vmDevices.attachDisk(VM, { kind: 'new', pool: 'default-pool', sizeMiB: 8, format: 'qcow2' }),
  'vm.disk-detach': (c) => c.vmDevices.detachDisk(VM, 'vdb'),
  'snapshot.create': (c) => c.snapshots.create(VM, { name: 'door-snap', mode: 'full' }),
  'snapshot.revert': (c) => c.snapshots.revert(VM, 'no-such-snapshot'),
  'snapshot.delete': (c) => c.snapshots.delete(VM, 'no-such-snapshot'),
};

const vmActions = ACTION_CATALOG.filter((a) => a.mutates && (a.object === 'vm' || a.object === 'snapshot' || a.id === 'vm.demo')).map((a) => a.id);

/** What libvirt says about the test driver's host: domains with state and autostart, and the VM's snapshots. */
async function libvirtState(s: ReturnType<typeof testServices>) {
  const doms = await s.virt.domainList();
  const info = await s.virt.domainGet(VM);
  return { doms: doms.map((d) => `${d.name}:${d.state}`).sort(), autostart: info.autostart, vcpus: info.vcpus, snapshots: (await s.virt.snapshotList(VM)).map((x) => x.name), pools: (await s.virt.storagePoolList()).map((p) => `${p.name}:${p.state}`) };
}

describe('VM and snapshot actions through the door', () => {
  let s: ReturnType<typeof testServices> | undefined;
  afterEach(async () => { await s?.cleanup(); s = undefined; });

  test('every mutating VM and snapshot action in the catalog has a use case here', () => {
    assert.deepEqual(vmActions.filter((id) => !CALLS[id]), []);
  });

  const refusedEach = async (setup: () => ReturnType<typeof testServices>, why: RegExp) => {
    s = setup();
    const core = createCore(s, { user: 'tester', channel: 'cli' });
    const before = await libvirtState(s);
    for (const id of vmActions) {
      const last = s.events.list({ limit: 1 })[0]?.id ?? 0;
      await assert.rejects(CALLS[id]!(core), (e: unknown) => e instanceof ForbiddenError && why.test(e.message), id);
      const events = s.events.list({ afterId: last });
      assert.equal(events.length, 1, `${id}: one event, got ${events.map((e) => e.message).join(' | ')}`);
      assert.equal(events[0]!.result, 'failure', id);
      assert.equal(events[0]!.channel, 'cli', id);
      assert.match(events[0]!.message, / refused: /, id);
      assert.match(events[0]!.message, why, id);
    }
    assert.deepEqual(await libvirtState(s), before);
  };

  test('read-only mode refuses each one: one refusal event, libvirt unchanged', async () => {
    await refusedEach(() => testServices({ readOnly: true, channel: 'cli' }), /read-only mode/);
  });

  test('a registered engine refuses each one: one refusal event, libvirt unchanged', async () => {
    await refusedEach(() => {
      const svc = testServices({ channel: 'cli' });
      writeRegistration(svc.db, { engineHost: 'engine.example.com', enginePort: 443 } as Parameters<typeof writeRegistration>[1]);
      return svc;
    }, /managed by the oVirt engine engine\.example\.com/);
  });

  test('the refusal comes before the checks: a VM that does not exist is refused, not reported missing', async () => {
    s = testServices({ readOnly: true, channel: 'cli' });
    const core = createCore(s, { user: 'tester', channel: 'tui' });
    await assert.rejects(core.vms.start('no-such-vm'), ForbiddenError);
    await assert.rejects(core.snapshots.delete('no-such-vm', 'x'), ForbiddenError);
    assert.deepEqual(s.events.list().map((e) => [e.objectId, e.channel, e.result]), [['no-such-vm', 'tui', 'failure'], ['no-such-vm', 'tui', 'failure']]);
  });

  test('the console\'s disabled reason is the same door: whyNot names read-only mode for each action', () => {
    s = testServices({ readOnly: true });
    const core = createCore(s, { user: 'tester', channel: 'tui' });
    for (const id of vmActions) assert.match(core.whyNot(id) ?? '', /read-only mode/, id);
    assert.equal(core.whyNot('vm.console'), undefined);
    assert.equal(core.whyNot('snapshot.list'), undefined);
  });
});
