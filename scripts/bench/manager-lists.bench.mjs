// The standalone manager's lists with a large inventory: 1000 VMs (the
// libvirt test-driver host of the monitor bench, scripts/bench/monitor-fixture.mjs),
// 50 templates and 20 pools (rows written straight into a scratch state DB:
// bench rows, no images behind them):
//   1. key press to updated frame, p95, on the Templates, VM pools, data
//      centers and clusters screens (opened through the `:` palette), beside
//      the VM list's own p95 in the same run; measured as monitor.bench.mjs
//      does (the console in this process, the shipped ink options, a terminal
//      stand-in whose writes are the frames);
//   2. the host service's peak RSS (`hostdeck serve`, bundled, every duty
//      every 2 s, after a few rounds) with that inventory, beside an idle
//      `node -e` process's RSS.
// Targets: 16 ms p95; RSS printed.
// Usage: node scripts/bench/manager-lists.bench.mjs  (BENCH_DOMAINS=1000 BENCH_TEMPLATES=50 BENCH_POOLS=20)
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import './tsx.mjs';
import { FakeStdin, FakeStdout } from './fake-terminal.mjs';
import { writeMonitorFixture } from './monitor-fixture.mjs';

// As the shipped bundle: React's production build.
process.env.NODE_ENV = 'production';
const { createElement } = await import('react');
const { render } = await import('ink');

const root = new URL('../..', import.meta.url).pathname;
const VMS = Number(process.env.BENCH_DOMAINS ?? 1000);
const TEMPLATES = Number(process.env.BENCH_TEMPLATES ?? 50);
const POOLS = Number(process.env.BENCH_POOLS ?? 20);
const SERVE_ROUNDS = Number(process.env.BENCH_SERVE_ROUNDS ?? 5);
const dir = mkdtempSync(join(tmpdir(), 'hostdeck-mgrbench-'));
// Removed however the bench ends (a failed step included).
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const uri = writeMonitorFixture(dir, VMS);
const db = join(dir, 'state.db');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = (a, p) => { const s = [...a].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]; };
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const status = (pid, field) => { try { return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024; } catch { return NaN; } };

const { Services } = await import('../../src/services.ts');
const { resolveConfig } = await import('../../src/config.ts');
const { createStores } = await import('../../src/store/host.ts');
const { createCore } = await import('../../src/core/index.ts');
const { App } = await import('../../src/app/App.tsx');
const { SCREENS, ACTIONS } = await import('../../screens/index.ts');
const { templateRepo } = await import('../../src/manager/repos/templates.ts');
const { poolRepo } = await import('../../src/manager/repos/pools.ts');

const config = { ...resolveConfig({ connect: uri, db }, {}), logFile: join(dir, 'log') };
const services = new Services(config, 'tui');
const core = createCore(services, { user: config.user, channel: 'tui' });

// ---- the inventory: bench template and pool rows in the scratch DB ---------------
{
  const blank = (await (await core.templates()).list())[0]; // the first use also writes Blank
  const templates = templateRepo(services.db);
  const pools = poolRepo(services.db);
  const now = new Date().toISOString();
  const ids = [];
  for (let i = 0; i < TEMPLATES; i++) {
    const id = randomUUID();
    ids.push(id);
    templates.insert({ id, baseId: id, name: `bench-tpl-${String(i).padStart(2, '0')}`, version: 1, versionName: '', description: 'bench row', storageDomainId: null,
      sourceVm: null, hardware: blank.hardware, sealed: false, status: 'ready', creatorPid: null, createdAt: now, disks: [] });
  }
  for (let i = 0; i < POOLS; i++) {
    pools.insert({ id: randomUUID(), name: `bench-pool-${String(i).padStart(2, '0')}`, description: 'bench row', templateId: ids[i % ids.length], templateVersion: 'latest',
      clusterId: null, size: 20, prestarted: 0, maxPerUser: 1, type: 'automatic', status: 'ready', creatorPid: null, createdAt: now });
  }
}

// ---- 1. key press to frame on each list ----------------------------------------
const stores = createStores(core, config.refreshMs);
const results = [];
try {
  const stdout = new FakeStdout({ keepText: true });
  const stdin = new FakeStdin();
  const ink = render(createElement(App, { core, stores, screens: SCREENS, actions: ACTIONS, initialTheme: 'dark', readOnly: false, mode: () => 'unconfigured' }),
    { stdout, stdin, stderr: new FakeStdout(), debug: false, exitOnCtrlC: false, patchConsole: false, maxFps: 30, incrementalRendering: true });
  await sleep(400);
  // Moves through the list, and sorts by the first two columns (on a list of a row or two, what draws a new frame).
  const keys = [...Array(40).fill('\x1b[B'), ...Array(10).fill('\x1b[6~'), ...Array(30).fill('\x1b[A'), ...Array(20).fill('j'), ...Array(20).fill('k'), ...Array(20).fill(['1', '2']).flat()];
  const measure = async (label, title, open) => {
    for (let i = 0; i < 3; i++) { stdin.write('\x1b'); await sleep(150); } // back to the start screen
    stdout.text = '';
    for (const k of open) { stdin.write(k); await sleep(60); }
    await sleep(2000); // its chunk loaded, its rows read
    if (!stdout.text.includes(title)) throw new Error(`${label}: the screen titled ${title} did not open`);
    const ms = [];
    for (const k of keys) {
      await sleep(70); // more than a frame apart: measure the work, not ink's 30 fps throttle
      const t0 = performance.now();
      const before = stdout.writes;
      stdin.write(k);
      for (let w = 0; w < 200 && stdout.writes === before; w++) await new Promise((r) => setImmediate(r));
      if (stdout.writes > before) ms.push(stdout.last - t0);
    }
    stdout.text = '';
    results.push({ label, p95: pct(ms, 95), median: pct(ms, 50), n: ms.length });
  };
  const palette = (word) => [':', ...word, '\r'];
  await measure(`VM list (${VMS} VMs), the baseline`, 'VMs', ['v']);
  for (let i = 0; i < 100 && !stores.vms.getSnapshot().data; i++) await sleep(50);
  await measure(`Templates (${TEMPLATES} + Blank)`, 'Templates', palette('template'));
  await measure(`VM pools (${POOLS})`, 'VM pools', palette('pool'));
  await measure('Data centers', 'Data centers', palette('datacenter'));
  await measure(`Clusters (${VMS} VMs)`, 'Clusters', palette('cluster'));
  ink.unmount();
  console.log(`key press to updated frame with ${VMS} VMs, ${TEMPLATES} templates, ${POOLS} pools (target p95 <= 16 ms; load ${load()})`);
  for (const r of results) console.log(`  ${r.label.padEnd(34)} p95 ${r.p95.toFixed(1).padStart(6)} ms, median ${r.median.toFixed(1).padStart(6)} ms over ${r.n} keys`);
  } finally {
  stores.stop();
  await services.close();
}

// ---- 2. the host service's RSS with that inventory -------------------------------
// The bundled binary, built into a directory of this bench's own (dist/ may be in use).
const out = join(root, '.cache/bench-manager-lists');
try {
  execFileSync(process.execPath, [join(root, 'scripts/build.mjs'), '--outdir', out], { stdio: ['ignore', 'ignore', 'inherit'] });
  const serve = spawn(process.execPath, [join(out, 'hostdeck.mjs'), 'serve', '--interval', '2', '-c', uri, '--db', db], { env: { ...process.env, HOSTDECK_LOG: join(dir, 'serve.log') }, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  serve.stdout.on('data', (d) => { text += d; });
  serve.stderr.on('data', (d) => { text += d; });
  // The service logs a duty's line when what it does changes: the first round's line, then the rounds every 2 s.
  const log = () => { try { return readFileSync(join(dir, 'serve.log'), 'utf8'); } catch { return ''; } };
  for (let i = 0; i < 300 && !/duty pool-prestart/.test(log()) && serve.exitCode === null; i++) await sleep(200);
  const ran = /duty pool-prestart/.test(log());
  if (!ran) console.log(`  (hostdeck serve did not run its pool duty:\n${text.slice(-2000)}${log().slice(-2000)})`);
  await sleep((SERVE_ROUNDS - 1) * 2000 + 500);
  const peak = status(serve.pid, 'VmHWM');
  const now = status(serve.pid, 'VmRSS');
  serve.kill('SIGTERM');
  await new Promise((r) => (serve.exitCode !== null ? r() : serve.once('exit', r)));
  const idle = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  await sleep(1000);
  const idleRss = status(idle.pid, 'VmHWM');
  idle.kill('SIGTERM');
  console.log(`hostdeck serve (bundled, every duty every 2 s) with ${VMS} VMs, ${TEMPLATES} templates, ${POOLS} pools after ${ran ? SERVE_ROUNDS : 0} rounds of its duties: peak RSS ${peak.toFixed(1)} MB (now ${now.toFixed(1)} MB); an idle node -e: ${idleRss.toFixed(1)} MB`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
process.exit(0);
