// One start of the bundled console in a real pseudo-terminal (tmux), timed
// from the moment tmux is asked to start it to the first complete dashboard
// frame (the console writes that moment and its CPU time to HOSTDECK_BENCH_FILE),
// and its peak RSS once it quits. Shared by first-frame.bench.mjs and
// startup-techniques.bench.mjs.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const median = (a) => { const s = [...a].sort((x, y) => x - y); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
export const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

export function firstFrameRunner() {
  const dir = mkdtempSync(join(tmpdir(), 'hostdeck-bench-'));
  const sock = join(dir, 'tmux.sock');
  /** Starts `bin` (with `env` added) once; resolves {firstFrame, cpuMs, rssMB}. */
  async function once(bin, i, env = {}) {
    const mark = join(dir, `mark${i}`);
    const extra = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    let t0;
    // The tmux server exits with the previous run's session; a new session in that
    // moment fails ("server exited unexpectedly"): start it again.
    for (let attempt = 1; ; attempt++) {
      t0 = Date.now();
      try {
        execFileSync('tmux', ['-S', sock, '-f', '/dev/null', 'new-session', '-d', '-s', `b${i}`, '-x', '100', '-y', '30',
          '-e', `HOSTDECK_BENCH_FILE=${mark}`, '-e', `HOSTDECK_DB=${join(dir, 'state.db')}`, '-e', `HOSTDECK_LOG=${join(dir, 'log')}`, ...extra,
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
  function close() {
    spawnSync('tmux', ['-S', sock, 'kill-server']);
    rmSync(dir, { recursive: true, force: true });
  }
  return { once, close };
}
