// The screens at the serial console's 80x24 and at 120x36, on a libvirt
// test-driver host whose three VM names differ only at their end: no line
// wider than the terminal, names and column titles whole.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from '../../src/app/App.tsx';
import { createStores } from '../../src/store/host.ts';
import { createCore } from '../../src/core/index.ts';
import { SCREENS } from '../../screens/index.ts';
import { SORT_DIGITS } from '../../screens/vms/keys.ts';
import { KEYS, renderTui } from '../lib/ink.tsx';
import { consoleCore, testServices } from '../lib/services.ts';
// @ts-expect-error -- plain .mjs helper shared with the benchmarks
import { writeMonitorFixture } from '../../scripts/bench/monitor-fixture.mjs';

const dir = mkdtempSync(join(tmpdir(), 'hostdeck-layout-'));
const uri = (writeMonitorFixture as (d: string, n: number, prefix: string) => string)(dir, 3, 'hd-test-');
const NAMES = ['hd-test-0000', 'hd-test-0001', 'hd-test-0002'];

function mount(columns: number, rows: number) {
  const services = testServices({ uri });
  const stores = createStores(createCore(services, { user: 'tester', channel: 'tui' }), 2000);
  const ui = renderTui(<App core={consoleCore(services)} stores={stores} screens={SCREENS} initialTheme="dark" readOnly={false} mode={() => 'unconfigured'} />, { columns, rows });
  return { ui, async close() { ui.unmount(); stores.stop(); await services.cleanup(); } };
}

/** Lines under the header (whose clock is the shell's) cut with an ellipsis. */
const cut = (f: string) => f.split('\n').slice(1).filter((l) => l.includes('…'));
/** Lines of the frame wider than `columns`. */
const wide = (f: string, columns: number) => f.split('\n').filter((l) => [...l].length > columns);

for (const [columns, rows] of [[80, 24], [120, 36]] as const) {
  describe(`the VM list at ${columns}x${rows}`, () => {
    let env: ReturnType<typeof mount>;
    before(() => { env = mount(columns, rows); });
    after(async () => { await env.close(); });

    it('the dashboard shows each line whole, wrapped under its label where the pane is narrow', async () => {
      const f = await env.ui.waitFor((s) => /vms\s+3 total/.test(s) && /engine\s+unconfigured/.test(s) && /network\s+iproute2/.test(s), 15_000);
      assert.deepEqual(wide(f, columns), []);
      assert.deepEqual(cut(f), []);
      const text = f.replace(/│/g, ' ').replace(/\s+/g, ' ');
      for (const whole of ['3 total · 3 running · 0 paused · 0 shut off', 'unconfigured: not registered with an engine, not standalone', `${uri} connected`, 'emulation only (TCG)']) {
        assert.ok(text.includes(whole), `"${whole}" whole in:\n${f}`);
      }
      // The meter prints the file system's Use%; the text beside it does not say it again.
      const fs = f.split('\n').find((l) => /fs \//.test(l)) ?? '';
      assert.equal(fs.match(/\d+ ?%/g)?.length, 1, fs);
    });

    it('shows each VM name whole, every column title whole, and no line wider than the terminal', async () => {
      await env.ui.waitFor(/vms\s+3 total/, 15_000);
      await env.ui.press('v');
      await env.ui.waitFor(/3 VMs ·/, 10_000);
      // Every sort puts its mark in its column's title: none may push the title into an ellipsis.
      for (const [digit, , label] of SORT_DIGITS) {
        await env.ui.press(digit);
        const f = await env.ui.waitFor((s) => NAMES.every((n) => s.includes(n)) && s.includes(`sort ${label} `), 10_000);
        assert.deepEqual(wide(f, columns), []);
        assert.deepEqual(cut(f), [], 'the status and totals lines are whole');
        // Where the totals take two lines they break between figures, never between a number and its unit.
        const lines = f.split('\n');
        const at = lines.findIndex((l) => l.includes('active VMs: '));
        assert.ok(at >= 0, f);
        const more = (lines[at + 1] ?? '').trim();
        if (more) assert.match(more, /^(memory|CPU|all VMs)\b/, `totals continue with a whole figure: ${more}`);
        const header = f.split('\n').find((l) => /\bNAME/.test(l))!;
        assert.doesNotMatch(header, /…/, `sort ${digit}: ${header}`);
        for (const title of ['NAME', 'STATE', 'CPU%', 'MEM', 'UPTIME']) assert.match(header, new RegExp(`\\b${title}`), `sort ${digit}: ${header}`);
        for (const n of NAMES) assert.match(f, new RegExp(`${n} +running`));
      }
    });

    it('the VM detail shows every field whole, none running into another', async () => {
      await env.ui.press('1');
      await env.ui.waitFor((f) => /▶ hd-test-0000/.test(f) && f.includes('sort name ▲'));
      await env.ui.press(KEYS.enter);
      const f = await env.ui.waitFor(/config\s+test x86_64/, 10_000);
      assert.deepEqual(wide(f, columns), []);
      assert.deepEqual(cut(f), []);
      for (const field of ['uuid      00000000-0000-4000-8000-000000000000', 'autostart off', 'disk i/o  read 0/s 0 IOPS · write 0/s 0 IOPS', 'network   rx 0/s · tx 0/s',
        'disk vda  disk /var/lib/libvirt/images/hd-test-0000.qcow2', 'CPU %  cpu', 'Memory  current 128M', 'Disk', 'Network']) assert.ok(f.includes(field), `"${field}" whole in:\n${f}`);
      await env.ui.press(KEYS.escape, KEYS.escape);
    });

    it('the host monitor shows each chart title with its values whole', async () => {
      await env.ui.waitFor(/^ Dashboard$/m);
      await env.ui.press('m');
      const f = await env.ui.waitFor(/Disk .*↑/, 15_000);
      assert.deepEqual(wide(f, columns), []);
      // A process's command line is cut to its column's room, and a user name to its 12 columns (as top does); nothing else is.
      const processRow = /^ +\d+ +\S+ +[\d.]+ +[\d.]+[KMG]? +\S/;
      assert.deepEqual(cut(f).filter((l) => !processRow.test(l)), []);
      // Each title with its axis top on its line; the legend with each series' current value beside it or, when narrow, on the next line.
      for (const title of [/CPU % \(5 min\) .*↑100%/, /Memory .*↑[\d.]+G/, /Network .*↑/, /Disk .*↑/]) assert.match(f, title);
      for (const legend of [/cpu \d+%/, /used [\d.]+G/, /rx [\d.]+[KMG]?\/s {2}tx [\d.]+[KMG]?\/s/, /read [\d.]+[KMG]?\/s {2}write [\d.]+[KMG]?\/s/]) assert.match(f, legend);
      await env.ui.press(KEYS.escape);
    });
  });
}

after(() => rmSync(dir, { recursive: true, force: true }));
