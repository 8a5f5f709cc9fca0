// The history store's write cost (issue #18: 1000 VMs sampled each minute on
// 2 cores), in a scratch state DB opened as hostdeck opens it (WAL,
// synchronous=FULL, every migration):
//   1. one sampling round's CPU time (this process's user + system) for the
//      host, BENCH_VMS VMs and 5 storage domains: the VMs' figures from two
//      rounds' counters (vmFigures) and the round's one transaction through
//      the history repo; beside a baseline measured in the same run: the same
//      rows by a plain prepared-statement loop into a table keyed by the UUID
//      text and time, one transaction a round;
//   2. the database's growth per day at the default retention: the minute
//      rows of a day (measured from the rounds written, times 1440), and the
//      hour and day rows a day adds; the baseline's minute rows beside;
//   3. one hour's roll-up and prune (the duty's follow-up), CPU time;
//   4. the file's size after a simulated year: a day of minutes, 60 days of
//      hours (their retention) and 365 days of days for every VM.
// Printed, not asserted; the load average is printed beside.
// Usage: node scripts/bench/history.bench.mjs  (BENCH_VMS=1000 BENCH_ROUNDS=60)
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import './tsx.mjs';

const { openDatabase } = await import('../../src/manager/db.ts');
const { historyRepo, HOST_FIGURES, VM_FIGURES } = await import('../../src/manager/repos/history.ts');
const { vmFigures } = await import('../../src/core/history-sampling.ts');
const { DAY_S, HOUR_S, DEFAULT_RETENTION, pruneBefore } = await import('../../src/domain/history-aggregate.ts');

const VMS = Number(process.env.BENCH_VMS ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 60);
const dir = mkdtempSync(join(tmpdir(), 'hostdeck-histbench-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const cpuMs = (f) => { const c = process.cpuUsage(); f(); const d = process.cpuUsage(c); return (d.user + d.system) / 1000; };
const pct = (a, p) => { const s = [...a].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]; };
const mib = (b) => (b < 2 ** 20 ? `${(b / 1024).toFixed(0)} KiB` : `${(b / 2 ** 20).toFixed(1)} MiB`);
const fileSize = (db, path) => { db.pragma('wal_checkpoint(TRUNCATE)'); return statSync(path).size; };

// The VMs: UUIDs, and counters that move a little each round (as domstats reports them).
const uuids = Array.from({ length: VMS }, () => randomUUID());
const counters = (i, round, at) => ({
  name: `vm${i}`, at, state: i % 10 === 0 ? 'shutoff' : 'running', reason: 1, vcpusCurrent: 2, memoryKiB: 2 ** 21, maxMemoryKiB: 2 ** 21,
  cpuTimeNs: (round * 60 + i) * 1e9 * ((i % 7) / 7),
  guest: { availableKiB: 2 ** 21, usableKiB: 2 ** 20 + i },
  disks: [{ name: 'vda', rdReqs: round * 10, rdBytes: round * 4096 * i, wrReqs: round, wrBytes: round * 8192 * (i % 13), flReqs: 0 }],
  nics: [{ name: `vnet${i}`, rxBytes: round * 1500 * (i % 5), rxPkts: 0, rxErrs: 0, rxDrop: 0, txBytes: round * 900 * (i % 3), txPkts: 0, txErrs: 0, txDrop: 0 }],
  raw: {},
});
const host = Object.fromEntries(HOST_FIGURES.map((f, i) => [f, 1000 * i + 0.5]));
const storage = Array.from({ length: 5 }, (_, i) => ({ domainId: randomUUID(), figures: { used_bytes: 2 ** 38 + i, free_bytes: 2 ** 39 - i } }));
const t0 = Math.floor(Date.UTC(2026, 0, 1) / 1000);

// ---- 1 and 2: the rounds, hostdeck's way and the baseline's -------------------------
const path = join(dir, 'state.db');
const db = openDatabase(path);
const repo = historyRepo(db);
const ids = repo.vmIds(uuids);
const basePath = join(dir, 'baseline.db');
const base = openDatabase(basePath, { migrations: [] });
base.exec(`CREATE TABLE vm_samples (vm_uuid TEXT NOT NULL, t INTEGER NOT NULL, state TEXT NOT NULL, ${VM_FIGURES.map((f) => `${f} REAL`).join(', ')}, PRIMARY KEY (vm_uuid, t))`);
const baseInsert = base.prepare(`INSERT INTO vm_samples VALUES (?, ?, ?${', ?'.repeat(VM_FIGURES.length)})`);

const sizeBefore = fileSize(db, path);
const baseBefore = fileSize(base, basePath);
let prev = new Map();
let lastRows = [];
const figuresMs = [];
const ours = [];
const theirs = [];
for (let r = 0; r < ROUNDS; r++) {
  const t = t0 + r * 60;
  const samples = uuids.map((_, i) => counters(i, r, t * 1000));
  let rows;
  figuresMs.push(cpuMs(() => {
    rows = samples.map((s, i) => ({ vmId: ids.get(uuids[i]), state: s.state === 'running' ? 1 : 5, figures: vmFigures(prev.get(i), s) }));
  }));
  ours.push(cpuMs(() => repo.writeRound({ t, host, vms: rows, storage, configs: [] })));
  theirs.push(cpuMs(() => {
    base.transaction(() => {
      rows.forEach((row, i) => baseInsert.run(uuids[i], t, samples[i].state, ...VM_FIGURES.map((f) => row.figures[f])));
    })();
  }));
  prev = new Map(samples.map((s, i) => [i, s]));
  lastRows = rows;
}
const perRound = (fileSize(db, path) - sizeBefore) / ROUNDS;
const basePerRound = (fileSize(base, basePath) - baseBefore) / ROUNDS;
console.log(`load average ${load()}; ${VMS} VMs, ${ROUNDS} rounds`);
console.log(`round write CPU (one transaction through the history repo): median ${pct(ours, 50).toFixed(1)} ms, p95 ${pct(ours, 95).toFixed(1)} ms; + the VMs' figures from counters: median ${pct(figuresMs, 50).toFixed(1)} ms`);
console.log(`  baseline (the same rows by a plain prepared-statement loop, UUID-text key): median ${pct(theirs, 50).toFixed(1)} ms, p95 ${pct(theirs, 95).toFixed(1)} ms`);
console.log(`minute rows per day: ${mib(perRound * 1440)} (${(perRound / VMS).toFixed(0)} B per VM sample); baseline ${mib(basePerRound * 1440)} (${(basePerRound / VMS).toFixed(0)} B per sample)`);
base.close();

// ---- 3: the follow-up: roll up the hour just written, prune --------------------------
const rollMs = cpuMs(() => repo.rollUp('hour', t0, 2000));
const pruneMs = cpuMs(() => repo.prune(pruneBefore(t0 + 2 * DAY_S, DEFAULT_RETENTION, { hour: repo.doneUntil('hour'), day: repo.doneUntil('day') }), 2000));
console.log(`hour roll-up of ${VMS} VMs x ${ROUNDS} samples: ${rollMs.toFixed(0)} ms CPU (transactions of at most 2000 rows); prune of those ${ROUNDS * VMS} minute rows: ${pruneMs.toFixed(0)} ms CPU`);

// ---- 4: a year: a day of minutes, 60 days of hours, 365 days of days -----------------
// Filling only (not measured): no fsync per transaction; the sizes are the same.
db.pragma('synchronous = OFF');
const aggCols = () => VM_FIGURES.map(() => '?, ?').join(', ');
const insHour = db.prepare(`INSERT OR REPLACE INTO history_vm_hour VALUES (?, ?, 60, 55, ${aggCols()})`);
const insDay = db.prepare(`INSERT OR REPLACE INTO history_vm_day VALUES (?, ?, 1440, 1300, ${aggCols()})`);
const insHostHour = db.prepare(`INSERT OR REPLACE INTO history_host_hour VALUES (?, 60, ${HOST_FIGURES.map(() => '?, ?').join(', ')})`);
// As the roll-up stores them: CPU % averages with a fraction, bytes and KiB whole, in their usual magnitudes.
const vals = (i) => VM_FIGURES.flatMap((f, k) => (f === 'cpu_pct' ? [(i % 97) + 0.37, (i % 97) + 3] : [(i * 7919 + k * 104_729) % 4_000_000, ((i * 7919 + k * 104_729) % 4_000_000) + 5000]));
const hostVals = HOST_FIGURES.flatMap((_, k) => [k * 1000 + 0.5, k * 1000 + 9.5]);
const yearEnd = t0 + 365 * DAY_S;
const sizeDay0 = fileSize(db, path);
db.transaction(() => { for (let d = 0; d < 365; d++) for (const id of ids.values()) insDay.run(id, t0 + d * DAY_S, ...vals(id + d)); })();
const sizeDays = fileSize(db, path);
for (let h = 0; h < 60 * 24; h++) {
  db.transaction(() => { const t = yearEnd - 60 * DAY_S + h * HOUR_S; insHostHour.run(t, ...hostVals); for (const id of ids.values()) insHour.run(id, t, ...vals(id + h)); })();
}
const sizeHours = fileSize(db, path);
for (let m = 0; m < 1440; m++) {
  const t = yearEnd - DAY_S + m * 60;
  repo.writeRound({ t, host, vms: lastRows, storage, configs: [] });
}
const sizeYear = fileSize(db, path);
console.log(`aggregates per day: ${mib((sizeDays - sizeDay0) / 365)} of day rows + ${mib(((sizeHours - sizeDays) / 60))} of hour rows (hours stop growing after 60 days, days after 5 years)`);
console.log(`database after a simulated year at the default retention (${VMS} VMs: 1 day of minutes, 60 days of hours, 365 days of days): ${mib(sizeYear)}`);
db.close();
