// The VM list against the real libvirtd with a tiny guest that burns CPU
// (the tiny guest's own initramfs, plus an appended archive whose /init
// starts a busy loop before the boot marker): the list shows a high CPU %
// within two refreshes of the guest being up, and a pause made outside
// hostdeck shows through the event stream with a refresh interval far
// longer than the wait.
import { after, before, describe, it } from 'node:test';
import { consoleCore } from '../lib/services.ts';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gunzipSync, gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { run, runOk } from '../../src/exec/runner.ts';
import { App } from '../../src/app/App.tsx';
import { createStores } from '../../src/store/host.ts';
import { createCore } from '../../src/core/index.ts';
import { createVmStore } from '../../src/store/vms.ts';
import { createMonitorUseCases, type MonitorUseCases } from '../../src/core/monitor.ts';
import { SCREENS } from '../../screens/index.ts';
import { renderTui } from '../lib/ink.tsx';
import { testServices } from '../lib/services.ts';
import { guestImage, guestName, IMAGES_DIR, removeGuests, SYSTEM_URI, tinyGuestXml, virshSys, waitForSerial } from '../lib/guest.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const vm = guestName('mon');

/** The tiny guest's initramfs with a CPU-burning /init appended (a later cpio member replaces an earlier one). */
async function burningInitrd(dir: string): Promise<string> {
  const img = await guestImage();
  const work = join(dir, 'overlay');
  await runOk('mkdir', ['-p', work]);
  // cpio reads and writes archive files (-F); gzip is zlib's.
  const archive = join(dir, 'tiny.cpio');
  writeFileSync(archive, gunzipSync(readFileSync(img.initrd)));
  const init = (await runOk('cpio', ['-i', '--quiet', '--to-stdout', '-F', archive, 'init'])).stdout;
  assert.match(init, /hostname hostdeck-tiny/);
  writeFileSync(join(work, 'init'), init.replace('hostname hostdeck-tiny\n', 'hostname hostdeck-tiny\n( while :; do :; done ) &\n'), { mode: 0o755 });
  const extra = join(dir, 'burn.cpio.gz');
  // Next to the guest's disk, where QEMU (running as its own user) may read it; removeGuests() deletes it.
  const extraCpio = join(dir, 'burn.cpio');
  await runOk('cpio', ['-o', '-H', 'newc', '--quiet', '-F', extraCpio], { cwd: work, input: 'init\n' });
  writeFileSync(extra, gzipSync(readFileSync(extraCpio), { level: 9 }));
  const out = join(IMAGES_DIR, `${vm}-initrd.img`);
  writeFileSync(out, Buffer.concat([readFileSync(img.initrd), readFileSync(extra)]));
  return out;
}

describe('VM list on the real libvirtd with a guest burning CPU', { concurrency: false }, () => {
  let dir: string;
  let env: { ui: ReturnType<typeof renderTui>; stores: ReturnType<typeof createStores>; services: ReturnType<typeof testServices> };
  let marker: string;

  before(async () => {
    assert.equal(process.getuid?.(), 0, 'the integration tier runs as root');
    await runOk(join(ROOT, 'scripts/libvirt-up'), [], { timeoutMs: 120_000 });
    marker = (await guestImage()).marker;
    await removeGuests(vm);
    dir = mkdtempSync(join(tmpdir(), 'hostdeck-mon-'));
    const initrd = await burningInitrd(dir);
    const img = await guestImage();
    const xml = (await tinyGuestXml(vm)).replace(`<initrd>${img.initrd}</initrd>`, `<initrd>${initrd}</initrd>`);
    assert.ok(xml.includes(initrd), 'the domain boots the burning initramfs');
    writeFileSync(join(dir, 'dom.xml'), xml);
    await virshSys('define', join(dir, 'dom.xml'));
    const services = testServices({ uri: SYSTEM_URI });
    const stores = createStores(createCore(services, { user: 'tester', channel: 'tui' }), 2000);
    const ui = renderTui(<App core={consoleCore(services)} stores={stores} screens={SCREENS} initialTheme="dark" readOnly={false} mode={() => 'unconfigured'} />, { columns: 120, rows: 30 });
    env = { ui, stores, services };
  });

  after(async () => {
    env?.ui.unmount();
    env?.stores.stop();
    await env?.services.cleanup();
    await removeGuests(vm);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const rowOf = (f: string) => f.split('\n').find((l) => new RegExp(`^ +(▶ +)?${vm} `).test(l)) ?? '';

  it('lists the defined guest as shut off', async () => {
    await env.ui.press('v');
    await env.ui.waitFor(/VMs ·/, 20_000);
    await env.ui.press('/');
    await env.ui.type(vm);
    await env.ui.press('\r');
    const f = await env.ui.waitFor((s) => /shutoff/.test(rowOf(s)), 20_000);
    // A shut-off VM has no CPU figure: "-", not 0.0 (it would sort as idle among running VMs).
    assert.match(rowOf(f), /shutoff\s+1\s+-(\s|$)/);
  });

  it('shows the burning guest near 100 % CPU within two refreshes of it being up', async () => {
    await virshSys('start', vm);
    await waitForSerial(vm, marker, 120_000);
    const ticksAtBoot = env.stores.vms.getSnapshot().data!.ticks;
    const f = await env.ui.waitFor((s) => { const m = /running\s+1\s+(\d+(?:\.\d)?)/.exec(rowOf(s)); return Boolean(m && Number(m[1]) >= 50); }, 30_000);
    const ticks = env.stores.vms.getSnapshot().data!.ticks - ticksAtBoot;
    assert.ok(ticks <= 2, `high CPU showed after ${ticks} refreshes`);
    const row = env.stores.vms.getSnapshot().data!.byName.get(vm)!;
    assert.ok(row.cpuPercent! >= 50, `CPU ${row.cpuPercent}`);
    // The figures came from libvirt in process (hostdeck's addon), not a virsh.
    assert.equal(env.stores.vms.getSnapshot().data!.source, 'libvirt');
    assert.match(rowOf(f), /running/);
    // Uptime comes from the QEMU process's start time; memory from the balloon.
    assert.ok(row.uptimeSec !== undefined && row.uptimeSec >= 0);
    assert.equal(row.maxMemoryKiB, 128 * 1024);
    // The detail draws its CPU chart from the history.
    assert.ok(env.stores.vms.history(vm, 'cpu', 5 * 60_000).some((p) => p.v >= 50));
  });

  it('hostdeck top --batch reports the burning guest the same way, one JSON record per VM per tick', async () => {
    const r = await run(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli.tsx'), 'top', '--batch', '--interval', '1', '--iterations', '2', '--format', 'json', '-c', SYSTEM_URI],
      { cwd: ROOT, timeoutMs: 60_000, env: { HOSTDECK_DB: join(dir, 'state.db'), HOSTDECK_LOG: join(dir, 'log') } });
    assert.equal(r.exitCode, 0, r.stderr);
    const mine = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>).filter((x) => x.name === vm);
    assert.deepEqual(mine.map((x) => x.tick), [1, 2]);
    for (const x of mine) {
      assert.equal(x.state, 'running');
      assert.ok(Number(x.cpu_pct) >= 50, `cpu_pct ${String(x.cpu_pct)}`);
      assert.equal(x.max_mem_kib, 128 * 1024);
      assert.equal(typeof x.uptime_s, 'number');
    }
  });

  it('without lifecycle events, a pause and a resume made outside hostdeck show at the next tick all the same', async () => {
    // Most ticks ask libvirt only for the running domains; here no event
    // reaches this store (its event subscription delivers nothing), so the
    // sampler itself must notice the guest stopped running.
    const { services } = env;
    const deaf: MonitorUseCases = { ...createMonitorUseCases({ infra: services }), onVmEvent: () => () => undefined };
    const store = createVmStore(deaf, { intervalMs: 60_000 });
    const off = store.subscribe(() => undefined);
    const stateNow = async () => { await store.refresh(); return store.getSnapshot().data!.byName.get(vm)?.state; };
    try {
      assert.equal(await stateNow(), 'running');
      assert.equal(await stateNow(), 'running');
      await virshSys('suspend', vm);
      assert.equal(await stateNow(), 'paused');
      assert.equal(await stateNow(), 'paused', 'carried while it stays paused');
      assert.equal(store.getSnapshot().data!.byName.get(vm)!.cpuPercent, 0);
      await virshSys('resume', vm);
      assert.equal(await stateNow(), 'running');
    } finally {
      off();
      store.stop();
    }
  });

  it('shows a pause made outside hostdeck through the event stream, not the next poll', async () => {
    env.stores.vms.setIntervalMs(10_000);
    await env.ui.waitFor(/every 10 s/);
    const before = env.stores.vms.getSnapshot().data!.at;
    await virshSys('suspend', vm);
    await env.ui.waitFor((s) => /paused/.test(rowOf(s)), 8000);
    assert.ok(env.stores.vms.getSnapshot().data!.at - before < 10_000, 'the list updated before the 10 s poll was due');
    await virshSys('destroy', vm);
    await env.ui.waitFor((s) => /shutoff/.test(rowOf(s)), 8000);
  });
});
