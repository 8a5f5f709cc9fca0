// Conformance of a host-register (version 1) server to the protocol as the
// oVirt engine's RegisterServlet serves it, checked with plain HTTPS requests
// (not hostdeck's client). Run here against the oVirt engine stand-in; the
// standalone manager's implementation joins TARGETS when it exists, so the
// stand-in and the manager are held to the same protocol.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import https from 'node:https';
import { after, afterEach, beforeEach, describe, test } from 'node:test';
import { engineErrorPage, removeStandinPki, startEngineStandin, type EngineStandin } from '../lib/engine-standin.ts';

interface Answer { status: number; type: string; body: string }

function get(t: EngineStandin, query: string, ca?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = https.request({ host: t.host, port: t.port, path: `/ovirt-engine/services/host-register?${query}`, agent: false, rejectUnauthorized: ca !== undefined, ca }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const TARGETS: { name: string; start: () => Promise<EngineStandin> }[] = [
  { name: 'oVirt engine stand-in (test/lib/engine-standin.ts)', start: () => startEngineStandin() },
];

for (const target of TARGETS) {
  describe(`host-register v1 conformance: ${target.name}`, () => {
    let t: EngineStandin;
    beforeEach(async () => { t = await target.start(); });
    afterEach(async () => { await t.close(); });
    after(() => removeStandinPki());

    test('get-version answers 1 as text', async () => {
      const a = await get(t, 'version=1&command=get-version');
      assert.equal(a.status, 200);
      assert.equal(a.body.trim(), '1');
    });

    test('get-pki-trust answers the CA as PEM before any trust exists, and that CA verifies the HTTPS certificate', async () => {
      const a = await get(t, 'version=1&command=get-pki-trust');
      assert.equal(a.status, 200);
      const ca = new X509Certificate(a.body);
      assert.equal(ca.ca, true);
      assert.equal(ca.fingerprint, t.pki.caFingerprint);
      const verified = await get(t, 'version=1&command=get-ssh-trust', a.body);
      assert.equal(verified.status, 200);
      assert.match(verified.body, /^ssh-rsa [A-Za-z0-9+/]+=* \S+\n?$/);
    });

    test('register answers OK and records the parameters as sent', async () => {
      const q = new URLSearchParams({ version: '1', command: 'register', name: 'node 1', address: '192.0.2.21', uniqueId: 'abc', sshUser: 'root', sshPort: '22', vdsPort: '54321', sshKeyFingerprint: 'SHA256:x+y/z' });
      const a = await get(t, q.toString(), t.pki.caPem);
      assert.equal(a.status, 200);
      assert.equal(a.body.trim(), 'OK');
      assert.deepEqual(t.received('register')[0]!.params, { name: 'node 1', address: '192.0.2.21', uniqueId: 'abc', sshUser: 'root', sshPort: '22', vdsPort: '54321', sshKeyFingerprint: 'SHA256:x+y/z' });
    });

    test('register without uniqueId, an unknown command and an unknown version are HTTP 400 with a message', async () => {
      const noId = await get(t, 'version=1&command=register&name=n', t.pki.caPem);
      assert.equal(noId.status, 400);
      assert.match(noId.body, /Unique id was not provided/);
      const bad = await get(t, 'version=1&command=frobnicate', t.pki.caPem);
      assert.equal(bad.status, 400);
      assert.match(bad.body, /Invalid command/);
      const v = await get(t, 'version=7&command=get-version');
      assert.equal(v.status, 400);
      assert.match(v.body, /Invalid registration protocol version 7/);
    });

    test('the stand-in can be told to answer an error or another version (for the failure tests)', async () => {
      t.behaviour = { version: '2', answers: { register: engineErrorPage(400, 'no <room>') } };
      assert.equal((await get(t, 'version=1&command=get-version')).body, '2');
      const r = await get(t, 'version=1&command=register&uniqueId=a', t.pki.caPem);
      assert.equal(r.status, 400);
      assert.match(r.body, /no &lt;room&gt;/);
      assert.match(r.type, /text\/html/);
    });
  });
}
