// Registration against the oVirt engine stand-in (built from the published
// host-register protocol version 1; see test/lib/engine-standin.ts): an HTTPS
// server on loopback with its own CA that records what it receives.
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo, LookupFunction } from 'node:net';
import { join } from 'node:path';
import { after, afterEach, beforeEach, describe, test } from 'node:test';
import { openDatabase, getSetting } from '../../src/manager/db.ts';
import { EventLog } from '../../src/manager/events.ts';
import { EngineError, EngineInputError, engineState, enginePaths, vmActionsLocked, type EngineEnv } from '../../src/host/engine/index.ts';
import { engineUseCases } from '../../src/core/engine.ts';
import { createDoor } from '../../src/core/door.ts';
import type { RegistrationInput } from '../../src/domain/engine.ts';
import { engineErrorPage, makeHostRoot, removeStandinPki, startEngineStandin, type EngineStandin, type HostRoot } from '../lib/engine-standin.ts';
import type { StepProgress } from '../../src/domain/engine.ts';

function services() {
  const db = openDatabase(':memory:');
  return { db, events: new EventLog(db, { user: 'tester', channel: 'cli' }) };
}

// The core's engine use cases over this state DB, for the CLI principal the log names.
function core(svc: ReturnType<typeof services>) {
  const door = createDoor({ user: 'tester', channel: 'cli' }, svc.events, { readOnly: false, engineLock: () => undefined });
  return engineUseCases({ ...svc, door });
}
const registerWithEngine = (svc: ReturnType<typeof services>, input: RegistrationInput, env?: EngineEnv) => core(svc).register(input, env);
const unregisterFromEngine = (svc: ReturnType<typeof services>, env?: Pick<EngineEnv, 'paths'>) => core(svc).unregister(env);
const unattendedRegistration = (svc: ReturnType<typeof services>, cmdline?: string, env?: EngineEnv & { force?: boolean }) => core(svc).unattended(cmdline, env);

const HOST = { name: 'node1', address: '192.0.2.21' };

async function expectEngineError(p: Promise<unknown>, kind: string, text: RegExp): Promise<EngineError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof EngineError, `expected an EngineError, got ${String(e)}`);
    assert.equal(e.kind, kind, e.message);
    assert.match(e.message, text);
    return e;
  }
  assert.fail('registration should have failed');
}

describe('engine registration against the oVirt engine stand-in (host-register v1)', () => {
  let engine: EngineStandin;
  let host: HostRoot;
  let svc: ReturnType<typeof services>;
  let env: EngineEnv;

  beforeEach(async () => {
    engine = await startEngineStandin();
    host = makeHostRoot();
    svc = services();
    env = { paths: enginePaths(host.root), timeoutMs: 5000, defaults: async () => HOST };
  });
  afterEach(async () => {
    await engine.close();
    host.cleanup();
    svc.db.close();
  });
  after(() => removeStandinPki());

  test('happy path: CA stored, key appended, register receives exactly the protocol parameters, pending approval', async () => {
    const steps: StepProgress[][] = [];
    const r = await registerWithEngine(svc, { engine: engine.address, fingerprint: engine.pki.caFingerprint.toLowerCase() }, { ...env, onProgress: (s) => steps.push(s) });

    assert.deepEqual(engine.requests.map((q) => q.command), ['get-version', 'get-pki-trust', 'get-ssh-trust', 'register']);
    assert.ok(engine.requests.every((q) => q.version === '1'));
    const reg = engine.received('register')[0]!;
    const hostKeyBlob = host.hostKey.split(' ')[1]!;
    const { createHash } = await import('node:crypto');
    const expectedFp = `SHA256:${createHash('sha256').update(Buffer.from(hostKeyBlob, 'base64')).digest('base64').replace(/=+$/, '')}`;
    assert.deepEqual(reg.params, {
      name: 'node1',
      address: '192.0.2.21',
      uniqueId: host.dmiUuid.toLowerCase(),
      sshUser: 'root',
      sshPort: '22',
      vdsPort: '54321',
      sshKeyFingerprint: expectedFp,
    });
    assert.ok(!('port' in reg.params), 'the engine reads vdsPort; the old "port" must not be sent');

    const paths = enginePaths(host.root);
    assert.equal(readFileSync(paths.caFile, 'utf8').trim(), engine.pki.caPem.trim());
    assert.equal(readFileSync(paths.vdsmIdFile, 'utf8'), host.dmiUuid.toLowerCase());
    const ak = join(host.root, 'root/.ssh/authorized_keys');
    assert.equal(readFileSync(ak, 'utf8'), `${engine.sshPublicKey}\n`);
    assert.equal(statSync(ak).mode & 0o777, 0o600);
    assert.equal(statSync(join(host.root, 'root/.ssh')).mode & 0o777, 0o700);

    assert.equal(r.status.mode, 'registered');
    assert.equal(r.status.state, 'pending-approval');
    assert.match(r.status.summary, /registered, pending approval/);
    assert.equal(r.ca.fingerprint, engine.pki.caFingerprint);
    assert.equal(steps.at(-1)!.every((s) => s.status === 'done'), true);

    const ev = svc.events.list();
    // The attempt first (its effect is on files and the engine), then its result, tied by the correlation id.
    assert.deepEqual(ev.map((e) => e.result), ['success', 'started']);
    assert.equal(ev[0]!.correlationId, ev[1]!.correlationId);
    assert.match(ev[1]!.message, /^Register as node1 \(192\.0\.2\.21\) with oVirt engine .*: started$/);
    assert.equal(ev[0]!.objectId, engine.address);
    assert.match(ev[0]!.message, /Register as node1 \(192\.0\.2\.21\) with oVirt engine/);
    assert.match(vmActionsLocked(svc) ?? '', /managed by the oVirt engine 127\.0\.0\.1:\d+/);
  });

  test('registering twice appends the engine key only once and keeps the unique id', async () => {
    mkdirSync(join(host.root, 'root/.ssh'), { recursive: true });
    writeFileSync(join(host.root, 'root/.ssh/authorized_keys'), 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOperatorKeyOperatorKeyOperatorKeyOpera admin@laptop');
    await registerWithEngine(svc, { engine: engine.address, fingerprint: engine.pki.caFingerprint }, env);
    // The second time no fingerprint is given: the stored CA is already trusted.
    const r2 = await registerWithEngine(svc, { engine: engine.address }, env);
    const text = readFileSync(join(host.root, 'root/.ssh/authorized_keys'), 'utf8');
    assert.equal(text.split('\n').filter((l) => l.includes(engine.sshPublicKey.split(' ')[1]!)).length, 1);
    assert.ok(text.startsWith('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOperatorKeyOperatorKeyOperatorKeyOpera admin@laptop\n'), 'the operator key stays, on its own line');
    assert.equal(r2.keyAdded, false);
    const ids = engine.received('register').map((q) => q.params.uniqueId);
    assert.deepEqual(ids, [host.dmiUuid.toLowerCase(), host.dmiUuid.toLowerCase()]);
  });

  test('an existing /etc/vdsm/vdsm.id is the unique id sent, and the SSH user and ports are sent as given', async () => {
    host.cleanup();
    host = makeHostRoot({ vdsmId: 'b5b0c2a4-1e7e-4d7a-9f36-0c5c1f1e2d3a\n' });
    env.paths = enginePaths(host.root);
    await registerWithEngine(svc, { engine: engine.address, fingerprint: engine.pki.caFingerprint, sshUser: 'alice', sshPort: '2222', name: 'rack3-node7', address: 'node7.example.com' }, env);
    const p = engine.received('register')[0]!.params;
    assert.equal(p.uniqueId, 'b5b0c2a4-1e7e-4d7a-9f36-0c5c1f1e2d3a');
    assert.equal(p.sshUser, 'alice');
    assert.equal(p.sshPort, '2222');
    assert.equal(p.name, 'rack3-node7');
    assert.equal(p.address, 'node7.example.com');
    assert.equal(readFileSync(join(host.root, 'home/alice/.ssh/authorized_keys'), 'utf8'), `${engine.sshPublicKey}\n`);
  });

  test('fingerprint mismatch stops before anything is written', async () => {
    const before = host.snapshot();
    const wrong = 'AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD';
    const e = await expectEngineError(registerWithEngine(svc, { engine: engine.address, fingerprint: wrong }, env), 'fingerprint', /fingerprint mismatch/);
    assert.ok(e.message.includes(engine.pki.caFingerprint), 'the message shows the fingerprint the engine presented');
    assert.deepEqual(host.snapshot(), before);
    assert.deepEqual(engine.requests.map((q) => q.command), ['get-version', 'get-pki-trust']);
    assert.equal(engineState(svc, enginePaths(host.root)).mode, 'unconfigured');
    const ev = svc.events.list();
    assert.equal(ev[0]!.result, 'failure');
    assert.match(ev[0]!.message, /fingerprint mismatch/);
  });

  test('the operator sees the fingerprint and subject; declining writes nothing', async () => {
    const before = host.snapshot();
    let shown: { fingerprint: string; subject: string } | undefined;
    await expectEngineError(registerWithEngine(svc, { engine: engine.address }, { ...env, confirmTrust: async (ca) => { shown = ca; return false; } }), 'rejected', /was not accepted/);
    assert.equal(shown?.fingerprint, engine.pki.caFingerprint);
    assert.match(shown?.subject ?? '', /CN=engine-standin\.test\.12345/);
    assert.deepEqual(host.snapshot(), before);
  });

  test('without a fingerprint and without anyone to ask, the CA is not trusted', async () => {
    const before = host.snapshot();
    await expectEngineError(registerWithEngine(svc, { engine: engine.address }, env), 'untrusted', /not trusted/);
    assert.deepEqual(host.snapshot(), before);
  });

  test('an engine that speaks another protocol version is not supported, and nothing else is asked', async () => {
    engine.behaviour = { version: '2' };
    await expectEngineError(registerWithEngine(svc, { engine: engine.address, fingerprint: engine.pki.caFingerprint }, env), 'unsupported', /not supported.*version "2"/);
    assert.deepEqual(engine.requests.map((q) => q.command), ['get-version']);
  });

  test("HTTP 400 from register shows the engine's own text", async () => {
    engine.behaviour = { answers: { register: engineErrorPage(400, "runInternalQuery failed 'VDS_STATUS_NOT_VALID_FOR_UPDATE <node1>'") } };
    await expectEngineError(
      registerWithEngine(svc, { engine: engine.address, fingerprint: engine.pki.caFingerprint }, env),
      'http', /the engine refused register: HTTP Status 400 runInternalQuery failed 'VDS_STATUS_NOT_VALID_FOR_UPDATE <node1>'/,
    );
    assert.equal(engineState(svc, enginePaths(host.root)).mode, 'unconfigured', 'no registration is recorded');
  });

  test('an engine certificate not signed by the presented CA is a certificate mismatch, before anything is written', async () => {
    engine.behaviour = { presentForeignCa: true };
    const before = host.snapshot();
    const { X509Certificate } = await import('node:crypto');
    const foreignFp = new X509Certificate(engine.pki.foreignCaPem).fingerprint;
    await expectEngineError(registerWithEngine(svc, { engine: engine.address, fingerprint: foreignFp }, env), 'tls', /certificate mismatch/);
    assert.deepEqual(host.snapshot(), before);
    assert.deepEqual(engine.requests.map((q) => q.command), ['get-version', 'get-pki-trust'], 'get-ssh-trust never reached the handler');
  });

  test('the engine named by a host name its certificate does not carry is a certificate mismatch', async () => {
    // "localhost." resolves to loopback but is not in the certificate's names.
    const lookup: LookupFunction = ((_h: string, opts: unknown, cb: (e: Error | null, a: string | { address: string; family: number }[], f?: number) => void) => {
      if ((opts as { all?: boolean }).all) cb(null, [{ address: '127.0.0.1', family: 4 }]);
      else cb(null, '127.0.0.1', 4);
    }) as unknown as LookupFunction;
    await expectEngineError(
      registerWithEngine(svc, { engine: `engine.standin.test:${engine.port}`, fingerprint: engine.pki.caFingerprint }, { ...env, lookup }),
      'tls', /certificate mismatch.*not issued for the name "engine\.standin\.test"/,
    );
  });

  test('a closed port is reported as connection refused', async () => {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as AddressInfo).port;
    await new Promise<void>((r) => srv.close(() => r()));
    await expectEngineError(registerWithEngine(svc, { engine: `127.0.0.1:${port}`, fingerprint: engine.pki.caFingerprint }, env), 'refused', /connection refused/);
    assert.equal(svc.events.list()[0]!.result, 'failure');
  });

  test('a name that does not resolve says so', async () => {
    const lookup = ((host: string, _o: unknown, cb: (e: NodeJS.ErrnoException) => void) => {
      const e: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${host}`);
      e.code = 'ENOTFOUND';
      cb(e);
    }) as unknown as LookupFunction;
    await expectEngineError(registerWithEngine(svc, { engine: 'engine.nowhere.test', fingerprint: engine.pki.caFingerprint }, { ...env, lookup }), 'dns', /engine\.nowhere\.test: the name does not resolve/);
  });

  test('an engine that never answers times out with a message', async () => {
    engine.behaviour = { hang: ['get-version'] };
    await expectEngineError(registerWithEngine(svc, { engine: engine.address, fingerprint: engine.pki.caFingerprint }, { ...env, timeoutMs: 300 }), 'timeout', /no answer within/);
  });

  test('bad input is refused before any request, naming each field', async () => {
    try {
      await registerWithEngine(svc, { engine: 'engine..example', fingerprint: 'xyz', sshUser: '-bad', sshPort: '70000' }, env);
      assert.fail('should not register');
    } catch (e) {
      assert.ok(e instanceof EngineInputError);
      assert.deepEqual(e.errors.map((x) => x.field).sort(), ['engine', 'fingerprint', 'sshPort', 'sshUser']);
    }
    assert.equal(engine.requests.length, 0);
    assert.equal(svc.events.list().length, 0);
  });

  test('an SSH user that does not exist on this host is refused before any request', async () => {
    await expectEngineError(registerWithEngine(svc, { engine: engine.address, fingerprint: engine.pki.caFingerprint, sshUser: 'bob' }, env), 'input', /ssh user: there is no user "bob"/);
    assert.equal(engine.requests.length, 0);
  });

  test('approval: an engine-signed VDSM certificate turns pending approval into approved', async () => {
    await registerWithEngine(svc, { engine: engine.address, fingerprint: engine.pki.caFingerprint }, env);
    const paths = enginePaths(host.root);
    assert.equal(engineState(svc, paths).state, 'pending-approval');
    mkdirSync(paths.vdsmCertsDir, { recursive: true });
    writeFileSync(join(paths.vdsmCertsDir, 'vdsmcert.pem'), engine.pki.hostCertPem);
    assert.equal(engineState(svc, paths).state, 'approved');
    writeFileSync(join(paths.vdsmCertsDir, 'vdsmcert.pem'), engine.pki.foreignCaPem);
    assert.equal(engineState(svc, paths).state, 'certificate-mismatch');
  });

  test('unregister removes the engine key and CA, keeps other keys, and records an event', async () => {
    mkdirSync(join(host.root, 'root/.ssh'), { recursive: true });
    writeFileSync(join(host.root, 'root/.ssh/authorized_keys'), 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOperatorKeyOperatorKeyOperatorKeyOpera admin@laptop\n');
    await registerWithEngine(svc, { engine: engine.address, fingerprint: engine.pki.caFingerprint }, env);
    const r = await unregisterFromEngine(svc, { paths: env.paths });
    assert.deepEqual(r, { engine: engine.address, removedKey: true, removedCa: true });
    assert.equal(readFileSync(join(host.root, 'root/.ssh/authorized_keys'), 'utf8'), 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOperatorKeyOperatorKeyOperatorKeyOpera admin@laptop\n');
    assert.equal(engineState(svc, env.paths).mode, 'unconfigured');
    assert.equal(vmActionsLocked(svc), undefined);
    assert.match(svc.events.list()[0]!.message, /^Unregister from oVirt engine/);
    await expectEngineError(unregisterFromEngine(svc, { paths: env.paths }), 'state', /not registered/);
  });

  test('registering with a second engine while registered with one is refused', async () => {
    await registerWithEngine(svc, { engine: engine.address, fingerprint: engine.pki.caFingerprint }, env);
    await expectEngineError(registerWithEngine(svc, { engine: `localhost:${engine.port}`, fingerprint: engine.pki.caFingerprint }, env), 'state', /already registered with 127\.0\.0\.1/);
  });
});

describe('unattended registration from kernel arguments, against the oVirt engine stand-in', () => {
  let engine: EngineStandin;
  let host: HostRoot;
  let svc: ReturnType<typeof services>;
  beforeEach(async () => {
    engine = await startEngineStandin();
    host = makeHostRoot();
    svc = services();
  });
  afterEach(async () => {
    await engine.close();
    host.cleanup();
    svc.db.close();
  });

  const env = () => ({ paths: enginePaths(host.root), timeoutMs: 5000, defaults: async () => HOST });

  test('management_server= and management_server_fingerprint= on the kernel command line register at first start', async () => {
    const cmdline = `BOOT_IMAGE=/vmlinuz-6.1.0 root=/dev/mapper/vg-root ro quiet management_server=${engine.address} management_server_fingerprint=${engine.pki.caFingerprint.toLowerCase()} console=ttyS0\n`;
    const out = await unattendedRegistration(svc, cmdline, env());
    assert.equal(out.status, 'registered');
    assert.equal(engine.received('register').length, 1);
    assert.equal(engine.received('register')[0]!.params.name, 'node1');
    assert.equal(engineState(svc, enginePaths(host.root)).state, 'pending-approval');
    assert.equal(svc.events.list()[0]!.channel, 'system');
    // The next start does not register again.
    assert.equal((await unattendedRegistration(svc, cmdline, env())).status, 'already-registered');
    assert.equal(engine.received('register').length, 1);
  });

  test('the kernel command line is read from /proc/cmdline under the root when not given', async () => {
    mkdirSync(join(host.root, 'proc'), { recursive: true });
    writeFileSync(join(host.root, 'proc/cmdline'), `ro management_server=${engine.address} management_server_fingerprint=${engine.pki.caFingerprint}\n`);
    assert.equal((await unattendedRegistration(svc, undefined, env())).status, 'registered');
  });

  test('values from the unattended file are used, with the kernel command line overriding them', async () => {
    mkdirSync(join(host.root, 'etc/hostdeck'), { recursive: true });
    writeFileSync(join(host.root, 'etc/hostdeck/engine-register.conf'), `# written by the installer\nmanagement_server=wrong.example:1\nmanagement_server_ssh_user=alice\nmanagement_server_node_name=from-file\n`);
    const out = await unattendedRegistration(svc, `management_server=${engine.address} management_server_fingerprint=${engine.pki.caFingerprint}`, env());
    assert.equal(out.status, 'registered');
    const p = engine.received('register')[0]!.params;
    assert.equal(p.sshUser, 'alice');
    assert.equal(p.name, 'from-file');
  });

  test('without a fingerprint the unattended path refuses rather than trusting blindly, writes nothing, and says why', async () => {
    const before = host.snapshot();
    const out = await unattendedRegistration(svc, `quiet management_server=${engine.address}`, env());
    assert.equal(out.status, 'refused');
    assert.deepEqual(host.snapshot(), before);
    assert.equal(engine.requests.length, 0);
    const ev = svc.events.list()[0]!;
    assert.equal(ev.severity, 'warning');
    assert.match(ev.message, /management_server_fingerprint is not given/);
  });

  test('no management_server= means nothing is done', async () => {
    assert.equal((await unattendedRegistration(svc, 'ro quiet splash', env())).status, 'not-requested');
    assert.equal(svc.events.list().length, 0);
  });

  test('an unreachable engine at first start is recorded and not retried on every start', async () => {
    engine.behaviour = { answers: { 'get-version': engineErrorPage(503, 'Service Unavailable') } };
    const cmdline = `management_server=${engine.address} management_server_fingerprint=${engine.pki.caFingerprint}`;
    const out = await unattendedRegistration(svc, cmdline, env());
    assert.equal(out.status, 'failed');
    assert.match(out.status === 'failed' ? out.message : '', /HTTP 503/);
    assert.equal((await unattendedRegistration(svc, cmdline, env())).status, 'already-attempted');
    assert.equal(getSetting(svc.db, 'engine.registration'), undefined);
  });
});
