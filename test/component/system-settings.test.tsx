// The System screen in the shell over the real core on this machine: `:system`
// opens it with the time zone, the clock, the NTP state (or why it cannot be
// shown: no chronyd runs here), SSH and remote logging. Each form is checked
// by the core before anything runs: an unknown zone, an NTP server that is an
// option, a date that does not exist, a garbage key and a weak password are
// each marked on their field and nothing on this machine changes. The zone
// form searches the tz database as one types. Read-only mode offers no change.
// (Applying settings is proven on a test host: test/system/system-settings.test.ts.)
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readlinkSync } from 'node:fs';
import { App } from '../../src/app/App.tsx';
import { createStores } from '../../src/store/host.ts';
import { SCREENS } from '../../screens/index.ts';
import { KEYS, renderTui } from '../lib/ink.tsx';
import { consoleCore, testServices } from '../lib/services.ts';

function mount(opts: { readOnly?: boolean } = {}) {
  const services = testServices({ readOnly: opts.readOnly });
  const core = consoleCore(services);
  const stores = createStores(core, 60_000);
  const ui = renderTui(<App core={core} stores={stores} screens={SCREENS} initialTheme="dark" readOnly={opts.readOnly ?? false} mode={() => 'standalone'} />, { columns: 140, rows: 40 });
  const events = () => services.events.list({}).map((e) => e.message);
  return { ui, events, async close() { ui.unmount(); stores.stop(); await services.cleanup(); } };
}

const localtime = () => { try { return readlinkSync('/etc/localtime'); } catch { return undefined; } };

describe('System screen', () => {
  let env: ReturnType<typeof mount> | undefined;
  afterEach(async () => { await env?.close(); env = undefined; });

  const open = async (e: ReturnType<typeof mount>) => {
    await e.ui.press(':');
    await e.ui.type('system');
    await e.ui.press(KEYS.enter);
    return e.ui.waitFor(/Remote logging[\s\S]*Forward to[\s\S]*kdump/);
  };
  const typeInto = async (e: ReturnType<typeof mount>, text: string) => {
    await e.ui.press(KEYS.enter);
    await e.ui.type(text);
    await e.ui.press(KEYS.enter);
  };

  it('shows time, NTP (or why not), SSH and remote logging; the zone form searches the tz database and refuses an unknown zone', async () => {
    env = mount();
    const f = await open(env);
    assert.match(f, /Time zone\s+\S+/);
    assert.match(f, /Clock \(UTC\)\s+\d{4}-\d\d-\d\dT/);
    // No chronyd runs on this machine: NTP is off and the note says what that means.
    assert.match(f, /NTP\s+off/);
    assert.match(f, /Note\s+chrony(d)? is not (installed|running)/);
    assert.match(f, /sshd\s+(running|not running), at boot: /);
    // No kdump-tools nor crashkernel= here: kdump says why instead of offering a switch.
    assert.match(f, /kdump\s+not supported here: /);
    const before = localtime();

    await env.ui.press('z');
    await env.ui.waitFor(/Time zone: type part of a name/);
    await env.ui.press(KEYS.enter);
    for (let i = 0; i < 40; i++) await env.ui.press(KEYS.backspace);
    await env.ui.type('paris');
    await env.ui.waitFor(/1 zone match\s+Europe\/Paris/);
    for (let i = 0; i < 5; i++) await env.ui.press(KEYS.backspace);
    await env.ui.type('Mars/Olympus_Mons');
    await env.ui.press(KEYS.enter);
    await env.ui.press('s');
    await env.ui.waitFor(/Mars\/Olympus_Mons is not in the tz database/);
    assert.equal(localtime(), before, '/etc/localtime unchanged');
    assert.deepEqual(env.events(), [], 'a refused form is no attempt: no event');
  });

  it('NTP servers, the clock, a key, the root password, the keyboard layout, the locale and netconsole: each refused on its field by its rule, nothing changed', async () => {
    env = mount();
    await open(env);
    const cases: [string, string, RegExp][] = [
      ['n', '-q', /-q must be an IP address or a host name/],
      ['c', '2026-02-30 10:00', /is not YYYY-MM-DD HH:MM\[:SS\] in UTC/],
      ['a', 'ssh-rsa AAAA garbage', /its key data is (damaged|not base64)/],
      ['p', 'rootroot1234', /contains the user name root/],
      ['K', 'xx', /"xx" is not an XKB layout/],
      ['L', 'xx_YY.UTF-8', /"xx_YY.UTF-8" is not a locale generated on this host/],
      ['N', 'logs.example', /"logs.example" is not IP:PORT or IP/],
    ];
    for (const [key, value, error] of cases) {
      await env.ui.press(key);
      await env.ui.waitFor(/Esc cancels/);
      await env.ui.press(KEYS.enter);
      for (let i = 0; i < 60; i++) await env.ui.press(KEYS.backspace);
      await env.ui.type(value);
      await env.ui.press(KEYS.enter);
      if (key === 'p') { await env.ui.press(KEYS.tab); await typeInto(env, value); }
      await env.ui.press('s');
      const f = await env.ui.waitFor(error);
      if (key === 'p') assert.ok(!f.includes(value), 'the password is never shown');
      await env.ui.press(KEYS.escape);
      await env.ui.waitFor(/Discard|Remote logging/);
      if (/Discard/.test(env.ui.frame())) await env.ui.press('y');
      await env.ui.waitFor(/Remote logging[\s\S]*Forward to[\s\S]*kdump/);
    }
    assert.deepEqual(env.events(), []);
  });

  it('read-only mode offers no change', async () => {
    env = mount({ readOnly: true });
    await open(env);
    await env.ui.press('z');
    const f = await env.ui.waitFor(/Set the time zone: not available in read-only mode/);
    assert.doesNotMatch(f, /type part of a name/, 'no form opens');
  });
});
