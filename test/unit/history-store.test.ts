// The history store's rules on generated samples with known answers: minute
// → hour → day aggregation (gaps and restarts leave no made-up values),
// retention and pruning boundaries, the level a range is read from, rates
// from two rounds' counters; and the same through the real SQLite tables
// (roll-up in bounded transactions, pruning only what was rolled up).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  aggregate, bucketStart, completedBuckets, DAY_S, DEFAULT_RETENTION, HOUR_S, levelFor, pruneBefore, rangeProblems, resolveHistoryRetention,
  type AggregateInput,
} from '../../src/domain/history-aggregate.ts';
import { resolveConfig } from '../../src/config.ts';
import { vmFigures } from '../../src/core/history-sampling.ts';
import { openDatabase } from '../../src/manager/db.ts';
import { historyRepo, HOST_FIGURES, VM_FIGURES, type Figures, type HostFigure, type VmFigure } from '../../src/manager/repos/history.ts';
import type { DomainStatsSample } from '../../src/virt/stats.ts';

/** 2026-12-01T00:00:00Z: a day boundary. */
const DAY0 = Date.UTC(2026, 11, 1) / 1000;
const minute = (key: string, t: number, ...values: (number | null)[]): AggregateInput<string> => ({ key, t, samples: 1, values });

describe('aggregation minute → hour → day', () => {
  it('an hour of samples gives their average, maximum and count', () => {
    const rows = Array.from({ length: 60 }, (_, i) => minute('vm', DAY0 + i * 60, i + 1, 100 - i));
    const [a, ...rest] = aggregate(rows, HOUR_S);
    assert.equal(rest.length, 0);
    assert.deepEqual(a, { key: 'vm', t: DAY0, samples: 60, avg: [30.5, 70.5], max: [60, 100] });
  });

  it('a gap (the service was down) leaves the average over the samples present and their count; an empty hour gets no row', () => {
    const present = [...Array.from({ length: 10 }, (_, i) => i), ...Array.from({ length: 10 }, (_, i) => 50 + i)];
    // Hours 0 and 2 have samples, hour 1 none.
    const rows = [...present.map((m) => minute('vm', DAY0 + m * 60, m)), minute('vm', DAY0 + 2 * HOUR_S + 60, 7)];
    const aggs = aggregate(rows, HOUR_S);
    assert.deepEqual(aggs.map((a) => [a.t, a.samples, a.avg[0], a.max[0]]), [[DAY0, 20, (45 + 545) / 20, 59], [DAY0 + 2 * HOUR_S, 1, 7, 7]]);
  });

  it('a restart (a figure unknown, null) counts as a sample but not in the average; a figure never known stays null', () => {
    const rows = [minute('vm', DAY0, null, null), minute('vm', DAY0 + 60, 10, null), minute('vm', DAY0 + 120, null, null), minute('vm', DAY0 + 180, 30, null)];
    const [a] = aggregate(rows, HOUR_S);
    assert.deepEqual([a!.samples, a!.avg, a!.max], [4, [20, null], [30, null]]);
  });

  it('hours roll up into a day weighted by the samples each stands for, with the maximum of their maxima; entities stay apart', () => {
    const hours: AggregateInput<string>[] = [
      { key: 'a', t: DAY0, samples: 60, values: [10], maxes: [15] },
      { key: 'a', t: DAY0 + HOUR_S, samples: 30, values: [40], maxes: [90] },
      { key: 'b', t: DAY0 + 5 * HOUR_S, samples: 60, values: [null], maxes: [null] },
      { key: 'a', t: DAY0 + DAY_S, samples: 60, values: [5], maxes: [6] },
    ];
    const days = aggregate(hours, DAY_S);
    assert.deepEqual(days.map((d) => [d.key, d.t, d.samples, d.avg[0], d.max[0]]), [
      ['a', DAY0, 90, (60 * 10 + 30 * 40) / 90, 90],
      ['b', DAY0, 60, null, null],
      ['a', DAY0 + DAY_S, 60, 5, 6],
    ]);
  });
});

describe('retention, pruning and levels', () => {
  it('defaults 24 hours / 60 days / 5 years; the environment sets each, a bad value names its variable and rule', () => {
    assert.deepEqual(resolveHistoryRetention({}), { minuteHours: 24, hourDays: 60, dayYears: 5 });
    assert.deepEqual(resolveHistoryRetention({ HOSTDECK_HISTORY_MINUTE_HOURS: '48', HOSTDECK_HISTORY_HOUR_DAYS: '90', HOSTDECK_HISTORY_DAY_YEARS: '10' }), { minuteHours: 48, hourDays: 90, dayYears: 10 });
    assert.throws(() => resolveHistoryRetention({ HOSTDECK_HISTORY_HOUR_DAYS: '0' }), /^Error: HOSTDECK_HISTORY_HOUR_DAYS: must be a whole number from 1 to 3660 \(got "0"\)$/);
    assert.throws(() => resolveHistoryRetention({ HOSTDECK_HISTORY_MINUTE_HOURS: '1.5' }), /HOSTDECK_HISTORY_MINUTE_HOURS: must be a whole number/);
    // The process's configuration carries them; a bad one stops hostdeck before anything runs.
    assert.deepEqual(resolveConfig({}, { HOSTDECK_HISTORY_DAY_YEARS: '7' }).history, { minuteHours: 24, hourDays: 60, dayYears: 7 });
    assert.throws(() => resolveConfig({}, { HOSTDECK_HISTORY_DAY_YEARS: 'lots' }), /HOSTDECK_HISTORY_DAY_YEARS: must be a whole number from 1 to 100/);
  });

  it('prunes past each retention, but never rows not yet rolled up into the next level', () => {
    const now = DAY0 + 100 * DAY_S + 1234;
    const done = { hour: now - 1234, day: DAY0 + 100 * DAY_S };
    assert.deepEqual(pruneBefore(now, DEFAULT_RETENTION, done), { minute: now - DAY_S, hour: bucketStart(now - 60 * DAY_S, HOUR_S), day: bucketStart(now - 5 * 365 * DAY_S, DAY_S) });
    // Aggregation behind (service down for days): the minutes and hours wait for it.
    assert.deepEqual(pruneBefore(now, DEFAULT_RETENTION, { hour: DAY0, day: DAY0 }), { minute: DAY0, hour: DAY0, day: bucketStart(now - 5 * 365 * DAY_S, DAY_S) });
    assert.equal(pruneBefore(now, DEFAULT_RETENTION, {}).minute, -Infinity, 'nothing rolled up yet: no minute goes');
  });

  it('only ended buckets are rolled up, from where the last roll-up ended or from the first sample', () => {
    assert.deepEqual(completedBuckets(undefined, DAY0 + 125, DAY0 + 2 * HOUR_S + 5, HOUR_S), [DAY0, DAY0 + HOUR_S]);
    assert.deepEqual(completedBuckets(DAY0 + HOUR_S, undefined, DAY0 + 2 * HOUR_S - 1, HOUR_S), [], 'the running hour waits');
    assert.deepEqual(completedBuckets(undefined, undefined, DAY0, HOUR_S), []);
  });

  it('a range is read from the finest level that still holds its start', () => {
    const now = DAY0 + 400 * DAY_S;
    assert.equal(levelFor(now - 23 * HOUR_S, now, DEFAULT_RETENTION), 'minute');
    // A day asked a second or two before now ticks on (a chart's last day) is still the minutes'.
    assert.equal(levelFor(now - DAY_S - 2, now, DEFAULT_RETENTION), 'minute');
    assert.equal(levelFor(now - DAY_S - 120, now, DEFAULT_RETENTION), 'hour');
    assert.equal(levelFor(now - 7 * DAY_S, now, DEFAULT_RETENTION), 'hour');
    assert.equal(levelFor(now - 90 * DAY_S, now, DEFAULT_RETENTION), 'day');
    assert.equal(levelFor(now - 47 * HOUR_S, now, { ...DEFAULT_RETENTION, minuteHours: 48 }), 'minute');
  });

  it('a range must be whole seconds, from before to, and not far in the future', () => {
    const now = DAY0;
    assert.deepEqual(rangeProblems(now - 60, now, now), []);
    assert.deepEqual(rangeProblems(now, now - 60, now).map((e) => e.message), ['from: must not be after to']);
    assert.deepEqual(rangeProblems(1.5, now, now).map((e) => e.field), ['from']);
    assert.deepEqual(rangeProblems(now, now + 2 * DAY_S, now).map((e) => e.message), ['to: must not be more than a day in the future']);
  });
});

const stats = (over: Partial<DomainStatsSample>): DomainStatsSample => ({ name: 'web', at: DAY0 * 1000, state: 'running', reason: 1, vcpusCurrent: 2, memoryKiB: 1024, maxMemoryKiB: 2048, disks: [], nics: [], raw: {}, ...over });

describe('VM figures from two rounds of counters', () => {
  const prev = stats({ cpuTimeNs: 100e9, disks: [{ name: 'vda', rdReqs: 0, rdBytes: 1000, wrReqs: 0, wrBytes: 0, flReqs: 0 }], nics: [{ name: 'vnet0', rxBytes: 0, rxPkts: 0, rxErrs: 0, rxDrop: 0, txBytes: 600, txPkts: 0, txErrs: 0, txDrop: 0 }] });
  const cur = stats({ at: (DAY0 + 60) * 1000, cpuTimeNs: 160e9, disks: [{ name: 'vda', rdReqs: 0, rdBytes: 7000, wrReqs: 0, wrBytes: 6000, flReqs: 0 }], nics: [{ name: 'vnet0', rxBytes: 60, rxPkts: 0, rxErrs: 0, rxDrop: 0, txBytes: 1200, txPkts: 0, txErrs: 0, txDrop: 0 }] });

  it('CPU % over its vCPUs and bytes per second between the rounds', () => {
    assert.deepEqual(vmFigures(prev, cur), { cpu_pct: 50, mem_used_kib: 1024, mem_total_kib: 2048, disk_read_bps: 100, disk_write_bps: 100, net_rx_bps: 1, net_tx_bps: 10 });
  });

  it('a running VM without an earlier round, or whose counters went back (it restarted), has no rates: null, not 0', () => {
    const unknown = { cpu_pct: null, disk_read_bps: null, disk_write_bps: null, net_rx_bps: null, net_tx_bps: null };
    assert.deepEqual(vmFigures(undefined, cur), { ...unknown, mem_used_kib: 1024, mem_total_kib: 2048 });
    assert.deepEqual(vmFigures(cur, stats({ at: (DAY0 + 120) * 1000, cpuTimeNs: 1e9 })), { ...unknown, mem_used_kib: 1024, mem_total_kib: 2048 });
  });

  it('a shut-off VM moves nothing: its zeros are known from the first round', () => {
    assert.deepEqual(vmFigures(undefined, stats({ state: 'shutoff', memoryKiB: 2048 })), { cpu_pct: 0, mem_used_kib: 0, mem_total_kib: 2048, disk_read_bps: 0, disk_write_bps: 0, net_rx_bps: 0, net_tx_bps: 0 });
  });
});

const hostFig = (cpu: number | null): Figures<HostFigure> => Object.fromEntries(HOST_FIGURES.map((f) => [f, f === 'cpu_pct' ? cpu : 1000])) as Figures<HostFigure>;
const vmFig = (cpu: number | null): Figures<VmFigure> => Object.fromEntries(VM_FIGURES.map((f) => [f, f === 'cpu_pct' ? cpu : 10])) as Figures<VmFigure>;

describe('the history tables (SQLite)', () => {
  it('rolls an hour up in bounded transactions, then the day, and prunes only what is rolled up and past its retention', () => {
    const db = openDatabase(':memory:');
    try {
      const repo = historyRepo(db);
      const ids = repo.vmIds(['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222', '33333333-3333-4333-8333-333333333333']);
      const [a, b, c] = [...ids.values()];
      const eth0 = repo.nicIds(['eth0']).get('eth0');
      assert.equal(repo.nicIds(['eth0', 'br0']).get('eth0'), eth0, 'an interface keeps its id');
      // Hour 0: a runs with CPU 10, 20, 60 (and a restart: null); b is shut off; c only in the first sample (then gone).
      const cpus = [10, 20, null, 60];
      cpus.forEach((cpu, i) => repo.writeRound({
        t: DAY0 + i * 60, host: hostFig(cpu), configs: i === 0 ? [{ vmId: a!, name: 'web', vcpus: 2, memoryKiB: 2048 }] : [],
        vms: [{ vmId: a!, state: 1, figures: vmFig(cpu) }, { vmId: b!, state: 5, figures: vmFig(0) }, ...(i === 0 ? [{ vmId: c!, state: 1, figures: vmFig(99) }] : [])],
        storage: [{ domainId: 'sd1', figures: { used_bytes: 100 * (i + 1), free_bytes: 1000 - 100 * (i + 1) } }],
        // eth0 moves 1000 B/s more each minute; its rate is unknown at the restart (null).
        nics: [{ nicId: eth0!, figures: { rx_bps: cpu === null ? null : 1000 * (i + 1), tx_bps: 5 } }],
      }));
      // Hour 1: a at 90 once.
      repo.writeRound({ t: DAY0 + HOUR_S, host: hostFig(90), vms: [{ vmId: a!, state: 3, figures: vmFig(90) }], storage: [], configs: [] });

      assert.equal(repo.firstMinute(), DAY0);
      repo.rollUp('hour', DAY0, 2);
      repo.rollUp('hour', DAY0 + HOUR_S, 2);
      assert.equal(repo.doneUntil('hour'), DAY0 + 2 * HOUR_S);
      assert.equal(repo.doneUntil('day'), DAY0, 'the days start at the day of the first hour');
      const [h0, h1] = repo.vmSeries('hour', a!, DAY0, DAY0 + DAY_S);
      assert.deepEqual([h0!.samples, h0!.upSamples, h0!.avg.cpu_pct, h0!.max.cpu_pct], [4, 4, 30, 60]);
      assert.deepEqual([h1!.samples, h1!.upSamples, h1!.avg.cpu_pct], [1, 0, 90], 'paused is not up');
      assert.deepEqual(repo.vmSeries('hour', b!, DAY0, DAY0 + DAY_S).map((p) => [p.samples, p.upSamples, p.max.cpu_pct]), [[4, 0, 0]]);
      assert.equal(repo.vmSeries('hour', c!, DAY0, DAY0 + DAY_S)[0]!.samples, 1);
      assert.deepEqual(repo.hostSeries('hour', DAY0, DAY0 + DAY_S).map((p) => [p.samples, p.avg.cpu_pct, p.max.cpu_pct]), [[4, 30, 60], [1, 90, 90]]);
      assert.deepEqual(repo.storageSeries('hour', 'sd1', DAY0, DAY0 + DAY_S).map((p) => [p.samples, p.avg.used_bytes, p.max.used_bytes]), [[4, 250, 400]]);
      assert.deepEqual(repo.nicSeries('hour', eth0!, DAY0, DAY0 + DAY_S).map((p) => [p.samples, p.avg.rx_bps, p.max.rx_bps, p.avg.tx_bps]), [[4, Math.round((1000 + 2000 + 4000) / 3), 4000, 5]]);

      repo.rollUp('day', DAY0, 2);
      const [d0] = repo.vmSeries('day', a!, DAY0, DAY0 + DAY_S);
      // Weighted by samples: (3 known CPU samples avg 30 stand in an hour of 4 samples) and 1 sample of 90.
      assert.deepEqual([d0!.samples, d0!.upSamples, d0!.avg.cpu_pct, d0!.max.cpu_pct], [5, 4, (30 * 4 + 90) / 5, 90]);

      // A year later at the default retention: minutes and hours go (they are rolled up), the day stays; with 1-row transactions.
      const now = DAY0 + 365 * DAY_S;
      const rolled = ['vm', 'host', 'storage', 'nic'].flatMap((k) => ['minute', 'hour'].map((l) => db.prepare(`SELECT count(*) FROM history_${k}_${l}`).pluck().get() as number)).reduce((x, y) => x + y, 0);
      const gone = repo.prune(pruneBefore(now, DEFAULT_RETENTION, { hour: repo.doneUntil('hour'), day: repo.doneUntil('day') }), 1);
      assert.equal(gone, rolled, 'every minute and hour row');
      assert.equal(db.prepare('SELECT count(*) FROM history_vm_minute').pluck().get(), 0);
      assert.equal(db.prepare('SELECT count(*) FROM history_vm_hour').pluck().get(), 0);
      assert.equal(db.prepare('SELECT count(*) FROM history_nic_minute').pluck().get(), 0);
      assert.equal(repo.nicSeries('day', eth0!, DAY0, now).length, 1);
      assert.equal(repo.vmSeries('day', a!, DAY0, now).length, 1);
      assert.deepEqual(repo.configHistory(a!).map((r) => r.name), ['web']);
      assert.equal(repo.uuidByName('web'), '11111111-1111-4111-8111-111111111111');
    } finally {
      db.close();
    }
  });

  it('keeps minute rows not yet rolled up, however old', () => {
    const db = openDatabase(':memory:');
    try {
      const repo = historyRepo(db);
      repo.writeRound({ t: DAY0, host: hostFig(1), vms: [], storage: [], configs: [] });
      assert.equal(repo.prune(pruneBefore(DAY0 + 30 * DAY_S, DEFAULT_RETENTION, {}), 100), 0);
      assert.equal(repo.hostSeries('minute', DAY0, DAY0).length, 1);
    } finally {
      db.close();
    }
  });
});
