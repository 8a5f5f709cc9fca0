// Time from process start to the first complete dashboard frame (host and
// libvirt data drawn) and peak RSS, median of N runs of the bundled binary
// in a real pseudo-terminal (tmux). Targets: 250 ms, 120 MB.
// Beside the wall time: the process's own CPU time (user+sys, all threads)
// up to that frame, and the load average, because on a shared machine the
// wall time says as much about the neighbours as about hostdeck.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { firstFrameRunner, loadAverage, median } from './first-frame-run.mjs';

const root = new URL('../..', import.meta.url).pathname;
// BENCH_BIN: another build of the binary (e.g. an experiment built with scripts/build.mjs --outdir).
const bin = process.env.BENCH_BIN ?? join(root, 'dist/hostdeck.mjs');
if (!existsSync(bin)) execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'inherit' });
const runs = Number(process.env.BENCH_RUNS ?? 12);
const runner = firstFrameRunner();
try {
  const loadBefore = loadAverage();
  await runner.once(bin, 'warm');
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await runner.once(bin, i));
  const ff = median(results.map((r) => r.firstFrame));
  const rss = median(results.map((r) => r.rssMB));
  console.log(`first complete dashboard frame: median ${ff.toFixed(0)} ms over ${runs} runs (min ${Math.min(...results.map((r) => r.firstFrame))}, max ${Math.max(...results.map((r) => r.firstFrame))}); target <= 250 ms`);
  const cpu = results.map((r) => r.cpuMs).filter((c) => c !== undefined);
  if (cpu.length) console.log(`CPU time (user+sys) to that frame: median ${median(cpu).toFixed(0)} ms (min ${Math.min(...cpu)}, max ${Math.max(...cpu)})`);
  console.log(`load average before/after: ${loadBefore} / ${loadAverage()} on ${availableParallelism()} CPUs`);
  console.log(`peak RSS: median ${rss.toFixed(1)} MB (max ${Math.max(...results.map((r) => r.rssMB)).toFixed(1)} MB); target <= 120 MB`);
} finally {
  runner.close();
}
