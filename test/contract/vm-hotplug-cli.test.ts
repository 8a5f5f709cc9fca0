// `hostdeck vm nic ...` and `hostdeck vm disk ...` on a state DB of the
// test's own and libvirt's test driver (its running VM "test": one NIC on
// network default, disk vda): the lists, and every bad input refused with
// exit 2 naming the option or argument and the rule, before anything runs
// (no event is written for it).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { scratchCli, type CliRun } from '../lib/cli-main.ts';
import { openDatabase } from '../../src/manager/db.ts';

const { hostdeck, dbPath } = scratchCli('hostdeck-hotplug-cli-');
const json = <T>(r: CliRun): T => { assert.equal(r.code, 0, r.err); return JSON.parse(r.out) as T; };
const deviceEvents = () => {
  const db = openDatabase(dbPath());
  try {
    return (db.prepare('SELECT message FROM events').all() as { message: string }[]).filter((e) => /NIC|disk/i.test(e.message));
  } finally { db.close(); }
};

describe('hostdeck vm nic / vm disk', () => {
  it('lists the NICs and disks, live and defined, the boot disk marked (--json too)', async () => {
    const nics = await hostdeck('vm', 'nic', 'list', 'test');
    assert.equal(nics.code, 0, nics.err);
    assert.match(nics.out, /^MAC +TYPE +SOURCE +MODEL +PROFILE +LIVE +PERSISTENT$/m);
    assert.match(nics.out, /^aa:bb:cc:dd:ee:ff +network +default +- +- +yes +yes$/m);
    assert.deepEqual(json<{ target: string; boot: boolean }[]>(await hostdeck('vm', 'disk', 'list', 'test', '--json')).map((d) => [d.target, d.boot]), [['vda', true]]);
    const none = await hostdeck('vm', 'disk', 'list', 'nosuch');
    assert.equal(none.code, 2);
    assert.match(none.err, /no VM named 'nosuch'/);
  });

  const refused: [string, string[], RegExp[]][] = [
    ['a NIC without a source', ['vm', 'nic', 'add', 'test'], [/--profile, --network or --bridge: give one of them/]],
    ['a NIC with two sources', ['vm', 'nic', 'add', 'test', '--network', 'default', '--bridge', 'br0'], [/--profile, --network or --bridge: give one of them/]],
    ['an unknown model and a multicast MAC', ['vm', 'nic', 'add', 'test', '--network', 'default', '--model', 'pcnet', '--mac', '01:00:00:00:00:00'],
      [/--model: must be virtio, e1000e, rtl8139/, /--mac: must be a unicast address/]],
    ['a NIC on a network that is not there', ['vm', 'nic', 'add', 'test', '--network', 'nope'], [/--network: no libvirt network named 'nope' \(networks: default\)/]],
    ['a NIC of a VM that is not there', ['vm', 'nic', 'add', 'nosuch', '--network', 'nope'], [/no VM named 'nosuch'/]],
    ['a MAC the VM has', ['vm', 'nic', 'add', 'test', '--network', 'default', '--mac', 'AA:BB:CC:DD:EE:FF'], [/--mac: aa:bb:cc:dd:ee:ff is on a NIC of VM test already/]],
    ['a vNIC profile that is not there', ['vm', 'nic', 'add', 'test', '--profile', 'nope'], [/--profile: no vNIC profile "nope"/]],
    ['removing a MAC the VM does not have', ['vm', 'nic', 'remove', 'test', '52:54:00:00:00:09', '--yes'], [/MAC: VM test has no NIC with MAC 52:54:00:00:00:09 \(its NICs: aa:bb:cc:dd:ee:ff\)/]],
    ['removing a malformed MAC', ['vm', 'nic', 'remove', 'test', 'eth0', '--yes'], [/MAC: must be six hex pairs/]],
    ['a disk without a pool', ['vm', 'disk', 'attach', 'test', '--size', '1G'], [/--pool: is required/]],
    ['a disk with neither size nor volume', ['vm', 'disk', 'attach', 'test', '--pool', 'default-pool'], [/--size: --size \(a new volume\) or --volume \(an existing one\) is required/]],
    ['a disk with both', ['vm', 'disk', 'attach', 'test', '--pool', 'default-pool', '--size', '1G', '--volume', 'v'], [/--volume: give either --volume/]],
    ['an unreadable size', ['vm', 'disk', 'attach', 'test', '--pool', 'default-pool', '--size', 'lots'], [/--size: "lots" is not a size/]],
    ['a size of 0 and an unknown format', ['vm', 'disk', 'attach', 'test', '--pool', 'default-pool', '--size', '0', '--format', 'vmdk'], [/--size: must be more than 0/, /--format: must be qcow2 or raw/]],
    ['a pool that is not there', ['vm', 'disk', 'attach', 'test', '--pool', 'nopool', '--size', '1G'], [/--pool: no storage pool named 'nopool' \(pools: default-pool\)/]],
    ['a volume that is not there', ['vm', 'disk', 'attach', 'test', '--pool', 'default-pool', '--volume', 'nope.img'], [/--volume: no volume named 'nope.img' in pool 'default-pool'/]],
    ['the IDE bus on a running VM', ['vm', 'disk', 'attach', 'test', '--pool', 'default-pool', '--size', '1G', '--bus', 'ide'], [/--bus: a running VM takes a disk on virtio or scsi only \(ide cannot be hot-plugged\): shut test off first/]],
    ['detaching a disk the VM does not have', ['vm', 'disk', 'detach', 'test', 'vdc', '--yes'], [/TARGET: VM test has no disk vdc \(its disks: vda\)/]],
    ['detaching the boot disk of the running VM', ['vm', 'disk', 'detach', 'test', 'vda', '--yes'], [/TARGET: vda is the boot disk of test, which is running: shut it off first/]],
    ['detaching without confirmation and no terminal', ['vm', 'disk', 'detach', 'test', 'vda'], [/--yes: is required without a terminal/]],
  ];
  for (const [what, argv, messages] of refused) {
    it(`refuses ${what} with exit 2, naming it, before anything runs`, async () => {
      const r = await hostdeck(...argv);
      assert.equal(r.code, 2, r.err);
      for (const m of messages) assert.match(r.err, m);
      assert.deepEqual(deviceEvents(), [], 'no event: nothing was attempted');
    });
  }
});
