import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  engineLabel, fingerprintRule, hostRule, nodeNameRule, parseEngineAddress, sameFingerprint, sshUserRule, validateRegistration,
} from '../../src/domain/engine.ts';

describe('engine address', () => {
  test('host, host:port, [IPv6], [IPv6]:port and a bare IPv6 address', () => {
    assert.deepEqual(parseEngineAddress('engine.example.com'), { host: 'engine.example.com' });
    assert.deepEqual(parseEngineAddress('engine.example.com:8443'), { host: 'engine.example.com', port: 8443 });
    assert.deepEqual(parseEngineAddress('192.0.2.10:443'), { host: '192.0.2.10', port: 443 });
    assert.deepEqual(parseEngineAddress('[2001:db8::10]:8443'), { host: '2001:db8::10', port: 8443 });
    assert.deepEqual(parseEngineAddress('[2001:db8::10]'), { host: '2001:db8::10' });
    assert.deepEqual(parseEngineAddress('2001:db8::10'), { host: '2001:db8::10' });
  });

  test('bad addresses name the field and the rule', () => {
    assert.match(parseEngineAddress('').error!, /^engine: is required/);
    assert.match(parseEngineAddress('engine.example.com:0').error!, /^engine port: must be from 1 to 65535/);
    assert.match(parseEngineAddress('engine.example.com:65536').error!, /^engine port: must be from 1 to 65535/);
    assert.match(parseEngineAddress('engine.example.com:https').error!, /^engine port: must be a whole number/);
    assert.match(parseEngineAddress('[engine.example.com]:443').error!, /must be an IPv6 address/);
    assert.match(parseEngineAddress('300.1.2.3').error!, /not a valid IPv4 address/);
    assert.match(parseEngineAddress('engine_1.example.com').error!, /host name of letters, digits, hyphens and dots/);
    assert.match(parseEngineAddress('-engine.example.com').error!, /host name/);
    assert.match(parseEngineAddress(`${'a'.repeat(64)}.example.com`).error!, /labels of 1-63 characters/);
    assert.match(parseEngineAddress('engine example').error!, /must not contain spaces/);
  });

  test('a host name label may be all digits except the last one', () => {
    assert.equal(hostRule('engine', '42.example.com'), undefined);
    assert.match(hostRule('engine', 'example.42') ?? '', /host name/);
  });

  test('engineLabel brackets IPv6 and leaves out the default port', () => {
    assert.equal(engineLabel('engine.example.com', 443), 'engine.example.com');
    assert.equal(engineLabel('2001:db8::10', 8443), '[2001:db8::10]:8443');
  });
});

describe('engine CA fingerprint', () => {
  const fp = '3A:7F:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:01:C2';
  test('colon form or bare hex, any case; shown in upper-case colon form', () => {
    assert.equal(fingerprintRule('fingerprint', fp.toLowerCase()).fingerprint, fp);
    assert.equal(fingerprintRule('fingerprint', fp.replace(/:/g, '')).fingerprint, fp);
  });
  test('wrong lengths and characters are refused with the field name', () => {
    assert.match(fingerprintRule('fingerprint', fp.slice(3)).error!, /^fingerprint: must be the SHA-1 fingerprint/);
    assert.match(fingerprintRule('fingerprint', fp.replace('3A', 'ZZ')).error!, /^fingerprint:/);
    assert.match(fingerprintRule('fingerprint', `SHA256:${fp}`).error!, /^fingerprint:/);
  });
  test('comparison ignores case and separators', () => {
    assert.ok(sameFingerprint(fp, fp.toLowerCase().replace(/:/g, '')));
    assert.ok(!sameFingerprint(fp, fp.replace('C2', 'C3')));
    assert.ok(!sameFingerprint('', ''));
  });
});

describe('ssh user and node name', () => {
  test('POSIX user names', () => {
    for (const ok of ['root', 'ovirt-admin', 'svc_engine', 'a.b', 'WS01$', '_apt']) assert.equal(sshUserRule('ssh user', ok), undefined, ok);
    assert.match(sshUserRule('ssh user', '-root') ?? '', /^ssh user: must be a POSIX user name/);
    assert.match(sshUserRule('ssh user', 'root user') ?? '', /POSIX user name/);
    assert.match(sshUserRule('ssh user', 'jörg') ?? '', /POSIX user name/);
    assert.match(sshUserRule('ssh user', '1000') ?? '', /must not be all digits/);
    assert.match(sshUserRule('ssh user', 'x'.repeat(33)) ?? '', /at most 32 characters/);
  });
  test('node names', () => {
    assert.equal(nodeNameRule('node name', 'rack3-node7.example.com'), undefined);
    assert.match(nodeNameRule('node name', 'node 7') ?? '', /^node name: may contain only/);
    assert.match(nodeNameRule('node name', 'n'.repeat(256)) ?? '', /at most 255/);
    assert.match(nodeNameRule('node name', '-rf') ?? '', /^node name: must start with a letter or digit/);
  });
});

describe('validateRegistration', () => {
  test('defaults fill name, address, ssh user and ports', () => {
    const v = validateRegistration({ engine: 'engine.example.com' }, { name: 'node1', address: '192.0.2.21' });
    assert.deepEqual(v, {
      ok: true,
      value: { engineHost: 'engine.example.com', enginePort: 443, fingerprint: undefined, sshUser: 'root', sshPort: 22, name: 'node1', address: '192.0.2.21', vdsPort: 54321 },
    });
  });
  test('a separate port field is used, and a contradiction with engine HOST:PORT is refused', () => {
    const v = validateRegistration({ engine: 'engine.example.com', port: '8443', name: 'n', address: '192.0.2.1' });
    assert.ok(v.ok && v.value.enginePort === 8443);
    const c = validateRegistration({ engine: 'engine.example.com:443', port: '8443', name: 'n', address: '192.0.2.1' });
    assert.ok(!c.ok && c.errors.some((e) => e.field === 'port' && /contradicts/.test(e.message)));
  });
  test('all errors at once, each with its field', () => {
    const v = validateRegistration({ engine: 'engine..bad', fingerprint: 'nope', sshUser: '-x', sshPort: '0', name: 'a b', address: '999.1.1.1' });
    assert.ok(!v.ok);
    assert.deepEqual(v.errors.map((e) => e.field), ['engine', 'fingerprint', 'sshUser', 'sshPort', 'name', 'address']);
    assert.match(v.errors.find((e) => e.field === 'address')!.message, /^node address: "999\.1\.1\.1" is not a valid IPv4 address/);
  });
  test('no name and no address to default to', () => {
    const v = validateRegistration({ engine: 'engine.example.com' }, {});
    assert.ok(!v.ok);
    assert.deepEqual(v.errors.map((e) => e.message), [
      'node name: is required (this host has no name to default to)',
      'node address: is required (no management IP found to default to)',
    ]);
  });
});
