// The VM list, VM detail and host monitor in the shell, on a libvirt
// test-driver host with 30 domains (18 running, 6 paused, 6 shut off).
import { after, before, describe, it } from 'node:test';
import { consoleCore } from '../lib/services.ts';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from '../../src/app/App.tsx';
import { createStores } from '../../src/store/host.ts';
import { createCore } from '../../src/core/index.ts';
import { SCREENS } from '../../screens/index.ts';
import { KEYS, renderTui } from '../lib/ink.tsx';
import { testServices } from '../lib/services.ts';
import { compactBytes } from '../../src/domain/size.ts';
// @ts-expect-error -- plain .mjs helper shared with the benchmarks
import { writeMonitorFixture } from '../../scripts/bench/monitor-fixture.mjs';

const dir = mkdtempSync(join(tmpdir(), 'hostdeck-vms-'));
const uri = (writeMonitorFixture as (d: string, n: number) => string)(dir, 30);

function mount() {
  const services = testServices({ uri });
  const stores = createStores(createCore(services, { user: 'tester', channel: 'tui' }), 2000);
  const ui = renderTui(<App core={consoleCore(services)} stores={stores} screens={SCREENS} initialTheme="dark" readOnly={false} mode={() => 'unconfigured'} />, { columns: 100, rows: 30 });
  return { ui, stores, async close() { ui.unmount(); stores.stop(); await services.cleanup(); } };
}

/** The name on the selected (▶) row. */
const selectedName = (f: string) => /▶ (\S+)/.exec(f)?.[1];
/** Name, state and CPU% cell of the VM rows in screen order. */
const cpuCells = (f: string) => [...f.matchAll(/^ +(?:▶ +)?(vm-\d{4}) +(\S+) +(?:\d+|-) +(-|[\d.]+)/gm)].map((m) => ({ name: m[1], state: m[2], cpu: m[3] }));
/** Names of the VM rows in screen order. */
const names = (f: string) => [...f.matchAll(/^ +(?:▶ +)?(vm-\d{4}) /gm)].map((m) => m[1]);

describe('VM monitoring screens', () => {
  let env: ReturnType<typeof mount>;
  before(() => { env = mount(); });
  after(async () => { await env.close(); rmSync(dir, { recursive: true, force: true }); });

  it('the dashboard counts VMs from the monitoring store', async () => {
    await env.ui.waitFor(/vms\s+30 total · 18 running · 6 paused · 6 shut off/, 15_000);
  });

  it('the header says the test driver keeps no change', async () => {
    const header = env.ui.frame().split('\n')[0]!;
    assert.match(header, /│ unconfigured │ test driver: changes are not kept/);
  });

  it('v opens the list with every column and draws only the rows that fit', async () => {
    await env.ui.press('v');
    const f = await env.ui.waitFor(/30 VMs · 18 running · 6 paused · 6 off/, 10_000);
    assert.match(f, /NAME.*STATE\s+VCPU\s+CPU%.*MEM\s+DISK R\s+DISK W\s+NET RX\s+NET TX\s+UPTIME/);
    assert.equal(f.split('\n').length, 30);
    assert.match(f, /1-\d+ of 30/);
    assert.ok(names(f).length < 30, 'not every row is drawn');
  });

  it('a totals line under the list: active vCPUs and memory against the host, summed CPU %, every vCPU', async () => {
    const rows = env.stores.vms.getSnapshot().data!.rows;
    const active = rows.filter((r) => r.state !== 'shutoff');
    const vcpus = (rs: typeof rows) => rs.reduce((a, r) => a + r.vcpus, 0);
    const memKiB = active.reduce((a, r) => a + r.memoryKiB, 0);
    const hostKiB = env.stores.host.getSnapshot().data!.memory.totalKiB;
    const f = await env.ui.waitFor(/active VMs: /);
    const line = f.split('\n').find((l) => l.includes('active VMs: '))!;
    assert.match(line, new RegExp(`active VMs: ${vcpus(active)} vCPU · memory ${compactBytes(memKiB * 1024)} of ${compactBytes(hostKiB * 1024)} host · CPU (-|[\\d.]+ %) of host · all VMs: ${vcpus(rows)} vCPU`));
    assert.ok(f.split('\n').indexOf(line) > f.split('\n').findIndex((l) => /vm-\d{4}/.test(l)), 'under the VM rows');
  });

  it('sorts by name with 1 and reverses on a second press', async () => {
    await env.ui.press('1');
    let f = await env.ui.waitFor(/sort name ▲/);
    assert.deepEqual(names(f).slice(0, 3), ['vm-0000', 'vm-0001', 'vm-0002']);
    await env.ui.press('1');
    f = await env.ui.waitFor(/sort name ▼/);
    const shown = names(f);
    assert.deepEqual(shown, [...shown].sort().reverse());
    await env.ui.press('2');
    f = await env.ui.waitFor(/sort state ▲/);
    assert.match(f.split('\n').find((l) => /vm-\d{4}/.test(l))!, /running/);
  });

  it('a shut-off VM shows no CPU figure, and VMs without one sort last in either direction', async () => {
    await env.ui.press('/');
    await env.ui.type('^vm-000');
    await env.ui.press(KEYS.enter);
    await env.ui.waitFor(/10 of 30 VMs/);
    const order = async (dir: string) => {
      const wanted = new RegExp(`sort CPU % ${dir}`);
      // 4 sorts by CPU % (biggest first), again reverses: at most two presses from any sort.
      for (let i = 0; i < 2 && !wanted.test(env.ui.frame()); i++) {
        await env.ui.press('4');
        await env.ui.waitFor(/sort CPU %/);
      }
      return cpuCells(await env.ui.waitFor(wanted));
    };
    for (const dir of ['▼', '▲', '▼']) {
      const cells = await order(dir);
      assert.equal(cells.length, 10);
      for (const c of cells.filter((x) => x.state === 'shutoff')) assert.equal(c.cpu, '-', `${c.name} is shut off`);
      const firstBlank = cells.findIndex((c) => c.cpu === '-');
      assert.ok(cells.slice(firstBlank).every((c) => c.cpu === '-'), `no figure after a "-" (${dir}): ${cells.map((c) => c.cpu).join(' ')}`);
    }
    await env.ui.press('/', KEYS.escape);
    await env.ui.waitFor(/30 VMs ·/);
  });

  it('keeps the selected VM by identity when the order changes', async () => {
    await env.ui.press('1');
    await env.ui.waitFor(/sort name ▲/);
    await env.ui.press('g');
    await env.ui.waitFor((f) => selectedName(f) === 'vm-0000');
    await env.ui.press(KEYS.down, KEYS.down, KEYS.down);
    await env.ui.waitFor((f) => selectedName(f) === 'vm-0003');
    await env.ui.press('1');
    const f = await env.ui.waitFor(/sort name ▼/);
    assert.equal(selectedName(f), 'vm-0003');
    await env.ui.press('4');
    assert.equal(selectedName(await env.ui.waitFor(/sort CPU % ▼/)), 'vm-0003');
  });

  it('/ filters by substring, by regex, and inverted with !', async () => {
    await env.ui.press('/');
    await env.ui.type('vm-001');
    await env.ui.waitFor(/filter \(regex, ! inverts\): vm-001/);
    await env.ui.press(KEYS.enter);
    let f = await env.ui.waitFor(/10 of 30 VMs/);
    assert.ok(names(f).every((n) => n!.startsWith('vm-001')));
    await env.ui.press('/', KEYS.escape);
    await env.ui.waitFor(/30 VMs ·/);
    await env.ui.press('/');
    await env.ui.type('00(1|2)[05]$');
    await env.ui.press(KEYS.enter);
    f = await env.ui.waitFor(/4 of 30 VMs/);
    assert.deepEqual([...names(f)].sort(), ['vm-0010', 'vm-0015', 'vm-0020', 'vm-0025']);
    await env.ui.press('/', KEYS.escape, '/');
    await env.ui.type('!paused');
    await env.ui.press(KEYS.enter);
    f = await env.ui.waitFor(/24 of 30 VMs/);
    assert.doesNotMatch(f, /\bpaused\s+\d/);
    await env.ui.press('/', KEYS.escape);
    await env.ui.waitFor(/30 VMs ·/);
  });

  it('/ matches a pattern against each field on its own, and refuses an invalid one on the filter line', async () => {
    await env.ui.press('/');
    await env.ui.type('^running$');
    await env.ui.press(KEYS.enter);
    let f = await env.ui.waitFor(/18 of 30 VMs/);
    assert.match(f, /filter "\^running\$"/);
    await env.ui.press('/', KEYS.escape, '/');
    await env.ui.type('vm-001');
    await env.ui.waitFor((s) => names(s).length === 10 && names(s).every((n) => n!.startsWith('vm-001')));
    await env.ui.type('[');
    f = await env.ui.waitFor(/filter: not a valid regular expression \(unterminated character class\)/);
    assert.equal(names(f).length, 10, 'the list keeps the last valid filter');
    await env.ui.press(KEYS.enter);
    f = await env.ui.waitFor(/filter \(regex, ! inverts\): vm-001\[/);
    assert.match(f, /not a valid regular expression/, 'Enter does not take an invalid pattern');
    await env.ui.press(KEYS.backspace, KEYS.enter);
    f = await env.ui.waitFor(/10 of 30 VMs/);
    assert.match(f, /filter "vm-001"/);
    await env.ui.press('/', KEYS.escape);
    await env.ui.waitFor(/30 VMs ·/);
  });

  it('keeps its sort, filter and selection after a VM detail view', async () => {
    await env.ui.press('1');
    await env.ui.waitFor(/sort name ▲/);
    await env.ui.press('/');
    await env.ui.type('paused');
    await env.ui.press(KEYS.enter);
    await env.ui.waitFor(/6 of 30 VMs/);
    await env.ui.press('g', KEYS.down, KEYS.down);
    const picked = selectedName(await env.ui.waitFor((f) => selectedName(f) !== names(f)[0]));
    await env.ui.press(KEYS.enter);
    await env.ui.waitFor(new RegExp(`vm\\s+${picked} \\(paused`));
    await env.ui.press(KEYS.escape);
    const f = await env.ui.waitFor(/6 of 30 VMs/);
    assert.match(f, /sort name ▲ · filter "paused"/);
    assert.equal(selectedName(f), picked);
    await env.ui.press('/', KEYS.escape, '4');
    await env.ui.waitFor(/30 VMs · .* sort CPU % ▼/);
  });

  it('+ and - change the refresh interval', async () => {
    await env.ui.press('+');
    await env.ui.waitFor(/every 0\.5 s/);
    await env.ui.press('-', '-');
    await env.ui.waitFor(/every 2 s/);
    await env.ui.press('+');
    await env.ui.waitFor(/every 1 s/);
  });

  it('a burst of +++ takes one step per press', async () => {
    await env.ui.press('-', '-', '-', '-');
    await env.ui.waitFor(/every 10 s/);
    await env.ui.press('+++');
    await env.ui.waitFor(/every 2 s/);
    await env.ui.press('+');
    await env.ui.waitFor(/every 1 s/);
  });

  it('Enter opens the detail with the configuration and the charts; < > change the window', async () => {
    await env.ui.press('1');
    await env.ui.waitFor(/sort name ▲/);
    await env.ui.press('g', KEYS.down, KEYS.down, KEYS.down);
    await env.ui.waitFor((f) => selectedName(f) === 'vm-0003');
    await env.ui.press(KEYS.enter);
    let f = await env.ui.waitFor(/vm\s+vm-0003 \(paused/);
    assert.match(f, /uuid\s+00000000-0000-4000-8000-000000000003/);
    assert.match(f, /4 vCPU/);
    f = await env.ui.waitFor(/config\s+test x86_64/, 10_000);
    for (const title of ['CPU %', 'Memory', 'Disk', 'Network']) assert.match(f, new RegExp(title));
    assert.match(f, /disk vda\s+disk /);
    assert.match(f, /last 5 min/);
    await env.ui.press('>');
    await env.ui.waitFor(/last 15 min/);
    await env.ui.press('>');
    await env.ui.waitFor(/last 60 min/);
    // Past the live hour: the history's day (test/component/history-charts draws it), then back.
    await env.ui.press('>');
    await env.ui.waitFor(/last day/);
    await env.ui.press('<');
    await env.ui.waitFor(/last 60 min/);
    await env.ui.press(KEYS.escape);
    await env.ui.waitFor(/30 VMs ·/);
  });

  it('the host monitor shows per-core bars, memory, swap, load, NICs and disks', async () => {
    await env.ui.press(KEYS.escape);
    await env.ui.waitFor(/Menu/);
    await env.ui.press('m');
    const f = await env.ui.waitFor(/NIC\s+RX\s+TX/, 15_000);
    assert.match(f, /cpu0\s+\S*\s*\d+\.\d%/);
    assert.match(f, /mem\s+/);
    assert.match(f, /swap\s+/);
    assert.match(f, /load\s+\d+\.\d\d/);
    assert.match(f, /eth0/);
    assert.match(f, /DISK\s+READ\s+WRITE/);
    for (const title of ['CPU %', 'Memory', 'Network', 'Disk']) assert.match(f, new RegExp(title));
  });
});
