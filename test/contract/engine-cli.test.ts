// `hostdeck engine ...` run as a program against the oVirt engine stand-in
// (built from the published host-register protocol; test/lib/engine-standin.ts).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, beforeEach, describe, test } from 'node:test';
import { engineCommands } from '../../src/cli/engine.ts';
import type { CommandContext } from '../../src/cli/registry.ts';
import { createCore } from '../../src/core/index.ts';
import { resolveConfig } from '../../src/config.ts';
import { Services } from '../../src/services.ts';
import { runCli } from '../lib/cli-process.ts';
import { makeHostRoot, removeStandinPki, startEngineStandin, type EngineStandin, type HostRoot } from '../lib/engine-standin.ts';

describe('hostdeck engine CLI against the oVirt engine stand-in', () => {
  let engine: EngineStandin;
  let host: HostRoot;
  let dir: string;

  beforeEach(async () => {
    engine = await startEngineStandin();
    host = makeHostRoot();
    dir = mkdtempSync(join(tmpdir(), 'hostdeck-engine-cli-'));
  });
  afterEach(async () => {
    await engine.close();
    host.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });
  after(() => removeStandinPki());

  const hostdeck = (...args: string[]) => runCli([...args, '--db', join(dir, 'state.db')], { HOSTDECK_ENGINE_ROOT: host.root });
  const caFile = () => join(host.root, 'etc/pki/ovirt-engine/ca.pem');

  test('register with --fingerprint, then status, then unregister', async () => {
    const r = await hostdeck('engine', 'register', '--engine', engine.address, '--fingerprint', engine.pki.caFingerprint, '--name', 'node1', '--address', '192.0.2.21', '--json');
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.equal(j.engine, engine.address);
    assert.equal(j.state, 'pending-approval');
    assert.equal(j.caFingerprint, engine.pki.caFingerprint);
    assert.ok(existsSync(caFile()));

    const s = await hostdeck('engine', 'status');
    assert.equal(s.code, 0, s.err);
    assert.match(s.out, /mode\s+registered/);
    assert.match(s.out, /state\s+registered, pending approval/);

    const refused = await hostdeck('engine', 'unregister');
    assert.equal(refused.code, 2);
    assert.match(refused.err, /--yes: is required/);

    const u = await hostdeck('engine', 'unregister', '--yes', '--json');
    assert.equal(u.code, 0, u.err);
    assert.equal(JSON.parse(u.out).unregistered, true);
    assert.equal(JSON.parse((await hostdeck('engine', 'status', '--json')).out).mode, 'unconfigured');
  });

  test('without --fingerprint and without a terminal it shows the fingerprint and refuses; nothing is written', async () => {
    const before = host.snapshot();
    const r = await hostdeck('engine', 'register', '--engine', engine.address, '--name', 'node1', '--address', '192.0.2.21');
    assert.equal(r.code, 1);
    assert.match(r.err, /refusing to trust the engine CA without a terminal/);
    assert.ok(r.err.includes(engine.pki.caFingerprint), 'the fingerprint is shown');
    assert.match(r.err, /CN=engine-standin\.test\.12345/);
    assert.deepEqual(host.snapshot(), before);
    assert.equal(engine.received('register').length, 0);
  });

  test('--yes trusts the presented CA and says so', async () => {
    const r = await hostdeck('engine', 'register', '--engine', engine.address, '--yes', '--name', 'node1', '--address', '192.0.2.21');
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /Trusting the engine CA .* because of --yes/);
    assert.match(r.out, /Registered with 127\.0\.0\.1:\d+ as node1 \(192\.0\.2\.21\): registered, pending approval/);
  });

  test('invalid input exits 2 naming the field, before contacting the engine', async () => {
    const r = await hostdeck('engine', 'register', '--engine', 'engine example', '--fingerprint', '12:34', '--ssh-user', '9999', '--name', 'node1', '--address', '192.0.2.21');
    assert.equal(r.code, 2);
    assert.match(r.err, /hostdeck: --engine: must not contain spaces/);
    assert.match(r.err, /hostdeck: --fingerprint: must be the SHA-1 fingerprint/);
    assert.match(r.err, /hostdeck: --ssh-user: must not be all digits/);
    assert.equal(engine.requests.length, 0);
    const p = await hostdeck('engine', 'register', '--engine', engine.address, '--ssh-port', '0');
    assert.equal(p.code, 2);
    assert.match(p.err, /--ssh-port: must be at least 1/);
    const port = await hostdeck('engine', 'register', '--engine', '[2001:db8::1]:99999', '--name', 'node1', '--address', 'node_1');
    assert.equal(port.code, 2);
    assert.match(port.err, /--engine: port must be from 1 to 65535 \(got 99999\)/);
    assert.match(port.err, /--address: must be an IPv4 address, an IPv6 address or a host name/);
    const missing = await hostdeck('engine', 'register');
    assert.equal(missing.code, 2);
    assert.match(missing.err, /--engine: is required/);
  });

  test('--from-cmdline takes management_server and its fingerprint from /proc/cmdline', async () => {
    mkdirSync(join(host.root, 'proc'), { recursive: true });
    writeFileSync(join(host.root, 'proc/cmdline'), `ro quiet management_server=${engine.address} management_server_fingerprint=${engine.pki.caFingerprint}\n`);
    const r = await hostdeck('engine', 'register', '--from-cmdline', '--name', 'node1', '--address', '192.0.2.21', '--json');
    assert.equal(r.code, 0, r.err);
    assert.equal(JSON.parse(r.out).engine, engine.address);
    assert.equal(readFileSync(caFile(), 'utf8').trim(), engine.pki.caPem.trim());
  });

  test('on a terminal the operator is asked, and "y" registers', async () => {
    const services = new Services(resolveConfig({ db: join(dir, 'prompt.db') }), 'cli');
    const out: string[] = [];
    const err: string[] = [];
    const questions: string[] = [];
    const prev = process.env.HOSTDECK_ENGINE_ROOT;
    process.env.HOSTDECK_ENGINE_ROOT = host.root;
    try {
      const ctx: CommandContext = {
        core: createCore(services, { user: 'tester', channel: 'cli' }), options: { engine: engine.address, name: 'node1', address: '192.0.2.21' }, positionals: [], json: false,
        out: (t) => out.push(t), err: (t) => err.push(t), interactive: true,
        prompt: async (q) => { questions.push(q); return 'y'; },
      };
      const code = await engineCommands.find((c) => c.verb === 'register')!.run(ctx);
      assert.equal(code, 0);
      assert.match(err.join('\n'), new RegExp(`fingerprint\\s+${engine.pki.caFingerprint}`));
      assert.deepEqual(questions, ['Trust this CA and register with the engine? [y/N] ']);
      assert.ok(out.some((l) => /^ok\s+Register the host: registered, pending approval/.test(l)), out.join('\n'));
    } finally {
      if (prev === undefined) delete process.env.HOSTDECK_ENGINE_ROOT;
      else process.env.HOSTDECK_ENGINE_ROOT = prev;
      await services.close();
    }
  });
});
