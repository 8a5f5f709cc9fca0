// A support bundle on this host: how long `hostdeck support bundle` takes
// (collecting through the runner, redacting, packing) and how large it is,
// with BENCH_VMS tiny domains defined on the real libvirtd (default 20, the
// issue's host; defined only, not started), beside two baselines in the same
// run on the same collected files: `tar czf` of the bundle's own directory
// (packing alone) and redactText over all of its text (redacting alone).
// Median of BENCH_RUNS runs (default 3).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../../src/config.ts';
import { Services } from '../../src/services.ts';
import { createCore } from '../../src/core/index.ts';
import { redactText } from '../../src/domain/redact.ts';
import { formatBytes } from '../../src/domain/size.ts';

const runs = Number(process.env.BENCH_RUNS ?? 3);
const vms = Number(process.env.BENCH_VMS ?? 20);
const URI = 'qemu:///system';
execFileSync('scripts/libvirt-up', { stdio: 'ignore' });
const dir = mkdtempSync(join(tmpdir(), 'hostdeck-support-bench-'));
const names = Array.from({ length: vms }, (_, i) => `hd-bench-support-${process.pid.toString(36)}-${i}`);
const virsh = (...a) => execFileSync('virsh', ['-c', URI, ...a], { stdio: ['ignore', 'pipe', 'pipe'] });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const services = new Services({ ...resolveConfig({ connect: URI, db: join(dir, 'state.db') }, {}), user: 'bench' }, 'cli');
const core = createCore(services, { user: 'bench', channel: 'cli' });
try {
  for (const n of names) {
    const f = join(dir, `${n}.xml`);
    writeFileSync(f, `<domain type='qemu'><name>${n}</name><memory unit='MiB'>64</memory><os><type arch='x86_64' machine='pc'>hvm</type></os><devices><graphics type='vnc' port='-1' autoport='yes'/></devices></domain>`);
    virsh('define', f);
  }
  const loadBefore = loadavg()[0].toFixed(2);
  const times = [];
  let last;
  for (let i = 0; i < runs; i++) {
    const output = join(dir, `b${i}.tar.gz`);
    const t = performance.now();
    last = await core.support.bundle({ output });
    times.push(performance.now() - t);
  }
  const raw = last.parts.reduce((s, p) => s + p.bytes, 0);
  console.log(`support bundle (${vms} VMs defined, ${last.parts.length} parts, ${formatBytes(raw)} collected): median ${median(times).toFixed(0)} ms over ${runs} (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)}); archive ${formatBytes(last.bytes)}`);

  // Baselines on the same files: the last bundle, unpacked.
  const x = join(dir, 'x');
  mkdirSync(x);
  execFileSync('tar', ['-xzf', last.path, '-C', x]);
  const top = readdirSync(x)[0];
  const tars = [];
  for (let i = 0; i < runs; i++) {
    const out = join(dir, `baseline${i}.tar.gz`);
    const t = performance.now();
    execFileSync('tar', ['czf', out, '-C', x, top]);
    tars.push(performance.now() - t);
  }
  console.log(`baseline tar czf of the same collected directory: median ${median(tars).toFixed(0)} ms, ${formatBytes(statSync(join(dir, 'baseline0.tar.gz')).size)}`);
  const texts = [];
  const walk = (d) => { for (const e of readdirSync(d, { withFileTypes: true })) { const p = join(d, e.name); if (e.isDirectory()) walk(p); else texts.push(readFileSync(p, 'utf8')); } };
  walk(join(x, top));
  const t = performance.now();
  for (const s of texts) redactText(s);
  console.log(`redactText over the same ${formatBytes(texts.reduce((s, v) => s + Buffer.byteLength(v), 0))}: ${(performance.now() - t).toFixed(0)} ms`);
  const slowest = [...last.parts].filter((p) => p.status !== 'ok').map((p) => `${p.path} ${p.status}`);
  if (slowest.length) console.log(`parts not collected on this host: ${slowest.join(', ')}`);
  console.log(`load average before/after: ${loadBefore} / ${loadavg()[0].toFixed(2)} on ${availableParallelism()} CPUs`);
} finally {
  for (const n of names) { try { virsh('undefine', n); } catch { /* not defined */ } }
  await services.close();
  rmSync(dir, { recursive: true, force: true });
}
