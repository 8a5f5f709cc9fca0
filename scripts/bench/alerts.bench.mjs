// Alert latency (issue #18: from the threshold crossed to the event, median),
// in a scratch state DB opened as hostdeck opens it (WAL, synchronous=FULL,
// every migration):
//   1. the evaluator's part: a round whose reading is past the threshold and
//      whose window has passed, from the readings in hand to the alert's
//      event committed (the state row and the event in one transaction), with
//      BENCH_OBJECTS other objects (VMs) judged in the same round; beside a
//      baseline measured in the same run: one plain event write (EventLog.record);
//   2. a whole round of the host service's alerts duty on this host (/proc,
//      /sys, the storage domains, libvirt's bulk statistics on the test driver,
//      timedatectl/chronyc): what a crossing waits at most beyond the duty's
//      15 s interval and the threshold's window.
// Printed, not asserted; the load average is printed beside.
// Usage: node scripts/bench/alerts.bench.mjs  (BENCH_ROUNDS=200 BENCH_OBJECTS=100)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import './tsx.mjs';

const { resolveConfig } = await import('../../src/config.ts');
const { Services } = await import('../../src/services.ts');
const { createCore } = await import('../../src/core/index.ts');
const { evaluateRound } = await import('../../src/core/alerts-evaluator.ts');
const { alertRepo } = await import('../../src/manager/repos/alerts.ts');

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200);
const OBJECTS = Number(process.env.BENCH_OBJECTS ?? 100);
const dir = mkdtempSync(join(tmpdir(), 'hostdeck-alertbench-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };
const p95 = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)]; };
const ms = (x) => `${x.toFixed(2)} ms`;

const services = new Services({ ...resolveConfig({ connect: 'test:///default', db: join(dir, 'state.db') }, {}), logFile: join(dir, 'hostdeck.log'), user: 'bench' }, 'cli');
const { db, events } = services;
alertRepo(db).setThreshold({ name: 'host.cpu', scopeType: 'global', scopeId: '*', value: 90, forMinutes: 1, setBy: 'bench' });

// ---- 1: the evaluator's part, and the baseline ---------------------------------------
const vms = Array.from({ length: OBJECTS }, (_, i) => ({ objectType: 'vm', objectId: `uuid-${i}`, objectName: `VM vm${i}`, bad: false, text: 'running' }));
const readings = (cpu) => new Map([
  ['host.cpu', [{ objectType: 'host', objectId: 'bench', objectName: 'host bench', figure: cpu, text: `CPU use ${cpu} %` }]],
  ['vm.crashed', vms], ['vm.paused-io-error', vms],
]);
const raise = [];
const baseline = [];
let t = 1_000_000;
for (let r = 0; r < ROUNDS; r++) {
  evaluateRound(db, events, readings(99), t);
  // The window has passed: this round's reading raises.
  const lastEvent = events.lastId();
  const start = performance.now();
  const out = evaluateRound(db, events, readings(99), t + 60);
  raise.push(performance.now() - start);
  if (out.raised.length !== 1 || events.lastId() !== lastEvent + 1) throw new Error(`round ${r} did not raise exactly one alert with its event`);
  const b0 = performance.now();
  events.record({ source: 'bench', objectType: 'host', objectId: 'bench', message: `baseline event ${r}`, severity: 'warning' });
  baseline.push(performance.now() - b0);
  // Back below the clear level for the window: cleared, ready for the next crossing.
  evaluateRound(db, events, readings(10), t + 120);
  evaluateRound(db, events, readings(10), t + 180);
  t += 1000;
}
console.log(`load average ${load()}; ${ROUNDS} crossings, ${OBJECTS} VMs judged beside the host in each round`);
console.log(`threshold crossed → alert event committed (evaluator round): median ${ms(median(raise))}, p95 ${ms(p95(raise))}`);
console.log(`baseline, one plain event write (EventLog.record):          median ${ms(median(baseline))}, p95 ${ms(p95(baseline))}`);

// ---- 2: a whole round of the duty on this host ----------------------------------------
const core = createCore(services, { user: 'bench', channel: 'cli' });
const evaluator = await core.alerts.newEvaluator();
const full = [];
for (let r = 0; r < 20; r++) {
  const s = performance.now();
  await evaluator.run();
  full.push(performance.now() - s);
}
evaluator.close();
console.log(`a whole alerts round on this host (readings + evaluation, 20 rounds): median ${ms(median(full))}, p95 ${ms(p95(full))}`);
console.log('end to end: the window (for-minutes), then at most the duty interval (15 s) plus one round');
await services.close();
