import { after, before, describe, it } from 'node:test';
import { consoleCore } from '../lib/services.ts';
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { useState } from 'react';
import { Text } from 'ink';
import { App } from '../../src/app/App.tsx';
import { useBindings } from '../../src/app/keys.ts';
import type { ScreenDef, ScreenProps } from '../../src/app/types.ts';
import { createStores } from '../../src/store/host.ts';
import { createCore } from '../../src/core/index.ts';
import { SCREENS } from '../../screens/index.ts';
import { KEYS, renderTui } from '../lib/ink.tsx';
import { testServices } from '../lib/services.ts';

// A screen with one dangerous action, to exercise confirm and read-only.
function Danger({ shell }: ScreenProps) {
  const [count, setCount] = useState(0);
  useBindings([
    { keys: ['x'], description: 'Wipe thing', dangerous: true, confirm: 'Really wipe the thing?', action: () => { setCount((c) => c + 1); shell.notify('success', 'thing wiped'); } },
    { keys: ['z'], description: 'Zap', disabledReason: 'nothing to zap', action: () => setCount(100) },
    { keys: ['e'], description: 'Fail', action: () => shell.notify('error', 'engine unreachable') },
  ]);
  return <Text>wiped {count} times</Text>;
}
const dangerScreen: ScreenDef = { id: 'danger', title: 'Danger zone', key: 'w', description: 'test screen', component: Danger };

function mount(opts: { readOnly?: boolean; columns?: number; rows?: number } = {}) {
  const services = testServices({ readOnly: opts.readOnly });
  const stores = createStores(createCore(services, { user: 'tester', channel: 'tui' }), 2000);
  const ui = renderTui(
    <App core={consoleCore(services)} stores={stores} screens={[...SCREENS, dangerScreen]} initialTheme="dark" readOnly={Boolean(opts.readOnly)} mode={() => 'unconfigured'} />,
    { columns: opts.columns ?? 100, rows: opts.rows ?? 30 },
  );
  return { ui, services, stores, async close() { ui.unmount(); stores.stop(); await services.cleanup(); } };
}

describe('the shell', () => {
  let env: ReturnType<typeof mount>;
  before(() => { env = mount(); });
  after(async () => { await env.close(); });

  it('shows this host in the header and the dashboard with the libvirt test driver connected', async () => {
    const f = await env.ui.waitFor(/libvirt\s+test:\/\/\/default connected/);
    assert.match(f.split('\n')[0]!, new RegExp(`hostdeck │ ${hostname()}`));
    assert.match(f, /vms\s+1 total · 1 running/);
    assert.match(f, /unconfigured/);
  });

  it('root frame is exactly the terminal height', () => {
    assert.equal(env.ui.frame().split('\n').length, 30);
  });

  it('? lists the current screen bindings and the global keys, and Esc closes it', async () => {
    await env.ui.press('?');
    const f = await env.ui.waitFor('Help: Dashboard');
    assert.match(f, /Refresh/);
    assert.match(f, /Command palette/);
    assert.match(f, /e\s+Events/);
    await env.ui.press(KEYS.escape);
    await env.ui.waitFor((s) => !s.includes('Help: Dashboard'));
  });

  it(': palette fuzzy-matches and jumps to Events; Esc goes back with the breadcrumbs', async () => {
    await env.ui.press(':');
    await env.ui.waitFor('Type to filter');
    await env.ui.type('evnts');
    await env.ui.waitFor(/ Events/);
    await env.ui.press(KEYS.enter);
    const f = await env.ui.waitFor('Dashboard › Events');
    assert.match(f, /No events yet|event/);
    await env.ui.press(KEYS.escape);
    await env.ui.waitFor((s) => s.split('\n')[1]!.trim() === 'Dashboard');
  });

  it('the palette says when nothing matches', async () => {
    await env.ui.press(':');
    await env.ui.type('zzqqxx');
    await env.ui.waitFor('No screen or action matches "zzqqxx"');
    await env.ui.press(KEYS.escape);
  });

  it('a dangerous action asks first; No leaves things unchanged, Yes runs it', async () => {
    await env.ui.press('w');
    await env.ui.waitFor('wiped 0 times');
    await env.ui.press('x');
    await env.ui.waitFor('Really wipe the thing?');
    await env.ui.press('n');
    let f = await env.ui.waitFor('Wipe thing: cancelled');
    assert.match(f, /wiped 0 times/);
    await env.ui.press('x');
    await env.ui.waitFor('Really wipe the thing?');
    await env.ui.press('y');
    f = await env.ui.waitFor('thing wiped');
    assert.match(f, /wiped 1 times/);
  });

  it('a disabled action says why instead of running', async () => {
    await env.ui.press('z');
    const f = await env.ui.waitFor('Zap: nothing to zap');
    assert.match(f, /wiped 1 times/);
    await env.ui.press(KEYS.escape);
  });

  it("an error belongs to the screen that raised it: gone on the next key, and when another screen is shown", async () => {
    await env.ui.press('w');
    await env.ui.waitFor('Dashboard › Danger zone');
    await env.ui.press('e');
    await env.ui.waitFor('✗ engine unreachable');
    await env.ui.press('j');
    await env.ui.waitFor((s) => !s.includes('engine unreachable'));
    await env.ui.press('e');
    await env.ui.waitFor('✗ engine unreachable');
    await env.ui.press(KEYS.escape);
    const f = await env.ui.waitFor((s) => s.split('\n')[1]!.trim() === 'Dashboard');
    assert.doesNotMatch(f, /engine unreachable/);
  });

  it('a success notice outlives the screen that closed (a result often closes its screen)', async () => {
    await env.ui.press('w');
    await env.ui.waitFor('Dashboard › Danger zone');
    await env.ui.press('x');
    await env.ui.waitFor('Really wipe the thing?');
    await env.ui.press('y');
    await env.ui.waitFor('thing wiped');
    await env.ui.press(KEYS.escape);
    const f = await env.ui.waitFor((s) => s.split('\n')[1]!.trim() === 'Dashboard');
    assert.match(f, /✓ thing wiped/);
  });

  it('below 80x24 shows the size needed; growing back restores the screen', async () => {
    env.ui.resize(70, 20);
    await env.ui.waitFor('needs at least 80x24; this terminal is 70x20');
    env.ui.resize(100, 30);
    const f = await env.ui.waitFor(/libvirt\s+test:\/\/\/default/);
    assert.equal(f.split('\n').length, 30);
  });
});

describe('read-only mode', () => {
  it('drops dangerous actions from the footer and refuses them', async () => {
    const env = mount({ readOnly: true });
    try {
      await env.ui.waitFor(/READ-ONLY[\s\S]*Menu/);
      await env.ui.press('w');
      let f = await env.ui.waitFor('wiped 0 times');
      assert.doesNotMatch(f.split('\n').at(-1)!, /Wipe thing/);
      await env.ui.press('x');
      f = await env.ui.waitFor('not available in read-only mode');
      assert.doesNotMatch(f, /Really wipe/);
      assert.match(f, /wiped 0 times/);
    } finally {
      await env.close();
    }
  });
});

describe('the menu longer than the screen', () => {
  it('shows a window of it that follows the selection, saying how many entries are above and below', async () => {
    const env = mount({ rows: 24 });
    try {
      let f = await env.ui.waitFor(/Menu[\s\S]*\(\d+ more below\)/);
      assert.doesNotMatch(f, /more above/);
      assert.doesNotMatch(f, /Danger zone/);
      // Down to the last entry: the window has moved with the selection.
      for (let i = 0; i < SCREENS.length + 2; i++) await env.ui.press(KEYS.down);
      f = await env.ui.waitFor(/\(\d+ more above\)[\s\S]*w Danger zone/);
      assert.doesNotMatch(f, /more below/);
      assert.ok(f.split('\n').length <= 24, 'the frame fits the terminal');
      await env.ui.press(KEYS.enter);
      await env.ui.waitFor('Dashboard › Danger zone');
    } finally {
      await env.close();
    }
  });
});

describe('the palette and objects', () => {
  it('offers the screens of the selected VM for that VM, and none without a selection', async () => {
    const env = mount();
    try {
      await env.ui.waitFor(/libvirt\s+test:\/\/\/default connected/);
      await env.ui.press(':');
      await env.ui.type('edit vm');
      let f = await env.ui.waitFor('Type to filter');
      assert.doesNotMatch(f, /Edit VM/);
      await env.ui.press(KEYS.escape);
      await env.ui.press('v');
      await env.ui.waitFor(/▶ test\s+running/);
      await env.ui.press(':');
      await env.ui.type('edit vm');
      await env.ui.waitFor('Edit VM: test');
      await env.ui.press(KEYS.enter);
      f = await env.ui.waitFor('Virtual machines › Edit VM');
      assert.doesNotMatch(f, /no domain named/);
      assert.match(f, /test/);
    } finally {
      await env.close();
    }
  });

  it('in read-only mode leaves out what the door refuses: New VM, Edit/Clone/Delete VM, Apply', async () => {
    const env = mount({ readOnly: true });
    try {
      await env.ui.press('v');
      await env.ui.waitFor(/▶ test\s+running/);
      await env.ui.press(':');
      await env.ui.type('vm');
      let f = await env.ui.waitFor('Type to filter');
      f = await env.ui.waitFor(/VM: test/);
      assert.doesNotMatch(f, /New VM|Edit VM|Clone VM|Delete VM/);
      await env.ui.press(KEYS.escape);
      await env.ui.press(':');
      await env.ui.type('apply');
      f = await env.ui.waitFor(/match/);
      assert.doesNotMatch(f, /Apply network/);
    } finally {
      await env.close();
    }
  });
});

describe('the footer and the help', () => {
  const footerOf = (f: string) => f.split('\n').at(-1)!;

  it("a running VM's footer shows the keys that work first: Reboot, Force off, Pause before Start", async () => {
    const env = mount({ columns: 80, rows: 24 });
    try {
      await env.ui.press('v');
      const f = await env.ui.waitFor(/▶ test\s+running/);
      const footer = footerOf(f);
      for (const k of [/R Reboot/, /F Force off/, /p Pause/]) assert.match(footer, k);
      const start = footer.indexOf('S Start');
      if (start >= 0) assert.ok(start > footer.indexOf('p Pause'), footer);
    } finally {
      await env.close();
    }
  });

  it('under NO_COLOR an unavailable key is bracketed in the footer, an available one is not', async () => {
    process.env.NO_COLOR = '1';
    const env = mount({ columns: 200, rows: 30 });
    try {
      await env.ui.press('v');
      const f = await env.ui.waitFor(/▶ test\s+running/);
      const footer = footerOf(f);
      assert.match(footer, /\[S Start\]/);
      assert.match(footer, /(^|[^[])H Shut down/);
    } finally {
      delete process.env.NO_COLOR;
      await env.close();
    }
  });

  it('? in read-only mode lists the keys that change the host, marked unavailable with the reason', async () => {
    const env = mount({ readOnly: true });
    try {
      await env.ui.press('w');
      await env.ui.waitFor('Dashboard › Danger zone');
      await env.ui.press('?');
      let f = await env.ui.waitFor('Help: Danger zone');
      assert.match(f, /x\s+Wipe thing \(unavailable: not available in read-only mode\)/);
      await env.ui.press(KEYS.escape, KEYS.escape);
      await env.ui.press('v');
      await env.ui.waitFor(/▶ test\s+running/);
      await env.ui.press('?');
      f = await env.ui.waitFor('Help: Virtual machines');
      assert.match(f, /H\s+Shut down \(unavailable: read-only mode/);
    } finally {
      await env.close();
    }
  });
});

describe('libvirt unreachable', () => {
  it('the dashboard says disconnected instead of crashing', async () => {
    const services = testServices({ uri: 'qemu+unix:///system?socket=/nonexistent/libvirt-sock' });
    const stores = createStores(createCore(services, { user: 'tester', channel: 'tui' }), 500);
    const ui = renderTui(<App core={consoleCore(services)} stores={stores} screens={SCREENS} initialTheme="light" readOnly={false} mode={() => 'unconfigured'} />);
    try {
      const f = await ui.waitFor(/libvirt\s+disconnected: libvirtd not reachable, retrying/);
      assert.match(f, /vms\s+unknown while libvirt is disconnected/);
    } finally {
      ui.unmount(); stores.stop(); await services.cleanup();
    }
  });
});
