// Validation tables for every storage connection field (issue #7): what is
// accepted, and for what is refused, the field and the rule the message names.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { escapeMountName } from '../../src/host/storage/mount-path.ts';
import {
  chapSecretRule, chapUserRule, iscsiNameRule, localPathRule, parsePortal, posixSpecRule, validateConnection,
  validateNfsPath, validateOptions, vfsTypeRule, wwidRule, type ConnectionInput,
} from '../../src/domain/storage/connection.ts';

describe('NFS path server:/export', () => {
  const ok: [string, string, string][] = [
    ['nfs.example.com:/exports/data', 'nfs.example.com', '/exports/data'],
    ['192.0.2.10:/srv/nfs', '192.0.2.10', '/srv/nfs'],
    ['[2001:db8::10]:/export', '[2001:db8::10]', '/export'],
    ['storage-1.lab.example:/', 'storage-1.lab.example', '/'],
    ['nas:/exports/data/', 'nas', '/exports/data'],
    [`h:/${'a'.repeat(250)}`, 'h', `/${'a'.repeat(250)}`],
  ];
  for (const [input, server, exp] of ok) {
    it(`accepts ${input.slice(0, 40)}`, () => {
      const r = validateNfsPath('path', input);
      assert.equal(r.error, undefined);
      assert.equal(r.value?.server, server);
      assert.equal(r.value?.export, exp);
    });
  }
  const bad: [string, RegExp][] = [
    ['', /path: is required/],
    ['nfs.example.com', /must be server:\/export/],
    ['nfs.example.com:exports', /must be server:\/export/],
    ['nfs example.com:/x', /whitespace/],
    ['nfs.example.com:/ex port', /whitespace/],
    ['2001:db8::10:/export', /server:\/export|IPv4|server must be/],
    ['[2001:db8::zz]:/export', /not a valid \[IPv6\]/],
    ['300.1.1.1:/x', /not a valid IPv4 address/],
    ['-bad-.example:/x', /server must be/],
    ['h:/a/../b', /'\.\.'/],
    ['h:/a//b', /empty component/],
    [`h:/${'a'.repeat(252)}`, /at most 254 characters/],
    ['hö:/x', /printable ASCII/],
  ];
  for (const [input, rule] of bad) {
    it(`refuses ${JSON.stringify(input.slice(0, 40))}`, () => {
      const r = validateNfsPath('path', input);
      assert.ok(r.error, 'accepted');
      assert.match(r.error, /^path: /);
      assert.match(r.error, rule);
    });
  }
});

describe('mount options', () => {
  for (const o of ['', 'noatime', 'rsize=1048576,wsize=1048576', 'sec=krb5p', 'context=system_u:object_r:nfs_t:s0', 'data=ordered,errors=remount-ro', 'x-systemd.automount']) {
    it(`accepts ${JSON.stringify(o)}`, () => assert.equal(validateOptions('options', o).error, undefined));
  }
  const bad: [string, RegExp][] = [
    ['noatime,,soft', /empty option/],
    [',noatime', /empty option/],
    ['rw;reboot', /option name/],
    ['a=$(reboot)', /value of a must be/],
    ['a=b c', /value of a must be/],
    ['Noatime', /option name/],
    ['noatime,noatime', /given twice/],
    ['remount', /not allowed/],
    ['x=' + 'a'.repeat(600), /at most 512 characters/],
  ];
  for (const [o, rule] of bad) it(`refuses ${JSON.stringify(o.slice(0, 30))}`, () => assert.match(validateOptions('options', o).error ?? '', rule));
  it('refuses vers= for NFS (the version field says it) and hard (an outage would hang the host)', () => {
    assert.match(validateConnection({ type: 'nfs', path: 'h:/x', options: 'vers=3' }).ok ? '' : 'version field', /version field/);
    const r = validateConnection({ type: 'nfs', path: 'h:/x', options: 'hard' });
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.errors[0]!.message, /^options: option "hard" is not allowed here \(hostdeck mounts soft/);
  });
});

describe('NFS version', () => {
  for (const v of ['auto', '3', '4.0', '4.1', '4.2']) it(`accepts ${v}`, () => assert.equal(validateConnection({ type: 'nfs', path: 'h:/x', version: v }).ok, true));
  for (const v of ['4', '2', 'v4.2', '4.3']) {
    it(`refuses ${v}`, () => {
      const r = validateConnection({ type: 'nfs', path: 'h:/x', version: v });
      assert.equal(r.ok, false);
      if (!r.ok) assert.deepEqual(r.errors.map((e) => e.field), ['version']);
    });
  }
});

describe('iSCSI portal ADDR[:PORT]', () => {
  const ok: [string, string, number][] = [
    ['192.0.2.10', '192.0.2.10', 3260], ['192.0.2.10:3261', '192.0.2.10', 3261], ['[2001:db8::1]', '2001:db8::1', 3260],
    ['[2001:db8::1]:860', '2001:db8::1', 860], ['san.example.com', 'san.example.com', 3260], ['san:1', 'san', 1], ['san:65535', 'san', 65535],
  ];
  for (const [s, a, p] of ok) it(`accepts ${s}`, () => assert.deepEqual(parsePortal('portal', s), { address: a, port: p }));
  const bad: [string, RegExp][] = [
    ['', /is required/], ['192.0.2.10:0', /from 1 to 65535/], ['192.0.2.10:65536', /from 1 to 65535/], ['192.0.2.10:x', /whole number/],
    ['2001:db8::1', /in brackets/], ['[2001:db8::g]:3260', /not a valid \[IPv6\]/], ['256.0.0.1', /not a valid IPv4/], ['san example', /whitespace/],
    ['under_score.example', /address must be/],
  ];
  for (const [s, rule] of bad) it(`refuses ${JSON.stringify(s)}`, () => assert.match(parsePortal('portal', s).error ?? '', rule));
});

describe('iSCSI target names (RFC 3720)', () => {
  for (const n of ['iqn.2003-01.org.linux-iscsi.host:sn.1234', 'iqn.2026-11.org.hostdeck:storage.lun0', 'iqn.1992-01.com.example', 'eui.02004567a425678d', 'naa.52004567ba64678d', 'naa.6001405a1b2c3d4e5f60718293a4b5c6']) {
    it(`accepts ${n}`, () => assert.equal(iscsiNameRule('target', n), undefined));
  }
  const bad: [string, RegExp][] = [
    ['', /is required/], ['iqn.2026-13.org.x:y', /month/], ['iqn.26-11.org.x', /must be iqn\.YYYY-MM/], ['IQN.2026-11.org.x', /lower case/],
    ['iqn.2026-11.org.x:a b', /whitespace/], ['eui.1234', /16 hex/], ['naa.123', /16 or 32 hex/], ['target1', /must start with iqn\./],
    [`iqn.2026-11.org.x:${'a'.repeat(220)}`, /at most 223 bytes/], ['iqn.2026-11.org.x:a/b', /after ':'/], ['iqn.2026-11.-org.x', /must be iqn\.YYYY-MM\.reversed\.domain/], ['iqn.2026-11.org..x', /naming authority/],
  ];
  for (const [n, rule] of bad) it(`refuses ${JSON.stringify(n.slice(0, 40))}`, () => assert.match(iscsiNameRule('target', n) ?? '', rule));
});

describe('CHAP user and secret (open-iscsi/LIO limits)', () => {
  it('user: 1-255 printable characters', () => {
    assert.equal(chapUserRule('chapUser', 'hostdeck'), undefined);
    assert.equal(chapUserRule('chapUser', 'u'.repeat(255)), undefined);
    assert.match(chapUserRule('chapUser', 'u'.repeat(256)) ?? '', /at most 255/);
    assert.match(chapUserRule('chapUser', 'a b') ?? '', /printable ASCII without spaces/);
  });
  it('secret: 12-255 printable characters without spaces', () => {
    assert.equal(chapSecretRule('chapSecret', 'chap-secret-12'), undefined);
    assert.equal(chapSecretRule('chapSecret', 's'.repeat(255)), undefined);
    assert.match(chapSecretRule('chapSecret', 'short') ?? '', /at least 12 characters/);
    assert.match(chapSecretRule('chapSecret', 's'.repeat(256)) ?? '', /at most 255/);
    assert.match(chapSecretRule('chapSecret', 'has a space!!') ?? '', /without spaces/);
    assert.match(chapSecretRule('chapSecret', 'tab\tinside-secret') ?? '', /control/);
  });
  it('a CHAP user without a secret, mutual without CHAP, and equal secrets are refused; messages never contain the secret', () => {
    const base = { type: 'iscsi', portal: '192.0.2.1', target: 'iqn.2026-11.org.x:t' };
    const fields = (i: ConnectionInput) => { const r = validateConnection(i); return r.ok ? [] : r.errors.map((e) => e.field); };
    assert.deepEqual(fields({ ...base, chapUser: 'u' }), ['chapSecret']);
    assert.deepEqual(fields({ ...base, mutualUser: 'm', mutualSecret: 'mutual-secret-1' }), ['mutualUser']);
    assert.deepEqual(fields({ ...base, chapUser: 'u', chapSecret: 'same-secret-123', mutualUser: 'm', mutualSecret: 'same-secret-123' }), ['mutualSecret']);
    const r = validateConnection({ ...base, chapUser: 'u', chapSecret: 'short-1' });
    assert.equal(r.ok, false);
    if (!r.ok) assert.ok(!JSON.stringify(r.errors).includes('short-1'));
  });
  it('a valid CHAP input keeps the secrets apart from the stored parameters', () => {
    const r = validateConnection({ type: 'iscsi', portal: '[2001:db8::5]:3261', target: 'iqn.2026-11.org.x:t', chapUser: 'u', chapSecret: 'chap-secret-123', mutualUser: 'm', mutualSecret: 'mutual-secret-12' });
    assert.equal(r.ok, true);
    if (r.ok) {
      assert.deepEqual(r.value.params, { address: '2001:db8::5', port: 3261, target: 'iqn.2026-11.org.x:t', chapUser: 'u', mutualUser: 'm' });
      assert.deepEqual(r.value.secrets, { chapSecret: 'chap-secret-123', mutualSecret: 'mutual-secret-12' });
    }
  });
});

describe('POSIX spec and vfs type', () => {
  for (const s of ['/dev/sdb1', '/dev/mapper/vg-lv', 'gluster.example.com:/vol1', '//files.example.com/share', '[2001:db8::7]:/vol']) it(`accepts ${s}`, () => assert.equal(posixSpecRule('spec', s), undefined));
  const bad: [string, RegExp][] = [['', /is required/], ['sdb1', /must be a device path/], ['/dev/../etc/passwd', /'\.\.'/], ['//server', /share is \/\/server\/share/], ['/dev/sd b', /whitespace/]];
  for (const [s, rule] of bad) it(`refuses ${JSON.stringify(s)}`, () => assert.match(posixSpecRule('spec', s) ?? '', rule));
  for (const t of ['ext4', 'xfs', 'glusterfs', 'cephfs', 'fuse.sshfs', 'zfs']) it(`vfs type ${t} is accepted`, () => assert.equal(vfsTypeRule('vfsType', t), undefined));
  const badT: [string, RegExp][] = [['', /is required/], ['EXT4', /file system type name/], ['ext4;reboot', /file system type name/], ['bind', /not a storage file system/], ['proc', /not a storage file system/]];
  for (const [t, rule] of badT) it(`vfs type ${JSON.stringify(t)} is refused`, () => assert.match(vfsTypeRule('vfsType', t) ?? '', rule));
});

describe('local directory', () => {
  for (const p of ['/data/images', '/srv/hostdeck-local', '/var/lib/images/']) it(`accepts ${p}`, () => assert.equal(localPathRule('path', p), undefined));
  const bad: [string, RegExp][] = [['', /is required/], ['data', /must be absolute/], ['/data/../etc', /'\.\.'/], ['/', /system directory/], ['/etc', /system directory/], ['/data/my images', /whitespace/]];
  for (const [p, rule] of bad) it(`refuses ${JSON.stringify(p)}`, () => assert.match(localPathRule('path', p) ?? '', rule));
});

describe('FC WWID, names and types', () => {
  it('WWIDs as multipath shows them', () => {
    assert.equal(wwidRule('wwid', '360002ac0000000000000001700019b8f'), undefined);
    assert.equal(wwidRule('wwid', 'naa.624a93701c0d5ee1d3ae4a3e00011a2b'), undefined);
    assert.match(wwidRule('wwid', 'xyz') ?? '', /16-40 hex digits/);
  });
  it('an unknown type names the field', () => {
    const r = validateConnection({ type: 'smb' });
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.errors[0]!.message, /^type: must be one of nfs, iscsi, fc, posixfs, localfs/);
  });
  it('a bad name is refused with the rest', () => {
    const r = validateConnection({ type: 'localfs', path: 'rel', name: 'a b' });
    assert.equal(r.ok, false);
    if (!r.ok) assert.deepEqual(r.errors.map((e) => e.field).sort(), ['name', 'path']);
  });
  it("vdsm's mount directory names", () => {
    assert.equal(escapeMountName('nfs.example.com:/exports/data'), 'nfs.example.com:_exports_data');
    assert.equal(escapeMountName('h:/my_data'), 'h:_my__data');
  });
});
