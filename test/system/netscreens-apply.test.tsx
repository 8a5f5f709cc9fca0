// The Network screen driving net-core's real service against a real test
// host (iproute2 backend; the service and the screens run on this machine,
// every program runs in the host through testHostRunner): a VLAN made with
// the form and applied is in the kernel while the countdown runs; nobody
// keeps it, so at zero the console's own process rolls it back and the
// kernel no longer has it. The apply and the rollback are events. (Keeping a
// change is covered with the service stand-in in test/component/network and
// by net-core's net-backends system test.)
import { after, before, describe, it } from 'node:test';
import { consoleCore } from '../lib/services.ts';
import assert from 'node:assert/strict';
import { App } from '../../src/app/App.tsx';
import { netUseCases } from '../lib/net-core.ts';
import { createStores } from '../../src/store/host.ts';
import { createCore } from '../../src/core/index.ts';
import { createNetworkScreens } from '../../screens/network/index.ts';
import { KEYS, renderTui } from '../lib/ink.tsx';
import { testServices } from '../lib/services.ts';
import { Segment, TestHost, testHostRunner } from '../lib/testhost/index.ts';

const GW = '192.168.85.1';
const ADDR = '192.168.85.10';

describe('Network screen with the real network service on a test host', { timeout: 300_000 }, () => {
  let seg: Segment | undefined;
  let host: TestHost | undefined;
  let env: { ui: ReturnType<typeof renderTui>; services: ReturnType<typeof testServices>; close: () => Promise<void> } | undefined;
  const guard = <A extends unknown[]>(fn: (...a: A) => Promise<void>) => TestHost.keepLogsOnFailure(() => [host], fn);

  before(async () => {
    seg = await Segment.create({ name: 'netapply', address: `${GW}/24` });
    host = new TestHost({ name: 'node1', nics: [{ segment: seg }, { segment: seg }, { segment: seg }] });
    await host.boot();
    // DNS points at the segment's peer, so the service's DNS probe gets a quick answer (or refusal) instead of a timeout.
    // eth1 stays down: the VLAN below goes on a parent that is down, and the backend brings it up.
    for (const argv of [['ip', 'addr', 'add', `${ADDR}/24`, 'dev', 'eth0'], ['ip', 'link', 'set', 'eth0', 'up'], ['ip', 'route', 'add', 'default', 'via', GW]]) {
      const r = await host.run(argv);
      assert.equal(r.code, 0, `${argv.join(' ')}: ${r.stderr}`);
    }
    await host.writeFile('/etc/resolv.conf', `nameserver ${GW}\n`);
    const runner = testHostRunner(host);
    const services = testServices();
    const core = netUseCases({ runner, db: services.db, events: services.events, backend: 'iproute2', watchdogCommand: null, stateDir: '/run/hostdeck-net' });
    // Step timings, printed for the record (the whole test should stay near two minutes).
    const t0 = { at: 0 };
    const svc: typeof core = { ...core, apply: (o) => { t0.at = Date.now(); return core.apply({ ...o, onProgress: (x) => { console.log(`# apply step +${Date.now() - t0.at} ms: ${x.step}${x.detail ? `: ${x.detail}` : ''}`); o?.onProgress?.(x); } }); } };
    // Link watching is proven in netscreens-inventory; here it would only compete with the service for the host's agent.
    const stores = createStores(createCore(services, { user: 'tester', channel: 'tui' }), 60_000);
    const { screens, store } = createNetworkScreens({ net: svc, confirmTimeoutS: () => 20, pollMs: 60_000, slowPollMs: 60_000 });
    const ui = renderTui(<App core={consoleCore(services)} stores={stores} screens={screens} initialTheme="dark" readOnly={false} mode={() => 'standalone'} />, { columns: 120, rows: 36 });
    env = { ui, services, async close() { ui.unmount(); store.stop(); stores.stop(); await services.cleanup(); } };
  });
  after(async () => {
    await env?.close();
    await host?.destroy();
    await seg?.dispose();
  });

  const fill = async (label: string, value: string) => {
    const ui = env!.ui;
    for (let i = 0; i < 14; i++) await ui.press(KEYS.up);
    for (let i = 0; i < 14 && !new RegExp(`› ${label}`).test(ui.frame()); i++) await ui.press(KEYS.down);
    await ui.waitFor(`› ${label}`);
    await ui.press(KEYS.enter);
    await ui.press('\x15');
    await ui.type(value);
    await ui.press(KEYS.enter);
  };

  it('a VLAN from the form, applied: steps, then the countdown; not kept, this process rolls it back at zero and says so; one apply and one rollback event', guard(async () => {
    const ui = env!.ui;
    await ui.waitFor(/backend iproute2/, 60_000);
    await ui.waitFor(/eth1\s+nic\s+down/, 30_000);
    await ui.press('v');
    await ui.waitFor('New VLAN');
    await fill('On interface', 'eth1');
    await fill('VLAN id', '30');
    await ui.press('s');
    await ui.waitFor(/1 staged change/, 30_000);
    await ui.press('A');
    await ui.waitFor('Apply the staged network changes');
    await ui.press(KEYS.enter);
    const q = await ui.waitFor(/Keep this configuration\? Rolling back in \d+ s/, 120_000);
    assert.match(q, /✓ Take a checkpoint of the current configuration/);
    assert.match(q, /✓ Verify the host shows the change/);
    assert.equal((await host!.run(['ip', 'link', 'show', 'eth1.30'])).code, 0, 'the VLAN is there while waiting');
    await ui.waitFor('Not confirmed within 20 s: the previous configuration is back.', 120_000);
    assert.notEqual((await host!.run(['ip', 'link', 'show', 'eth1.30'])).code, 0, 'the VLAN is gone after the rollback');
    const msgs = env!.services.events.list({}).map((e) => e.message);
    assert.equal(msgs.filter((m) => /^Network change applied/.test(m)).length, 1, msgs.join('\n'));
    assert.equal(msgs.filter((m) => /rolled back/i.test(m)).length, 1, msgs.join('\n'));
    // The list shows the host as it is again; the change is staged again for another try (net-core restages it),
    // so the table's only eth1.30 row is the pending one, signed + (the host has no such VLAN).
    await ui.press(KEYS.escape);
    const f = await ui.waitFor(/1 staged change[\s\S]*\+ eth1\.30: vlan, id 30 on eth1/, 30_000);
    const rows = f.split('\n').filter((l) => /eth1\.30\s+vlan/.test(l));
    assert.ok(rows.length === 1 && /\+ eth1\.30\s+vlan.*\+ staged/.test(rows[0]!), f);
  }));
});
