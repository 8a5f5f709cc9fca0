// Clone and delete with disks on the real libvirtd (qemu:///system) go
// through libvirt's storage API: the clone's disk is a new volume in the
// pool (vol-list shows it), deleting the clone with its disks removes that
// volume and keeps the original's, a disk file written into the pool's
// directory behind libvirt's back is found after a pool refresh and removed
// as a volume, and a VM whose disk file lies in no pool is refused on
// --remove-disks and on clone, the file and the VM kept. No guest boots.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runOk } from '../../src/exec/runner.ts';
import { domainXml } from '../../src/virt/xml/create.ts';
import { createCore } from '../../src/core/index.ts';
import { testServices } from '../lib/services.ts';
import { domainType } from '../lib/guest.ts';
import { domstate, libvirtReady, makePool, poolVolumes, removeDomains, removePool, tinyInput, virsh, LC_PREFIX, SYSTEM_URI } from '../lib/lifecycle.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const run = `${process.pid.toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
const prefix = `${LC_PREFIX}vd${run}-`;
const POOL = `${LC_PREFIX}vdpool-${run}`;
const OUTSIDE = `/var/lib/${LC_PREFIX}vdout-${run}`;
const A = `${prefix}a`;
const B = `${prefix}b`;
const C = `${prefix}c`;
const D = `${prefix}d`;

function cli(args: string[], db: string): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli.tsx'), ...args, '-c', SYSTEM_URI, '--db', db], { encoding: 'utf8', cwd: ROOT, timeout: 240_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** Define a shut-off VM whose one disk is the file at `path` (a new 16 MiB qcow2), outside hostdeck. */
async function defineWithFile(name: string, path: string): Promise<void> {
  await runOk('qemu-img', ['create', '-q', '-f', 'qcow2', '--', path, '16M']);
  const file = join(OUTSIDE, `${name}.xml`);
  writeFileSync(file, domainXml({ name, type: domainType(), memoryMiB: 64, vcpus: 1, disks: [{ path, format: 'qcow2' }] }));
  await virsh('define', file);
}

describe('clone and delete with disks through libvirt\'s storage API on the real libvirtd', () => {
  const s = testServices({ uri: SYSTEM_URI, channel: 'cli' });
  const vms = createCore(s, { user: 'tester', channel: 'cli' }).vms;
  const poolDir = `/var/lib/${POOL}`;

  before(async () => {
    assert.equal(process.getuid?.(), 0, 'the integration tier runs as root');
    await libvirtReady(ROOT);
    await removeDomains(prefix);
    await makePool(POOL);
    mkdirSync(OUTSIDE, { recursive: true });
    await vms.create(await tinyInput(A, POOL));
  });
  after(async () => {
    await removeDomains(prefix);
    await removePool(POOL);
    rmSync(OUTSIDE, { recursive: true, force: true });
    await s.cleanup();
  });

  it('clone: the clone\'s disk is a new volume in the pool, made by libvirt', async () => {
    const c = await vms.clone(A, B);
    assert.deepEqual(c.volumes, [`${POOL}/${B}.qcow2`]);
    assert.deepEqual(await poolVolumes(POOL), [`${A}.qcow2`, `${B}.qcow2`].sort());
    assert.match(await virsh('dumpxml', B, '--inactive'), new RegExp(`<source pool='${POOL}' volume='${B}\\.qcow2'/>`));
  });

  it('delete the clone with its disks: its volume is gone through libvirt, the original\'s stays', async () => {
    const r = await vms.delete(B, { removeDisks: true });
    assert.deepEqual(r.removed, [`${POOL}/${B}.qcow2`]);
    assert.equal(await domstate(B), 'absent');
    assert.deepEqual(await poolVolumes(POOL), [`${A}.qcow2`]);
  });

  it('a disk file written into the pool directory since libvirt last looked is found after a refresh and removed as a volume', async () => {
    const path = join(poolDir, `${D}.qcow2`);
    await defineWithFile(D, path);
    const r = await vms.delete(D, { removeDisks: true });
    assert.deepEqual(r.removed, [path]);
    assert.equal(await domstate(D), 'absent');
    assert.ok(!existsSync(path));
    assert.deepEqual(await poolVolumes(POOL), [`${A}.qcow2`]);
  });

  it('a VM whose disk file lies in no pool: delete --remove-disks and clone are refused with the reason; the file and the VM stay', async () => {
    const path = join(OUTSIDE, `${C}.qcow2`);
    await defineWithFile(C, path);
    const del = cli(['vm', 'delete', C, '--remove-disks', '--yes'], join(s.dir, 'cli.db'));
    assert.equal(del.code, 1, del.err);
    assert.match(del.err, new RegExp(`cannot remove the disks of ${C}, so nothing was deleted: disk vda \\(${path.replace(/\./g, '\\.')}\\) is not a storage volume of any pool on qemu:///system: it lies in no storage pool hostdeck manages`));
    assert.ok(existsSync(path));
    assert.equal(await domstate(C), 'shut off');
    const clone = cli(['vm', 'clone', C, `${C}-copy`], join(s.dir, 'cli.db'));
    assert.equal(clone.code, 1, clone.err);
    assert.match(clone.err, /cannot clone .*: disk vda \(.*\) is not a storage volume of any pool on qemu:\/\/\/system: hostdeck copies disks only as volumes/);
    assert.equal(await domstate(`${C}-copy`), 'absent');
    assert.deepEqual(readdirSync(OUTSIDE).filter((f) => f.endsWith('.qcow2')), [`${C}.qcow2`], 'nothing copied next to it');
  });
});
