// Parsers of the storage connection code on recorded outputs: iscsiadm
// discovery and sessions (recorded in a test host), multipath -ll
// (multipath-tools 0.9 layout), /proc/mounts, sysfs WWIDs and VPD serials,
// and the sealed CHAP secrets.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { explainIscsi, parseDiscovery, parseSessions } from '../../src/host/storage/iscsi.ts';
import { parseMultipathLl } from '../../src/host/storage/multipath.ts';
import { parseMounts } from '../../src/host/storage/fs.ts';
import { scsiIdWwid, vpd80Serial } from '../../src/host/storage/luns.ts';
import { nfsMountOptions, nfsMountPath } from '../../src/host/storage/nfs.ts';
import { loadKey, secretBox } from '../../src/host/storage/secrets.ts';
import type { RunResult } from '../../src/exec/runner.ts';

const fx = (f: string) => readFileSync(new URL(`../fixtures/storage/${f}`, import.meta.url), 'utf8');

describe('iscsiadm output (recorded: open-iscsi 2.1.8 against LIO)', () => {
  it('sendtargets discovery lists the target with portal and portal group', () => {
    assert.deepEqual(parseDiscovery(fx('iscsiadm-discovery.txt')), [
      { portal: '127.0.0.1:3260', address: '127.0.0.1', port: 3260, tpgt: 1, target: 'iqn.2026-11.org.hostdeck:probe.lun0' },
    ]);
  });
  it('IPv6 portals keep their brackets in the portal and lose them in the address', () => {
    assert.deepEqual(parseDiscovery('[2001:db8::10]:3260,1 iqn.2026-11.org.x:t\n')[0], { portal: '[2001:db8::10]:3260', address: '2001:db8::10', port: 3260, tpgt: 1, target: 'iqn.2026-11.org.x:t' });
  });
  it('sessions list id, portal and target', () => {
    assert.deepEqual(parseSessions(fx('iscsiadm-session.txt')), [
      { id: 2, transport: 'tcp', address: '127.0.0.1', port: 3260, tpgt: 1, target: 'iqn.2026-11.org.hostdeck:probe.lun0' },
    ]);
    assert.deepEqual(parseSessions('iscsiadm: No active sessions.\n'), []);
  });
  const res = (exitCode: number, stderr: string): RunResult => ({ command: 'iscsiadm', args: [], exitCode, stdout: '', stderr, timedOut: false, durationMs: 1 });
  it('exit codes become messages an operator can act on (stderr recorded)', () => {
    const auth = explainIscsi(res(24, 'iscsiadm: Could not login to [iface: default, target: iqn.2026-11.org.hostdeck:probe.lun0, portal: 127.0.0.1,3260].\niscsiadm: initiator reported error (24 - iSCSI login failed due to authorization failure)\niscsiadm: Could not log into all portals\n'), 'login');
    assert.equal(auth.code, 'auth');
    assert.match(auth.message, /CHAP authentication failed/);
    const daemon = explainIscsi(res(20, 'iscsiadm: can not connect to iSCSI daemon (111)!\n'), 'login');
    assert.equal(daemon.code, 'daemon');
    assert.match(daemon.message, /iscsid\) is not running/);
    const down = explainIscsi(res(4, 'iscsiadm: cannot make connection to 127.0.0.1: Connection refused\n'), 'discovery');
    assert.equal(down.code, 'unreachable');
    assert.equal(explainIscsi({ ...res(-1, ''), spawnError: 'iscsiadm: not installed (not found on PATH)' }, 'x').code, 'missing-tool');
  });
});

describe('multipath -ll (multipath-tools 0.9 layout)', () => {
  it('maps with and without a friendly name, their WWIDs, dm devices and paths', () => {
    const maps = parseMultipathLl(fx('multipath-ll-fc.txt'));
    assert.deepEqual(maps.map((m) => [m.name, m.wwid, m.dm, m.vendor, m.product, m.size, m.paths.map((p) => p.device)]), [
      ['mpatha', '360002ac0000000000000001700019b8f', 'dm-2', '3PARdata', 'VV', '1.0T', ['sdb', 'sdd']],
      ['3624a93701c0d5ee1d3ae4a3e00011a2b', '3624a93701c0d5ee1d3ae4a3e00011a2b', 'dm-3', 'PURE', 'FlashArray', '512G', ['sdc', 'sde']],
    ]);
  });
  it('paths of several path groups, with their states', () => {
    const [m] = parseMultipathLl(fx('multipath-ll-iscsi.txt'));
    assert.deepEqual(m!.paths.map((p) => [p.hctl, p.device, p.devt, p.dmState, p.pathState]), [['2:0:0:0', 'sda', '8:0', 'active', 'ready'], ['3:0:0:0', 'sdb', '8:16', 'failed', 'faulty']]);
  });
  it('multipath -ll recorded from a real multipathd: one LIO LUN over two iSCSI portals, one map with both paths', () => {
    const maps = parseMultipathLl(fx('multipath-ll-iscsi-two-portals.txt'));
    assert.deepEqual(maps.map((m) => [m.name, m.wwid, m.dm, m.vendor, m.product, m.size]), [['36001405b7cbdc9baaf048648c6ae9be2', '36001405b7cbdc9baaf048648c6ae9be2', 'dm-0', 'LIO-ORG', 'rd_mp_lun0', '64M']]);
    assert.deepEqual(maps[0]!.paths.map((p) => [p.hctl, p.device, p.devt, p.dmState, p.pathState, p.onlineState]), [['0:0:0:0', 'sda', '8:0', 'active', 'ready', 'running'], ['1:0:0:0', 'sdb', '8:16', 'active', 'ready', 'running']]);
  });
});

describe('mount table and mount options', () => {
  it('/proc/mounts with escaped spaces', () => {
    const m = parseMounts('127.0.0.1:/ /rhev/data-center/mnt/127.0.0.1:_ nfs4 rw,relatime,vers=4.2,soft 0 0\n/dev/loop0 /mnt/a\\040b ext4 rw 0 0\n');
    assert.deepEqual(m.map((x) => [x.source, x.target, x.fstype]), [['127.0.0.1:/', '/rhev/data-center/mnt/127.0.0.1:_', 'nfs4'], ['/dev/loop0', '/mnt/a b', 'ext4']]);
  });
  it("NFS gets oVirt's defaults, the version and the extra options, at vdsm's path", () => {
    const p = { path: 'nfs.example.com:/exports/data', server: 'nfs.example.com', export: '/exports/data', version: '4.1' as const, options: 'noatime' };
    assert.deepEqual(nfsMountOptions(p), ['soft', 'nosharecache', 'timeo=100', 'retrans=3', 'vers=4.1', 'noatime']);
    assert.deepEqual(nfsMountOptions({ ...p, version: 'auto', options: '' }), ['soft', 'nosharecache', 'timeo=100', 'retrans=3']);
    assert.equal(nfsMountPath(p), '/rhev/data-center/mnt/nfs.example.com:_exports_data');
  });
});

describe('SCSI identifiers (recorded in a test host: LIO ramdisk LUN)', () => {
  it('sysfs wwid in scsi_id form (what /dev/disk/by-id/scsi-* and multipath use)', () => {
    // sysfs: naa.60014058fc50a6551ee4675b4a2df184; scsi_id -g -u printed 360014058fc50a6551ee4675b4a2df184.
    assert.equal(scsiIdWwid('naa.60014058fc50a6551ee4675b4a2df184\n'), '360014058fc50a6551ee4675b4a2df184');
    assert.equal(scsiIdWwid('eui.0025385b71b07e2f'), '20025385b71b07e2f');
    assert.equal(scsiIdWwid('t10.ATA     SAMSUNG'), '1ATA_SAMSUNG');
  });
  it('unit serial from VPD page 0x80', () => {
    const raw = Buffer.concat([Buffer.from([0x00, 0x80, 0x00, 0x25]), Buffer.from('8fc50a65-51ee-4675-b4a2-df184c932c63\0')]).toString('utf8');
    assert.equal(vpd80Serial(raw), '8fc50a65-51ee-4675-b4a2-df184c932c63');
    assert.equal(vpd80Serial(undefined), '');
  });
});

describe('sealed CHAP secrets (AES-256-GCM, key file 0600)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hostdeck-secrets-'));
  it('seals and opens; the sealed text does not contain the secret; another context cannot open it', () => {
    const key = join(dir, 'k1');
    const box = secretBox(key);
    const sealed = box.seal('chap-secret-4711', 'id1:chap');
    assert.match(sealed, /^aes256gcm:v1:/);
    assert.ok(!sealed.includes('chap-secret-4711'));
    assert.notEqual(box.seal('chap-secret-4711', 'id1:chap'), sealed, 'a fresh IV each time');
    assert.equal(box.open(sealed, 'id1:chap'), 'chap-secret-4711');
    assert.throws(() => box.open(sealed, 'id2:chap'), /cannot be decrypted/);
    assert.equal(statSync(key).mode & 0o777, 0o600);
  });
  it('a key file others can read is refused with the fix', () => {
    const key = join(dir, 'k2');
    writeFileSync(key, `${Buffer.alloc(32, 7).toString('base64')}\n`);
    chmodSync(key, 0o644);
    assert.throws(() => loadKey(key), /readable by others \(mode 644\); run chmod 600/);
    chmodSync(key, 0o600);
    assert.equal(loadKey(key).length, 32);
  });
  it('another key cannot open a sealed secret', () => {
    const a = secretBox(join(dir, 'k3'));
    const b = secretBox(join(dir, 'k4'));
    assert.throws(() => b.open(a.seal('mutual-secret-1', 'x'), 'x'), /cannot be decrypted/);
    rmSync(dir, { recursive: true, force: true });
  });
});
