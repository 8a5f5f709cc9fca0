// The log viewer on a 1 GiB log: open it and show its last page (50 lines,
// through the core as `hostdeck logs` and the Logs screen read it), and
// search it for a string (one matching line, counted as grep -c counts),
// each beside its baseline measured in the same run on the same file:
// `tail -n 50` and `grep -c`. The file is written to a temp directory (1 MiB
// of syslog-like lines, repeated with the block number patched in) and is
// in the page cache, as a log being written is. Median of BENCH_RUNS (default 5).
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../../src/config.ts';
import { Services } from '../../src/services.ts';
import { createCore } from '../../src/core/index.ts';
import { formatBytes } from '../../src/domain/size.ts';

const runs = Number(process.env.BENCH_RUNS ?? 5);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = async (fn) => { const t = performance.now(); const r = await fn(); return [performance.now() - t, r]; };
const dir = mkdtempSync(join(tmpdir(), 'hostdeck-logs-bench-'));
const file = join(dir, 'big.log');

const block = Buffer.from(Array.from({ length: 8192 }, (_, i) => `2026-12-07T10:00:00.000Z host libvirtd[812]: info : block 000000 event ${String(i).padStart(5, '0')} `.padEnd(127, '.') + '\n').join(''));
const fd = openSync(file, 'w');
for (let b = 0; b < 1024; b++) {
  for (let i = 0; i < 8192; i++) block.write(String(b).padStart(6, '0'), i * 128 + 58);
  if (b === 777) block.write('NEEDLE', 3 * 128 + 72);
  writeSync(fd, block);
  if (b === 777) block.write('......', 3 * 128 + 72);
}
closeSync(fd);

const services = new Services({ ...resolveConfig({ connect: 'test:///default', db: join(dir, 'state.db') }, {}), logFile: file, user: 'bench' }, 'cli');
const core = createCore(services, { user: 'bench', channel: 'cli' });
try {
  const loadBefore = loadavg()[0].toFixed(2);
  const row = (name, ms, extra = '') => console.log(`${name.padEnd(44)} median ${median(ms).toFixed(1).padStart(8)} ms over ${runs} (min ${Math.min(...ms).toFixed(1)}, max ${Math.max(...ms).toFixed(1)})${extra}`);
  console.log(`log file: ${formatBytes(statSync(file).size)}, ${1024 * 8192} lines`);

  const page = [], tail = [], search = [], grep = [];
  let last, found, grepOut;
  for (let i = 0; i < runs; i++) {
    [page[i], last] = await time(() => core.logs.read({ source: 'hostdeck', lines: 50 }));
    [tail[i]] = await time(() => execFileSync('tail', ['-n', '50', file]));
    [search[i], found] = await time(() => core.logs.search({ source: 'hostdeck', pattern: 'NEEDLE' }));
    [grep[i], grepOut] = await time(() => execFileSync('grep', ['-c', 'NEEDLE', file], { encoding: 'utf8' }));
  }
  if (last.lines.length !== 50 || found.count !== Number(grepOut.trim())) throw new Error(`results differ: ${last.lines.length} lines; ${found.count} vs grep -c ${grepOut.trim()}`);
  row('last page (50 lines), hostdeck core', page);
  row('baseline: tail -n 50 (process)', tail);
  row('search "NEEDLE", hostdeck core', search, ` — ${found.count} match at offset ${found.matches[0]?.offset}, ${(statSync(file).size / 2 ** 20 / (median(search) / 1000)).toFixed(0)} MiB/s`);
  row('baseline: grep -c NEEDLE (process)', grep, ` — ${grepOut.trim()}`);
  console.log(`load average before/after: ${loadBefore} / ${loadavg()[0].toFixed(2)} on ${availableParallelism()} CPUs`);
} finally {
  await services.close();
  rmSync(dir, { recursive: true, force: true });
}
