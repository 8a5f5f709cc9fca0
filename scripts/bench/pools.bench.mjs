// A pool of 20 thin VMs from a template with 5 prestarted: the time from
// `pool create` (the core's, as the CLI runs it) until the 5 run, the
// prestart through the host service's own duty (pool-prestart, as `hostdeck
// serve` runs it); beside a baseline in the same run: `virsh start` of 5 of
// those same VMs directly, after they were stopped. The template is the tiny
// test guest on a local-directory data domain (scripts/bench/template-fixture.mjs);
// everything is removed after. Needs root and the real libvirtd.
// Usage: node scripts/bench/pools.bench.mjs  (BENCH_POOL_SIZE=20 BENCH_POOL_PRESTARTED=5)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import './tsx.mjs';
import { templateFixture } from './template-fixture.mjs';

const root = new URL('../..', import.meta.url).pathname;
const SIZE = Math.max(1, Number(process.env.BENCH_POOL_SIZE ?? 20));
const PRESTARTED = Math.min(SIZE, Math.max(1, Number(process.env.BENCH_POOL_PRESTARTED ?? 5)));
const { virsh } = await import(join(root, 'test/lib/lifecycle.ts'));
const { SERVICE_DUTIES } = await import(join(root, 'src/core/service-duties.ts'));

const fx = await templateFixture('poolbench');
const name = `${fx.prefix}-p`;
try {
  const duty = SERVICE_DUTIES.find((d) => d.id === 'pool-prestart').create(fx.core);
  const t0 = performance.now();
  await fx.core.pools.create({ name, template: 'tiny', size: SIZE, prestarted: PRESTARTED });
  const created = performance.now();
  // The duty starts them; it is what the service runs every 15 s (the first run at its start).
  for (let round = 0; round < 10 && (await fx.core.pools.show(name)).running < PRESTARTED; round++) await duty();
  const running = performance.now();
  const pool = await fx.core.pools.show(name);
  if (pool.running < PRESTARTED) throw new Error(`only ${pool.running} of ${PRESTARTED} run after 10 duty rounds`);

  // The baseline: the same VMs (same XML, transient disks on the same overlays), stopped, then started by virsh.
  const started = pool.vms.filter((v) => v.running).map((v) => v.name);
  for (const vm of started) await virsh('destroy', vm);
  const b0 = performance.now();
  for (const vm of started) await virsh('start', vm);
  const b1 = performance.now();

  console.log(`a pool of ${SIZE} thin VMs with ${PRESTARTED} prestarted, from pool create until the ${PRESTARTED} run`);
  console.log(`  hostdeck pool create + the prestart duty: ${((running - t0) / 1000).toFixed(2)} s (create of ${SIZE} VMs ${((created - t0) / 1000).toFixed(2)} s, duty ${((running - created) / 1000).toFixed(2)} s)`);
  console.log(`  virsh start of ${started.length} of those VMs:        ${((b1 - b0) / 1000).toFixed(2)} s`);
  console.log(`  (the prestart duty alone against virsh start: ${((running - created) / (b1 - b0)).toFixed(2)}x; load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')})`);
  await fx.core.pools.remove(name, { stopFirst: true });
} finally {
  await fx.remove();
}
process.exit(0);
