// `hostdeck net apply-file` (issue #13): checking and staging files of 1,600
// and 20,000 lines (routes on one interface of this machine, a host name
// line every thousand), in this process through the CLI's parser and the
// network service on a temporary state DB, and as the whole CLI run (tsx).
// Baselines measured in the same run, printed beside each figure: a 1-line
// file the same way, and a raw SQLite insert of the same rows in one
// transaction (the floor for writing them). The per-line figure staying flat
// from 1,600 to 20,000 lines is the point: staging is linear in the file.
// Nothing is applied; this machine's network configuration is only read.
// Prints figures; never asserts. BENCH_RUNS (default 3) runs per size.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as runner from '../../src/exec/runner.ts';
import { parseNetFile } from '../../src/cli/net.ts';
import { createNetworkService } from '../../src/host/net/service.ts';
import { openDatabase } from '../../src/manager/db.ts';
import { EventLog } from '../../src/manager/events.ts';
import { bigNetFile } from '../../test/lib/net-file.ts';

const runs = Number(process.env.BENCH_RUNS ?? 3);
const sizes = [1, 1600, 20_000];
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const ms = (v) => `${v.toFixed(v < 10 ? 2 : 0)} ms`;
const dir = mkdtempSync(join(tmpdir(), 'hostdeck-netfile-bench-'));
const root = new URL('../..', import.meta.url).pathname;

try {
  const probe = openDatabase(join(dir, 'probe.db'));
  const current = await createNetworkService({ runner, db: probe, events: new EventLog(probe, { user: 'bench', channel: 'cli' }), watchdogCommand: null }).current();
  probe.close();

  console.log('in process: parse and check every line, then stage all in one transaction (median of runs)');
  for (const n of sizes) {
    const { text } = bigNetFile(n);
    const stage = []; const raw = [];
    for (let r = 0; r < runs; r++) {
      const path = join(dir, `s-${n}-${r}.db`);
      const db = openDatabase(path);
      const svc = createNetworkService({ runner, db, events: new EventLog(db, { user: 'bench', channel: 'cli' }), watchdogCommand: null });
      let t = performance.now();
      const { changes, errors } = parseNetFile(text, current);
      if (errors.length) throw new Error(errors.slice(0, 3).join('\n'));
      await svc.stageAll(changes, { current });
      stage.push(performance.now() - t);
      // The floor: the same rows written straight into SQLite, one transaction.
      db.prepare('DELETE FROM net_staged').run();
      const rows = changes.map((c) => JSON.stringify(c));
      t = performance.now();
      const ins = db.prepare('INSERT INTO net_staged (change, user, staged_at) VALUES (?, ?, ?)');
      db.transaction(() => { for (const row of rows) ins.run(row, 'bench', new Date().toISOString()); })();
      raw.push(performance.now() - t);
      db.close();
      rmSync(path, { force: true });
    }
    const s = median(stage);
    console.log(`  ${String(n).padStart(6)} lines: ${ms(s).padStart(9)} (${(s * 1000 / n).toFixed(1)} µs/line); raw SQLite insert of the same rows ${ms(median(raw))}`);
  }

  console.log('whole CLI run, `hostdeck net apply-file FILE` under tsx (start-up and reading this host included; median of runs)');
  const cli = {};
  for (const n of sizes) {
    const file = join(dir, `f-${n}.txt`);
    writeFileSync(file, bigNetFile(n).text);
    const times = [];
    for (let r = 0; r < runs; r++) {
      const db = join(dir, `c-${n}-${r}.db`);
      const t = performance.now();
      const c = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.tsx', 'net', 'apply-file', file, '--db', db], { cwd: root, encoding: 'utf8', env: { ...process.env, HOSTDECK_LOG: '/dev/null' } });
      if (c.status !== 0) throw new Error(c.stderr);
      times.push(performance.now() - t);
    }
    cli[n] = median(times);
    console.log(`  ${String(n).padStart(6)} lines: ${ms(cli[n]).padStart(9)}${n > 1 ? ` (the 1-line file: ${ms(cli[1])}; ${((cli[n] - cli[1]) * 1000 / n).toFixed(1)} µs per extra line)` : ''}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
