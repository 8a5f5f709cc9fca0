// VM lifecycle on the real libvirtd (TCG) with tiny guests that boot: every
// action through hostdeck's service or CLI, checked against libvirt's own
// view (virsh domstate, dumpxml, dominfo, vol-list, snapshot-list) and, for
// start, reboot and revert, against the guest's serial output. At most two
// guests run at once; everything named hd-lc-* is removed at the end.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openSync, writeSync, closeSync, readFileSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { testServices } from '../lib/services.ts';
import { guestImage, waitForSerial } from '../lib/guest.ts';
import { allDomains as everyDomain, domstate, makePool, poolVolumes, removeDomains, removePool, tinyInput, virsh, virshTry, SYSTEM_URI, LC_PREFIX, libvirtReady } from '../lib/lifecycle.ts';
import { VmActionError, VmInputError } from '../../src/core/vms.ts';
import { serialLogFile, specFor } from '../../src/core/vm-create.ts';
import { createCore } from '../../src/core/index.ts';
import { vmDomainXml } from '../../src/virt/xml/named.ts';
import type { VmCreateInput } from '../../src/domain/vm-create.ts';
import { snapshotTreeText } from '../../src/domain/vm-display.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const run = `${process.pid.toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
const prefix = `${LC_PREFIX}${run}-`;
const POOL = `${LC_PREFIX}pool-${run}`;
const A = `${prefix}a`;
const B = `${prefix}b`;

/** The CLI as an operator runs it (tsx on the source, same code as the bundle). */
function cli(args: string[], db: string): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli.tsx'), ...args, '-c', SYSTEM_URI, '--db', db], { encoding: 'utf8', cwd: ROOT, timeout: 240_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

const serialSize = (name: string) => { try { return statSync(serialLogFile(name)).size; } catch { return 0; } };

/** Type a command on the guest's serial console (its pty) and wait for the answer in the serial log. */
async function serialAsk(name: string, command: string, answer: RegExp): Promise<string> {
  const xml = await virsh('dumpxml', name);
  const pty = /<serial type='pty'>\s*<source path='([^']+)'/.exec(xml)?.[1];
  assert.ok(pty, `${name} has a serial pty`);
  const since = serialSize(name);
  // QEMU reads a pty only while its other end is open (it polls for that every second): keep it open while asking.
  const fd = openSync(pty, 'r+');
  try {
    const until = Date.now() + 45_000;
    let nextWrite = Date.now() + 1200;
    for (;;) {
      if (Date.now() >= nextWrite) { writeSync(fd, `\n${command}\n`); nextWrite = Date.now() + 5000; }
      const m = answer.exec(readFileSync(serialLogFile(name), 'utf8').slice(since));
      if (m) return m[1] ?? m[0];
      if (Date.now() > until) throw new Error(`${name}: no answer to "${command}" on the serial console`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    closeSync(fd);
  }
}
/** This run's domains (other tests running at the same time define and remove theirs meanwhile). */
const allDomains = async () => (await everyDomain()).filter((d) => d.startsWith(prefix));
const BOOT_ID = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/;

describe('VM lifecycle on the real libvirtd', () => {
  const s = testServices({ uri: SYSTEM_URI, channel: 'cli' });
  const core = createCore(s, { user: 'tester', channel: 'cli' });
  let marker = '';
  let input: VmCreateInput;

  before(async () => {
    assert.equal(process.getuid?.(), 0, 'the integration tier runs as root');
    // Other integration files stop and start libvirtd: make sure it answers before starting.
    for (let i = 0; i < 30 && (await virshTry('uri')).code !== 0; i++) {
      spawnSync(join(ROOT, 'scripts/libvirt-up'), { stdio: 'inherit' });
      await new Promise((r) => setTimeout(r, 1000));
    }
    marker = (await guestImage()).marker;
    await removeDomains(prefix);
    await makePool(POOL);
    input = await tinyInput(A, POOL);
  });
  // Other integration files restart libvirtd: each test starts with the daemon up and hostdeck connected.
  beforeEach(async () => {
    await libvirtReady(ROOT);
    for (let i = 0; i < 20 && (await s.virt.domainList().then(() => false, () => true)); i++) await new Promise((r) => setTimeout(r, 500));
  });
  after(async () => {
    await libvirtReady(ROOT); // the cleanup needs the daemon, even if another test stopped it meanwhile
    await removeDomains(prefix);
    await removePool(POOL);
    await s.cleanup();
  });

  it('creates and starts a tiny guest: libvirt has it running with the asked hardware, the guest prints its marker', async () => {
    const r = await core.vms.create(input, { start: true });
    assert.deepEqual(r.volumes, [`${POOL}/${A}.qcow2`]);
    assert.equal(await domstate(A), 'running');
    await waitForSerial(A, marker, 60_000);
    const xml = await virsh('dumpxml', A);
    assert.match(xml, /<vcpu placement='static'>1<\/vcpu>/);
    assert.match(xml, /<memory unit='KiB'>131072<\/memory>/);
    assert.match(xml, new RegExp(`<source pool='${POOL}' volume='${A}.qcow2'`));
    assert.match(xml, /<serial type='pty'>/);
    assert.deepEqual(await poolVolumes(POOL), [`${A}.qcow2`]);
    const ev = s.events.list({ text: A });
    assert.equal(ev[0]!.message, `Create VM ${A} and start it`);
    assert.equal(ev[0]!.result, 'success');
  });

  it('refuses every bad input naming the field and the rule, and libvirt does not change', async () => {
    const domainsBefore = await allDomains();
    const volumesBefore = await poolVolumes(POOL);
    const base = await tinyInput(B, POOL);
    const hostMiB = Math.floor(Number(/Memory size:\s+(\d+) KiB/.exec(await virsh('nodeinfo'))![1]) / 1024);
    const cpus = Number(/CPU\(s\):\s+(\d+)/.exec(await virsh('nodeinfo'))![1]);
    const cases: [string, Partial<VmCreateInput>, string, RegExp][] = [
      ['duplicate name', { name: A }, 'name', /name: a VM named '.*' already exists/],
      ['name with /', { name: `${prefix}x/y` }, 'name', /name: must not contain '\/'/],
      ['name with a newline', { name: `${prefix}x\ny` }, 'name', /name: must not contain a newline/],
      ['name over 255 characters', { name: `${prefix}${'n'.repeat(256)}` }, 'name', /name: must be at most 255 characters/],
      ['empty name', { name: '' }, 'name', /name: is required/],
      ['memory 0', { memoryMiB: 0 }, 'memory', /memory: must be more than 0 MiB/],
      ['memory above the host', { memoryMiB: hostMiB + 1 }, 'memory', new RegExp(`memory: must be at most ${hostMiB} MiB \\(this host's memory\\)`)],
      ['vCPUs above the host', { vcpus: cpus + 1 }, 'vcpus', new RegExp(`vCPUs: must be at most ${cpus}`)],
      ['vCPUs 0', { vcpus: 0 }, 'vcpus', /vCPUs: must be at least 1/],
      ['missing pool', { disks: [{ kind: 'new', pool: `${LC_PREFIX}nopool`, sizeMiB: 16, format: 'qcow2' }] }, 'disks[0].pool', /disk 1 pool: no storage pool named 'hd-lc-nopool'/],
      ['pool without room', { disks: [{ kind: 'new', pool: POOL, sizeMiB: 512 * 1024 * 1024, format: 'qcow2' }] }, 'disks[0].size', /disk 1 size: storage pool '.*' has .* free, 512 TiB asked for/],
      ['missing volume', { disks: [{ kind: 'existing', pool: POOL, volume: 'nope.qcow2' }] }, 'disks[0].volume', /no volume named 'nope.qcow2'/],
      ['unknown network', { nics: [{ kind: 'network', source: 'hd-lc-nonet' }] }, 'nics[0].source', /NIC 1 network: no libvirt network named 'hd-lc-nonet'/],
      ['unknown bridge', { nics: [{ kind: 'bridge', source: 'hdlcbr0' }] }, 'nics[0].source', /NIC 1 bridge: no bridge named 'hdlcbr0' on this host/],
      ['multicast MAC', { nics: [{ kind: 'network', source: 'default', mac: '01:00:5e:00:00:01' }] }, 'nics[0].mac', /NIC 1 MAC address: must be a unicast address/],
      ['malformed MAC', { nics: [{ kind: 'network', source: 'default', mac: '52:54:00:zz:00:01' }] }, 'nics[0].mac', /NIC 1 MAC address: must be six hex pairs/],
      ['CD-ROM boot without ISO', { boot: 'cdrom', kernel: undefined, initrd: undefined, cmdline: undefined }, 'iso', /ISO: is required to boot from CD-ROM/],
      ['missing ISO file', { boot: 'cdrom', iso: '/nonexistent/x.iso', kernel: undefined, initrd: undefined, cmdline: undefined }, 'iso', /ISO: \/nonexistent\/x.iso does not exist/],
      ['missing kernel', { kernel: '/nonexistent/vmlinuz' }, 'kernel', /kernel: \/nonexistent\/vmlinuz does not exist/],
      ['network boot without NIC', { boot: 'network', kernel: undefined, initrd: undefined, cmdline: undefined }, 'boot', /network boot needs a network interface/],
      ['unknown machine type', { machine: 'hd-lc-machine' }, 'machine', /machine type: QEMU on this host has no machine 'hd-lc-machine'/],
    ];
    for (const [label, over, field, message] of cases) {
      await assert.rejects(core.vms.create({ ...base, ...over }, { start: true }), (e: unknown) => {
        assert.ok(e instanceof VmInputError, `${label}: ${String(e)}`);
        const hit = e.errors.find((x) => x.field === field);
        assert.ok(hit, `${label}: no error on ${field} (got ${JSON.stringify(e.errors)})`);
        assert.match(hit.message, message, label);
        return true;
      });
    }
    assert.deepEqual(await allDomains(), domainsBefore, 'no domain was defined or removed');
    assert.deepEqual(await poolVolumes(POOL), volumesBefore, 'no volume was created');
    assert.equal(await domstate(A), 'running', 'the existing VM is untouched');
  });

  it('the CLI refuses bad input with exit 2 naming the option, and creates nothing', async () => {
    const domainsBefore = await allDomains();
    const r = cli(['vm', 'create', `${prefix}c/x`, '--memory', '0', '--vcpus', '64', '--disk', `pool=${LC_PREFIX}nopool,size=1G`, '--graphics', 'none'], join(s.dir, 'cli.db'));
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /NAME: must not contain '\/'/);
    assert.match(r.err, /--memory: must be more than 0 MiB/);
    assert.match(r.err, /--vcpus: must be at most \d+/);
    assert.match(r.err, /--disk: disk 1 pool: no storage pool named 'hd-lc-nopool'/);
    const dup = cli(['vm', 'create', A, '--graphics', 'none'], join(s.dir, 'cli.db'));
    assert.equal(dup.code, 2);
    assert.match(dup.err, /a VM named '.*' already exists/);
    assert.deepEqual(await allDomains(), domainsBefore);
  });

  it('a failure after the volume was created (libvirt rejects the definition) leaves no domain and no volume', async () => {
    const volumesBefore = await poolVolumes(POOL);
    // isapc passes hostdeck's rules (QEMU offers it) but has no PCI bus for the virtio devices: libvirt refuses the definition.
    const bad = await tinyInput(B, POOL, { machine: 'isapc' });
    await assert.rejects(core.vms.create(bad), (e: Error) => {
      assert.match(e.message, /No PCI buses available/);
      assert.match(e.message, /nothing was left behind/);
      return true;
    });
    assert.equal(await domstate(B), 'absent');
    assert.deepEqual(await poolVolumes(POOL), volumesBefore);
    const ev = s.events.list({ text: B })[0]!;
    assert.equal(ev.result, 'failure');
    assert.match(ev.message, /Create VM .* failed: .*No PCI buses available/);
  });

  it('a VM defined with virsh outside hostdeck is in `hostdeck vm list --json`', async () => {
    const xml = join(s.dir, 'b.xml');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(xml, vmDomainXml(specFor({ ...(await tinyInput(B, POOL)), disks: [] }, 'qemu', [])));
    await virsh('define', xml);
    const r = cli(['vm', 'list', '--json'], join(s.dir, 'cli.db'));
    assert.equal(r.code, 0, r.err);
    const list = JSON.parse(r.out) as { name: string; state: string }[];
    assert.deepEqual(list.find((d) => d.name === B)?.state, 'shutoff');
    assert.deepEqual(list.find((d) => d.name === A)?.state, 'running');
    await virsh('undefine', B);
  });

  it('pause and resume, reboot (the guest boots again), autostart on and off', async () => {
    await core.vms.pause(A);
    assert.equal(await domstate(A), 'paused');
    await assert.rejects(core.vms.pause(A), /cannot pause .*: it is already paused/);
    await core.vms.resume(A);
    assert.equal(await domstate(A), 'running');
    const bootBefore = await serialAsk(A, 'cat /proc/sys/kernel/random/boot_id', BOOT_ID);
    const since = serialSize(A);
    await core.vms.reboot(A);
    await waitForSerial(A, marker, 90_000, since);
    const bootAfter = await serialAsk(A, 'cat /proc/sys/kernel/random/boot_id', BOOT_ID);
    assert.notEqual(bootAfter, bootBefore, 'the guest booted again');
    await core.vms.setAutostart(A, true);
    assert.match(await virsh('dominfo', A), /Autostart:\s+enable/);
    await core.vms.setAutostart(A, false);
    assert.match(await virsh('dominfo', A), /Autostart:\s+disable/);
  });

  it('edits a running VM: vCPUs and memory pending until next boot, description at once', async () => {
    const r = await core.vms.edit(A, { vcpus: 2, memoryMiB: 160, description: 'edited by hostdeck' });
    assert.deepEqual(r.pending, ['vCPUs 1 → 2', 'memory 128 MiB → 160 MiB']);
    const live = await virsh('dumpxml', A);
    const next = await virsh('dumpxml', A, '--inactive');
    assert.match(live, /<vcpu placement='static'>1<\/vcpu>/);
    assert.match(next, /<vcpu placement='static'>2<\/vcpu>/);
    assert.match(next, /<memory unit='KiB'>163840<\/memory>/);
    assert.match(live, /<description>edited by hostdeck<\/description>/);
    await assert.rejects(core.vms.edit(A, { memoryMiB: 0 }), (e: unknown) => e instanceof VmInputError && /memory: must be more than 0/.test(e.message));
    assert.match(await virsh('dumpxml', A, '--inactive'), /<memory unit='KiB'>163840<\/memory>/, 'a refused edit changes nothing');
  });

  it('snapshots: with memory, a tree that matches virsh --tree, revert back into the earlier boot (serial), delete', async () => {
    const bootAtS1 = await serialAsk(A, 'cat /proc/sys/kernel/random/boot_id', BOOT_ID);
    await core.snapshots.create(A, { name: 's1', description: 'first', mode: 'full' });
    await core.snapshots.create(A, { name: 's2', mode: 'full' });
    await assert.rejects(core.snapshots.create(A, { name: 's2', mode: 'full' }), (e: unknown) => e instanceof VmInputError && /a snapshot named 's2' already exists/.test(e.message));
    const { rows, list } = await core.snapshots.list(A);
    assert.deepEqual(rows.map((r) => [r.name, r.depth, r.current, r.state]), [['s1', 0, false, 'running'], ['s2', 1, true, 'running']]);
    assert.equal(snapshotTreeText(list), await virsh('snapshot-list', A, '--tree'));
    const cliTree = cli(['vm', 'snapshot', 'list', A, '--tree'], join(s.dir, 'cli.db'));
    assert.equal(cliTree.code, 0, cliTree.err);
    assert.equal(cliTree.out, await virsh('snapshot-list', A, '--tree'));
    // Reboot, then revert: the guest is back in the boot s1 captured.
    const since = serialSize(A);
    await core.vms.reboot(A);
    await waitForSerial(A, marker, 90_000, since);
    assert.notEqual(await serialAsk(A, 'cat /proc/sys/kernel/random/boot_id', BOOT_ID), bootAtS1);
    await core.snapshots.revert(A, 's1');
    assert.equal(await domstate(A), 'running');
    assert.equal(await serialAsk(A, 'cat /proc/sys/kernel/random/boot_id', BOOT_ID), bootAtS1);
    assert.match(await virsh('snapshot-current', A, '--name'), /^s1$/m);
    await core.snapshots.delete(A, 's2');
    assert.deepEqual((await virsh('snapshot-list', A, '--name')).split('\n').filter(Boolean), ['s1']);
    // A disk-only (external) snapshot: libvirt here can neither revert to it nor delete it (its parent is internal),
    // and the internal s1 below its overlay cannot be deleted either; each refused with the reason, nothing changes.
    await core.snapshots.create(A, { name: 'd1', mode: 'disk-only' });
    await assert.rejects(core.snapshots.revert(A, 'd1'), (e: unknown) => e instanceof VmActionError && /disk-only \(external\) snapshot: libvirt .* cannot revert external snapshots/.test(e.message));
    await assert.rejects(core.snapshots.delete(A, 'd1'), (e: unknown) => e instanceof VmActionError && /parent is a full \(internal\) one/.test(e.message));
    await assert.rejects(core.snapshots.delete(A, 's1'), (e: unknown) => e instanceof VmActionError && /now runs on .*overlay/.test(e.message));
    const names = (await virsh('snapshot-list', A, '--name')).split('\n').filter(Boolean).sort();
    assert.deepEqual(names, ['d1', 's1']);
    assert.equal(snapshotTreeText((await core.snapshots.list(A)).list), await virsh('snapshot-list', A, '--tree'));
  });

  it('save and restore: stopped with its memory on disk, then back in the same boot', async () => {
    const boot = await serialAsk(A, 'cat /proc/sys/kernel/random/boot_id', BOOT_ID);
    await core.vms.save(A);
    assert.equal(await domstate(A), 'shut off');
    assert.match(await virsh('dominfo', A), /Managed save:\s+yes/);
    await core.vms.restore(A);
    assert.equal(await domstate(A), 'running');
    assert.equal(await serialAsk(A, 'cat /proc/sys/kernel/random/boot_id', BOOT_ID), boot);
    await assert.rejects(core.vms.restore(A), /cannot restore .*: it is running/);
  });

  it('delete is refused while running; shutdown (ACPI) stops the guest; the pending edit applies at the next start', async () => {
    const domainsBefore = await allDomains();
    await assert.rejects(core.vms.delete(A, { removeDisks: true }), /cannot delete .*: it is running: power it off first/);
    assert.deepEqual(await allDomains(), domainsBefore);
    const r = await core.vms.shutdown(A, { timeoutMs: 60_000 });
    assert.equal(r.off, true);
    assert.equal(await domstate(A), 'shut off');
    await core.vms.start(A);
    assert.match(await virsh('dumpxml', A), /<vcpu placement='static'>2<\/vcpu>/);
    await core.vms.forceOff(A);
    assert.equal(await domstate(A), 'shut off');
  });

  it('clones a shut-off VM with its disk copied, then deletes the clone and its disk', async () => {
    // External overlays from the disk-only snapshot: drop the snapshots first so the clone copies the base chain.
    await virshTry('snapshot-delete', A, 'd1', '--metadata');
    const c = await core.vms.clone(A, B);
    assert.deepEqual(c.volumes.length, 1);
    assert.equal(await domstate(B), 'shut off');
    const xa = await virsh('dumpxml', A, '--inactive');
    const xb = await virsh('dumpxml', B, '--inactive');
    assert.notEqual(/<uuid>(.*)<\/uuid>/.exec(xa)![1], /<uuid>(.*)<\/uuid>/.exec(xb)![1]);
    assert.match(xb, new RegExp(`${B}-serial\\.log`));
    const plan = await core.vms.deletePlan(B);
    assert.equal(plan.disks.length, 1);
    const cloneVol = plan.disks[0]!.what;
    const r = await core.vms.delete(B, { removeDisks: true });
    assert.deepEqual(r.removed, [cloneVol]);
    assert.equal(await domstate(B), 'absent');
    assert.ok(!(await poolVolumes(POOL)).some((v) => v.startsWith(B)), 'the clone\'s volume is gone');
  });

  it('deletes a VM keeping its disks, or through the CLI removing them', async () => {
    await core.vms.delete(A, { removeDisks: false });
    assert.equal(await domstate(A), 'absent');
    assert.ok((await poolVolumes(POOL)).includes(`${A}.qcow2`), 'kept');
    // Recreate on the kept volume, then delete through the CLI with --remove-disks.
    await core.vms.create({ ...input, disks: [{ kind: 'existing', pool: POOL, volume: `${A}.qcow2` }] });
    const r = cli(['vm', 'delete', A, '--remove-disks', '--yes'], join(s.dir, 'cli.db'));
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, new RegExp(`removes these disks:\\n\\s+vda\\s+${POOL}/${A}\\.qcow2`));
    assert.equal(await domstate(A), 'absent');
    assert.ok(!(await poolVolumes(POOL)).includes(`${A}.qcow2`));
    const missing = cli(['vm', 'start', A], join(s.dir, 'cli.db'));
    assert.equal(missing.code, 2); // not found is invalid input, as on every noun
    assert.match(missing.err, /no VM named '.*' \(see hostdeck vm list\)/);
  });
});
