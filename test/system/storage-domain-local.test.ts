// Storage domains on this machine with the real libvirtd: local directory
// domains (data and ISO) through storage-conn's connection service. Volumes
// created and deleted, an ISO uploaded with progress, maintenance and volume
// deletion refused while a running VM (QEMU, no OS) has a disk on the domain,
// detach keeps the data and import finds it again, remove deletes it; then
// the CLI on the same state. (POSIX on a loop device runs in a test host, in
// storage-domain-nfs.test.tsx: libvirtd here runs in a private mount namespace
// that does not see mounts made after it started.)
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as runner from '../../src/exec/runner.ts';
import { openDatabase, type Db } from '../../src/manager/db.ts';
import { EventLog } from '../../src/manager/events.ts';
import { createConnectionService, type ConnectionService } from '../../src/core/storage-connections.ts';
import { testDoor } from '../lib/door.ts';
import { createDomainService, DomainError, DomainInputError, type DomainService } from '../../src/core/storage-domains.ts';
import { parseMetadata } from '../../src/domain/storage/domain.ts';
import { domainType, guestName } from '../lib/guest.ts';

const URI = 'qemu:///system';
const virsh = (...args: string[]) => execFileSync('virsh', ['-c', URI, ...args], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });

/** A file with an ISO 9660 primary volume descriptor header (written by the test; no ISO tool is installed here). */
function writeIsoLike(path: string, bytes: number): void {
  const b = Buffer.alloc(bytes, 0x41);
  b.set([1, ...Buffer.from('CD001'), 1], 32768);
  writeFileSync(path, b);
}

describe('storage domains on this machine: local directories (data and ISO)', { timeout: 300_000 }, () => {
  let dir = '';
  let db: Db;
  let events: EventLog;
  let conns: ConnectionService;
  let svc: DomainService;
  const vm = guestName('sd');

  before(async () => {
    execFileSync('scripts/libvirt-up', { stdio: 'ignore' });
    dir = mkdtempSync(join(tmpdir(), 'hostdeck-sdom-'));
    db = openDatabase(join(dir, 'state.db'));
    events = new EventLog(db, { user: 'tester', channel: 'cli' });
    const r = { run: runner.run, runOk: runner.runOk };
    conns = createConnectionService({ runner: r, db, door: testDoor(events), mountRoot: join(dir, 'mnt'), keyFile: join(dir, 'k') });
    svc = createDomainService({ runner: r, db, door: testDoor(events), connections: conns, uri: URI });
    // QEMU (uid libvirt-qemu) must be able to reach the disks.
    chmodSync(dir, 0o755);
    mkdirSync(join(dir, 'local'));
    mkdirSync(join(dir, 'isos'));
  });
  after(async () => {
    try { virsh('destroy', vm); } catch { /* not running */ }
    try { virsh('undefine', vm); } catch { /* not defined */ }
    for (const d of svc?.list() ?? []) { try { virsh('pool-destroy', d.poolName); } catch { /* stopped */ } try { virsh('pool-undefine', d.poolName); } catch { /* gone */ } }
    for (const c of conns?.list() ?? []) await conns.disconnect(c.id).catch(() => undefined);
    db?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('bad input names the field and changes nothing', async () => {
    await conns.add({ type: 'localfs', name: 'loc', path: join(dir, 'local') });
    const pools = virsh('pool-list', '--all', '--name');
    await assert.rejects(svc.create({ name: 'bad name', type: 'data', connectionId: 'loc' }), (e: DomainInputError) => e instanceof DomainInputError && /^name: must contain only/.test(e.errors[0]!.message));
    await assert.rejects(svc.create({ name: 'd1', type: 'backup', connectionId: 'loc' }), (e: DomainInputError) => e.errors[0]!.field === 'type');
    await assert.rejects(svc.create({ name: 'd1', type: 'data', connectionId: 'nope' }), (e: DomainInputError) => /^connection: no storage connection "nope"/.test(e.errors[0]!.message));
    // Known connection, not connected yet: refused before anything is written.
    await assert.rejects(svc.create({ name: 'd1', type: 'data', connectionId: 'loc' }), (e: DomainError) => e.kind === 'connection' && /not connected: connect it first/.test(e.message));
    assert.deepEqual(svc.list(), []);
    assert.equal(execFileSync('ls', ['-A', join(dir, 'local')], { encoding: 'utf8' }), '');
    assert.equal(virsh('pool-list', '--all', '--name'), pools);
    // Input errors leave no trace; the refused action (not connected) is an event with its reason.
    assert.deepEqual(events.list({ text: 'storage domain' }).map((e) => `${e.result} ${e.message}`), [
      'failure Create data storage domain d1 on connection loc failed: connection loc is not connected: connect it first (hostdeck storage connection connect loc)',
      'started Create data storage domain d1 on connection loc: started',
    ]);
  });

  it('a local directory data domain: metadata on the storage, a running dir pool, capacity from df', async () => {
    await conns.connect('loc');
    const d = await svc.create({ name: 'local-data', type: 'data', connectionId: 'loc', description: 'test disks' });
    assert.equal(d.status, 'active');
    assert.equal(d.path, join(dir, 'local', d.id));
    const m = parseMetadata(readFileSync(join(d.path, 'dom_md/metadata'), 'utf8'));
    assert.deepEqual([m.uuid, m.name, m.type, m.kind, m.description], [d.id, 'local-data', 'data', 'file', 'test disks']);
    assert.match(virsh('pool-info', d.poolName), /State:\s+running/);
    assert.match(virsh('pool-dumpxml', d.poolName), new RegExp(`<path>${d.path}/images</path>`));
    assert.ok((d.capacityBytes ?? 0) > 0 && (d.freeBytes ?? 0) > 0, JSON.stringify(d));
    const ev = events.list({ text: 'Create data storage domain local-data' })[0];
    assert.equal(ev?.result, 'success');
    await assert.rejects(svc.create({ name: 'local-data', type: 'data', connectionId: 'loc' }), (e: DomainInputError) => /already exists/.test(e.errors[0]!.message));
  });

  it('volumes: created (qcow2, raw), listed, validated against the domain, deleted', async () => {
    const v = await svc.volumeCreate('local-data', { name: 'disk0.qcow2', size: '64M' });
    assert.equal(v.capacityBytes, 64 * 1024 * 1024);
    assert.match(execFileSync('qemu-img', ['info', '--output=json', v.path], { encoding: 'utf8' }), /"format": "qcow2"/);
    await svc.volumeCreate('local-data', { name: 'scratch.raw', size: '2M', format: 'raw' });
    assert.deepEqual((await svc.volumes('local-data')).map((x) => x.name).sort(), ['disk0.qcow2', 'scratch.raw']);
    await assert.rejects(svc.volumeCreate('local-data', { name: 'disk0.qcow2', size: '1G' }), (e: DomainInputError) => /already exists/.test(e.errors[0]!.message));
    await assert.rejects(svc.volumeCreate('local-data', { name: 'x', size: '10' }), (e: DomainInputError) => e.errors[0]!.field === 'size');
    await svc.volumeDelete('local-data', 'scratch.raw');
    assert.equal(existsSync(join(svc.get('local-data')!.path, 'images/scratch.raw')), false);
    await assert.rejects(svc.volumeDelete('local-data', 'scratch.raw'), (e: DomainError) => e.kind === 'not-found' && /has no volume "scratch\.raw"/.test(e.message));
  });

  it('an ISO domain takes an ISO upload with progress and refuses other files', async () => {
    await conns.add({ type: 'localfs', name: 'px', path: join(dir, 'isos') });
    await conns.connect('px');
    const iso = await svc.create({ name: 'iso1', type: 'iso', connectionId: 'px' });
    assert.equal(iso.path, join(dir, 'isos', iso.id));
    await assert.rejects(svc.volumeCreate('iso1', { name: 'a.qcow2', size: '1M', format: 'qcow2' }), (e: DomainInputError) => /ISO domains hold raw images only/.test(e.errors[0]!.message));
    const src = join(dir, 'small.iso');
    writeIsoLike(src, 40 * 1024 * 1024 + 12345);
    const seen: number[] = [];
    const vol = await svc.upload('iso1', src, { onProgress: (p) => seen.push(p.doneBytes) });
    assert.equal(vol.name, 'small.iso');
    assert.deepEqual(seen, [0, 32 * 1024 * 1024, 40 * 1024 * 1024 + 12345]);
    assert.ok(readFileSync(join(iso.path, 'images/small.iso')).equals(readFileSync(src)), 'the uploaded volume differs from the file');
    writeFileSync(join(dir, 'notes.iso'), 'not an image');
    await assert.rejects(svc.upload('iso1', join(dir, 'notes.iso')), (e: DomainInputError) => /not an ISO 9660 image/.test(e.errors[0]!.message));
    await assert.rejects(svc.upload('iso1', src, { name: 'small.img' }), (e: DomainInputError) => /ISO domains hold \.iso files only/.test(e.errors[0]!.message));
    await assert.rejects(svc.upload('iso1', join(dir, 'missing.iso')), (e: DomainInputError) => /^file: cannot read/.test(e.errors[0]!.message));
    assert.deepEqual((await svc.volumes('iso1')).map((x) => x.name), ['small.iso']);
  });

  it('maintenance and volume deletion are refused while a running VM uses the domain, naming the VM; allowed after it stops', async () => {
    const d = svc.get('local-data')!;
    const disk = join(d.path, 'images/disk0.qcow2');
    const xml = `<domain type='${domainType()}'><name>${vm}</name><memory unit='MiB'>32</memory><vcpu>1</vcpu>
      <os><type arch='x86_64' machine='pc'>hvm</type></os>
      <devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='${disk}'/><target dev='vda' bus='virtio'/></disk>
      <graphics type='vnc' autoport='yes' listen='127.0.0.1'/></devices></domain>`;
    writeFileSync(join(dir, 'vm.xml'), xml);
    virsh('define', join(dir, 'vm.xml'));
    virsh('start', vm);
    await assert.rejects(svc.maintenance('local-data'), (e: DomainError) => {
      assert.equal(e.kind, 'in-use');
      assert.deepEqual(e.users.map((u) => [u.vm, u.disks]), [[vm, [disk]]]);
      assert.match(e.message, new RegExp(`Maintenance of local-data refused: 1 VM uses it: ${vm} \\(running; ${disk.replace(/[.]/g, '\\.')}\\)`));
      return true;
    });
    await assert.rejects(svc.volumeDelete('local-data', 'disk0.qcow2'), (e: DomainError) => e.kind === 'in-use' && e.message.includes(vm));
    assert.equal(svc.get('local-data')!.status, 'active');
    assert.equal(events.list({ text: 'into maintenance' })[0]?.result, 'failure');
    // The ISO domain is not used by the VM: maintenance there is fine.
    assert.equal((await svc.maintenance('iso1')).status, 'maintenance');
    virsh('destroy', vm);
    // A stopped VM does not block maintenance, but still blocks deleting its disk.
    assert.equal((await svc.maintenance('local-data')).status, 'maintenance');
    assert.match(virsh('pool-info', d.poolName), /State:\s+inactive/);
    await assert.rejects(svc.volumes('local-data'), (e: DomainError) => /local-data is maintenance/.test(e.message));
    assert.equal((await svc.activate('local-data')).status, 'active');
    await assert.rejects(svc.volumeDelete('local-data', 'disk0.qcow2'), (e: DomainError) => e.kind === 'in-use' && /shut off/.test(e.message));
    virsh('undefine', vm);
  });

  it('detach removes the pool and the row but keeps the data; scan and import find it again; remove deletes it', async () => {
    const d = svc.get('iso1')!;
    await assert.rejects(svc.detach('local-data'), (e: DomainError) => /local-data is active: put it in maintenance first/.test(e.message));
    await svc.detach('iso1');
    assert.equal(svc.get('iso1'), undefined);
    assert.doesNotMatch(virsh('pool-list', '--all', '--name'), new RegExp(d.poolName));
    assert.ok(existsSync(join(d.path, 'images/small.iso')), 'detach deleted the data');
    const found = await svc.scan('px');
    assert.deepEqual(found.map((f) => [f.metadata.uuid, f.metadata.name, f.metadata.type, f.attachedAs]), [[d.id, 'iso1', 'iso', undefined]]);
    const back = await svc.import('px', 'iso1');
    assert.deepEqual([back.id, back.status, back.type, back.createdAt], [d.id, 'active', 'iso', d.createdAt]);
    assert.deepEqual((await svc.volumes('iso1')).map((x) => x.name), ['small.iso']);
    await assert.rejects(svc.import('px', d.id), (e: DomainError) => /already attached as iso1/.test(e.message));
    await svc.maintenance('iso1');
    await svc.remove('iso1');
    assert.equal(existsSync(d.path), false, 'remove left the domain directory');
    assert.deepEqual(await svc.scan('px'), []);
  });

  it('the CLI lists, shows and refuses on the same state; every change above is an event', async () => {
    const cli = (...args: string[]) => runner.run(process.execPath, ['--import', 'tsx', 'src/cli.tsx', ...args], { env: { HOSTDECK_DB: join(dir, 'state.db'), HOSTDECK_STORAGE_MOUNT_ROOT: join(dir, 'mnt'), HOSTDECK_STORAGE_KEY: join(dir, 'k') }, timeoutMs: 60_000 });
    const l = await cli('storage', 'domain', 'list', '--json');
    assert.equal(l.exitCode, 0, l.stderr);
    assert.deepEqual((JSON.parse(l.stdout) as { name: string; status: string }[]).map((x) => [x.name, x.status]), [['local-data', 'active']]);
    const v = await cli('storage', 'volume', 'list', 'local-data');
    assert.equal(v.exitCode, 0, v.stderr);
    assert.match(v.stdout, /^disk0\.qcow2\s+64\.0 MiB/m);
    const bad = await cli('storage', 'volume', 'create', 'local-data', '--name', 'x/y', '--size', '1Q');
    assert.equal(bad.exitCode, 2);
    assert.match(bad.stderr, /--name: must start with a letter/);
    assert.match(bad.stderr, /--size: must be a number with an optional unit/);
    const det = await cli('storage', 'domain', 'detach', 'local-data', '--yes');
    assert.equal(det.exitCode, 1);
    assert.match(det.stderr, /local-data is active: put it in maintenance first/);
    const msgs = events.list({ text: 'storage' }).map((e) => `${e.result} ${e.message}`);
    for (const re of [/^success Create volume|^success Create qcow2 volume disk0\.qcow2/, /^success Delete volume scratch\.raw/, /^success Upload .*small\.iso/, /^failure Put storage domain local-data into maintenance failed/, /^success Detach storage domain iso1/, /^success Import storage domain/, /^success Remove storage domain iso1/]) {
      assert.ok(msgs.some((m) => re.test(m)), `no event like ${re}:\n${msgs.join('\n')}`);
    }
  });
});
