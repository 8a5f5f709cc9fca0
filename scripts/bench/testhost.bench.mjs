// Test-host figures (scripts/testhost, test/lib/testhost), median of N runs:
//   - boot + run `true` + poweroff of one test host (1 NIC);
//   - boot until NetworkManager is ready (udev + D-Bus + NetworkManager, 2 NICs);
//   - the boot image built from nothing (download + unpack + depmod + initramfs),
//     once, into a temporary cache (BENCH_IMAGE=0 skips it).
// Targets on the 2-core machine under TCG: 10 s, 20 s, and 60 s for the image.
// Prints figures; never asserts. Runs with `node --import tsx` (imports .ts).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { TestHost, ensureImage, chooseAccel } from '../../test/lib/testhost/index.ts';

const root = new URL('../..', import.meta.url).pathname;
const runs = Number(process.env.BENCH_RUNS ?? 5);
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const fmt = (ms) => `${(ms / 1000).toFixed(1)} s`;
const summary = (label, xs, target) =>
  `${label}: median ${fmt(median(xs))} over ${xs.length} runs (min ${fmt(Math.min(...xs))}, max ${fmt(Math.max(...xs))}); target <= ${target}`;

async function bootTrue() {
  const t0 = performance.now();
  const host = new TestHost({ name: 'bench', nics: 1, keepLogs: 'never' });
  try {
    await host.boot();
    const r = await host.run(['true']);
    if (r.code !== 0) throw new Error('`true` failed inside the test host');
    await host.poweroff();
    return { total: performance.now() - t0, boot: host.bootMs };
  } finally {
    await host.destroy();
  }
}

async function bootNetworkManager() {
  const t0 = performance.now();
  const host = new TestHost({ name: 'bench-nm', nics: 2, keepLogs: 'never' });
  try {
    await host.boot();
    await host.startServices(['networkmanager']);
    const ready = performance.now() - t0;
    const r = await host.run(['nmcli', '-t', '-f', 'DEVICE,STATE', 'device']);
    if (!/^eth0:disconnected$/m.test(r.stdout)) throw new Error(`NetworkManager does not manage eth0: ${r.stdout}`);
    return ready;
  } finally {
    await host.destroy();
  }
}

const image = await ensureImage();
const accel = await chooseAccel();
console.log(`test host: ${image.packageName} ${image.packageVersion}, accel ${accel.accel} (${accel.why}), load average ${loadavg()[0].toFixed(2)}`);

await bootTrue(); // warm the page cache (the kernel image, Node's binary over 9p)
const plain = [];
for (let i = 0; i < runs; i++) plain.push(await bootTrue());
console.log(summary('boot + run `true` + poweroff', plain.map((p) => p.total), '10 s'));
console.log(`  of which boot until the agent answers: median ${fmt(median(plain.map((p) => p.boot)))}`);

const nm = [];
for (let i = 0; i < runs; i++) nm.push(await bootNetworkManager());
console.log(summary('boot until NetworkManager is ready (udev, D-Bus, NM "startup complete")', nm, '20 s'));

if (process.env.BENCH_IMAGE !== '0') {
  const cache = mkdtempSync(join(tmpdir(), 'hostdeck-bench-image-'));
  try {
    const t0 = performance.now();
    const r = spawnSync(join(root, 'scripts/testhost/build-image'), [], { env: { ...process.env, HOSTDECK_TESTHOST_CACHE: cache }, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`build-image failed: ${r.stderr}`);
    console.log(`boot image built from nothing (apt-get download, unpack, depmod, initramfs): ${fmt(performance.now() - t0)}; target <= 60 s`);
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
}
console.log(`load average after: ${loadavg()[0].toFixed(2)}`);
