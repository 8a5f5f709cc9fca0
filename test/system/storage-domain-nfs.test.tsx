// Storage domains over NFS between two test hosts linked by a cable: the
// server exports a tmpfs (nfs-server); node1 runs libvirtd and hostdeck's
// connection and domain services (from this machine, through
// testHostRunner): a data domain is created on the export, a volume created
// and a guest disk written with qemu-io; the server mounts its own export,
// reads the metadata back and imports the domain (its own libvirtd). A
// POSIX domain on ext4 on a loop device lives beside it on node1. Then the
// NFS outage: hostdeck's health monitor runs INSIDE node1 (the bundled
// binary), the server's cable is pulled: the NFS domains turn unreachable
// with an event, every CLI call keeps answering, no hostdeck process sits in
// uninterruptible sleep; the cable back, the domains recover with an event.
// Block domains on the server: multipathd runs there and the LIO LUN is
// reached over two portals (loopback and the cable's address), so it is ONE
// multipath device with two paths; the Storage domains screen (driving the
// real service) creates a block domain on it, and the bundled CLI inside the
// server creates another on a second LUN.
import { after, before, describe, it } from 'node:test';
import { consoleCore } from '../lib/services.ts';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { Cable, TestHost, testHostRunner } from '../lib/testhost/index.ts';
import { REPO_ROOT } from '../lib/testhost/proc.ts';
import { openDatabase, type Db } from '../../src/manager/db.ts';
import { EventLog } from '../../src/manager/events.ts';
import { createConnectionService, type ConnectionService } from '../../src/core/storage-connections.ts';
import { testDoor } from '../lib/door.ts';
import { runnerFs } from '../../src/host/storage/fs.ts';
import { createDomainService, DomainInputError, type DomainService, type StorageDomain } from '../../src/core/storage-domains.ts';
import { parseMetadata, parseMetadataTags } from '../../src/domain/storage/domain.ts';
import type { Lun } from '../../src/host/storage/luns.ts';
import { App } from '../../src/app/App.tsx';
import { createStores } from '../../src/store/host.ts';
import { createCore } from '../../src/core/index.ts';
import { createStorageDomainsScreen } from '../../screens/storage-domains/index.ts';
import { KEYS, renderTui } from '../lib/ink.tsx';
import { testServices } from '../lib/services.ts';

const SERVER_IP = '192.168.83.10';
const NODE_IP = '192.168.83.20';
const TARGET = 'iqn.2026-11.org.hostdeck:sdom.lun0';
const INITIATOR = 'iqn.2026-11.org.hostdeck:sdom-server';
const TARGET2 = 'iqn.2026-11.org.hostdeck:sdom.lun1';
const BUNDLE_DIR = join(REPO_ROOT, 'test-results', `storage-domain-bundle-${process.pid}`);
const BUNDLE = join(BUNDLE_DIR, 'hostdeck.mjs');
/** A script run in the NFS client host during the outage: every process's state from /proc (bash builtins only) until /run/hd/stop exists; "<time> <pid> <comm>" for each one in D. */
const DSTATE_SAMPLER = `while [ ! -e /run/hd/stop ]; do
  for f in /proc/[0-9]*/stat; do
    read -r line < "$f" 2>/dev/null || continue
    rest=\${line##*) }
    if [ "\${rest%% *}" = D ]; then c=\${line#*(}; p=\${f#/proc/}; echo "$EPOCHREALTIME \${p%/stat} \${c%%)*}"; fi
  done
  read -t 0.2 <> <(:) || true
done
`;

/** The hostdeck binary as scripts/build.mjs makes it, into a directory of this run (node_modules resolve from the repository). */
async function bundle(): Promise<void> {
  await build({
    entryPoints: { hostdeck: join(REPO_ROOT, 'src/main.ts') }, outdir: BUNDLE_DIR, outExtension: { '.js': '.mjs' }, bundle: true, splitting: true, format: 'esm',
    platform: 'node', target: 'node22', jsx: 'automatic', external: ['better-sqlite3', '@unraid/libvirt'], alias: { 'react-devtools-core': join(REPO_ROOT, 'scripts/lib/devtools-stub.mjs') },
    define: { 'process.env.NODE_ENV': '"production"', HOSTDECK_VERSION: '"system-test"', fetch: 'undefined' },
    banner: { js: "import { createRequire as __hdCreateRequire } from 'node:module';\nconst require = __hdCreateRequire(import.meta.url);" }, logLevel: 'warning',
  });
}

/** libvirtd inside a test host (no systemd there): returns how long it took to answer. */
async function startLibvirtd(h: TestHost): Promise<number> {
  const t = Date.now();
  await h.mustRun(['virtlogd', '-d']);
  await h.mustRun(['libvirtd', '-d']);
  await h.waitUntil(['virsh', '-c', 'qemu:///system', 'uri'], (r) => r.code === 0, { timeoutMs: 120_000, intervalMs: 200, what: 'libvirtd did not answer' });
  return Date.now() - t;
}

describe('storage domains over NFS between two test hosts, with an outage', { timeout: 900_000 }, () => {
  let server: TestHost | undefined;
  let node: TestHost | undefined;
  let dir = '';
  let nodeDb: Db | undefined;
  let serverDb: Db | undefined;
  let nodeEvents: EventLog;
  let nodeConns: ConnectionService;
  let nodeSvc: DomainService;
  let serverConns: ConnectionService;
  let serverSvc: DomainService;
  let loop = '';
  let mpLun: Lun | undefined;
  const figures: Record<string, number> = {};
  const guard = (fn: () => Promise<void>) => TestHost.keepLogsOnFailure(() => [server, node], fn);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hostdeck-sdnfs-'));
    const cable = await Cable.create();
    server = new TestHost({ name: 'sdnfs', nics: [{ cable }] });
    node = new TestHost({ name: 'sdnode', nics: [{ cable }], memoryMb: 1280 });
    const s = server;
    const n = node;
    const address = async (h: TestHost, ip: string) => { await h.mustRun(['ip', 'addr', 'add', `${ip}/24`, 'dev', 'eth0']); await h.mustRun(['ip', 'link', 'set', 'eth0', 'up']); };
    await Promise.all([
      bundle(),
      (async () => {
        await s.boot();
        await address(s, SERVER_IP);
        await s.startServices([
          { name: 'nfs-server', options: { path: '/srv/nfs' } },
          'udev',
          { name: 'iscsid', options: { initiatorName: INITIATOR } },
        ]);
        // A second call: each has its own time limit (180 s), which one call for all of them can exceed on a loaded machine.
        await s.startServices([
          { name: 'iscsi-target', options: { iqn: TARGET, sizeMb: 64 } },
          { name: 'iscsi-target', options: { iqn: TARGET2, sizeMb: 32 } },
          'multipathd',
        ]);
        await s.mustRun(['modprobe', 'dm_mod']);
        figures.serverLibvirtdMs = await startLibvirtd(s);
      })(),
      (async () => {
        await n.boot();
        await address(n, NODE_IP);
        figures.nodeLibvirtdMs = await startLibvirtd(n);
        await n.run(['modprobe', 'loop']);
        await n.mustRun(['truncate', '-s', '96M', '/run/posix.img']);
        await n.mustRun(['mkfs.ext4', '-q', '-F', '/run/posix.img']);
        loop = (await n.mustRun(['losetup', '-f', '--show', '/run/posix.img'])).stdout.trim();
      })(),
    ]);
    figures.bootMs = Math.max(s.bootMs ?? 0, n.bootMs ?? 0);
    // node1's state lives in its exchange directory, so it can be handed to hostdeck inside node1 for the outage.
    nodeDb = openDatabase(join(n.xferDir, 'state.db'));
    nodeEvents = new EventLog(nodeDb, { user: 'tester', channel: 'cli' });
    const nr = testHostRunner(n);
    nodeConns = createConnectionService({ runner: nr, fs: runnerFs(nr), db: nodeDb, door: testDoor(nodeEvents), keyFile: join(dir, 'node.key') });
    nodeSvc = createDomainService({ runner: nr, db: nodeDb, door: testDoor(nodeEvents), connections: nodeConns });
    serverDb = openDatabase(join(dir, 'server.db'));
    const serverEvents = new EventLog(serverDb, { user: 'tester', channel: 'cli' });
    const sr = testHostRunner(s);
    serverConns = createConnectionService({ runner: sr, fs: runnerFs(sr), db: serverDb, door: testDoor(serverEvents), keyFile: join(dir, 'server.key') });
    serverSvc = createDomainService({ runner: sr, db: serverDb, door: testDoor(serverEvents), connections: serverConns });
  });
  after(async () => {
    console.log(`# storage-domain-nfs figures: ${JSON.stringify(figures)}`);
    await Promise.all([server?.destroy(), node?.destroy()]);
    nodeDb?.close();
    serverDb?.close();
    rmSync(BUNDLE_DIR, { recursive: true, force: true });
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('node1 creates a data domain on the NFS export: the metadata is on the server, the dir pool runs on node1', guard(async () => {
    await nodeConns.add({ type: 'nfs', name: 'nfs1', path: `${SERVER_IP}:/`, version: '4.2' });
    await nodeConns.connect('nfs1');
    const before = (await server!.mustRun(['ls', '-A', '/srv/nfs'])).stdout;
    await assert.rejects(nodeSvc.create({ name: 'nfs data', type: 'data', connectionId: 'nfs1' }), (e: DomainInputError) => e instanceof DomainInputError && e.errors[0]!.field === 'name');
    assert.equal((await server!.mustRun(['ls', '-A', '/srv/nfs'])).stdout, before, 'a refused create wrote to the export');
    const t = Date.now();
    const d = await nodeSvc.create({ name: 'nfsdata', type: 'data', connectionId: 'nfs1' });
    figures.createDomainMs = Date.now() - t;
    assert.equal(d.status, 'active');
    assert.equal(d.poolType, 'dir');
    const m = parseMetadata(await server!.readFile(`/srv/nfs/${d.id}/dom_md/metadata`));
    assert.deepEqual([m.uuid, m.name, m.type, m.kind, m.creatorHost], [d.id, 'nfsdata', 'data', 'file', 'sdnode']);
    const pool = await node!.mustRun(['virsh', '-c', 'qemu:///system', 'pool-dumpxml', d.id]);
    assert.match(pool.stdout, new RegExp(`<path>${d.path}/images</path>`));
    assert.match((await node!.mustRun(['virsh', '-c', 'qemu:///system', 'pool-info', d.id])).stdout, /State:\s+running/);
    // Capacity is the export's (a tmpfs on the server), read by df on node1.
    assert.ok((d.capacityBytes ?? 0) > 0 && (d.freeBytes ?? 0) > 0, JSON.stringify(d));
  }));

  it('a qcow2 volume is created and a guest disk written on node1; the server reads the same bytes', guard(async () => {
    const v = await nodeSvc.volumeCreate('nfsdata', { name: 'disk0.qcow2', size: '64M' });
    assert.equal(v.capacityBytes, 64 * 1024 * 1024);
    const w = await node!.run(['qemu-io', '-f', 'qcow2', '-c', 'write -P 0x5a 0 1M', v.path]);
    assert.equal(w.code, 0, w.stderr);
    const d = nodeSvc.get('nfsdata')!;
    const r = await server!.run(['qemu-io', '-r', '-f', 'qcow2', '-c', 'read -P 0x5a 0 1M', `/srv/nfs/${d.id}/images/disk0.qcow2`]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /read 1048576\/1048576 bytes/);
    assert.doesNotMatch(r.stdout, /Pattern verification failed/);
    assert.deepEqual((await nodeSvc.volumes('nfsdata')).map((x) => [x.name, x.capacityBytes]), [['disk0.qcow2', 64 * 1024 * 1024]]);
  }));

  it('a POSIX domain on ext4 on a loop device sits beside it on node1', guard(async () => {
    await nodeConns.add({ type: 'posixfs', name: 'px', spec: loop, vfsType: 'ext4' });
    await nodeConns.connect('px');
    const d = await nodeSvc.create({ name: 'posixdata', type: 'data', connectionId: 'px' });
    const mount = nodeConns.mountPath(nodeConns.get('px')!)!;
    assert.match(await node!.readFile('/proc/mounts'), new RegExp(`^${loop} ${mount} ext4 `, 'm'));
    assert.equal(d.path, `${mount}/${d.id}`);
    assert.ok((d.capacityBytes ?? 0) < 100 * 1024 * 1024 && (d.capacityBytes ?? 0) > 50 * 1024 * 1024, `capacity is the loop file system's: ${d.capacityBytes}`);
    const v = await nodeSvc.volumeCreate('posixdata', { name: 'lv.raw', size: '8M', format: 'raw' });
    assert.equal((await node!.run(['test', '-f', v.path])).code, 0);
  }));

  it('the server mounts its own export, finds the domain by its metadata and imports it with the volume', guard(async () => {
    await serverConns.add({ type: 'nfs', name: 'self', path: '127.0.0.1:/', version: '4.2' });
    await serverConns.connect('self');
    const found = await serverSvc.scan('self');
    const nd = nodeSvc.get('nfsdata')!;
    assert.deepEqual(found.map((f) => [f.metadata.uuid, f.metadata.name, f.metadata.creatorHost, f.attachedAs]), [[nd.id, 'nfsdata', 'sdnode', undefined]]);
    const d = await serverSvc.import('self', 'nfsdata');
    assert.deepEqual([d.id, d.name, d.type, d.status, d.creatorHost, d.createdAt], [nd.id, 'nfsdata', 'data', 'active', 'sdnode', nd.createdAt]);
    assert.deepEqual((await serverSvc.volumes('nfsdata')).map((x) => [x.name, x.capacityBytes]), [['disk0.qcow2', 64 * 1024 * 1024]]);
    // The server is done with it: maintenance + detach leave the data where it is.
    await serverSvc.maintenance('nfsdata');
    await serverSvc.detach('nfsdata');
    assert.equal((await server!.run(['test', '-f', `/srv/nfs/${nd.id}/images/disk0.qcow2`])).code, 0);
    await serverConns.disconnect('self');
  }));

  it('multipathd: one iSCSI LUN over two portals is ONE multipath device with two paths, and the LUN list shows it, not the sd paths', guard(async () => {
    const s = server!;
    // Two connections to the same target, one per portal (as oVirt does it): loopback and the cable's address.
    await serverConns.add({ type: 'iscsi', name: 'lun0', portal: '127.0.0.1', target: TARGET });
    await serverConns.add({ type: 'iscsi', name: 'lun0b', portal: SERVER_IP, target: TARGET });
    await serverConns.connect('lun0');
    await serverConns.connect('lun0b');
    // multipathd builds the map from the uevents of the new disks: wait (bounded) until a map
    // has two ready paths, then ask hostdeck once (each sysfs read through the test-host agent costs a program start).
    await s.waitUntil(['multipath', '-ll'], (r) => (r.stdout.match(/active ready running/g) ?? []).length >= 2, { timeoutMs: 150_000, what: 'no multipath map with two ready paths' });
    const luns = await serverConns.luns('lun0');
    assert.equal(luns.length, 1, `one LUN, not one per path: ${JSON.stringify(luns)}`);
    const lun = luns[0]!;
    mpLun = lun;
    assert.ok(lun.multipath, `the LUN is not a multipath device: ${JSON.stringify(lun)}`);
    assert.match(lun.dm ?? '', /^dm-\d+$/);
    assert.equal(lun.devicePath, `/dev/mapper/${lun.wwid}`);
    assert.match(lun.wwid, /^36001405[0-9a-f]{25}$/, 'the WWID is scsi_id\'s (3 + NAA of the LIO LUN)');
    assert.equal(lun.paths.length, 2);
    assert.ok(lun.paths.every((p) => /^sd[a-z]+$/.test(p)), lun.paths.join(','));
    assert.ok(lun.sizeBytes === 64 * 1024 * 1024, `size ${lun.sizeBytes}`);
    // What the host itself says: multipathd has one map with both disks active, and the device node exists.
    const ll = (await s.mustRun(['multipath', '-ll', lun.wwid])).stdout;
    for (const p of lun.paths) assert.match(ll, new RegExp(`\\d+:\\d+:\\d+:\\d+ ${p} \\S+ +active ready running`), ll);
    assert.equal((await s.mustRun(['readlink', '-f', lun.devicePath])).stdout.trim(), `/dev/${lun.dm}`);
    // Each path is one iSCSI session: one per portal.
    const sessions = (await s.mustRun(['iscsiadm', '-m', 'session'])).stdout;
    assert.match(sessions, new RegExp(`127\\.0\\.0\\.1:3260,1 ${TARGET}`));
    assert.match(sessions, new RegExp(`${SERVER_IP.replace(/\./g, '\\.')}:3260,1 ${TARGET}`));
  }));

  it('the Storage domains screen creates a block domain on the multipath device: a volume group with the metadata in its tags on /dev/mapper/<WWID>, a logical pool, raw LVs; detach and import', guard(async () => {
    const s = server!;
    const lun = mpLun;
    assert.ok(lun, 'no multipath LUN (the test before failed)');
    await assert.rejects(serverSvc.create({ name: 'blockiso', type: 'iso', connectionId: 'lun0' }), (e: DomainInputError) => /iso domains live on file storage/.test(e.errors[0]!.message));
    // The screen, inside the real shell, with the real domain service and connections of the server.
    const services = testServices();
    const stores = createStores(createCore(services, { user: 'tester', channel: 'tui' }), 60_000);
    const screen = createStorageDomainsScreen({ api: async () => ({ service: serverSvc, connections: async () => serverConns.list() }) });
    const ui = renderTui(<App core={consoleCore(services)} stores={stores} screens={[screen]} initialTheme="dark" readOnly={false} mode={() => 'standalone'} />, { columns: 140, rows: 36 });
    let d: StorageDomain | undefined;
    try {
      await ui.waitFor('No storage domains. c creates one', 30_000);
      await ui.press('c');
      await ui.waitFor('Create a storage domain');
      const field = async (downs: number, value: string) => {
        for (let i = 0; i < downs; i++) await ui.press(KEYS.down);
        await ui.press(KEYS.enter);
        await ui.type(value);
        await ui.press(KEYS.enter);
      };
      // Name, connection and the LUN's WWID (a wrong one is refused naming --lun in the CLI test below; form errors in the component test).
      await field(0, 'blockdata');
      await field(2, 'lun0');
      await field(1, lun.wwid);
      assert.doesNotMatch((await s.mustRun(['vgs', '--noheadings', '-o', 'vg_name'])).stdout, /\S/, 'a volume group exists before the create');
      await ui.press('s');
      await ui.waitFor(/blockdata\s+data\s+active/, 180_000);
      d = serverSvc.get('blockdata');
      assert.ok(d);
      await ui.waitFor(`volume group ${d.id} on ${lun.devicePath}`, 15_000);
    } finally {
      ui.unmount();
      stores.stop();
      await services.cleanup();
    }
    assert.deepEqual([d.kind, d.poolType, d.path, d.device, d.status], ['block', 'logical', d.id, lun.devicePath, 'active']);
    // LVM's physical volume is the multipath device, not one of its paths.
    const pvs = (await s.mustRun(['pvs', '--noheadings', '-o', 'pv_name,vg_name'])).stdout.trim().split('\n').map((l) => l.trim().split(/\s+/));
    assert.deepEqual(pvs.filter(([, vg]) => vg === d.id).map(([pv]) => pv), [lun.devicePath], JSON.stringify(pvs));
    const poolXml = (await s.mustRun(['virsh', '-c', 'qemu:///system', 'pool-dumpxml', d.id])).stdout;
    assert.match(poolXml, /<pool type='logical'>/);
    assert.match(poolXml, new RegExp(`<source>\\s*<name>${d.id}</name>`));
    const tags = (await s.mustRun(['vgs', '--noheadings', '-o', 'vg_tags', d.id])).stdout.trim().split(',');
    const m = parseMetadataTags(tags);
    assert.deepEqual([m.uuid, m.name, m.kind, m.creatorHost], [d.id, 'blockdata', 'block', 'sdnfs']);
    assert.ok((d.capacityBytes ?? 0) > 50 * 1024 * 1024 && (d.capacityBytes ?? 0) <= 64 * 1024 * 1024, `capacity is the volume group's: ${d.capacityBytes}`);
    await assert.rejects(serverSvc.volumeCreate('blockdata', { name: 'lv0', size: '1G' }), (e: DomainInputError) => /more than the domain's free space/.test(e.errors[0]!.message));
    const v = await serverSvc.volumeCreate('blockdata', { name: 'lv0', size: '8M' });
    assert.equal(v.path, `/dev/${d.id}/lv0`);
    assert.match((await s.mustRun(['lvs', '--noheadings', '-o', 'lv_name,lv_size', '--units', 'b', d.id])).stdout, /lv0\s+8388608B/);
    // A second data center: detach, the volume group stays on the LUN, scan finds it, import brings it back with its LV.
    await serverSvc.maintenance('blockdata');
    await serverSvc.detach('blockdata');
    const found = await serverSvc.scan('lun0');
    assert.deepEqual(found.map((f) => [f.metadata.uuid, f.metadata.name, f.attachedAs]), [[d.id, 'blockdata', undefined]]);
    const back = await serverSvc.import('lun0', d.id);
    assert.equal(back.status, 'active');
    assert.deepEqual((await serverSvc.volumes('blockdata')).map((x) => x.name), ['lv0']);
    // Done with it: the domain is removed (VG and LVM label go), then the portals one by one: the map keeps the
    // other path after the first logout, and hostdeck flushes it with the last one.
    await serverSvc.maintenance('blockdata');
    await serverSvc.remove('blockdata');
    await serverConns.disconnect('lun0');
    const one = (await s.mustRun(['multipath', '-ll', lun.wwid])).stdout;
    assert.equal((one.match(/active ready running/g) ?? []).length, 1, one);
    assert.equal((await s.run(['test', '-b', lun.devicePath])).code, 0, 'the map went with one of two paths');
    await serverConns.disconnect('lun0b');
    const maps = (await s.mustRun(['dmsetup', 'ls', '--target', 'multipath'])).stdout;
    assert.doesNotMatch(maps, new RegExp(lun.wwid), 'the multipath map stayed after its last path was logged out');
  }));

  it('the CLI inside the server: connection add iscsi --connect-now, lun list, domain create --connection --lun; a wrong --lun exits 2 naming it and makes nothing', guard(async () => {
    const s = server!;
    const env = { HOSTDECK_DB: '/run/hdcli/state.db', HOSTDECK_STORAGE_KEY: '/run/hdcli/key', NODE_COMPILE_CACHE: '/run/hdcli/node-cache' };
    await s.mustRun(['mkdir', '-p', '/run/hdcli']);
    const hd = async (...args: string[]) => {
      const t = Date.now();
      const r = await s.run([process.execPath, BUNDLE, ...args], { env, timeoutMs: 180_000 });
      figures.serverCliMaxMs = Math.max(figures.serverCliMaxMs ?? 0, Date.now() - t);
      return r;
    };
    const add = await hd('storage', 'connection', 'add', 'iscsi', '--name', 'cli1', '--portal', '127.0.0.1', '--target', TARGET2, '--connect-now', '--json');
    assert.equal(add.code, 0, add.stderr);
    assert.equal((JSON.parse(add.stdout) as { state: string }).state, 'connected');
    // multipathd maps the new disk too (one path): wait until the LUN list shows the map.
    let luns: Lun[] = [];
    for (const end = Date.now() + 90_000; Date.now() < end;) {
      const r = await hd('storage', 'lun', 'list', 'cli1', '--json');
      assert.equal(r.code, 0, r.stderr);
      luns = JSON.parse(r.stdout) as Lun[];
      if (luns.length === 1 && luns[0]!.multipath) break;
      await new Promise((r) => setTimeout(r, 2000));
    }
    assert.equal(luns.length, 1, JSON.stringify(luns));
    const lun = luns[0]!;
    assert.notEqual(lun.wwid, mpLun?.wwid, 'the second target has its own LUN');
    assert.equal(lun.devicePath, `/dev/mapper/${lun.wwid}`);
    assert.equal(lun.sizeBytes, 32 * 1024 * 1024);
    const vgsBefore = (await s.mustRun(['vgs', '--noheadings', '-o', 'vg_name'])).stdout;
    const bad = await hd('storage', 'domain', 'create', '--name', 'clidata', '--type', 'data', '--connection', 'cli1', '--lun', 'nosuchwwid');
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /lun: connection cli1 has no LUN nosuchwwid/);
    assert.equal((await s.mustRun(['vgs', '--noheadings', '-o', 'vg_name'])).stdout, vgsBefore, 'a refused create made a volume group');
    const made = await hd('storage', 'domain', 'create', '--name', 'clidata', '--type', 'data', '--connection', 'cli1', '--lun', lun.wwid, '--json');
    assert.equal(made.code, 0, made.stderr);
    const d = JSON.parse(made.stdout) as StorageDomain;
    assert.deepEqual([d.name, d.kind, d.poolType, d.device, d.status], ['clidata', 'block', 'logical', lun.devicePath, 'active']);
    const m = parseMetadataTags((await s.mustRun(['vgs', '--noheadings', '-o', 'vg_tags', d.id])).stdout.trim().split(','));
    assert.deepEqual([m.uuid, m.name, m.kind], [d.id, 'clidata', 'block']);
    const pvs = (await s.mustRun(['pvs', '--noheadings', '-o', 'pv_name', '--select', `vg_name=${d.id}`])).stdout.trim();
    assert.equal(pvs, lun.devicePath);
    // The event, with who and the result, in the CLI's own state DB (copied out through the exchange directory).
    await s.mustRun(['cp', '/run/hdcli/state.db', '/run/testhost/cli-state.db']);
    const db = openDatabase(join(s.xferDir, 'cli-state.db'));
    try {
      const rows = db.prepare("SELECT object_id, message, channel, result FROM events WHERE object_type = 'storage-domain' ORDER BY id").all() as { object_id: string; message: string; channel: string; result: string }[];
      assert.deepEqual(rows.map((r) => [r.object_id, r.message.replace(/ failed: .*/, ' failed: …'), r.channel, r.result]), [
        ['clidata', 'Create data storage domain clidata on connection cli1: started', 'cli', 'started'],
        ['clidata', 'Create data storage domain clidata on connection cli1 failed: …', 'cli', 'failure'],
        ['clidata', 'Create data storage domain clidata on connection cli1: started', 'cli', 'started'],
        ['clidata', 'Create data storage domain clidata on connection cli1', 'cli', 'success'],
      ]);
    } finally { db.close(); }
  }));

  it('NFS outage: the domain turns unreachable with an event while the CLI keeps answering and no hostdeck process hangs; it recovers with an event', guard(async () => {
    const n = node!;
    // Hand node1's state to hostdeck inside node1.
    nodeDb!.close();
    nodeDb = undefined;
    await n.mustRun(['mkdir', '-p', '/run/hd']);
    await n.mustRun(['cp', '/run/testhost/state.db', '/run/hd/state.db']);
    // Node's compile cache: every CLI start after the first skips compiling the bundle again (seconds under TCG).
    const env = { HOSTDECK_DB: '/run/hd/state.db', HOSTDECK_STORAGE_KEY: '/run/hd/key', NODE_COMPILE_CACHE: '/run/hd/node-cache' };
    const hd = async (...args: string[]) => {
      const t = Date.now();
      const r = await n.run([process.execPath, BUNDLE, ...args], { env, timeoutMs: 120_000 });
      figures.cliMaxMs = Math.max(figures.cliMaxMs ?? 0, Date.now() - t);
      return r;
    };
    const list = async (): Promise<StorageDomain[]> => {
      const r = await hd('storage', 'domain', 'list', '--json');
      assert.equal(r.code, 0, `storage domain list did not answer: ${r.stderr}`);
      return JSON.parse(r.stdout) as StorageDomain[];
    };
    // The monitor writes each status change to its log with the time: read with cat, far cheaper than a CLI start under TCG.
    const monitorLog = async () => (await n.run(['cat', '/run/hd/monitor.log'])).stdout;
    const waitLog = async (re: RegExp, what: string) => {
      const deadline = Date.now() + 120_000;
      let text = await monitorLog();
      while (!re.test(text) && Date.now() < deadline) { await new Promise((r) => setTimeout(r, 1000)); text = await monitorLog(); }
      assert.match(text, re, `${what}; the monitor logged:\n${text}`);
      return re.exec(text)!;
    };

    const monitorPid = await n.spawnBackground([process.execPath, BUNDLE, 'storage', 'domain', 'monitor'], {
      log: '/run/hd/monitor.log', pidFile: '/run/hd/monitor.pid', cwd: '/run/hd', env: { HOSTDECK_DB: '/run/hd/state.db', NODE_COMPILE_CACHE: '/run/hd/node-cache' },
    });
    await waitLog(/first round: nfsdata active, posixdata active/, 'the monitor did not start');

    // Samples every process's state until told to stop (DSTATE_SAMPLER).
    await n.writeFile('/run/hd/dstate.sh', DSTATE_SAMPLER);
    const sampler = await n.spawnBackground(['/bin/bash', '/run/hd/dstate.sh'], { log: '/run/hd/dstate.log', pidFile: '/run/hd/dstate.pid' });
    // Timed on this machine's clock: a guest clock under TCG on a loaded machine can jump by minutes.
    const t0 = Date.now();
    await server!.setLink(0, false);
    await waitLog(/^\S+ nfsdata: active -> unreachable$/m, 'nfsdata did not turn unreachable');
    // An upper bound: when this test saw the monitor's line (it polls the log about every second).
    figures.unreachableAfterMs = Date.now() - t0;
    assert.ok(figures.unreachableAfterMs <= 30_000, `flagged after ${figures.unreachableAfterMs} ms (issue #7: within 30 s)`);
    // While the server is gone every call answers: the list (from the state DB), the host, one domain in full.
    const l = await list();
    assert.deepEqual(l.map((d) => [d.name, d.status]), [['nfsdata', 'unreachable'], ['posixdata', 'active']], 'only the NFS domain is affected');
    assert.match(l[0]!.lastError ?? '', /did not finish|Input\/output error|timed out|no answer/);
    const hi = await hd('host', 'info');
    assert.equal(hi.code, 0, hi.stderr);
    assert.match(hi.stdout, /^hostname\s+sdnode$/m);
    const show = await hd('storage', 'domain', 'show', 'nfsdata');
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, /^status\s+unreachable \(/m);

    await server!.setLink(0, true);
    await waitLog(/^\S+ nfsdata: unreachable -> active$/m, 'nfsdata did not recover');
    const ev = await hd('events', 'list', '--json', '--search', 'storage domain nfsdata is');
    assert.equal(ev.code, 0, ev.stderr);
    assert.deepEqual((JSON.parse(ev.stdout) as { severity: string; message: string; channel: string }[]).map((e) => [e.severity, e.channel, e.message.replace(/unreachable: .*/, 'unreachable: …')]), [
      ['info', 'system', 'Storage domain nfsdata is reachable again'],
      ['error', 'system', 'Storage domain nfsdata is unreachable: …'],
    ]);

    assert.equal((await n.run(['kill', '-0', String(sampler)])).code, 0, 'the D-state sampler ran through the outage');
    await n.mustRun(['touch', '/run/hd/stop']);
    await n.mustRun(['kill', String(monitorPid)]);
    const log = await n.readFile('/run/hd/dstate.log');
    // hostdeck processes are node (the monitor, every CLI call); a pid seen in D over more than 1 s of samples fails.
    const spans = new Map<string, { first: number; last: number }>();
    for (const line of log.split('\n').filter(Boolean)) {
      const [time, pid, comm] = line.split(' ');
      if (comm !== 'node' && !/hostdeck/.test(comm ?? '')) continue;
      const s = spans.get(pid!) ?? { first: Number(time), last: Number(time) };
      s.last = Number(time);
      spans.set(pid!, s);
    }
    const longest = Math.max(0, ...[...spans.values()].map((s) => s.last - s.first));
    figures.longestHostdeckDStateS = longest;
    assert.ok(longest <= 1, `a hostdeck process was in uninterruptible sleep for ${longest.toFixed(2)} s:\n${log}`);
  }));
});
