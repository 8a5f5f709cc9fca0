// Storage domains on this machine's libvirtd, a local-directory domain:
// how long a create, a volume create and one health check (the dd + df
// children of the monitor) take, and how long `hostdeck storage domain list`
// takes as a CLI process (it reads the state DB only, so it answers the same
// while a domain's storage hangs). Figures under an NFS outage in test hosts
// are printed by test/system/storage-domain-nfs.test.tsx ("figures").
// Targets (issue #7): an outage flagged within 30 s (monitor: 10 s interval +
// 9 s deadline = 19 s worst case); other CLI calls answer in under 2 s.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import * as runner from '../../src/exec/runner.ts';
import { openDatabase } from '../../src/manager/db.ts';
import { EventLog } from '../../src/manager/events.ts';
import { createConnectionService } from '../../src/core/storage-connections.ts';
import { createDomainService } from '../../src/core/storage-domains.ts';
import { createDoor } from '../../src/core/door.ts';

const runs = Number(process.env.BENCH_RUNS ?? 10);
execFileSync('scripts/libvirt-up', { stdio: 'ignore' });
const dir = mkdtempSync(join(tmpdir(), 'hostdeck-sdbench-'));
chmodSync(dir, 0o755);
mkdirSync(join(dir, 'local'));
const db = openDatabase(join(dir, 'state.db'));
const events = new EventLog(db, { user: 'bench', channel: 'cli' });
const door = createDoor({ user: events.user, channel: events.channel }, events, { readOnly: false, engineLock: () => undefined });
const r = { run: runner.run, runOk: runner.runOk };
const conns = createConnectionService({ runner: r, db, door, keyFile: join(dir, 'k') });
const svc = createDomainService({ runner: r, db, door, connections: conns });
const stats = (xs) => { const s = [...xs].sort((a, b) => a - b); return `median ${s[Math.floor(s.length / 2)].toFixed(0)} ms, max ${s[s.length - 1].toFixed(0)} ms over ${s.length}`; };
let d;
try {
  await conns.add({ type: 'localfs', name: 'bench', path: join(dir, 'local') });
  await conns.connect('bench');
  let t = performance.now();
  d = await svc.create({ name: 'bench', type: 'data', connectionId: 'bench' });
  console.log(`create a local data domain (metadata, dir pool, capacity): ${(performance.now() - t).toFixed(0)} ms`);
  t = performance.now();
  await svc.volumeCreate('bench', { name: 'v0.qcow2', size: '1G' });
  console.log(`create a 1 GiB qcow2 volume: ${(performance.now() - t).toFixed(0)} ms`);
  const probes = [];
  for (let i = 0; i < runs; i++) {
    t = performance.now();
    const p = await svc.probe(svc.get('bench'));
    if (!p.ok) throw new Error(p.error);
    probes.push(performance.now() - t);
  }
  console.log(`one health check (dd of the metadata + df, two children): ${stats(probes)}`);
  const cli = [];
  for (let i = 0; i < Math.min(runs, 5); i++) {
    t = performance.now();
    const c = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.tsx', 'storage', 'domain', 'list', '--json'], { env: { ...process.env, HOSTDECK_DB: join(dir, 'state.db') }, encoding: 'utf8' });
    if (c.status !== 0) throw new Error(c.stderr);
    cli.push(performance.now() - t);
  }
  console.log(`hostdeck storage domain list --json (tsx, unbundled): ${stats(cli)}`);
  // The shipped form: bundled as scripts/build.mjs does (node_modules resolve from the repository).
  const out = join(process.cwd(), 'test-results', `storage-domain-bench-${process.pid}`);
  await build({
    entryPoints: { hostdeck: 'src/main.ts' }, outdir: out, outExtension: { '.js': '.mjs' }, bundle: true, splitting: true, format: 'esm', platform: 'node', target: 'node22', jsx: 'automatic',
    external: ['better-sqlite3', '@unraid/libvirt'], alias: { 'react-devtools-core': join(process.cwd(), 'scripts/lib/devtools-stub.mjs') },
    define: { 'process.env.NODE_ENV': '"production"', HOSTDECK_VERSION: '"bench"', fetch: 'undefined' },
    banner: { js: "import { createRequire as __hdCreateRequire } from 'node:module';\nconst require = __hdCreateRequire(import.meta.url);" }, logLevel: 'warning',
  });
  const bundled = [];
  try {
    for (let i = 0; i < Math.min(runs, 5); i++) {
      t = performance.now();
      const c = spawnSync(process.execPath, [join(out, 'hostdeck.mjs'), 'storage', 'domain', 'list', '--json'], { env: { ...process.env, HOSTDECK_DB: join(dir, 'state.db') }, encoding: 'utf8' });
      if (c.status !== 0) throw new Error(c.stderr);
      bundled.push(performance.now() - t);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  console.log(`hostdeck storage domain list --json (bundled): ${stats(bundled)}; target < 2000 ms`);
} finally {
  if (d) { await svc.maintenance('bench').catch(() => undefined); await svc.remove('bench').catch(() => undefined); }
  db.close();
  rmSync(dir, { recursive: true, force: true });
}
