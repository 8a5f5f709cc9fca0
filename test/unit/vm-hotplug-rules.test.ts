// The rules of NIC and disk hot-plug (pure) and the device XML handed to
// attach-device, detach-device and the device hooks.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  attachBus, bootDiskTarget, diskAttachProblems, diskToDetach, nextDiskTarget, nicAddProblems, nicToRemove, type DiskAttachFacts,
} from '../../src/domain/vm-hotplug.ts';
import { deviceElementXml } from '../../src/virt/devices.ts';
import { diskDeviceXml, nicDeviceXml } from '../../src/virt/xml/create.ts';
import type { DomainDisk } from '../../src/virt/xml/parse.ts';

const disk = (target: string, over: Partial<DomainDisk> = {}): DomainDisk => ({ type: 'volume', device: 'disk', target, bus: 'virtio', pool: 'p', volume: `${target}.qcow2`, readonly: false, ...over });
const nicFacts = { networks: ['default'], bridges: ['br0'] };
const facts = (over: Partial<DiskAttachFacts> = {}): DiskAttachFacts => ({
  vm: 'web', active: true, machine: 'pc', machineFacts: { caps: { machine: 'pc-i440fx-9.2', uefiLoaders: [], efi: false, hostModel: true, hostPassthrough: false, cpuModels: [], diskBuses: ['virtio', 'sata', 'scsi', 'ide'] } },
  disks: [disk('vda')], pools: [{ name: 'p', state: 'running', availableBytes: 1024 ** 3 } as DiskAttachFacts['pools'][number]], volumes: { p: ['vda.qcow2', 'spare.qcow2', 'theirs.qcow2'] },
  usedBy: (_pool, volume) => (volume === 'theirs.qcow2' ? ['db'] : []), ...over,
});

describe('NIC hot-plug rules', () => {
  test('a NIC is checked by the create\'s rules, named by its own fields: source, model, mac', () => {
    assert.deepEqual(nicAddProblems({ kind: 'bridge', source: 'br9', mac: '01:00:00:00:00:01' }, nicFacts, { name: 'web', macs: [] }).map((e) => [e.field, e.message]), [
      ['source', "NIC bridge: no bridge named 'br9' on this host (bridges: br0)"],
      ['mac', 'NIC MAC address: must be a unicast address (the first byte must be even)'],
    ]);
    assert.deepEqual(nicAddProblems({ kind: 'network', source: 'default' }, nicFacts, { name: 'web', macs: [] }), []);
  });

  test('a MAC the VM has already is refused, whatever its case', () => {
    assert.deepEqual(nicAddProblems({ kind: 'network', source: 'default', mac: '52:54:00:AA:00:01' }, nicFacts, { name: 'web', macs: ['52:54:00:aa:00:01'] }),
      [{ field: 'mac', message: 'NIC MAC address: 52:54:00:aa:00:01 is on a NIC of VM web already: each NIC needs its own MAC' }]);
  });

  test('remove: the MAC\'s rule, then a NIC the VM does not have, naming the MAC and its NICs', () => {
    const ifaces = [{ type: 'network', mac: '52:54:00:aa:00:01' }];
    assert.deepEqual(nicToRemove('nope', ifaces, 'web'), { error: { field: 'mac', message: 'MAC address: must be six hex pairs separated by colons, e.g. 52:54:00:12:34:56' } });
    assert.deepEqual(nicToRemove('52:54:00:AA:00:02', ifaces, 'web'), { error: { field: 'mac', message: 'MAC address: VM web has no NIC with MAC 52:54:00:aa:00:02 (its NICs: 52:54:00:aa:00:01)' } });
    assert.deepEqual(nicToRemove('52:54:00:AA:00:01', ifaces, 'web'), { nic: ifaces[0] });
  });
});

describe('disk hot-plug rules', () => {
  test('the next free target of the bus, vd for virtio, sd for SATA and SCSI, hd for IDE; past z it is aa', () => {
    assert.equal(nextDiskTarget('virtio', ['vda', 'vdc', 'hda']), 'vdb');
    assert.equal(nextDiskTarget('sata', ['vda']), 'sda');
    assert.equal(nextDiskTarget('ide', ['hda']), 'hdb');
    assert.equal(nextDiskTarget('virtio', [...'abcdefghijklmnopqrstuvwxyz'].map((l) => `vd${l}`)), 'vdaa');
  });

  test('the bus: the one asked for; virtio on a running VM; else the first disk\'s', () => {
    assert.equal(attachBus('scsi', true, [disk('sda', { bus: 'sata' })]), 'scsi');
    assert.equal(attachBus(undefined, true, [disk('sda', { bus: 'sata' })]), 'virtio');
    assert.equal(attachBus(undefined, false, [disk('sda', { bus: 'sata' })]), 'sata');
    assert.equal(attachBus(undefined, false, []), 'virtio');
  });

  test('a disk is checked by the create\'s rules, named by its own fields', () => {
    assert.deepEqual(diskAttachProblems({ kind: 'new', pool: 'p', sizeMiB: 0, format: 'vmdk' as 'raw' }, facts()).map((e) => e.message), ['disk size: must be more than 0', 'disk format: must be qcow2 or raw']);
    assert.deepEqual(diskAttachProblems({ kind: 'new', pool: 'q', sizeMiB: 8, format: 'raw' }, facts()).map((e) => [e.field, e.message]), [['pool', "disk pool: no storage pool named 'q' (pools: p)"]]);
    assert.deepEqual(diskAttachProblems({ kind: 'new', pool: 'p', sizeMiB: 2048, format: 'raw' }, facts()).map((e) => e.field), ['size']);
    assert.deepEqual(diskAttachProblems({ kind: 'existing', pool: 'p', volume: 'gone' }, facts()).map((e) => e.message), ["disk volume: no volume named 'gone' in pool 'p'"]);
    assert.deepEqual(diskAttachProblems({ kind: 'existing', pool: 'p', volume: 'spare.qcow2' }, facts()), []);
  });

  test('a running VM takes a disk on virtio or SCSI only; the machine must have the bus', () => {
    assert.deepEqual(diskAttachProblems({ kind: 'new', pool: 'p', sizeMiB: 8, format: 'raw', bus: 'ide' }, facts()).map((e) => [e.field, e.message]),
      [['bus', 'disk bus: a running VM takes a disk on virtio or scsi only (ide cannot be hot-plugged): shut web off first']]);
    assert.deepEqual(diskAttachProblems({ kind: 'new', pool: 'p', sizeMiB: 8, format: 'raw', bus: 'ide' }, facts({ active: false })), []);
    const pc = facts().machineFacts as { caps: { diskBuses: string[] } };
    const q35 = facts({ active: false, machine: 'q35', machineFacts: { caps: { ...pc.caps, diskBuses: ['virtio', 'sata', 'scsi'] } } as DiskAttachFacts['machineFacts'] });
    assert.match(diskAttachProblems({ kind: 'new', pool: 'p', sizeMiB: 8, format: 'raw', bus: 'ide' }, q35)[0]!.message, /^disk bus: machine type q35 has no ide bus/);
  });

  test('an existing volume the VM or another domain uses is refused, naming who', () => {
    assert.deepEqual(diskAttachProblems({ kind: 'existing', pool: 'p', volume: 'vda.qcow2' }, facts()).map((e) => e.message), ['disk volume: p/vda.qcow2 is disk vda of VM web already']);
    assert.deepEqual(diskAttachProblems({ kind: 'existing', pool: 'p', volume: 'theirs.qcow2' }, facts()).map((e) => e.message), ['disk volume: p/theirs.qcow2 is in use by VM db: a disk written by two VMs is corrupted']);
  });

  test('detach: the target\'s form, a disk it does not have (naming its disks), the boot disk and an IDE disk of a running VM', () => {
    const disks = [disk('vda'), disk('vdb'), disk('hdc', { bus: 'ide', device: 'cdrom' })];
    const msg = (t: string, active = true) => { const r = diskToDetach(t, disks, { name: 'web', active }); return 'error' in r ? r.error.message : `ok ${r.disk.target}`; };
    assert.match(msg('--all'), /^disk target: must be a guest disk name such as vdb/);
    assert.equal(msg('vdz'), 'disk target: VM web has no disk vdz (its disks: vda, vdb, hdc)');
    assert.equal(msg('vda'), 'disk target: vda is the boot disk of web, which is running: shut it off first');
    assert.equal(msg('hdc'), 'disk target: hdc is on the ide bus, which cannot be hot-unplugged: shut web off first');
    assert.equal(msg('vdb'), 'ok vdb');
    assert.equal(msg('vda', false), 'ok vda');
  });

  test('the boot disk: the lowest boot order, else the first disk', () => {
    assert.equal(bootDiskTarget([disk('hdc', { device: 'cdrom' }), disk('vda'), disk('vdb')]), 'vda');
    assert.equal(bootDiskTarget([disk('vda'), disk('vdb', { bootOrder: 1 })]), 'vdb');
  });
});

describe('device XML', () => {
  test('a NIC and a disk as attach-device takes them: one element, values escaped', () => {
    assert.equal(nicDeviceXml({ type: 'bridge', source: 'lnweb', mac: '52:54:00:aa:00:01', model: 'virtio', filter: 'clean-traffic' }),
      "<interface type='bridge'>\n  <mac address='52:54:00:aa:00:01'/>\n  <source bridge='lnweb'/>\n  <model type='virtio'/>\n  <filterref filter='clean-traffic'/>\n</interface>\n");
    assert.equal(diskDeviceXml({ pool: "p'x", volume: 'web-vdb.qcow2', format: 'qcow2', target: 'vdb', bus: 'virtio' }),
      "<disk type='volume' device='disk'>\n  <driver name='qemu' type='qcow2'/>\n  <source pool='p&apos;x' volume='web-vdb.qcow2'/>\n  <target dev='vdb' bus='virtio'/>\n</disk>\n");
  });

  test('one device out of a domain XML, by MAC (any case) or by target; none when it is not there', () => {
    const dom = `<domain type='kvm'><name>web</name><devices>
      <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/v/a.qcow2'/><target dev='vda' bus='virtio'/><alias name='virtio-disk0'/></disk>
      <interface type='network'><mac address='52:54:00:aa:00:01'/><source network='default'/><model type='virtio'/></interface>
    </devices></domain>`;
    assert.equal(deviceElementXml(dom, { mac: '52:54:00:AA:00:01' }), "<interface type='network'>\n  <mac address='52:54:00:aa:00:01'/>\n  <source network='default'/>\n  <model type='virtio'/>\n</interface>\n");
    assert.match(deviceElementXml(dom, { target: 'vda' })!, /^<disk type='file' device='disk'>[\s\S]*<target dev='vda' bus='virtio'\/>[\s\S]*<\/disk>\n$/);
    assert.equal(deviceElementXml(dom, { target: 'vdb' }), undefined);
    assert.equal(deviceElementXml(dom, { mac: '52:54:00:aa:00:02' }), undefined);
  });
});
