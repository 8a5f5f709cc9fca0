// Time from process start to the first complete dashboard frame (host and
// libvirt data drawn) and peak RSS, median of N runs of the bundled binary
// in a real pseudo-terminal (tmux). Targets: 250 ms, 120 MB.
// Beside the wall time: the process's own CPU time (user+sys, all threads)
// up to that frame, and the load average, because on a shared machine the
// wall time says as much about the neighbours as about hostdeck.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
// BENCH_BIN: another build of the binary (e.g. an experiment built with scripts/build.mjs --outdir).
const bin = process.env.BENCH_BIN ?? join(root, 'dist/hostdeck.mjs');
if (!existsSync(bin)) execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'inherit' });
const runs = Number(process.env.BENCH_RUNS ?? 12);
const dir = mkdtempSync(join(tmpdir(), 'hostdeck-bench-'));
const sock = join(dir, 'tmux.sock');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };

async function once(i) {
  const mark = join(dir, `mark${i}`);
  let t0;
  // The tmux server exits with the previous run's session; a new session in that
  // moment fails ("server exited unexpectedly"): start it again.
  for (let attempt = 1; ; attempt++) {
    t0 = Date.now();
    try {
      execFileSync('tmux', ['-S', sock, '-f', '/dev/null', 'new-session', '-d', '-s', `b${i}`, '-x', '100', '-y', '30',
        '-e', `HOSTDECK_BENCH_FILE=${mark}`, '-e', `HOSTDECK_DB=${join(dir, 'state.db')}`, '-e', `HOSTDECK_LOG=${join(dir, 'log')}`,
        process.execPath, bin], { stdio: 'pipe' });
      break;
    } catch (e) {
      if (attempt >= 20 || !/server exited unexpectedly|no server running|lost server/.test(String(e.stderr))) throw e;
      await sleep(100);
    }
  }
  let firstFrame;
  let cpuMs;
  for (let w = 0; w < 2000 && firstFrame === undefined; w++) {
    try {
      const t = readFileSync(mark, 'utf8').split('\n')[0];
      if (t) { const [at, cpu] = t.split(' '); firstFrame = Number(at) - t0; cpuMs = cpu === undefined ? undefined : Number(cpu); }
    } catch { /* not yet */ }
    if (firstFrame === undefined) await sleep(5);
  }
  if (firstFrame === undefined) throw new Error('no complete frame within 10 s');
  spawnSync('tmux', ['-S', sock, 'send-keys', '-t', `b${i}`, 'q']);
  let rssKiB;
  for (let w = 0; w < 400 && rssKiB === undefined; w++) {
    const lines = readFileSync(mark, 'utf8').split('\n');
    if (lines[1]) rssKiB = Number(lines[1]);
    else await sleep(10);
  }
  return { firstFrame, cpuMs, rssMB: rssKiB / 1024 };
}

const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
try {
  const loadBefore = load();
  await once('warm');
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await once(i));
  const ff = median(results.map((r) => r.firstFrame));
  const rss = median(results.map((r) => r.rssMB));
  console.log(`first complete dashboard frame: median ${ff.toFixed(0)} ms over ${runs} runs (min ${Math.min(...results.map((r) => r.firstFrame))}, max ${Math.max(...results.map((r) => r.firstFrame))}); target <= 250 ms`);
  const cpu = results.map((r) => r.cpuMs).filter((c) => c !== undefined);
  if (cpu.length) console.log(`CPU time (user+sys) to that frame: median ${median(cpu).toFixed(0)} ms (min ${Math.min(...cpu)}, max ${Math.max(...cpu)})`);
  console.log(`load average before/after: ${loadBefore} / ${load()} on ${availableParallelism()} CPUs`);
  console.log(`peak RSS: median ${rss.toFixed(1)} MB (max ${Math.max(...results.map((r) => r.rssMB)).toFixed(1)} MB); target <= 120 MB`);
} finally {
  spawnSync('tmux', ['-S', sock, 'kill-server']);
  rmSync(dir, { recursive: true, force: true });
}
