// The host service (`hostdeck serve`) as real processes over one real state
// DB and the real libvirtd: it starts and says so, `service status --json`
// names its PID, a second one is refused naming the first, SIGTERM stops it
// with an event, SIGKILL leaves a lock the next one takes over, `service stop`
// stops it; the storage health duty turns a local-directory data domain whose
// directory disappeared unreachable (with its event) while only the service
// runs; and the service and several hostdeck processes writing at once lose
// no write.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testServices } from '../lib/services.ts';
import { until } from '../lib/until.ts';
import { SYSTEM_URI } from '../lib/guest.ts';
import { virshTry } from '../lib/lifecycle.ts';
import { createCore } from '../../src/core/index.ts';
import type { ServiceStatus } from '../../src/core/host-service.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const CORE = join(ROOT, 'src/core/index.ts');
const SERVICES = join(ROOT, 'src/services.ts');
const CONFIG = join(ROOT, 'src/config.ts');

interface Done { code: number | null; signal: NodeJS.Signals | null; out: string; err: string }

describe('the host service as real processes', { timeout: 300_000 }, () => {
  const s = testServices({ uri: SYSTEM_URI, channel: 'cli' });
  const core = createCore(s, { user: 'tester', channel: 'cli' });
  const env = { ...process.env, HOSTDECK_DB: s.config.dbPath, HOSTDECK_LOG: s.config.logFile, LIBVIRT_DEFAULT_URI: SYSTEM_URI };
  const running = new Set<ChildProcess>();

  /** A hostdeck process (the CLI's entry through tsx), its output collected. */
  function hostdeck(args: string[], extraEnv: Record<string, string> = {}): { child: ChildProcess; done: Promise<Done> } {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.tsx', ...args], { cwd: ROOT, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    let out = '';
    let err = '';
    child.stdout!.setEncoding('utf8').on('data', (c: string) => { out += c; });
    child.stderr!.setEncoding('utf8').on('data', (c: string) => { err += c; });
    const done = new Promise<Done>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code, signal) => { running.delete(child); resolve({ code, signal, out, err }); });
    });
    return { child, done };
  }
  const run = (...args: string[]) => hostdeck(args).done;
  const status = async (): Promise<ServiceStatus> => {
    const r = await run('service', 'status', '--json');
    assert.equal(r.code, 0, r.err);
    return JSON.parse(r.out) as ServiceStatus;
  };
  const events = (text: string) => s.events.list({ text, limit: 1000 });
  /** Start a service and wait until it holds the lock. */
  const serve = async (...args: string[]) => {
    const p = hostdeck(['serve', ...args]);
    await until('the service to take its lock', () => core.hostService.status(), (st) => st.running && st.pid === p.child.pid);
    return p;
  };

  const dataDir = join(s.dir, 'local-data');
  let poolName = '';

  before(async () => {
    execFileSync(join(ROOT, 'scripts/libvirt-up'), { stdio: 'ignore' });
    // QEMU's user (libvirt's pool) must be able to reach the directory.
    chmodSync(s.dir, 0o755);
    mkdirSync(dataDir);
    await core.storageConnections.add({ type: 'localfs', name: 'svc-local', path: dataDir });
    await core.storageConnections.connect('svc-local');
    poolName = (await core.storageDomains.create({ name: 'svc-data', type: 'data', connectionId: 'svc-local' })).poolName;
  });
  after(async () => {
    for (const c of running) c.kill('SIGKILL');
    if (poolName) { await virshTry('pool-destroy', poolName); await virshTry('pool-undefine', poolName); }
    await s.cleanup();
  });

  it('serve starts: status --json shows it running with its PID and its duties, and its start is an event of the system', async () => {
    const svc = await serve('--interval', '0.5');
    const st = await status();
    assert.equal(st.running, true);
    assert.equal(st.pid, svc.child.pid);
    assert.deepEqual(st.duties.map((d) => d.id), ['storage-reconnect', 'storage-health', 'pool-prestart', 'history', 'notifications', 'alerts']);
    assert.equal(st.duties.find((d) => d.id === 'storage-health')!.everyMs, 500);
    const started = events('Host service started');
    assert.equal(started.length, 1);
    assert.deepEqual([started[0]!.channel, started[0]!.objectId], ['system', `pid ${svc.child.pid}`]);
    assert.match(readFileSync(s.config.logFile, 'utf8'), new RegExp(`service: host service started, pid ${svc.child.pid}`));

    const second = await run('serve');
    assert.equal(second.code, 1);
    assert.match(second.err, new RegExp(`the host service already runs for .* \\(pid ${svc.child.pid}, since `));
    assert.equal((await status()).pid, svc.child.pid, 'the refused second service changed the lock');

    svc.child.kill('SIGTERM');
    const end = await svc.done;
    assert.equal(end.code, 0, end.err);
    const stopped = events('Host service stopped');
    assert.equal(stopped.length, 1);
    assert.match(stopped[0]!.message, new RegExp(`^Host service stopped \\(SIGTERM, pid ${svc.child.pid}\\)`));
    assert.equal(stopped[0]!.channel, 'system');
    const after = await status();
    assert.equal(after.running, false);
    assert.equal(after.stale, undefined, 'a clean stop leaves no lock');
  });

  it('the storage health duty runs in the service: a data domain whose directory disappears turns unreachable with an event, and back', async () => {
    assert.equal((await core.storageDomains.get('svc-data'))!.status, 'active');
    const svc = await serve('--interval', '0.5');
    await until('a first health round', () => core.hostService.status().duties.find((d) => d.id === 'storage-health')?.last, (l) => l?.message === 'svc-data active');
    renameSync(dataDir, `${dataDir}.gone`);
    try {
      await until('the domain to turn unreachable', async () => (await core.storageDomains.get('svc-data'))!.status, (st) => st === 'unreachable');
    } finally {
      renameSync(`${dataDir}.gone`, dataDir);
    }
    const down = events('Storage domain svc-data is unreachable');
    assert.equal(down.length, 1);
    assert.deepEqual([down[0]!.channel, down[0]!.severity], ['system', 'error']);
    await until('the domain to be reachable again', async () => (await core.storageDomains.get('svc-data'))!.status, (st) => st === 'active');
    assert.equal(events('Storage domain svc-data is reachable again').length, 1);
    svc.child.kill('SIGTERM');
    assert.equal((await svc.done).code, 0);
  });

  it('SIGKILL leaves a stale lock: status says so, and the next serve takes it over with an event; service stop stops that one', async () => {
    const first = await serve();
    first.child.kill('SIGKILL');
    await first.done;
    const st = await status();
    assert.equal(st.running, false);
    assert.equal(st.stale?.pid, first.child.pid);
    const next = await serve();
    const took = events(`took over the lock of pid ${first.child.pid}`);
    assert.equal(took.length, 1);
    assert.equal(took[0]!.severity, 'warning');
    const refused = await run('service', 'stop', '--read-only');
    assert.equal(refused.code, 1);
    assert.match(refused.err, /read-only mode/);
    assert.equal((await status()).pid, next.child.pid, 'read-only mode stopped the service');
    const stop = await run('service', 'stop');
    assert.equal(stop.code, 0, stop.err);
    assert.match(stop.out, new RegExp(`Stopped the host service \\(pid ${next.child.pid}\\)`));
    assert.equal((await next.done).code, 0);
    assert.equal((await status()).running, false);
    const again = await run('service', 'stop');
    assert.equal(again.code, 1);
    assert.match(again.err, /the host service is not running for /);
  });

  it('the service and four hostdeck processes writing at once: every row and event is there afterwards', async () => {
    // What makes it safe: readers beside one writer (WAL), and a writer waits for the lock instead of failing.
    assert.equal(s.db.pragma('journal_mode', { simple: true }), 'wal');
    assert.ok((s.db.pragma('busy_timeout', { simple: true }) as number) >= 1000);
    const svc = await serve('--interval', '0.1');
    const PER = 60;
    // Each process adds PER storage connections through the core (a row and its event in one transaction).
    const writer = (n: number) => `
      const { resolveConfig } = await import(${JSON.stringify(CONFIG)});
      const { Services } = await import(${JSON.stringify(SERVICES)});
      const { createCore } = await import(${JSON.stringify(CORE)});
      const services = new Services(resolveConfig({}), 'cli');
      const core = createCore(services, { user: 'writer${n}', channel: 'cli' });
      for (let i = 0; i < ${PER}; i++) await core.storageConnections.add({ type: 'localfs', name: 'w${n}-' + i, path: '/srv/w${n}/' + i });
      await services.close();`;
    const writers = [0, 1, 2, 3].map((n) => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', writer(n)], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr!.setEncoding('utf8').on('data', (c: string) => { err += c; });
      return new Promise<{ code: number | null; err: string }>((resolve) => child.on('close', (code) => resolve({ code, err })));
    });
    // The CLI itself, at the same time.
    const cli = [0, 1].map((n) => run('storage', 'connection', 'add', 'localfs', '--path', `/srv/cli${n}`, '--name', `cli-${n}`));
    const done = await Promise.all(writers);
    for (const d of done) assert.equal(d.code, 0, d.err);
    for (const r of await Promise.all(cli)) assert.equal(r.code, 0, r.err);
    const finished = Date.now();
    // The service kept writing its duty runs all along (and after).
    await until('a duty run after the writers', () => core.hostService.status().duties.find((d) => d.id === 'storage-health')?.last?.at, (at) => at !== undefined && Date.parse(at) > finished);
    svc.child.kill('SIGTERM');
    const end = await svc.done;
    assert.equal(end.code, 0, `${end.signal} ${end.err} ${readFileSync(s.config.logFile, "utf8").split("\n").filter((l) => l.includes("service:")).join("\n")}`);

    const names = new Set((await core.storageConnections.list()).map((c) => c.name));
    for (let n = 0; n < 4; n++) for (let i = 0; i < PER; i++) assert.ok(names.has(`w${n}-${i}`), `connection w${n}-${i} is missing`);
    assert.ok(names.has('cli-0') && names.has('cli-1'));
    for (let n = 0; n < 4; n++) assert.equal(s.events.list({ limit: 100_000 }).filter((e) => e.user === `writer${n}` && e.result === 'success').length, PER, `writer${n}'s events`);
    assert.doesNotMatch(readFileSync(s.config.logFile, 'utf8'), /could not (record|write|release)/);
  });

  it('the service start runs between the before_service_start and after_service_start hooks: a failing before-hook keeps it from starting, with its message and an event', async () => {
    const hooks = join(s.dir, 'hooks');
    const log = join(s.dir, 'service-hooks.log');
    const script = (point: string, body: string) => {
      mkdirSync(join(hooks, point), { recursive: true, mode: 0o755 });
      writeFileSync(join(hooks, point, '10-check'), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    };
    chmodSync(s.dir, 0o755);
    script('before_service_start', 'echo "licence server unreachable" >&2\nexit 4');
    const refused = await hostdeck(['serve'], { HOSTDECK_HOOKS_DIR: hooks }).done;
    assert.equal(refused.code, 1);
    assert.match(refused.err, /before_service_start hook 10-check: exited with code 4: licence server unreachable/);
    assert.equal((await status()).running, false, 'no lock was taken');
    assert.equal(events('Host service not started').length, 1);

    script('before_service_start', `echo "$HOSTDECK_HOOK_POINT $HOSTDECK_SERVICE_PID" >> ${log}`);
    script('after_service_start', `echo "$HOSTDECK_HOOK_POINT $HOSTDECK_SERVICE_PID" >> ${log}`);
    const p = hostdeck(['serve'], { HOSTDECK_HOOKS_DIR: hooks });
    await until('the service to take its lock', () => core.hostService.status(), (st) => st.running && st.pid === p.child.pid);
    await until('the after-hook', () => (existsSync(log) ? readFileSync(log, 'utf8') : ''), (t) => t.includes('after_service_start'));
    assert.deepEqual(readFileSync(log, 'utf8').trim().split('\n'), [`before_service_start ${p.child.pid}`, `after_service_start ${p.child.pid}`]);
    p.child.kill('SIGTERM');
    assert.equal((await p.done).code, 0);
  });
});
