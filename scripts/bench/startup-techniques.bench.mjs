// Weighs each start-up technique of the bundle (README, "Start-up
// techniques"): the console built and started with one technique off at a
// time beside all of them on, the runs interleaved round by round so a busy
// neighbour weighs on every variant alike. Prints each variant's median time
// to the first complete dashboard frame and CPU time to it, their difference
// to all-on (the technique's gain), and a bare `node -e ''` start as the floor.
// BENCH_RUNS (default 7) runs of each variant.
import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { firstFrameRunner, loadAverage, median } from './first-frame-run.mjs';

const root = new URL('../..', import.meta.url).pathname;
const runs = Number(process.env.BENCH_RUNS ?? 7);
const out = join(root, '.cache/bench-techniques');

/** name, what turns it off: a build switch (HOSTDECK_BUILD_NO_<build>=1) or a runtime environment. */
const ALL_VARIANTS = [
  { name: 'all on' },
  { name: 'vendor script', build: 'VENDOR_SCRIPT' },
  { name: 'vendor code cache', env: { HOSTDECK_NO_VENDOR_CODE_CACHE: '1' } },
  { name: 'compile cache', env: { NODE_DISABLE_COMPILE_CACHE: '1' } },
  { name: 'segmenter', build: 'SEGMENTER' },
  { name: 'fast string width', build: 'FAST_STRING_WIDTH' },
  { name: 'lazy emoji regex', build: 'LAZY_EMOJI_REGEX' },
  { name: 'yoga base64', build: 'YOGA_BASE64' },
  { name: 'lazy crypto', build: 'LAZY_CRYPTO' },
  { name: 'startup chunks', build: 'STARTUP_CHUNKS' },
];
// BENCH_TECHNIQUES=name,name: only those beside all on (more runs of the ones in doubt).
const only = process.env.BENCH_TECHNIQUES?.split(',').map((n) => n.trim());
const VARIANTS = ALL_VARIANTS.filter((v, i) => i === 0 || !only || only.includes(v.name));

rmSync(out, { recursive: true, force: true });
for (const v of VARIANTS) {
  const dir = join(out, v.build ?? 'all');
  v.bin = join(dir, 'hostdeck.mjs');
  if (v.build) execFileSync(process.execPath, [join(root, 'scripts/build.mjs'), '--outdir', dir], { stdio: 'inherit', env: { ...process.env, [`HOSTDECK_BUILD_NO_${v.build}`]: '1' } });
  else if (!v.env) execFileSync(process.execPath, [join(root, 'scripts/build.mjs'), '--outdir', dir], { stdio: 'inherit' });
  v.results = [];
  // A compile cache (and with it the vendor code cache) of each variant's own,
  // as a root install has per build: variants never take one another's.
  v.env = { HOSTDECK_COMPILE_CACHE: join(out, 'cache', String(VARIANTS.indexOf(v))), ...v.env };
}

const bare = [];
const runner = firstFrameRunner();
try {
  const loadBefore = loadAverage();
  for (const v of VARIANTS) await runner.once(v.bin, `warm-${VARIANTS.indexOf(v)}`, v.env);
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    spawnSync(process.execPath, ['-e', '']);
    bare.push(performance.now() - t0);
    // Each round starts at another variant: a load that rises or falls within a round weighs on none more than the others.
    for (let k = 0; k < VARIANTS.length; k++) {
      const i = (r + k) % VARIANTS.length;
      VARIANTS[i].results.push(await runner.once(VARIANTS[i].bin, `${r}-${i}`, VARIANTS[i].env));
    }
  }
  const ff = (v) => median(v.results.map((x) => x.firstFrame));
  const cpu = (v) => median(v.results.map((x) => x.cpuMs));
  const [all] = VARIANTS;
  console.log(`bare \`node -e ''\`: median ${median(bare).toFixed(0)} ms over ${runs} runs`);
  console.log(`first complete dashboard frame, median of ${runs} runs each (gain = variant - all on):`);
  console.log('| off | first frame ms | gain ms | CPU to frame ms | CPU gain ms |');
  console.log('|---|---|---|---|---|');
  for (const v of VARIANTS) {
    const gain = v === all ? '' : (ff(v) - ff(all)).toFixed(0);
    const cpuGain = v === all ? '' : (cpu(v) - cpu(all)).toFixed(0);
    console.log(`| ${v === all ? '(none: all on)' : v.name} | ${ff(v).toFixed(0)} | ${gain} | ${cpu(v).toFixed(0)} | ${cpuGain} |`);
  }
  console.log(`load average before/after: ${loadBefore} / ${loadAverage()} on ${availableParallelism()} CPUs`);
} finally {
  runner.close();
  rmSync(out, { recursive: true, force: true });
}
