// Templates on the real libvirtd with the tiny guest: a template made from a
// shut-off guest onto a local directory data domain; two thin VMs from it
// boot (their serial consoles show the guest's marker) and the template's
// image is byte for byte the same after they ran; removing it is refused
// while they depend on it; a clone boots after the template is gone. A copy
// that fails, and a VM from a template that fails, leave nothing; the
// leftovers of a copy killed half-way are cleaned up at the next first use.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testServices } from '../lib/services.ts';
import { defineGuest, diskPath, domainType, guestImage, guestName, removeGuests, removeStaleGuests, serialLogPath, SYSTEM_URI, waitForSerial } from '../lib/guest.ts';
import { libvirtReady, virsh, virshTry } from '../lib/lifecycle.ts';
import { localDataDomain, removeDomainPool } from '../lib/local-data-domain.ts';
import { createCore, type Core } from '../../src/core/index.ts';
import { categoryOf, fieldErrorsOf } from '../../src/domain/errors.ts';
import { domainXml } from '../../src/virt/xml/create.ts';
import type { StorageDomain } from '../../src/core/storage-domains.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const prefix = guestName('tpl');
const src = `${prefix}-src`;
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('templates on the real libvirtd: thin and clone VMs from a tiny guest', { timeout: 900_000 }, () => {
  const s = testServices({ uri: SYSTEM_URI, channel: 'cli' });
  const core: Core = createCore(s, { user: 'tester', channel: 'cli' });
  const dir = mkdtempSync(join(tmpdir(), 'hostdeck-tpl-'));
  let domain: StorageDomain;
  const images = () => join(domain.path, 'images');
  const templateFiles = () => readdirSync(images()).filter((f) => f.startsWith('template-')).sort();
  const tpl = () => core.templates();

  before(async () => {
    await libvirtReady(ROOT);
    await guestImage();
    await removeStaleGuests();
    await removeGuests(`${prefix}-`);
    s.config.hooks = { enabled: false, root: join(dir, 'hooks'), timeoutMs: 30_000 };
    domain = await localDataDomain(core, dir, 'tpl');
    await defineGuest(src, { nic: false });
  });
  after(async () => {
    await removeGuests(`${prefix}-`);
    await removeDomainPool(await core.storageDomains.get('tpl-data'));
    await s.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the Blank template is always there; bad input names the field and makes nothing', async () => {
    const t = await tpl();
    assert.deepEqual((await t.list()).map((x) => [x.name, x.disks.length]), [['Blank', 0]]);
    await assert.rejects(t.create({ name: 'bad name', vm: src, storageDomain: 'tpl-data' }), (e: Error) => fieldErrorsOf(e)?.[0]?.field === 'name' && /must contain only letters/.test(e.message));
    await assert.rejects(t.create({ name: 'web', vm: `${prefix}-nope`, storageDomain: 'tpl-data' }), (e: Error) => fieldErrorsOf(e)?.[0]?.field === 'vm');
    await assert.rejects(t.create({ name: 'web', vm: src, storageDomain: 'nope' }), (e: Error) => fieldErrorsOf(e)?.[0]?.field === 'storage-domain');
    await assert.rejects(t.create({ name: 'Blank', vm: src, storageDomain: 'tpl-data' }), /name: a template named Blank already exists/);
    // A running VM is refused with its state.
    await virsh('start', src);
    try {
      await assert.rejects(t.create({ name: 'web', vm: src, storageDomain: 'tpl-data' }), (e: Error) => categoryOf(e) === 'state' && /VM .* is running: a template is made from a shut-off VM/.test(e.message));
    } finally {
      await virsh('destroy', src);
    }
    assert.deepEqual((await t.list()).map((x) => x.name), ['Blank']);
    assert.deepEqual(templateFiles(), []);
  });

  let image = '';
  let imageSum = '';

  it('a template from the shut-off guest: its disk copied into a read-only image, its hardware recorded', async () => {
    const t = await tpl();
    const made = await t.create({ name: 'tiny', vm: src, storageDomain: 'tpl-data', description: 'the tiny guest' });
    assert.equal(made.status, 'ready');
    assert.equal(made.disks.length, 1);
    image = made.disks[0]!.path;
    assert.equal(image, join(images(), made.disks[0]!.volume));
    assert.equal(statSync(image).mode & 0o777, 0o444);
    assert.equal(spawnSync('qemu-img', ['compare', '-q', diskPath(src), image]).status, 0, 'the image holds what the guest\'s disk holds');
    imageSum = sha256(image);
    const img = await guestImage();
    assert.deepEqual([made.hardware.vcpus, made.hardware.memoryMiB, made.hardware.boot, made.hardware.kernel, made.hardware.graphics], [1, 128, 'kernel', img.kernel, 'none']);
    assert.match(await virsh('vol-list', domain.poolName), new RegExp(made.disks[0]!.volume));
    const ev = s.events.list({ text: 'Make template tiny' })[0];
    assert.equal(ev?.result, 'success');
    // A second version of it.
    const v2 = await t.create({ base: 'tiny', versionName: 'second', vm: src, storageDomain: 'tpl-data' });
    assert.deepEqual([v2.name, v2.version, v2.versionName, v2.baseId], ['tiny', 2, 'second', made.id]);
    assert.equal((await t.version('tiny', 'latest')).id, v2.id);
    assert.equal((await t.version('tiny', '1')).id, made.id);
    await t.remove('tiny', { version: 'second' });
    assert.deepEqual((await t.show('tiny')).map((x) => x.version), [1]);
  });

  const thin = [`${prefix}-thin1`, `${prefix}-thin2`];

  it('two thin VMs from it boot, and the template image is unchanged after they ran', async () => {
    const t = await tpl();
    for (const name of thin) {
      const r = await t.createVm({ name, template: 'tiny', mode: 'thin' }, { start: true });
      assert.deepEqual(r.volumes, [`${domain.poolName}/${name}.qcow2`]);
    }
    const img = await guestImage();
    for (const name of thin) await waitForSerial(name, img.marker);
    for (const name of thin) {
      const info = JSON.parse(spawnSync('qemu-img', ['info', '-U', '--output=json', join(images(), `${name}.qcow2`)], { encoding: 'utf8' }).stdout) as { 'backing-filename'?: string; 'format-specific'?: { data?: { compat?: string } } };
      assert.equal(info['backing-filename'], image);
      // As qemu-img makes it (zero clusters), not libvirt's default 0.10.
      assert.equal(info['format-specific']?.data?.compat, '1.1');
      await virsh('destroy', name);
    }
    assert.equal(sha256(image), imageSum);
    assert.deepEqual((await t.show('tiny'))[0]!.vms.map((v) => [v.vmName, v.mode]), thin.map((n) => [n, 'thin']));
  });

  it('removing the template is refused while thin VMs depend on it, naming them', async () => {
    const t = await tpl();
    await assert.rejects(t.remove('tiny'), (e: Error) => categoryOf(e) === 'state' && e.message.includes(`thin VMs ${thin.join(', ')} depend on its images`));
    assert.ok(existsSync(image));
    assert.equal(s.events.list({ text: 'Remove template tiny' })[0]?.result, 'failure');
  });

  it('a VM from the template that fails leaves no overlay and no domain', async () => {
    const t = await tpl();
    const name = `${prefix}-fails`;
    mkdirSync(join(dir, 'hooks/before_vm_start'), { recursive: true, mode: 0o755 });
    writeFileSync(join(dir, 'hooks/before_vm_start/10-refuse'), '#!/bin/sh\necho "not now" >&2\nexit 1\n', { mode: 0o755 });
    s.config.hooks = { ...s.config.hooks, enabled: true };
    try {
      await assert.rejects(t.createVm({ name, template: 'tiny', mode: 'thin' }, { start: true }), /not now.*\(nothing was left behind\)/s);
    } finally {
      s.config.hooks = { ...s.config.hooks, enabled: false };
    }
    assert.equal((await virshTry('dominfo', name)).code === 0, false);
    assert.equal(existsSync(join(images(), `${name}.qcow2`)), false);
    assert.doesNotMatch(await virsh('vol-list', domain.poolName), new RegExp(name));
  });

  it('a clone boots after the template is removed', async () => {
    const t = await tpl();
    const clone = `${prefix}-clone`;
    await t.createVm({ name: clone, template: 'tiny', mode: 'clone', overrides: { disks: [], memoryMiB: 160 } });
    const info = JSON.parse(spawnSync('qemu-img', ['info', '--output=json', join(images(), `${clone}.qcow2`)], { encoding: 'utf8' }).stdout) as { 'backing-filename'?: string };
    assert.equal(info['backing-filename'], undefined);
    for (const name of thin) await core.vms.delete(name, { removeDisks: true });
    const { removed } = await t.remove('tiny');
    assert.equal(removed.length, 1);
    assert.equal(existsSync(image), false);
    assert.deepEqual((await t.list()).map((x) => x.name), ['Blank']);
    assert.match(await virsh('dumpxml', clone), /<memory unit='KiB'>163840<\/memory>/);
    rmSync(serialLogPath(clone), { force: true });
    await virsh('start', clone);
    await waitForSerial(clone, (await guestImage()).marker);
    await virsh('destroy', clone);
  });

  it('a copy that fails (a bad image) leaves no row and no image', async () => {
    const t = await tpl();
    const bad = `${prefix}-bad`;
    const garbage = join(dir, 'garbage.qcow2');
    writeFileSync(garbage, Buffer.alloc(1024 * 1024, 0x5a));
    chmodSync(garbage, 0o644);
    spawnSync('qemu-img', ['create', '-q', '-f', 'qcow2', diskPath(bad), '16M']);
    writeFileSync(join(dir, 'bad.xml'), domainXml({ name: bad, type: domainType(), memoryMiB: 128, vcpus: 1, disks: [{ path: diskPath(bad), format: 'qcow2' }, { path: garbage, format: 'qcow2' }], nics: [] }));
    await virsh('define', join(dir, 'bad.xml'));
    await assert.rejects(t.create({ name: 'broken', vm: bad, storageDomain: 'tpl-data' }), /qemu-img exited with code 1.*\(nothing was left behind\)/s);
    assert.deepEqual((await t.list()).map((x) => x.name), ['Blank']);
    assert.deepEqual(templateFiles(), []);
    assert.equal(s.events.list({ text: 'Make template broken' })[0]?.result, 'failure');
  });

  it("the leftovers of a copy killed half-way (a 'creating' row, its image, an image no row owns) are cleaned up at the next first use, with an event", async () => {
    const gone = spawnSync('true').pid!;
    const id = '11111111-2222-4333-8444-555555555555';
    const orphan = join(images(), 'template-66666666-7777-4888-8999-000000000000-0.qcow2');
    const left = join(images(), `template-${id}-0.qcow2`);
    writeFileSync(left, 'partial');
    writeFileSync(orphan, 'partial');
    s.db.prepare(`INSERT INTO templates (id, base_id, name, version, hardware, status, creator_pid, storage_domain_id, created_at) VALUES (?, ?, 'killed', 1, '{}', 'creating', ?, ?, ?)`).run(id, id, gone, domain.id, new Date().toISOString());
    s.db.prepare(`INSERT INTO template_disks (template_id, idx, volume, path, format, bus, size_bytes) VALUES (?, 0, ?, ?, 'qcow2', 'virtio', 0)`).run(id, `template-${id}-0.qcow2`, left);
    // A new process's core: its first template use cleans up.
    const next = createCore(s, { user: 'tester', channel: 'cli' });
    assert.deepEqual((await (await next.templates()).list()).map((x) => x.name), ['Blank']);
    assert.equal(existsSync(left), false);
    assert.equal(existsSync(orphan), false);
    const ev = s.events.list({ text: 'Clean up after a template copy killed half-way' })[0];
    assert.equal(ev?.result, 'success');
    assert.match(ev?.message ?? '', /template killed version 1 left 'creating'.*image .*template-66666666.* no template owns/);
    assert.equal(ev?.user, 'tester');
  });
});
