// The Engine screen inside the real shell, registering with the oVirt engine
// stand-in (built from the published host-register protocol;
// test/lib/engine-standin.ts).
import assert from 'node:assert/strict';
import { consoleCore } from '../lib/services.ts';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import { App } from '../../src/app/App.tsx';
import { enginePaths, engineState } from '../../src/host/engine/index.ts';
import { createStores } from '../../src/store/host.ts';
import { createCore } from '../../src/core/index.ts';
import { createEngineScreen } from '../../screens/engine/index.ts';
import { engineErrorPage, makeHostRoot, removeStandinPki, startEngineStandin, type EngineStandin, type HostRoot } from '../lib/engine-standin.ts';
import { KEYS, renderTui } from '../lib/ink.tsx';
import { showsWhole } from '../lib/screen-text.ts';
import { testServices } from '../lib/services.ts';

function mount(host: HostRoot, opts: { readOnly?: boolean; columns?: number; rows?: number } = {}) {
  const services = testServices({ readOnly: opts.readOnly });
  const stores = createStores(createCore(services, { user: 'tester', channel: 'tui' }), 60_000);
  const screen = createEngineScreen({
    env: () => ({ paths: enginePaths(host.root), timeoutMs: 5000, defaults: async () => ({ name: 'node1', address: '192.0.2.21' }) }),
    pollMs: 100,
  });
  const ui = renderTui(
    <App core={consoleCore(services)} stores={stores} screens={[screen]} initialTheme="dark" readOnly={Boolean(opts.readOnly)} mode={() => engineState(services, enginePaths(host.root)).summary} />,
    { columns: opts.columns ?? 100, rows: opts.rows ?? 30 },
  );
  return { ui, services, async close() { ui.unmount(); stores.stop(); await services.cleanup(); } };
}

/** Select the field with this label (down from the top) and type a value into it. */
async function fill(ui: ReturnType<typeof renderTui>, index: number, value: string) {
  for (let i = 0; i < 7; i++) await ui.press(KEYS.up); // wrap-safe: go to the top first
  await ui.waitFor('› Engine address');
  for (let i = 0; i < index; i++) await ui.press(KEYS.down);
  await ui.press(KEYS.enter);
  await ui.type(value);
  await ui.press(KEYS.enter);
  await ui.waitFor('r Register'); // the form's keys are back (not editing)
}

describe('Engine screen with the oVirt engine stand-in', () => {
  let engine: EngineStandin;
  let host: HostRoot;
  let env: ReturnType<typeof mount> | undefined;

  beforeEach(async () => {
    engine = await startEngineStandin();
    host = makeHostRoot();
  });
  afterEach(async () => {
    await env?.close();
    env = undefined;
    await engine.close();
    host.cleanup();
  });
  after(() => removeStandinPki());

  it('shows the status, the defaults and the form; bad input is marked on its field and nothing is sent', async () => {
    env = mount(host);
    const f = await env.ui.waitFor('node1 (this host\'s name)');
    assert.match(f, /mode\s+unconfigured/);
    assert.match(f, /state\s+not registered/);
    assert.match(f, /192\.0\.2\.21 \(management IP\)/);
    await fill(env.ui, 1, '99999');
    await env.ui.waitFor(/HTTPS port {6}99999\n {19}port: must be from 1 to 65535/);
    await env.ui.press('r');
    await env.ui.waitFor(/Not registered: 2 fields need attention|engine: is required/);
    assert.equal(engine.requests.length, 0);
  });

  it('registers: the CA fingerprint is shown to accept, each step shows progress, the state becomes pending approval', async () => {
    env = mount(host);
    await env.ui.waitFor('node1 (this host\'s name)');
    await fill(env.ui, 0, engine.address);
    await env.ui.waitFor(`Engine address  ${engine.address}`);
    await env.ui.press('r');
    const dialog = await env.ui.waitFor('Trust and register');
    const bytes = engine.pki.caFingerprint.split(':');
    assert.ok(dialog.includes(bytes.slice(0, 10).join(':')) && dialog.includes(bytes.slice(10).join(':')), `the fingerprint is in the dialog:\n${dialog}`);
    assert.match(dialog, /engine-standin\.test\.12345/);
    assert.equal(engine.received('register').length, 0, 'nothing registered before the CA is accepted');
    await env.ui.press('y');
    const done = await env.ui.waitFor('state           registered, pending approval');
    assert.match(done, /✓ Register the host/);
    assert.match(done, /VM actions are read-only here while the engine manages this host/);
    assert.match(done.split('\n')[0]!, /registered, pending approval/, 'the header shows the engine state');
    assert.equal(engine.received('register').length, 1);
    assert.equal(engine.received('register')[0]!.params.name, 'node1');

    // Approval on the engine shows up without a key press.
    const paths = enginePaths(host.root);
    mkdirSync(paths.vdsmCertsDir, { recursive: true });
    writeFileSync(join(paths.vdsmCertsDir, 'vdsmcert.pem'), engine.pki.hostCertPem);
    await env.ui.waitFor('approved, managed by the engine');
  });

  it('declining the CA leaves the host untouched and says so', async () => {
    env = mount(host);
    await env.ui.waitFor('node1 (this host\'s name)');
    await fill(env.ui, 0, engine.address);
    await env.ui.press('r');
    await env.ui.waitFor('Trust and register');
    const before = host.snapshot();
    await env.ui.press('n');
    const f = await env.ui.waitFor('was not accepted');
    assert.match(f, /✗ Accept the engine CA fingerprint/);
    assert.deepEqual(host.snapshot(), before);
    assert.equal(existsSync(enginePaths(host.root).caFile), false);
  });

  it("an HTTP 400 from the engine is shown with the engine's text", async () => {
    engine.behaviour = { answers: { register: engineErrorPage(400, 'Host with the same address already exists') } };
    env = mount(host);
    await env.ui.waitFor('node1 (this host\'s name)');
    await fill(env.ui, 0, engine.address);
    await fill(env.ui, 2, engine.pki.caFingerprint);
    await env.ui.press('r');
    const f = await env.ui.waitFor('Host with the same address already exists');
    assert.match(f, /✗ Register the host/);
    assert.match(f, /state\s+not registered/);
  });

  it('unregister asks first and brings the host back to unconfigured', async () => {
    env = mount(host);
    await env.ui.waitFor('node1 (this host\'s name)');
    await fill(env.ui, 0, engine.address);
    await fill(env.ui, 2, engine.pki.caFingerprint.toLowerCase());
    await env.ui.press('r');
    await env.ui.waitFor('state           registered, pending approval');
    await env.ui.waitFor('u Unregister');
    await env.ui.press('u');
    await env.ui.waitFor(`Unregister from ${engine.address}?`);
    await env.ui.press('y');
    await env.ui.waitFor('state           not registered');
    assert.equal(existsSync(enginePaths(host.root).caFile), false);
  });

  it('the engine address from the kernel command line is filled in', async () => {
    mkdirSync(join(host.root, 'proc'), { recursive: true });
    writeFileSync(join(host.root, 'proc/cmdline'), 'ro quiet management_server=engine.example.com:8443\n');
    env = mount(host);
    await env.ui.waitFor('Engine address  engine.example.com:8443');
  });

  it('in read-only mode registering is not offered', async () => {
    env = mount(host, { readOnly: true });
    await env.ui.waitFor('node1 (this host\'s name)');
    await env.ui.press('r');
    await env.ui.waitFor('Register: not available in read-only mode');
    assert.equal(engine.requests.length, 0);
  });

  for (const [columns, rows, paneFrom, paneTo] of [[120, 36, 1, 59], [80, 24, 0, 80]] as const) {
    it(`at ${columns}x${rows} a field's error is on screen whole, on its own line under a long value, and the refusal's notice wraps whole`, async () => {
      env = mount(host, { columns, rows });
      await env.ui.waitFor('Node address');
      const port = '6'.repeat(100);
      await fill(env.ui, 0, 'engine.example.com');
      await fill(env.ui, 1, port);
      const f = await env.ui.waitFor('port: must be');
      assert.ok(showsWhole(f, `port: must be from 1 to 65535 (got ${port})`, paneFrom, paneTo), f);
      for (const line of f.split('\n')) assert.ok([...line].length <= columns, line);
      // The refusal's notice, longer than the terminal is wide, wraps instead of being cut, and the key bar stays.
      await env.ui.press('r');
      const n = await env.ui.waitFor('Not registered');
      assert.ok(showsWhole(n, `✗ Not registered: port: must be from 1 to 65535 (got ${port})`), n);
      assert.equal(n.split('\n').length, rows);
      assert.match(n, /mode\s+unconfigured/, 'the screen keeps its top lines');
      assert.match(n.split('\n').at(-1)!, /r Register/, n);
    });
  }

  it('fits 80x24', async () => {
    env = mount(host, { columns: 80, rows: 24 });
    const f = await env.ui.waitFor('node1 (this host\'s name)');
    assert.equal(f.split('\n').length, 24);
    assert.match(f, /Node address/);
  });
});
