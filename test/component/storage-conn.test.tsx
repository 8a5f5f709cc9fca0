// The Storage connections screen inside the real shell, with the real
// connection service on a temporary state DB: local directories (real file
// system and runner), the iSCSI form's masked secret, and the FC HBA list
// from a recorded sysfs tree (FC (recorded sysfs, no HBA here)).
import assert from 'node:assert/strict';
import { consoleCore } from '../lib/services.ts';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, it } from 'node:test';
import { App } from '../../src/app/App.tsx';
import { run } from '../../src/exec/runner.ts';
import { createConnectionService } from '../../src/core/storage-connections.ts';
import { testDoor } from '../lib/door.ts';
import { createStores } from '../../src/store/host.ts';
import { createCore } from '../../src/core/index.ts';
import { createStorageConnectionsScreen } from '../../screens/storage-connections/index.ts';
import { KEYS, renderTui } from '../lib/ink.tsx';
import { testServices } from '../lib/services.ts';
import { showsWhole } from '../lib/screen-text.ts';

const fcRoot = fileURLToPath(new URL('../fixtures/storage/fc-sysfs', import.meta.url));

function mount(opts: { run?: typeof run; size?: { columns: number; rows: number } } = {}) {
  const services = testServices();
  const stores = createStores(createCore(services, { user: 'tester', channel: 'tui' }), 60_000);
  const screen = createStorageConnectionsScreen({
    service: () => createConnectionService({ runner: { run: opts.run ?? run }, db: services.db, door: testDoor(services.events), keyFile: join(services.dir, 'key'), sysfsRoot: `${fcRoot}/sys`, devRoot: `${fcRoot}/dev`, mountRoot: join(services.dir, 'mnt') }),
  });
  const ui = renderTui(<App core={consoleCore(services)} stores={stores} screens={[screen]} initialTheme="dark" readOnly={false} />, opts.size ?? { columns: 110, rows: 30 });
  return { ui, services, async close() { ui.unmount(); stores.stop(); await services.cleanup(); } };
}

/** In the add form: choose the type by cycling from nfs, then fill the fields (index below the type row). */
async function chooseType(ui: ReturnType<typeof renderTui>, steps: number, label: string) {
  for (let i = 0; i < steps; i++) await ui.press(KEYS.right);
  await ui.waitFor(`‹ ${label} ›`);
}
async function fill(ui: ReturnType<typeof renderTui>, rowIndex: number, value: string) {
  for (let i = 0; i < 12; i++) await ui.press(KEYS.up);
  await ui.waitFor('› Type');
  for (let i = 0; i < rowIndex; i++) await ui.press(KEYS.down);
  await ui.press(KEYS.enter);
  await ui.type(value);
  await ui.press(KEYS.enter);
  await ui.waitFor('s Save and connect');
}

describe('Storage connections screen', () => {
  let env: ReturnType<typeof mount> | undefined;
  afterEach(async () => { await env?.close(); env = undefined; });

  for (const size of [{ columns: 120, rows: 36 }, { columns: 80, rows: 24 }]) {
    it(`at ${size.columns}x${size.rows} the add form shows a field's error whole, on its own line under a long value`, async () => {
      env = mount({ size });
      const { ui } = env;
      await ui.waitFor('No storage connections yet');
      await ui.press('a');
      await ui.waitFor('Add a storage connection');
      await chooseType(ui, 4, 'localfs');
      const dir = `relative/${'images-'.repeat(12)}`;
      await fill(ui, 1, dir);
      const f = await ui.waitFor('Directory: must be');
      assert.ok(showsWhole(f, `Directory: must be absolute (start with /), got "${dir}"`), f);
      for (const line of f.split('\n')) assert.ok([...line].length <= size.columns, line);
    });
  }

  it('a local directory: a bad path is marked on its field and nothing is stored; a good one is added and connected, then disconnected and removed after confirming', async () => {
    env = mount();
    const { ui, services } = env;
    await ui.waitFor('No storage connections yet');
    await ui.press('a');
    await ui.waitFor('Add a storage connection');
    await chooseType(ui, 4, 'localfs');
    await fill(ui, 1, 'relative/dir');
    await ui.waitFor('Directory: must be absolute (start with /), got "relative/dir"');
    await ui.press('s');
    await ui.waitFor('Not added: Directory: must be absolute');
    assert.equal(services.db.prepare('SELECT count(*) FROM storage_connections').pluck().get(), 0);
    const dir = join(services.dir, 'images');
    mkdirSync(dir);
    await fill(ui, 1, `${'\x7f'.repeat(12)}${dir}`);
    await fill(ui, 2, 'local1');
    await ui.press('s');
    const f = await ui.waitFor(/local1\s+localfs\s+\S+\s+connected\s+yes/);
    assert.match(f, /mount path\s+.*images/);
    await ui.press('x');
    await ui.waitFor(/Disconnect .*images\?/);
    await ui.press('y');
    await ui.waitFor(/local1\s+localfs\s+.*disconnected/);
    await ui.press('?');
    const help = await ui.waitFor('Help:');
    assert.match(help, /c\s+Connect \(changes the host\)/, 'connect does not ask');
    assert.match(help, /D\s+Remove \(changes the host; asks first\)/);
    await ui.press(KEYS.escape);
    await ui.press('D');
    const removing = await ui.waitFor(/Remove the connection local1\?/);
    assert.doesNotMatch(removing, /CHAP/, 'a local directory has no CHAP secret');
    await ui.press('y');
    await ui.waitFor('No storage connections yet');
    const ev = services.events.list({ text: 'storage' }).map((e) => `${e.result} ${e.message.split(' local ')[0]}`).reverse();
    // Connect and disconnect act outside the state DB: their attempt is recorded first.
    assert.deepEqual(ev, ['success Add storage connection', 'started Connect storage', 'success Connect storage', 'started Disconnect storage', 'success Disconnect storage', 'success Remove storage connection']);
  });

  it("Connect now off saves a connection without connecting it, as the CLI's add without --connect-now; a failed connect shows its reason and time in the list", async () => {
    env = mount();
    const { ui, services } = env;
    await ui.waitFor('No storage connections yet');
    await ui.press('a');
    await chooseType(ui, 4, 'localfs');
    // A directory that is not there yet: saving it must not need it, connecting does.
    const dir = join(services.dir, 'later');
    await fill(ui, 1, dir);
    await fill(ui, 2, 'later1');
    for (let i = 0; i < 12; i++) await ui.press(KEYS.up);
    await ui.waitFor('› Type');
    for (let i = 0; i < 4; i++) await ui.press(KEYS.down);
    await ui.waitFor(/› Connect now\s+\[x\] yes/);
    await ui.press(' ');
    await ui.waitFor(/› Connect now\s+\[ \] no/);
    await ui.waitFor(/s Save\b(?! and connect)/);
    await ui.press('s');
    await ui.waitFor(/later1\s+localfs\s+\S+\s+disconnected\s+yes/);
    await ui.waitFor(/Added local later1 .*; c connects it/);
    assert.deepEqual(services.events.list({ text: 'storage' }).map((e) => `${e.result} ${e.message.split(' local ')[0]}`), ['success Add storage connection'], 'nothing was connected');
    await ui.press('c');
    // The row names when and why (cut to its column); the detail has the whole reason and the date.
    const failed = await ui.waitFor(/later1\s+localfs\s+\S+\s+failed\s+yes\s+\d\d:\d\d \//);
    assert.match(failed, /NAME\s+TYPE\s+TARGET\s+STATE\s+AT BOOT\s+LAST ERROR/);
    await ui.waitFor(/last error\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \/\S+\/later does not exist; create it first/);
  });

  it('the iSCSI form masks the CHAP secret; the secret never reaches the screen', async () => {
    env = mount();
    const { ui } = env;
    await ui.waitFor('No storage connections yet');
    await ui.press('a');
    await chooseType(ui, 1, 'iscsi');
    await fill(ui, 4, 'Screen-Secret-4711');
    const f = await ui.waitFor(/CHAP secret\s+\*{18}$/m);
    assert.ok(!f.includes('Screen-Secret-4711'));
    await ui.press('s');
    await ui.waitFor(/Portal: is required/);
    await ui.waitFor(/CHAP user: is required with a CHAP secret/);
  });

  it('iSCSI form errors name each field by its label, and the refusal counts the fields marked', async () => {
    env = mount();
    const { ui } = env;
    await ui.waitFor('No storage connections yet');
    await ui.press('a');
    await chooseType(ui, 1, 'iscsi');
    await fill(ui, 3, 'initiator1');
    await fill(ui, 4, 'short');
    await ui.waitFor(/CHAP secret: at least 12 characters/);
    await ui.press('s');
    const f = await ui.waitFor(/Not added: 3 fields need attention/);
    assert.match(f, /Portal: is required/);
    assert.match(f, /Target: /);
    assert.doesNotMatch(f, /chapSecret|chapUser|portal:|target:/);
  });

  it('iSCSI discovery with discovery CHAP (iscsiadm stand-in answering with recorded output): the secret is masked, checked before anything runs, and the targets are listed', async () => {
    // The machine has no iSCSI initiator: iscsiadm is a stand-in that records
    // its arguments and answers --discover with output recorded in a test host
    // (test/fixtures/storage/iscsiadm-discovery.txt); the system tests drive the real one.
    const recorded = readFileSync(new URL('../fixtures/storage/iscsiadm-discovery.txt', import.meta.url), 'utf8');
    const calls: string[][] = [];
    const standIn: typeof run = async (command, args = [], o = {}) => {
      if (command !== 'iscsiadm') return run(command, args, o);
      calls.push([...args]);
      // The portal enforces discovery CHAP: discovery without a record that carries it fails as iscsiadm does (exit 24).
      if (args[1] === 'discovery') return { command, args: [...args], exitCode: 24, stdout: '', stderr: 'iscsiadm: Login failed to authenticate with target\n', timedOut: false, durationMs: 1 };
      return { command, args: [...args], exitCode: 0, stdout: args.includes('--discover') ? recorded : '', stderr: '', timedOut: false, durationMs: 1 };
    };
    env = mount({ run: standIn });
    const { ui } = env;
    await ui.waitFor('No storage connections yet');
    await ui.press('i');
    await ui.waitFor('iSCSI discovery (sendtargets)');
    await ui.type('127.0.0.1');
    await ui.press(KEYS.enter);
    await ui.waitFor(/CHAP authentication failed/);
    assert.equal(calls.length, 1);
    calls.length = 0;
    await ui.press('u');
    await ui.type('disc-user');
    await ui.press(KEYS.enter);
    // A user without a secret: refused by name, and iscsiadm did not run.
    await ui.waitFor(/CHAP secret: /);
    assert.equal(calls.length, 0, 'iscsiadm did not run');
    await ui.press('w');
    await ui.type('Disc-Secret-0815');
    await ui.press(KEYS.enter);
    const f = await ui.waitFor(/iqn\.2026-11\.org\.hostdeck:probe\.lun0\s+127\.0\.0\.1:3260,1/);
    assert.match(f, /CHAP secret\s+\*{16}/);
    assert.ok(!f.includes('Disc-Secret-0815'), 'the secret is never on screen');
    // A discovery record carries the credentials, and is deleted again.
    const ops = calls.map((a) => (a.includes('--discover') ? 'discover' : a[a.indexOf('-o') + 1]));
    assert.deepEqual(ops, ['new', 'update', 'discover', 'delete']);
    const update = calls[1]!;
    assert.equal(update[update.indexOf('discovery.sendtargets.auth.username') + 2], 'disc-user');
    // Enter takes the target into the add form.
    await ui.press(KEYS.enter);
    await ui.waitFor('Add a storage connection');
    await ui.waitFor(/iqn\.2026-11\.org\.hostdeck:probe\.lun0/);
  });

  it('FC (recorded sysfs, no HBA here): f lists the HBAs with WWPN, state and speed, and their LUNs', async () => {
    env = mount();
    const { ui } = env;
    await ui.waitFor('No storage connections yet');
    await ui.press('f');
    const f = await ui.waitFor('360002ac0000000000000001700019b8f');
    assert.match(f, /host3\s+WWNN 20:00:00:24:ff:7e:cd:10\s+WWPN 21:00:00:24:ff:7e:cd:10\s+Online\s+16 Gbit/);
    assert.match(f, /host5 .*Linkdown/);
    assert.match(f, /3PARdata\s+VV/);
    await ui.press(KEYS.escape);
    await ui.waitFor('No storage connections yet');
  });
});
