// The history duty of `hostdeck serve` as a real process over a real state DB
// and the real libvirtd with a tiny guest running: it writes host and VM
// samples (the VM's by UUID) and a data domain's used/free bytes; the VM's
// samples and id survive a rename (virsh domrename while shut off), its
// configuration history records the rename and a memory change; an hour of
// samples injected two days back is rolled up into the hour and day with the
// expected average and maximum, then its minute rows are pruned (past the
// day's retention). Without libvirtd the host is still sampled.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { testServices } from '../lib/services.ts';
import { until } from '../lib/until.ts';
import { virshTry } from '../lib/lifecycle.ts';
import { defineGuest, guestName, removeGuests, removeStaleGuests, SYSTEM_URI, virshSys, waitForState } from '../lib/guest.ts';
import { createCore } from '../../src/core/index.ts';
import { bucketStart, DAY_S, HOUR_S } from '../../src/domain/history-aggregate.ts';
import { historyRepo, HOST_FIGURES, type Figures, type HostFigure } from '../../src/manager/repos/history.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const nowS = () => Math.floor(Date.now() / 1000);

describe('the history duty of the host service', { timeout: 600_000 }, () => {
  const s = testServices({ uri: SYSTEM_URI, channel: 'cli' });
  const core = createCore(s, { user: 'tester', channel: 'cli' });
  const prefix = guestName('hist');
  const name = `${prefix}-a`;
  const renamed = `${prefix}-b`;
  let service: { child: ChildProcess; done: Promise<number | null> } | undefined;
  let uuid = '';
  let poolName = '';
  /** An hour two days back, with host samples of CPU 10, 20 and 60 % at its minutes 0, 1 and 2. */
  const injected = bucketStart(nowS() - 2 * DAY_S, HOUR_S);

  before(async () => {
    execFileSync(join(ROOT, 'scripts/libvirt-up'), { stdio: 'ignore' });
    await removeStaleGuests();
    // A local-directory data domain (QEMU's user must reach the directory): its used/free bytes are sampled too.
    chmodSync(s.dir, 0o755);
    mkdirSync(join(s.dir, 'data'));
    await core.storageConnections.add({ type: 'localfs', name: 'hist-local', path: join(s.dir, 'data') });
    await core.storageConnections.connect('hist-local');
    poolName = (await core.storageDomains.create({ name: 'hist-data', type: 'data', connectionId: 'hist-local' })).poolName;
    await defineGuest(name, { nic: false });
    uuid = (await virshSys('domuuid', name)).trim();
    const fig = (cpu: number): Figures<HostFigure> => Object.fromEntries(HOST_FIGURES.map((f) => [f, f === 'cpu_pct' ? cpu : 1])) as Figures<HostFigure>;
    const repo = historyRepo(s.db);
    for (const [i, cpu] of [10, 20, 60].entries()) repo.writeRound({ t: injected + i * 60, host: fig(cpu), vms: [], storage: [], configs: [] });
    await virshSys('start', name);
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.tsx', 'serve', '--interval', '0.5'], {
      cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, HOSTDECK_DB: s.config.dbPath, HOSTDECK_LOG: s.config.logFile, LIBVIRT_DEFAULT_URI: SYSTEM_URI },
    });
    service = { child, done: new Promise((resolve) => child.on('close', resolve)) };
  });
  after(async () => {
    if (service) { service.child.kill('SIGTERM'); await service.done; }
    await removeGuests(`${prefix}-`);
    if (poolName) { await virshTry('pool-destroy', poolName); await virshTry('pool-undefine', poolName); }
    await s.cleanup();
  });

  const vmPoints = async (vm: string) => (await core.history.vmSeries(vm, nowS() - 3600, nowS())).points;

  it('samples the host and the running guest by UUID: its state, and its CPU from the second round on', async () => {
    const points = await until('two samples of the running guest', () => vmPoints(uuid).catch(() => []), (ps) => ps.some((p) => p.upSamples === 1 && p.avg.cpu_pct !== null));
    const last = points.at(-1)!;
    assert.equal(last.samples, 1);
    assert.ok(last.avg.mem_total_kib! >= 128 * 1024, `memory total ${last.avg.mem_total_kib}`);
    const host = await core.history.hostSeries(nowS() - 600, nowS());
    assert.equal(host.level, 'minute');
    assert.ok(host.points.some((p) => p.avg.cpu_pct !== null && p.avg.mem_total_kib! > 0), 'host samples with CPU and memory');
    const config = await core.history.vmConfigHistory(name);
    assert.deepEqual(config.changes.map((c) => [c.name, c.vcpus, c.memoryKiB]), [[name, 1, 128 * 1024]]);
    const sd = await core.history.storageSeries('hist-data', nowS() - 600, nowS());
    assert.ok(sd.points.length > 0 && sd.points.every((p) => p.avg.used_bytes! > 0 && p.avg.free_bytes! > 0), `storage samples ${JSON.stringify(sd.points.at(-1))}`);
  });

  it('rolls the injected hour up (avg 30, max 60 over 3 samples) into its hour and day, then prunes its minutes', async () => {
    const hour = await until('the injected hour rolled up', () => core.history.hostSeries(injected, injected + HOUR_S - 1), (sr) => sr.points.length > 0);
    assert.equal(hour.level, 'hour');
    assert.deepEqual(hour.points.map((p) => [p.t, p.samples, p.avg.cpu_pct, p.max.cpu_pct]), [[injected, 3, 30, 60]]);
    const day = bucketStart(injected, DAY_S);
    const days = await until('the injected day rolled up', () => historyRepo(s.db).hostSeries('day', day, day), (ps) => ps.length > 0);
    assert.deepEqual(days.map((p) => [p.samples, p.avg.cpu_pct, p.max.cpu_pct]), [[3, 30, 60]]);
    await until('the injected minutes pruned', () => historyRepo(s.db).hostSeries('minute', injected, injected + HOUR_S), (ps) => ps.length === 0);
  });

  it('the v1_ history views read the same samples through report sql: the injected hour, and the guest by UUID with its state', async () => {
    const hour = await core.reports.sql({ sql: `SELECT time, samples, cpu_pct_avg, cpu_pct_max FROM v1_host_samples_hourly WHERE t = ${injected}` });
    assert.deepEqual(hour.rows, [[new Date(injected * 1000).toISOString().replace('.000', ''), 3, 30, 60]]);
    const vm = await core.reports.sql({ sql: `SELECT vm_name, state FROM v1_vm_samples_minute WHERE vm_id = '${uuid}' AND state = 'running' LIMIT 1` });
    assert.deepEqual(vm.rows, [[name, 'running']]);
    const sd = await core.reports.sql({ sql: "SELECT count(*) FROM v1_storage_domain_samples_minute WHERE storage_domain_name = 'hist-data' AND free_bytes > 0" });
    assert.ok(Number(sd.rows[0]![0]) > 0, 'storage samples of hist-data');
  });

  it('keeps the VM by UUID across a rename while shut off, and records the rename and a memory change in its configuration history', async () => {
    await virshSys('destroy', name);
    await waitForState(name, ['shut off']);
    await until('a shut-off sample', () => vmPoints(uuid), (ps) => ps.at(-1)?.upSamples === 0);
    await virshSys('domrename', name, renamed);
    await until('the rename in the configuration history', () => core.history.vmConfigHistory(uuid), (c) => c.changes.at(-1)?.name === renamed);
    // Configuration rows are per second: the change comes in a later second than the rename.
    await new Promise((r) => setTimeout(r, 1100));
    await virshSys('setmaxmem', renamed, '160M', '--config');
    const config = await until('the memory change in the configuration history', () => core.history.vmConfigHistory(renamed), (c) => c.changes.at(-1)?.memoryKiB === 160 * 1024);
    assert.equal(config.uuid, uuid);
    assert.deepEqual(config.changes.map((c) => [c.name, c.memoryKiB]), [[name, 128 * 1024], [renamed, 128 * 1024], [renamed, 160 * 1024]]);
    assert.ok(config.changes.every((c, i) => i === 0 || c.fromT >= config.changes[i - 1]!.fromT));
    // The samples from before the rename and after it are one series, read by the new name.
    const series = await core.history.vmSeries(renamed, nowS() - 3600, nowS());
    assert.equal(series.uuid, uuid);
    assert.ok(series.points.some((p) => p.upSamples === 1) && series.points.at(-1)!.upSamples === 0, 'running samples before the rename, shut off after');
    await assert.rejects(core.history.vmSeries(renamed, nowS(), nowS() - 60), /from: must not be after to/);
    // The views name each sample with the name the VM had then, and list its configurations.
    const names = await core.reports.sql({ sql: `SELECT DISTINCT vm_name FROM v1_vm_samples_minute WHERE vm_id = '${uuid}' ORDER BY t` });
    assert.deepEqual(names.rows.map((r) => r[0]), [name, renamed]);
    const conf = await core.reports.sql({ sql: `SELECT vm_name, memory_kib FROM v1_vm_configuration WHERE vm_id = '${uuid}' ORDER BY from_t` });
    assert.deepEqual(conf.rows, [[name, 128 * 1024], [renamed, 128 * 1024], [renamed, 160 * 1024]]);
  });
});

describe('the history duty without libvirtd', () => {
  it('still samples this host when the VMs cannot be read, and fails saying so', async () => {
    const s = testServices({ uri: 'qemu:///system?socket=/nonexistent/libvirt-sock', channel: 'cli' });
    try {
      const core = createCore(s, { user: 'tester', channel: 'cli' });
      const sampler = await core.history.newSampler();
      await assert.rejects(sampler.run(), /^Error: host and storage sampled, the VMs not: /);
      const host = await core.history.hostSeries(nowS() - 600, nowS());
      assert.equal(host.points.length, 1);
      assert.ok(host.points[0]!.avg.mem_total_kib! > 0);
      assert.equal(host.points[0]!.avg.cpu_pct, null, 'no CPU % from a single round');
      sampler.close();
    } finally {
      await s.cleanup();
    }
  });
});
