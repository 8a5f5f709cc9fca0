// The built-in reports over 30 days of 1000 VMs (issue #18): a scratch state
// DB opened as hostdeck opens it (every migration) holding hourly history
// (aggregates as the roll-up writes them) of the host and BENCH_VMS VMs for
// BENCH_DAYS days, then each VM-wide report run through the core as the CLI
// runs it (validation, the door, the history level for the range, the
// tables and charts), wall time, median of BENCH_RUNS runs; beside a
// baseline measured in the same run: a plain SELECT count(*) over the same
// hour rows (the least any report over them must read).
// Printed, not asserted; the load average is printed beside.
// Usage: node scripts/bench/reports.bench.mjs  (BENCH_VMS=1000 BENCH_DAYS=30 BENCH_RUNS=3)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import './tsx.mjs';

const { resolveConfig } = await import('../../src/config.ts');
const { Services } = await import('../../src/services.ts');
const { createCore } = await import('../../src/core/index.ts');
const { historyRepo, HOST_FIGURES, VM_FIGURES } = await import('../../src/manager/repos/history.ts');
const { bucketStart, DAY_S, HOUR_S } = await import('../../src/domain/history-aggregate.ts');
const { isoTime } = await import('../../src/domain/reports.ts');

const VMS = Number(process.env.BENCH_VMS ?? 1000);
const DAYS = Number(process.env.BENCH_DAYS ?? 30);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const dir = mkdtempSync(join(tmpdir(), 'hostdeck-reportbench-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const wallMs = async (f) => { const t = performance.now(); await f(); return performance.now() - t; };

const services = new Services({ ...resolveConfig({ connect: 'test:///default', db: join(dir, 'state.db') }, {}), logFile: join(dir, 'hostdeck.log'), user: 'bench' }, 'cli');
const core = createCore(services, { user: 'bench', channel: 'cli' });
const db = services.db;

// ---- the history: BENCH_DAYS days of hours up to the last whole hour ------------------
const to = bucketStart(Math.floor(Date.now() / 1000), HOUR_S);
const from = to - DAYS * DAY_S;
const repo = historyRepo(db);
const uuids = Array.from({ length: VMS }, () => randomUUID());
const ids = repo.vmIds(uuids);
// Filling only (not measured): no fsync per transaction.
db.pragma('synchronous = OFF');
const aggCols = VM_FIGURES.map(() => '?, ?').join(', ');
const insHour = db.prepare(`INSERT INTO history_vm_hour VALUES (?, ?, 60, ?, ${aggCols})`);
const insHostHour = db.prepare(`INSERT INTO history_host_hour VALUES (?, 60, ${HOST_FIGURES.map(() => '?, ?').join(', ')})`);
const vals = (i) => VM_FIGURES.flatMap((f, k) => (f === 'cpu_pct' ? [(i % 97) + 0.37, (i % 97) + 3] : [(i * 7919 + k * 104_729) % 4_000_000, ((i * 7919 + k * 104_729) % 4_000_000) + 5000]));
repo.writeRound({ t: from, vms: [], storage: [], configs: uuids.map((u, i) => ({ vmId: ids.get(u), name: `vm${i}`, vcpus: 1 + (i % 4), memoryKiB: 2 ** 20 * (1 + (i % 8)) })) });
for (let t = from; t < to; t += HOUR_S) {
  db.transaction(() => {
    insHostHour.run(t, ...HOST_FIGURES.flatMap((_, k) => [k * 1000 + 0.5, k * 1000 + 9.5]));
    for (const id of ids.values()) insHour.run(id, t, id % 10 === 0 ? 30 : 60, ...vals(id + t / HOUR_S));
  })();
}
db.pragma('synchronous = FULL');
const rows = db.prepare('SELECT count(*) FROM history_vm_hour WHERE t >= ? AND t < ?').pluck().get(from, to);

// ---- the reports, and the baseline ---------------------------------------------------
const range = { from: isoTime(from), to: isoTime(to) };
const baseline = [];
for (let i = 0; i < RUNS; i++) baseline.push(await wallMs(() => db.prepare('SELECT count(*) FROM history_vm_hour WHERE t >= ? AND t < ?').pluck().get(from, to)));
console.log(`load average ${load()}; ${VMS} VMs, ${DAYS} days of hourly history: ${rows} VM hour rows`);
console.log(`baseline: SELECT count(*) over the same rows: median ${median(baseline).toFixed(0)} ms`);
for (const name of ['top-vms', 'vm-availability', 'host-utilisation', 'inventory']) {
  const times = [];
  let level = '';
  for (let i = 0; i < RUNS; i++) times.push(await wallMs(async () => { level = (await core.reports.run({ name, ...range })).level; }));
  console.log(`report ${name} (${level} history): median ${median(times).toFixed(0)} ms of ${RUNS} runs (${(median(times) / median(baseline)).toFixed(1)} x the baseline)`);
}
await services.close();
