// NIC and disk hot-plug on the real libvirtd with one tiny guest, running:
// a NIC by vNIC profile (a logical network on a real Linux bridge of the
// test's own) and a new disk go into the running VM and its definition
// (virsh dumpxml, live and --inactive), come out again by MAC and by target;
// the hooks around them are real programs in a hook root of the test's own.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, runOk } from '../../src/exec/runner.ts';
import { testServices } from '../lib/services.ts';
import { defineGuest, guestImage, guestName, IMAGES_DIR, removeGuests, removeStaleGuests, SYSTEM_URI, waitForSerial } from '../lib/guest.ts';
import { domstate, lcName, libvirtReady, makePool, poolVolumes, removePool, virsh } from '../lib/lifecycle.ts';
import { createCore } from '../../src/core/index.ts';
import { categoryOf } from '../../src/domain/errors.ts';
import type { HookPoint } from '../../src/domain/hooks.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const vm = guestName('hotplug');
// A bridge name is at most 15 characters: the logical network is named as its bridge.
const bridge = `hdhp${process.pid.toString(36)}`.slice(0, 15);

describe('NIC and disk hot-plug into a running tiny guest on the real libvirtd', () => {
  const s = testServices({ uri: SYSTEM_URI, channel: 'cli' });
  const core = createCore(s, { user: 'tester', channel: 'cli' });
  const hooksRoot = mkdtempSync(join(tmpdir(), 'hostdeck-hotplug-hooks-'));
  const work = mkdtempSync(join(tmpdir(), 'hostdeck-hotplug-work-'));
  let pool = '';

  const hook = (point: HookPoint, name: string, body: string) => {
    const dir = join(hooksRoot, point);
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(dir, name), 0o755);
  };
  const live = () => virsh('dumpxml', vm);
  const defined = () => virsh('dumpxml', '--inactive', vm);

  before(async () => {
    assert.equal(process.getuid?.(), 0, 'the integration tier runs as root');
    await libvirtReady(ROOT);
    await guestImage();
    await removeStaleGuests();
    await removeGuests(vm);
    pool = await makePool(lcName('hotplug'));
    await run('ip', ['link', 'del', 'dev', bridge]);
    await runOk('ip', ['link', 'add', 'name', bridge, 'type', 'bridge']);
    await runOk('ip', ['link', 'set', 'dev', bridge, 'up']);
    await core.logicalNetworks.create({ name: bridge });
    await core.logicalNetworks.attach(bridge, 'Default', { roles: 'vm', required: 'no' });
    await defineGuest(vm, { nic: false });
    s.config.hooks = { enabled: false, root: hooksRoot, timeoutMs: 30_000 };
    await core.vms.start(vm);
    // The guest's kernel is up: it answers hot-unplug requests.
    await waitForSerial(vm, (await guestImage()).marker);
  });
  beforeEach(() => {
    rmSync(hooksRoot, { recursive: true, force: true });
    mkdirSync(hooksRoot, { mode: 0o755 });
    s.config.hooks = { enabled: true, root: hooksRoot, timeoutMs: 30_000 };
  });
  after(async () => {
    await removeGuests(vm);
    if (pool) await removePool(pool);
    await run('ip', ['link', 'del', 'dev', bridge]);
    await s.cleanup();
    rmSync(hooksRoot, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it('a failing before_nic_hotplug hook stops the plug: no NIC live or defined, its stderr in the message; the hook got the NIC\'s XML, not the domain\'s', async () => {
    const seen = join(work, 'nic.xml');
    hook('before_nic_hotplug', '10-refuse', `cat "$_hook_domxml" > ${seen}\necho "no NIC for $HOSTDECK_VM_NAME today" >&2\nexit 4`);
    await assert.rejects(core.vmDevices.addNic(vm, { kind: 'profile', source: bridge, mac: '52:54:00:aa:bb:01' }), (e: Error) => {
      assert.match(e.message, /before_nic_hotplug hook 10-refuse: exited with code 4: no NIC for hd-test-hotplug-\S+ today/);
      assert.equal(categoryOf(e), 'failed');
      return true;
    });
    const xml = readFileSync(seen, 'utf8');
    assert.match(xml, /^<interface type='bridge'>/);
    assert.match(xml, /<mac address='52:54:00:aa:bb:01'\/>/);
    assert.doesNotMatch(xml, /<domain/);
    assert.doesNotMatch(await live(), /52:54:00:aa:bb:01/);
    assert.doesNotMatch(await defined(), /52:54:00:aa:bb:01/);
  });

  it('a NIC by vNIC profile goes into the running VM and its definition, on the network\'s bridge; removed by MAC it leaves both; a MAC it does not have is refused naming it', async () => {
    const log = join(work, 'nic.log');
    hook('after_nic_hotplug', '10-log', `echo "$HOSTDECK_HOOK_POINT $HOSTDECK_NIC_MAC" >> ${log}`);
    hook('after_nic_hotunplug', '10-log', `echo "$HOSTDECK_HOOK_POINT $HOSTDECK_NIC_MAC" >> ${log}`);
    const added = await core.vmDevices.addNic(vm, { kind: 'profile', source: bridge });
    assert.equal(added.live, true);
    const nic = new RegExp(`<interface type='bridge'>\\s*<mac address='${added.mac}'/>\\s*<source bridge='${bridge}'/>`);
    assert.match(await live(), nic);
    assert.match(await defined(), nic);
    assert.deepEqual((await core.vmDevices.listNics(vm)).map((n) => [n.mac, n.source, n.profile, n.live, n.persistent]), [[added.mac, bridge, `${bridge}/${bridge}`, true, true]]);
    assert.deepEqual((await core.logicalNetworks.profileGet(`${bridge}/${bridge}`)).vms, [vm]);

    await core.vmDevices.removeNic(vm, added.mac.toUpperCase());
    assert.doesNotMatch(await live(), new RegExp(added.mac));
    assert.doesNotMatch(await defined(), new RegExp(added.mac));
    assert.deepEqual((await core.logicalNetworks.profileGet(`${bridge}/${bridge}`)).vms, [], 'the profile is no longer used');
    assert.deepEqual(readFileSync(log, 'utf8').trim().split('\n'), [`after_nic_hotplug ${added.mac}`, `after_nic_hotunplug ${added.mac}`]);

    await assert.rejects(core.vmDevices.removeNic(vm, added.mac), (e: Error) => {
      assert.equal(categoryOf(e), 'invalid');
      assert.match(e.message, new RegExp(`MAC address: VM ${vm} has no NIC with MAC ${added.mac} \\(it has no NIC\\)`));
      return true;
    });
  });

  it('a before_nic_hotplug hook may edit the NIC it is given (the plugged NIC has its link down), not change its MAC (refused, nothing plugged)', async () => {
    // The hook puts <link state='down'/> into the <interface> element, as a VDSM NIC hook edits the device it is handed.
    hook('before_nic_hotplug', '10-link-down', `sed -i "s|</interface>|<link state='down'/></interface>|" "$_hook_domxml"`);
    const added = await core.vmDevices.addNic(vm, { kind: 'profile', source: bridge, mac: '52:54:00:aa:bb:02' });
    assert.match(added.xml, /<link state='down'\/>/);
    const nic = (await live()).match(/<interface type='bridge'>[\s\S]*?<\/interface>/g)?.find((x) => x.includes(added.mac)) ?? assert.fail('the NIC is live');
    assert.match(nic, /<link state='down'\/>/);
    await core.vmDevices.removeNic(vm, added.mac);

    rmSync(join(hooksRoot, 'before_nic_hotplug'), { recursive: true });
    hook('before_nic_hotplug', '10-other-mac', 'sed -i "s|52:54:00:aa:bb:03|52:54:00:aa:bb:04|" "$_hook_domxml"');
    await assert.rejects(core.vmDevices.addNic(vm, { kind: 'profile', source: bridge, mac: '52:54:00:aa:bb:03' }),
      /before_nic_hotplug hook 10-other-mac: its device XML is refused: it changes the NIC's MAC address from 52:54:00:aa:bb:03 to 52:54:00:aa:bb:04/);
    for (const xml of [await live(), await defined()]) assert.doesNotMatch(xml, /52:54:00:aa:bb:0[34]/);
  });

  it('a new disk goes into the running VM and its definition at vdb on virtio; detached it leaves both and its volume stays; the boot disk is refused', async () => {
    const attached = await core.vmDevices.attachDisk(vm, { kind: 'new', pool, sizeMiB: 8, format: 'qcow2' });
    assert.deepEqual([attached.target, attached.source, attached.created, attached.live], ['vdb', `${pool}/${vm}-vdb.qcow2`, true, true]);
    const disk = new RegExp(`<source pool='${pool}' volume='${vm}-vdb.qcow2'[^>]*/>[\\s\\S]*?<target dev='vdb' bus='virtio'/>`);
    assert.match(await live(), disk);
    assert.match(await defined(), disk);
    assert.deepEqual((await core.vmDevices.listDisks(vm)).map((d) => [d.target, d.boot, d.live, d.persistent]), [['vda', true, true, true], ['vdb', false, true, true]]);

    await assert.rejects(core.vmDevices.detachDisk(vm, 'vda'), /disk target: vda is the boot disk of hd-test-hotplug-\S+, which is running: shut it off first/);
    await core.vmDevices.detachDisk(vm, 'vdb');
    assert.doesNotMatch(await live(), /dev='vdb'/);
    assert.doesNotMatch(await defined(), /dev='vdb'/);
    assert.deepEqual(await poolVolumes(pool), [`${vm}-vdb.qcow2`], 'the volume stays');
    // The same volume again, as an existing one.
    await core.vmDevices.attachDisk(vm, { kind: 'existing', pool, volume: `${vm}-vdb.qcow2` });
    assert.match(await live(), disk);
    await core.vmDevices.detachDisk(vm, 'vdb');
    assert.equal(await domstate(vm), 'running');
  });

  it('a new disk whose attach fails is removed again: nothing is left in the pool', async () => {
    // The hook takes the target first (another disk, through virsh): the attach that follows fails on it.
    const other = join(IMAGES_DIR, `${vm}-other.raw`);
    await runOk('qemu-img', ['create', '-q', '-f', 'raw', other, '1M']);
    hook('before_disk_hotplug', '10-take', `virsh -c ${SYSTEM_URI} attach-disk "$HOSTDECK_VM_NAME" ${other} "$HOSTDECK_DISK_TARGET" --live --config >/dev/null`);
    const before = await poolVolumes(pool);
    try {
      await assert.rejects(core.vmDevices.attachDisk(vm, { kind: 'new', pool, sizeMiB: 8, format: 'raw' }), (e: Error) => {
        assert.match(e.message, /vdb/);
        assert.match(e.message, new RegExp(`the new volume ${pool}/${vm}-vdb\\.raw was removed`));
        return true;
      });
      assert.deepEqual(await poolVolumes(pool), before);
    } finally {
      await virsh('detach-disk', vm, 'vdb', '--live', '--config').catch(() => undefined);
    }
  });

  it('a shut-off VM gets a NIC in its definition only (by bridge, e1000e) and gives it back', async () => {
    await core.vms.forceOff(vm);
    const added = await core.vmDevices.addNic(vm, { kind: 'bridge', source: bridge, model: 'e1000e' });
    assert.equal(added.live, false);
    assert.match(await defined(), new RegExp(`<mac address='${added.mac}'/>\\s*<source bridge='${bridge}'/>\\s*<model type='e1000e'/>`));
    assert.deepEqual((await core.vmDevices.listNics(vm)).map((n) => [n.mac, n.live, n.persistent]), [[added.mac, false, true]]);
    await core.vmDevices.removeNic(vm, added.mac);
    assert.doesNotMatch(await defined(), new RegExp(added.mac));
    assert.equal(await domstate(vm), 'shut off');
  });
});
