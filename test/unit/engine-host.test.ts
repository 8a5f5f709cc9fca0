import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { humanizeNetworkError } from '../../src/host/engine/errors.ts';
import { persistUniqueId, readUniqueId } from '../../src/host/engine/identity.ts';
import { errorText, HostRegisterClient } from '../../src/host/engine/protocol.ts';
import { hasKey, lookupUser, parsePublicKey, sshFingerprint } from '../../src/host/engine/ssh.ts';
import { parseUnattended, splitCmdline } from '../../src/host/engine/unattended-args.ts';
import { unattendedInput } from '../../src/host/engine/register.ts';
import { parseCa } from '../../src/host/engine/trust.ts';
import { makeSshPublicKey, removeStandinPki, standinPki } from '../lib/engine-standin.ts';

const tmp = mkdtempSync(join(tmpdir(), 'hostdeck-engine-unit-'));
after(() => { rmSync(tmp, { recursive: true, force: true }); removeStandinPki(); });

describe('kernel arguments and the unattended file', () => {
  test('words split like the kernel does, with double quotes', () => {
    assert.deepEqual(splitCmdline('ro  quiet a="b c" d=""\n'), ['ro', 'quiet', 'a=b c', 'd=']);
  });
  test('management_server and its fingerprint', () => {
    assert.deepEqual(parseUnattended('BOOT_IMAGE=/vmlinuz ro management_server=engine.example.com:8443 management_server_fingerprint=AA:BB quiet'), {
      engine: 'engine.example.com:8443', fingerprint: 'AA:BB',
    });
    assert.deepEqual(parseUnattended('management_server=[2001:db8::1]:443'), { engine: '[2001:db8::1]:443' });
    assert.equal(parseUnattended('ro quiet management_server_fingerprint=AA'), undefined);
  });
  test('the file takes comments and the optional keys; the kernel command line overrides it', () => {
    const file = '# installer\nmanagement_server=old.example.com\nmanagement_server_ssh_user=alice\nmanagement_server_ssh_port=2222\nmanagement_server_node_name=n7\nmanagement_server_node_address=192.0.2.7\n';
    assert.deepEqual(unattendedInput('management_server=new.example.com', file), {
      engine: 'new.example.com', sshUser: 'alice', sshPort: '2222', name: 'n7', address: '192.0.2.7',
    });
    assert.equal(unattendedInput('ro quiet', '# nothing\n'), undefined);
  });
});

describe('unique id', () => {
  test('vdsm.id first; else the DMI UUID in lower case, written back without a newline', () => {
    const dmi = join(tmp, 'product_uuid');
    const id = join(tmp, 'vdsm', 'vdsm.id');
    writeFileSync(dmi, '4C4C4544-0042-3510-8052-B4C04F4E3132\n');
    const u = readUniqueId({ vdsmIdFile: id, dmiProductUuid: dmi });
    assert.deepEqual(u, { id: '4c4c4544-0042-3510-8052-b4c04f4e3132', source: 'dmi' });
    persistUniqueId(u, id);
    assert.equal(readFileSync(id, 'utf8'), '4c4c4544-0042-3510-8052-b4c04f4e3132');
    writeFileSync(dmi, '11111111-2222-3333-4444-555555555555\n');
    assert.deepEqual(readUniqueId({ vdsmIdFile: id, dmiProductUuid: dmi }), { id: '4c4c4544-0042-3510-8052-b4c04f4e3132', source: 'vdsm.id' });
  });
  test('a placeholder DMI UUID and no vdsm.id is an error that says what to do', () => {
    const dmi = join(tmp, 'zero_uuid');
    writeFileSync(dmi, '00000000-0000-0000-0000-000000000000\n');
    assert.throws(() => readUniqueId({ vdsmIdFile: join(tmp, 'none'), dmiProductUuid: dmi }), /placeholder; write a UUID to/);
  });
});

describe('SSH keys', () => {
  test("the host key fingerprint is what ssh-keygen prints (OpenSSH SHA256 form)", () => {
    const line = makeSshPublicKey('root@node1');
    const file = join(tmp, 'host_rsa.pub');
    writeFileSync(file, `${line}\n`);
    const r = spawnSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', file], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(sshFingerprint(parsePublicKey(line).blob), r.stdout.split(/\s+/)[1]);
  });
  test('the engine key is recognised in authorized_keys whatever its comment or options', () => {
    const key = parsePublicKey(makeSshPublicKey('ovirt-engine'));
    assert.ok(hasKey(`ssh-ed25519 AAAA other\nfrom="10.0.0.0/8" ${key.type} ${key.blob} renamed\n`, key));
    assert.ok(!hasKey('ssh-ed25519 AAAA other\n', key));
  });
  test('anything but an OpenSSH public key from get-ssh-trust is refused', () => {
    assert.throws(() => parsePublicKey('<html>login</html>'), /did not return an OpenSSH public key/);
    const key = parsePublicKey(makeSshPublicKey());
    assert.throws(() => parsePublicKey(`ssh-ed25519 ${key.blob}`), /damaged SSH public key/);
  });
  test('the SSH user is looked up in passwd', () => {
    const p = join(tmp, 'passwd');
    writeFileSync(p, 'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1001::/home/alice:/bin/sh\n');
    assert.deepEqual(lookupUser(p, 'alice'), { name: 'alice', uid: 1000, gid: 1001, home: '/home/alice' });
    assert.equal(lookupUser(p, 'bob'), undefined);
  });
});

describe('engine CA', () => {
  test('fingerprint is SHA-1 over the DER bytes, as openssl prints it', () => {
    const pki = standinPki();
    mkdirSync(join(tmp, 'ca'), { recursive: true });
    writeFileSync(join(tmp, 'ca', 'ca.pem'), pki.caPem);
    const r = spawnSync('openssl', ['x509', '-in', join(tmp, 'ca', 'ca.pem'), '-noout', '-fingerprint', '-sha1'], { encoding: 'utf8' });
    const ca = parseCa(`some preamble\n${pki.caPem}`);
    assert.equal(ca.fingerprint, r.stdout.trim().split('=')[1]);
    assert.equal(ca.subject, 'C=US, O=standin.test, CN=engine-standin.test.12345');
    assert.equal(ca.isCa, true);
  });
  test('an answer without a certificate is a protocol error', () => {
    assert.throws(() => parseCa('<html>Welcome to nginx</html>'), /did not return a PEM certificate; is this an oVirt engine\?/);
  });
});

describe('engine answers and network errors', () => {
  test("the engine's HTML error page is reduced to its text", () => {
    assert.equal(errorText({ status: 400, contentType: 'text/html', body: '<html><head><title>Error</title><style>p{}</style></head><body><h1>HTTP Status 400</h1><p>Unique id was not provided &amp; more</p></body></html>' }),
      'HTTP Status 400 Unique id was not provided & more');
    assert.equal(errorText({ status: 400, contentType: 'text/plain', body: 'Invalid command\n' }), 'Invalid command');
  });
  test('request URLs carry version=1 and the command, IPv6 in brackets', () => {
    const c = new HostRegisterClient({ host: '2001:db8::1', port: 8443 });
    assert.equal(c.url('get-version'), 'https://[2001:db8::1]:8443/ovirt-engine/services/host-register?version=1&command=get-version');
  });
  const err = (code: string, message = code) => Object.assign(new Error(message), { code });
  const t = { host: 'engine.example.com', port: 443, verified: true };
  test('socket errors become the usual failures in words', () => {
    assert.equal(humanizeNetworkError(err('ENOTFOUND'), t).kind, 'dns');
    assert.match(humanizeNetworkError(err('ENOTFOUND'), t).message, /name does not resolve/);
    assert.match(humanizeNetworkError(err('ECONNREFUSED'), t).message, /engine\.example\.com:443: connection refused/);
    assert.match(humanizeNetworkError(err('EHOSTUNREACH'), t).message, /not reachable/);
    assert.equal(humanizeNetworkError(err('ETIMEDOUT'), t).kind, 'timeout');
    assert.match(humanizeNetworkError(err('UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate'), t).message, /certificate mismatch: .*not signed by the CA that was accepted/);
    assert.match(humanizeNetworkError(err('CERT_HAS_EXPIRED'), t).message, /expired/);
  });
});
