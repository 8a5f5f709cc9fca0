// Charts beyond the hour: the host monitor and the VM detail step past the
// live 60 minutes to a day, a week, a month and a year, drawn from the
// history the host service keeps in the state database (written here as the
// service's sampling round and roll-up would), with the live rings over its
// last hour. The network chart's axis top says which points were drawn: the
// history's rates are far above anything this machine's own NICs carry.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { App } from '../../src/app/App.tsx';
import { createStores } from '../../src/store/host.ts';
import { historyRepo, HOST_FIGURES, VM_FIGURES, type Figures, type HostFigure, type VmFigure } from '../../src/manager/repos/history.ts';
import { compactBytes } from '../../src/domain/size.ts';
import { niceMax } from '../../src/ui/braille.ts';
import { SCREENS } from '../../screens/index.ts';
import { KEYS, openVmFromList, renderTui } from '../lib/ink.tsx';
import { consoleCore, testServices } from '../lib/services.ts';

const uri = `test://${new URL('../fixtures/libvirt/host.xml', import.meta.url).pathname}`;
const VM_UUID = '6695eb01-f6a4-8304-79aa-97f2502e193f';
const now = Math.floor(Date.now() / 1000);
const HOUR = 3600;
// Rates in bytes/s: the minute samples of the last day, and the hourly averages of the week.
const HOST_MINUTE_RX = 3e9;
const HOST_HOUR_RX = 8e9;
const HOST_HOUR_CPU_PEAK = 97;
const VM_MINUTE_RX = 6e9;

const top = (bps: number) => `↑${compactBytes(niceMax(bps))}/s`;
const figures = <F extends string>(names: readonly F[], v: Partial<Record<F, number>>): Figures<F> =>
  Object.fromEntries(names.map((n) => [n, v[n] ?? 10])) as Figures<F>;

function writeHistory(services: ReturnType<typeof testServices>) {
  const repo = historyRepo(services.db);
  const vmId = repo.vmIds([VM_UUID]).get(VM_UUID)!;
  // Two to three hours ago: before the live rings' hour, inside the day.
  for (let t = now - 3 * HOUR; t < now - 2 * HOUR; t += 60) {
    repo.writeRound({
      t,
      host: figures<HostFigure>(HOST_FIGURES, { cpu_pct: 40, net_rx_bps: HOST_MINUTE_RX }),
      vms: [{ vmId, state: 1, figures: figures<VmFigure>(VM_FIGURES, { cpu_pct: 30, net_rx_bps: VM_MINUTE_RX }) }],
      storage: [],
      configs: t === now - 3 * HOUR ? [{ vmId, name: 'hd-test-ctr-running', vcpus: 1, memoryKiB: 131072 }] : [],
    });
  }
  // Hourly aggregates of the last days (what the roll-up keeps for the week and the month).
  const cols = HOST_FIGURES.flatMap((f) => [`${f}_avg`, `${f}_max`]);
  const ins = services.db.prepare(`INSERT INTO history_host_hour (t, samples, ${cols.join(', ')}) VALUES (?, 60, ${cols.map(() => '?').join(', ')})`);
  for (let t = now - 6 * 24 * HOUR; t < now - 2 * 24 * HOUR; t += HOUR) {
    ins.run(t, ...HOST_FIGURES.flatMap((f) => (f === 'cpu_pct' ? [50, HOST_HOUR_CPU_PEAK] : f === 'net_rx_bps' ? [HOST_HOUR_RX, HOST_HOUR_RX] : [10, 10])));
  }
}

describe('charts over a day, a week, a month and a year read the history', () => {
  const services = testServices({ uri });
  const stores = createStores(consoleCore(services), 60_000);
  let ui: ReturnType<typeof renderTui>;
  before(async () => {
    writeHistory(services);
    ui = renderTui(<App core={consoleCore(services)} stores={stores} screens={SCREENS} initialTheme="dark" readOnly={false} mode={() => 'standalone'} />, { columns: 120, rows: 40 });
    await ui.waitFor('Menu', 15_000);
  });
  after(async () => { ui.unmount(); stores.stop(); await services.cleanup(); });

  it('the host monitor: > steps to the day (minute samples), the week (hourly averages with peaks), and back with <', async () => {
    await ui.press('m');
    let f = await ui.waitFor(/CPU % \(5 min\)/, 15_000);
    assert.ok(!f.includes(top(HOST_MINUTE_RX)), 'the live window does not draw the history');
    await ui.press('>', '>', '>');
    f = await ui.waitFor(/CPU % \(day, per minute\)/, 10_000);
    assert.ok(f.includes(top(HOST_MINUTE_RX)), `the day's network chart reaches the history's rate:\n${f}`);
    await ui.press('>');
    f = await ui.waitFor(/CPU % \(week, hourly\)/, 10_000);
    assert.ok(f.includes(top(HOST_HOUR_RX)), `the week's network chart reaches the hourly average:\n${f}`);
    assert.match(f, /peak/, 'the hourly peaks of the CPU are drawn beside its averages');
    await ui.press('>', '>', '>');
    // Nothing was rolled up into days yet: the year has only the live hour, and says so.
    f = await ui.waitFor(/CPU % \(year, no history\)/, 10_000);
    assert.ok(!f.includes(top(HOST_HOUR_RX)), f);
    await ui.press('<', '<', '<', '<', '<', '<');
    await ui.waitFor(/CPU % \(5 min\)/, 10_000);
  });

  it('the VM detail: the day shows the VM\'s minute samples; a VM without history says so', async () => {
    await ui.press(KEYS.escape);
    await ui.waitFor('Menu', 10_000);
    await ui.press('v');
    await openVmFromList(ui, 'hd-test-ctr-running');
    await ui.waitFor(/last 5 min/, 10_000);
    await ui.press('>', '>', '>');
    const f = await ui.waitFor(/CPU % \(day, per minute\)/, 10_000);
    assert.ok(f.includes(top(VM_MINUTE_RX)), `the VM's network chart reaches its history's rate:\n${f}`);

    await ui.press(KEYS.escape);
    await openVmFromList(ui, 'hd-test-ctr-paused');
    await ui.waitFor(/last 5 min/, 10_000);
    await ui.press('>', '>', '>', '>');
    await ui.waitFor(/CPU % \(week, no history\)/, 10_000);
  });
});
