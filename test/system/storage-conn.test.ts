// Storage connections (issue #7) against real kernels and daemons in one test
// host, over loopback: a LIO iSCSI target with CHAP and open-iscsi's
// initiator, an NFS server and client, an ext4 file system on a loop device,
// a local directory. The connection service runs on this machine with the
// test host's runner and file system (testHostRunner, runnerFs), except the
// 100 connect/disconnect cycles, which run inside the host (host.node) so
// each iscsiadm start does not also pay the agent's round trip.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestHost, testHostRunner } from '../lib/testhost/index.ts';
import { openDatabase, type Db } from '../../src/manager/db.ts';
import { EventLog } from '../../src/manager/events.ts';
import { createConnectionService, fileLog, StorageError, type ConnectionService } from '../../src/core/storage-connections.ts';
import { testDoor } from '../lib/door.ts';
import { runnerFs } from '../../src/host/storage/fs.ts';

const TARGET = 'iqn.2026-11.org.hostdeck:sconn.lun0';
const INITIATOR = 'iqn.2026-11.org.hostdeck:sconn-node';
const CHAP_USER = 'hostdeck';
const CHAP_SECRET = 'Right-Chap-Secret-4711';
const WRONG_SECRET = 'Wrong-Chap-Secret-0815';
const MUTUAL_USER = 'target-side';
const MUTUAL_SECRET = 'Mutual-Chap-Secret-2342';
const WRONG_MUTUAL = 'Wrong-Mutual-Secret-999';
const DISCOVERY_USER = 'discoverer';
const DISCOVERY_SECRET = 'Discovery-Secret-6502';
const WRONG_DISCOVERY = 'Wrong-Discovery-Secret-68k';
const SECRETS = [CHAP_SECRET, WRONG_SECRET, MUTUAL_SECRET, WRONG_MUTUAL, DISCOVERY_SECRET, WRONG_DISCOVERY];
const PORTAL = '127.0.0.1';
// HOSTDECK_STORAGE_CYCLES lowers the count for a quick local run; CI runs 100.
const CYCLES = Number(process.env.HOSTDECK_STORAGE_CYCLES ?? 100);

describe('storage connections in a test host (iSCSI with CHAP, NFS, POSIX on a loop device, local directory)', { timeout: 2_700_000 }, () => {
  let host: TestHost | undefined;
  let dir = '';
  let db: Db;
  let events: EventLog;
  let svc: ConnectionService;
  let psDuringSession = '';
  const ids: Record<string, string> = {};
  const guard = (fn: () => Promise<void>) => TestHost.keepLogsOnFailure(() => [host], fn);
  const h = () => host!;
  const counts = async () => {
    const s = await h().run(['iscsiadm', '-m', 'session']);
    const n = await h().run(['iscsiadm', '-m', 'node']);
    const lines = (t: string) => t.split('\n').filter((l) => l.trim()).length;
    return { sessions: s.code === 21 ? 0 : lines(s.stdout), nodes: n.code === 21 ? 0 : lines(n.stdout) };
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hostdeck-sconn-'));
    db = openDatabase(join(dir, 'state.db'));
    events = new EventLog(db, { user: 'tester', channel: 'cli' });
    // Two vCPUs: the kernel's SCSI scan, udev and iscsid run beside the Node process during the cycles.
    host = new TestHost({ name: 'sconn', nics: 1, cpus: 2 });
    await host.boot();
    await host.startServices([
      'udev',
      { name: 'iscsid', options: { initiatorName: INITIATOR } },
      { name: 'iscsi-target', options: { iqn: TARGET, sizeMb: 64, chapUser: CHAP_USER, chapPassword: CHAP_SECRET, initiatorName: INITIATOR } },
      { name: 'nfs-server', options: { path: '/srv/nfs' } },
    ]);
    const runner = testHostRunner(host);
    svc = createConnectionService({ runner, fs: runnerFs(runner), db, door: testDoor(events), keyFile: join(dir, 'storage-secrets.key'), log: fileLog(join(dir, 'hostdeck.log')) });
  });
  after(async () => {
    await host?.destroy();
    db?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('iSCSI discovery on the portal lists the target and its portal, and stores no node record', guard(async () => {
    const found = await svc.discover(PORTAL);
    assert.deepEqual(found.map((t) => [t.target, t.portal, t.tpgt]), [[TARGET, '127.0.0.1:3260', 1]]);
    assert.deepEqual(await counts(), { sessions: 0, nodes: 0 });
    await assert.rejects(svc.discover('127.0.0.1:3261'), (e: StorageError) => e.code === 'unreachable' && /cannot reach the portal/.test(e.message));
  }));

  it('discovery with CHAP (the portal enforces discovery authentication): the right secret lists the target, none or a wrong one fails clearly; no discovery record, no node record stays', guard(async () => {
    // LIO's discovery authentication, straight in configfs (what targetcli's /iscsi set discovery_auth writes).
    const discoveryAuth = '/sys/kernel/config/target/iscsi/discovery_auth';
    await h().writeFile(`${discoveryAuth}/userid`, DISCOVERY_USER);
    await h().writeFile(`${discoveryAuth}/password`, DISCOVERY_SECRET);
    await h().writeFile(`${discoveryAuth}/enforce_discovery_auth`, '1');
    const records = async () => (await h().run(['ls', '-A', '/etc/iscsi/send_targets', '/etc/iscsi/nodes'])).stdout.replace(/^\/etc\/iscsi\/\S+:$/gm, '').trim();
    try {
      await assert.rejects(svc.discover(PORTAL), (e: StorageError) => e.code === 'auth' && /CHAP authentication failed/.test(e.message));
      await assert.rejects(svc.discover(PORTAL, { user: DISCOVERY_USER, secret: WRONG_DISCOVERY }), (e: StorageError) => e.code === 'auth' && /discovery on 127\.0\.0\.1:3260: the target refused the login \(CHAP authentication failed\)/.test(e.message));
      assert.equal(await records(), '', 'a failed discovery left a record behind');
      const found = await svc.discover(PORTAL, { user: DISCOVERY_USER, secret: DISCOVERY_SECRET });
      assert.deepEqual(found.map((t) => [t.target, t.portal]), [[TARGET, '127.0.0.1:3260']]);
      assert.equal(await records(), '', 'discovery left its record (with the secret) or node records behind');
      assert.deepEqual(await counts(), { sessions: 0, nodes: 0 });
    } finally {
      await h().writeFile(`${discoveryAuth}/enforce_discovery_auth`, '0');
    }
  }));

  it('a wrong CHAP secret fails with a clear message and leaves no session and no node record', guard(async () => {
    const c = await svc.add({ type: 'iscsi', name: 'wrong', portal: PORTAL, target: TARGET, chapUser: CHAP_USER, chapSecret: WRONG_SECRET });
    ids.wrong = c.id;
    await assert.rejects(svc.connect(c.id), (e: StorageError) => {
      assert.equal(e.code, 'auth');
      assert.match(e.message, /CHAP authentication failed\): check the CHAP user name and secret/);
      return true;
    });
    assert.deepEqual(await counts(), { sessions: 0, nodes: 0 }, 'a failed login left a session or a node record');
    assert.equal(svc.get(c.id)?.state, 'failed');
    const ev = events.list({ text: 'Connect storage' })[0];
    assert.equal(ev?.result, 'failure');
    assert.match(ev!.message, /CHAP authentication failed/);
    await svc.remove(c.id);
    assert.equal(svc.get('wrong'), undefined);
  }));

  it('the right CHAP secret logs in; the LUN shows WWID, size, vendor, model, serial and its by-id device; a second connect is success', guard(async () => {
    const c = await svc.add({ type: 'iscsi', name: 'lun0', portal: PORTAL, target: TARGET, chapUser: CHAP_USER, chapSecret: CHAP_SECRET });
    ids.good = c.id;
    const o = await svc.connect('lun0');
    assert.equal(o.already, false);
    assert.equal(o.connection.state, 'connected');
    assert.deepEqual(await counts(), { sessions: 1, nodes: 1 });
    psDuringSession = (await h().mustRun(['ps', '-eo', 'args'])).stdout;
    const luns = await svc.luns('lun0');
    assert.equal(luns.length, 1);
    const l = luns[0]!;
    assert.equal(l.sizeBytes, 64 * 1024 * 1024);
    assert.equal(l.vendor, 'LIO-ORG');
    assert.match(l.model, /^rd_sconn_lun0/);
    assert.match(l.serial, /^[0-9a-f]{8}-[0-9a-f]{4}-/);
    assert.match(l.wwid, /^36001405[0-9a-f]{25}$/);
    assert.equal(l.devicePath, `/dev/disk/by-id/scsi-${l.wwid}`);
    assert.equal((await h().run(['test', '-b', l.devicePath])).code, 0, `${l.devicePath} is not a block device`);
    // The same WWID as udev's scsi_id reports for the disk.
    const id = await h().mustRun(['/lib/udev/scsi_id', '-g', '-u', '-d', `/dev/${l.paths[0]}`]);
    assert.equal(id.stdout.trim(), l.wwid);
    // Persistent: the node record reconnects at boot.
    const rec = await h().mustRun(['iscsiadm', '-m', 'node', '-T', TARGET, '-p', '127.0.0.1:3260']);
    assert.match(rec.stdout, /^node\.startup = automatic$/m);
    assert.match(rec.stdout, /^node\.session\.auth\.password = \*+$/m);
    const again = await svc.connect('lun0');
    assert.equal(again.already, true);
    assert.match(again.message, /was connected already/);
    assert.deepEqual(await counts(), { sessions: 1, nodes: 1 });
    assert.equal((await svc.status('lun0')).state, 'connected');
    await assert.rejects(svc.add({ type: 'iscsi', portal: '127.0.0.1:3260', target: TARGET }), (e: StorageError) => e.code === 'exists' && /exists already \(connection lun0\)/.test(e.message));
    await assert.rejects(svc.remove('lun0'), (e: StorageError) => e.code === 'connected' && /disconnect it first/.test(e.message));
  }));

  it('disconnect logs out and removes the node record (with its secret); a second disconnect says it was not connected', guard(async () => {
    const o = await svc.disconnect('lun0');
    assert.equal(o.already, false);
    assert.deepEqual(await counts(), { sessions: 0, nodes: 0 });
    const ls = await h().run(['ls', '/etc/iscsi/nodes']);
    assert.equal(ls.stdout.trim(), '', 'a node record directory stays behind');
    const again = await svc.disconnect('lun0');
    assert.equal(again.already, true);
    assert.match(again.message, /was not connected/);
    assert.equal((await svc.status('lun0')).state, 'disconnected');
  }));

  it(`${CYCLES} connect/disconnect cycles (inside the host) end with the same session and node-record counts as at start`, guard(async () => {
    const start = await counts();
    const r = await h().node(['test/system/fixtures/storage-conn-cycles.ts', PORTAL, TARGET, CHAP_USER, String(CYCLES)], { input: `${CHAP_SECRET}\n`, timeoutMs: 2_100_000 });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { before: object; after: object; connected: number; failures: string[]; ms: number; perCycleMs: { median: number; max: number }; spent: Record<string, string>; events: number; failedEvents: number; startedEvents: number };
    assert.deepEqual(out.failures, []);
    assert.equal(out.connected, CYCLES, 'every cycle logged in anew');
    assert.deepEqual(out.after, out.before);
    assert.deepEqual(out.before, start);
    // Connect and disconnect act outside the state DB: each records its attempt ('started') and then its result.
    assert.equal(out.events, 1 + 4 * CYCLES, 'one event for the add, two per connect and per disconnect');
    assert.equal(out.startedEvents, 2 * CYCLES);
    assert.equal(out.failedEvents, 0);
    assert.deepEqual(await counts(), start);
    process.stdout.write(`# ${CYCLES} iSCSI connect/disconnect cycles inside the test host (${h().accel}): ${(out.ms / 1000).toFixed(1)} s, per cycle median ${Math.round(out.perCycleMs.median)} ms, max ${Math.round(out.perCycleMs.max)} ms; per program ${JSON.stringify(out.spent)}\n`);
  }));

  it('mutual CHAP: the right target secret logs in; a wrong one is refused and leaves nothing behind', guard(async () => {
    // The target's side of mutual CHAP, straight in LIO's configfs (what targetcli's set auth mutual_userid= writes).
    const auth = `/sys/kernel/config/target/iscsi/${TARGET}/tpgt_1/acls/${INITIATOR}/auth`;
    await h().writeFile(`${auth}/userid_mutual`, MUTUAL_USER);
    await h().writeFile(`${auth}/password_mutual`, MUTUAL_SECRET);
    await svc.remove('lun0');
    const c = await svc.add({ type: 'iscsi', name: 'mutual', portal: PORTAL, target: TARGET, chapUser: CHAP_USER, chapSecret: CHAP_SECRET, mutualUser: MUTUAL_USER, mutualSecret: WRONG_MUTUAL, persistent: false });
    await assert.rejects(svc.connect(c.id), (e: StorageError) => e.code === 'auth' || e.code === 'failed');
    assert.deepEqual(await counts(), { sessions: 0, nodes: 0 });
    await svc.remove(c.id);
    const good = await svc.add({ type: 'iscsi', name: 'mutual', portal: PORTAL, target: TARGET, chapUser: CHAP_USER, chapSecret: CHAP_SECRET, mutualUser: MUTUAL_USER, mutualSecret: MUTUAL_SECRET, persistent: false });
    ids.mutual = good.id;
    await svc.connect(good.id);
    assert.deepEqual(await counts(), { sessions: 1, nodes: 1 });
    assert.match((await h().mustRun(['iscsiadm', '-m', 'node', '-T', TARGET, '-p', '127.0.0.1:3260'])).stdout, /^node\.startup = manual$/m, 'not persistent: manual start');
    psDuringSession += (await h().mustRun(['ps', '-eo', 'args'])).stdout;
    await svc.disconnect(good.id);
    assert.deepEqual(await counts(), { sessions: 0, nodes: 0 });
  }));

  it('NFS: connect mounts with oVirt\'s options and the version at vdsm\'s path; a busy mount is refused naming its user; disconnect unmounts', guard(async () => {
    const c = await svc.add({ type: 'nfs', name: 'nfs1', path: '127.0.0.1:/', version: '4.2', options: 'noatime' });
    ids.nfs = c.id;
    const mp = svc.mountPath(c)!;
    assert.equal(mp, '/rhev/data-center/mnt/127.0.0.1:_');
    await svc.connect('nfs1');
    const m = (await h().readFile('/proc/mounts')).split('\n').find((l) => l.split(' ')[1] === mp);
    assert.ok(m, 'not mounted');
    assert.match(m, /^127\.0\.0\.1:\/ \S+ nfs4 /);
    for (const o of ['vers=4.2', 'soft', 'nosharecache', 'timeo=100', 'retrans=3', 'noatime']) assert.ok(m.split(' ')[3]!.split(',').includes(o), `${o} missing in ${m}`);
    await h().writeFile(`${mp}/hello.txt`, 'via hostdeck\n');
    assert.equal(await h().readFile('/srv/nfs/hello.txt'), 'via hostdeck\n');
    assert.equal((await svc.connect('nfs1')).already, true);
    // A shell sitting in the mount keeps it busy.
    const sleeper = await h().spawnBackground(['/usr/bin/sleep', '600'], { log: '/dev/null', pidFile: '/run/sconn-sleep.pid', cwd: mp });
    await assert.rejects(svc.disconnect('nfs1'), (e: StorageError) => e.code === 'busy' && /is busy, used by sleep \(pid \d+\)/.test(e.message) && /Stop what uses it/.test(e.message));
    assert.equal((await svc.status('nfs1')).state, 'connected');
    await h().mustRun(['kill', String(sleeper)]);
    await h().run(['sleep', '0.3']);
    const d = await svc.disconnect('nfs1');
    assert.equal(d.already, false);
    assert.ok(!(await h().readFile('/proc/mounts')).includes(` ${mp} `));
    assert.notEqual((await h().run(['test', '-e', mp])).code, 0, 'the mount directory stays');
  }));

  it('NFS: an export the server does not have fails with a clear message and leaves no mount directory', guard(async () => {
    const c = await svc.add({ type: 'nfs', name: 'nfs-missing', path: '127.0.0.1:/no/such/export', version: '4.2', persistent: false });
    await assert.rejects(svc.connect(c.id), (e: StorageError) => /has no export \/no\/such\/export|refused/.test(e.message));
    assert.notEqual((await h().run(['test', '-e', svc.mountPath(c)!])).code, 0);
    await svc.remove(c.id);
  }));

  it('POSIX: an ext4 file system on a loop device mounts with its options and unmounts; a wrong type is named', guard(async () => {
    await h().run(['modprobe', '-a', 'loop', 'ext4']);
    await h().mustRun(['truncate', '-s', '16M', '/run/sconn.img']);
    await h().mustRun(['mkfs.ext4', '-q', '-F', '/run/sconn.img']);
    const dev = (await h().mustRun(['losetup', '-f', '--show', '/run/sconn.img'])).stdout.trim();
    assert.match(dev, /^\/dev\/loop\d+$/);
    // ext2 is served by the loaded ext4 driver, which refuses a journalled ext4 as ext2 (no module to load).
    const wrong = await svc.add({ type: 'posixfs', name: 'wrongfs', spec: dev, vfsType: 'ext2', persistent: false });
    await assert.rejects(svc.connect(wrong.id), (e: StorageError) => new RegExp(`${dev} could not be mounted as ext2 \\(wrong type, a damaged file system or a bad option\\)`).test(e.message));
    assert.notEqual((await h().run(['test', '-e', svc.mountPath(wrong)!])).code, 0, 'the mount directory stays');
    await svc.remove(wrong.id);
    const c = await svc.add({ type: 'posixfs', name: 'loop', spec: dev, vfsType: 'ext4', options: 'noatime,data=ordered' });
    ids.posix = c.id;
    const mp = svc.mountPath(c)!;
    assert.equal(mp, `/rhev/data-center/mnt/${dev.replace(/\//g, '_')}`);
    await svc.connect('loop');
    const m = (await h().readFile('/proc/mounts')).split('\n').find((l) => l.split(' ')[1] === mp);
    assert.match(m ?? '', new RegExp(`^${dev} \\S+ ext4 rw,noatime`));
    await h().writeFile(`${mp}/x`, 'posix\n');
    await svc.disconnect('loop');
    assert.ok(!(await h().readFile('/proc/mounts')).includes(` ${mp} `));
  }));

  it('local directory: a missing directory is named, an existing one connects', guard(async () => {
    const c = await svc.add({ type: 'localfs', name: 'local', path: '/srv/hostdeck-local' });
    ids.local = c.id;
    await assert.rejects(svc.connect('local'), (e: StorageError) => e.code === 'not-found' && /\/srv\/hostdeck-local does not exist; create it first/.test(e.message));
    await h().mustRun(['mkdir', '-p', '/srv/hostdeck-local']);
    await svc.connect('local');
    assert.equal(svc.mountPath(svc.get('local')!), '/srv/hostdeck-local');
    assert.equal((await svc.status('local')).state, 'connected');
  }));

  it('reconnect brings back every persistent connection after it was dropped (NFS unmounted, the iSCSI session gone, as after a reboot) and reports each one', guard(async () => {
    // The mutual-CHAP iSCSI connection now reconnects at boot; it and NFS are connected, then dropped behind hostdeck's back.
    await svc.setPersistent(ids.mutual!, true);
    await svc.connect(ids.mutual!);
    await svc.connect('nfs1');
    const mp = svc.mountPath(svc.get('nfs1')!)!;
    await h().mustRun(['umount', mp]);
    await h().mustRun(['iscsiadm', '-m', 'node', '-T', TARGET, '-p', '127.0.0.1:3260', '--logout']);
    assert.deepEqual(await counts(), { sessions: 0, nodes: 1 }, 'the node record stays, as after a reboot');
    assert.notEqual((await svc.status('nfs1')).state, 'connected');
    assert.notEqual((await svc.status(ids.mutual!)).state, 'connected');
    const wrong = await svc.add({ type: 'nfs', name: 'nfs-down', path: '127.0.0.1:/not-exported', version: '4.2' });
    const manual = await svc.add({ type: 'localfs', name: 'local-manual', path: '/srv/hostdeck-manual', persistent: false });
    const report = await svc.reconnectPersistent();
    const by = Object.fromEntries(report.map((r) => [r.id, r]));
    assert.equal(by[ids.nfs!]?.ok, true);
    assert.equal(by[ids.mutual!]?.ok, true, JSON.stringify(by[ids.mutual!]));
    assert.equal(by[ids.posix!]?.ok, true);
    assert.equal(by[ids.local!]?.ok, true);
    assert.equal(by[wrong.id]?.ok, false);
    assert.match(by[wrong.id]!.message, /not-exported/);
    assert.equal(by[manual.id], undefined, 'a connection that is not persistent was reconnected');
    assert.equal((await svc.status('nfs1')).state, 'connected');
    assert.ok((await h().readFile('/proc/mounts')).split('\n').some((l) => l.split(' ')[1] === mp), 'NFS is not mounted again');
    assert.equal((await svc.status(ids.mutual!)).state, 'connected');
    assert.deepEqual(await counts(), { sessions: 1, nodes: 1 });
    assert.equal((await svc.status('loop')).state, 'connected');
    psDuringSession += (await h().mustRun(['ps', '-eo', 'args'])).stdout;
    await svc.disconnect('nfs1');
    await svc.disconnect('loop');
    await svc.disconnect(ids.mutual!);
    assert.deepEqual(await counts(), { sessions: 0, nodes: 0 });
  }));

  it('no CHAP secret appears in the log file, the events, the state DB or the process list', guard(async () => {
    const log = readFileSync(join(dir, 'hostdeck.log'), 'utf8');
    assert.match(log, /ran iscsiadm .* -n node\.session\.auth\.password -v \*\*\*/, 'the log does not show the redacted update');
    const evText = JSON.stringify(events.list({ limit: 100_000 }));
    db.pragma('wal_checkpoint(FULL)');
    const files = readdirSync(dir).filter((f) => f.startsWith('state.db'));
    const dbBytes = Buffer.concat(files.map((f) => readFileSync(join(dir, f))));
    assert.ok(dbBytes.includes('aes256gcm:v1:'), 'no sealed secret in the DB');
    assert.ok(psDuringSession.includes('iscsid'), 'the ps capture is empty');
    for (const s of SECRETS) {
      assert.ok(!log.includes(s), 'a secret is in the log file');
      assert.ok(!evText.includes(s), 'a secret is in the events');
      assert.ok(!dbBytes.includes(s), 'a secret is in the state DB');
      assert.ok(!psDuringSession.includes(s), 'a secret is in the process list');
    }
  }));
});
