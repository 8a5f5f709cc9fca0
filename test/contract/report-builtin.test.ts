// The built-in reports on a history with known answers (test/lib/report-fixture.ts)
// in a real SQLite state database: each report's numbers, its scope narrowing
// what it covers, and `hostdeck report run` writing CSV, JSON and HTML, or
// refusing bad input with exit 2 and nothing written.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isoTime, round, type ReportResult } from '../../src/domain/reports.ts';
import { consoleCore, testServices } from '../lib/services.ts';
import { runMain } from '../lib/cli-main.ts';
import { FIXTURE, MINUTES, writeReportFixture } from '../lib/report-fixture.ts';

const table = (r: ReportResult, title: RegExp) => {
  const t = r.tables.find((x) => title.test(x.title));
  assert.ok(t, `table ${String(title)} in ${r.tables.map((x) => x.title).join(', ')}`);
  return t;
};
const rowOf = (r: ReportResult, title: RegExp, key: string, value: string) => table(r, title).rows.find((row) => row[key] === value)!;

describe('built-in reports on a fixture history', () => {
  const s = testServices();
  const core = consoleCore(s);
  const dbPath = join(s.dir, 'state.db');
  let range = { from: '', to: '' };
  let hostCpus = 0;
  const hostdeck = (...argv: string[]) => runMain(dbPath, 'test:///default', argv);

  before(async () => {
    const f = writeReportFixture(s.db);
    range = { from: isoTime(f.from), to: isoTime(f.to) };
    hostCpus = (await s.virt.nodeInfo()).cpus;
    s.events.record({ severity: 'warning', source: 'vm', objectType: 'vm', objectId: 'frontend', message: 'frontend slow' });
    s.events.record({ severity: 'warning', source: 'vm', objectType: 'vm', objectId: 'frontend', message: 'frontend slow again' });
    s.events.record({ severity: 'error', source: 'vm', objectType: 'vm', objectId: 'db', message: 'db failed' });
  });
  after(() => s.cleanup());

  it('host utilisation: CPU and memory averages and peaks from the hour aggregates, and the over-commit of the VMs that ran', async () => {
    const r = await core.reports.run({ name: 'host-utilisation', ...range });
    assert.equal(r.level, 'hour');
    assert.deepEqual(rowOf(r, /^Utilisation/, 'unit', '%'), { figure: 'CPU', avg: round(FIXTURE.cpuAvg), peak: 90, unit: '%' });
    // Memory: 2 GiB of 8 used but one minute of 4 GiB.
    const memMiB = (4319 * 2048 + 4096) / MINUTES;
    assert.deepEqual(table(r, /^Utilisation/).rows.filter((x) => x.figure === 'Memory used').map((x) => [x.avg, x.peak]), [[round((100 * memMiB) / 8192), 50], [round(memMiB), 4096]]);
    // web 2 + db 4 + batch 1 vCPUs; 2048 + 4096 + 512 MiB of the host's 8192.
    const oc = table(r, /^Over-commit \(3 VM/);
    assert.deepEqual(oc.rows, [
      { resource: 'vCPUs', given: 7, host: hostCpus, ratio: round(7 / hostCpus, 2) },
      { resource: 'Memory (MiB)', given: 6656, host: 8192, ratio: round(6656 / 8192, 2) },
    ]);
    assert.equal(r.charts[0]!.series[0]!.points.length, MINUTES / 60, 'one chart point per hour');
  });

  it('host utilisation for a cluster counts only its VMs in the over-commit', async () => {
    const r = await core.reports.run({ name: 'host-utilisation', ...range, scope: 'cluster:cl-prod' });
    assert.deepEqual(table(r, /^Over-commit \(2 VM/).rows.map((x) => x.given), [6, 6144]);
  });

  it('top VMs: by CPU, memory, disk and network, averages and peaks, named as they were at the range\'s end (web became frontend)', async () => {
    const r = await core.reports.run({ name: 'top-vms', ...range });
    assert.deepEqual(table(r, /CPU/).rows, [
      { vm: 'db', cpu_pct_avg: round(FIXTURE.db.cpuAvg), cpu_pct_max: 100 },
      { vm: 'frontend', cpu_pct_avg: 50, cpu_pct_max: 50 },
      { vm: 'batch', cpu_pct_avg: 10, cpu_pct_max: 10 },
    ]);
    assert.deepEqual(table(r, /memory/).rows.map((x) => [x.vm, x.mem_used_kib_avg]), [['db', 3072], ['frontend', 1024], ['batch', 256]]);
    assert.deepEqual(table(r, /disk/).rows.slice(0, 2), [
      { vm: 'db', disk_read_bps_avg: 0, disk_read_bps_max: 0, disk_write_bps_avg: 100, disk_write_bps_max: 100 },
      { vm: 'frontend', disk_read_bps_avg: 10, disk_read_bps_max: 10, disk_write_bps_avg: 0, disk_write_bps_max: 0 },
    ]);
    assert.deepEqual(table(r, /network/).rows[0], { vm: 'frontend', net_rx_bps_avg: 2, net_rx_bps_max: 2, net_tx_bps_avg: 1, net_tx_bps_max: 1 });
    const vmOnly = await core.reports.run({ name: 'top-vms', ...range, scope: 'vm:db' });
    assert.deepEqual(table(vmOnly, /CPU/).rows.map((x) => x.vm), ['db']);
  });

  it('VM availability: batch ran 18 of the 72 sampled hours (25 %), the others all of them; from the day aggregates for a range beyond the hours, from the minute samples within the last day', async () => {
    const r = await core.reports.run({ name: 'vm-availability', ...range });
    assert.deepEqual(table(r, /Availability/).rows, [
      { vm: 'batch', sampled_h: 72, up_h: 18, availability: 25 },
      { vm: 'db', sampled_h: 72, up_h: 72, availability: 100 },
      { vm: 'frontend', sampled_h: 72, up_h: 72, availability: 100 },
    ]);
    // The same range read from the day aggregates when it starts further back than the hours are kept (60 days).
    const byDay = await core.reports.run({ name: 'vm-availability', from: '90d', to: range.to });
    assert.equal(byDay.level, 'day');
    assert.deepEqual(table(byDay, /Availability/).rows, table(r, /Availability/).rows);
    // The last hour from the minute samples: frontend up its half hour, batch shut off.
    const recent = await core.reports.run({ name: 'vm-availability', from: '1h' });
    assert.equal(recent.level, 'minute');
    assert.deepEqual(table(recent, /Availability/).rows, [{ vm: 'batch', sampled_h: 0.5, up_h: 0, availability: 0 }, { vm: 'frontend', sampled_h: 0.5, up_h: 0.5, availability: 100 }]);
    const cl = await core.reports.run({ name: 'vm-availability', ...range, scope: 'cluster:Default' });
    assert.deepEqual(table(cl, /Availability/).rows.map((x) => x.vm), ['batch'], 'a VM without a cluster row is in the Default cluster');
  });

  it('storage usage: the growing domain fills where its least-squares line meets its capacity; the flat one is not filling', async () => {
    const r = await core.reports.run({ name: 'storage-usage', ...range });
    const data1 = rowOf(r, /Storage domains/, 'domain', 'data1');
    assert.equal(data1.capacity_gib, 100);
    assert.equal(data1.growth_gib_day, round((FIXTURE.data1.growthPerS * 86_400) / 2 ** 30, 3));
    // An hour's average is the used space 29.5 minutes into it: the line is the samples' line 1770 s earlier.
    const from = Date.parse(range.from) / 1000;
    const full = from + (FIXTURE.data1.capacity - FIXTURE.data1.used0) / FIXTURE.data1.growthPerS - 1770;
    assert.ok(Math.abs(Date.parse(String(data1.fills)) / 1000 - full) <= 60, `${String(data1.fills)} is ${isoTime(full)} within a minute`);
    assert.equal(rowOf(r, /Storage domains/, 'domain', 'iso1').fills, 'not filling');
    const one = await core.reports.run({ name: 'storage-usage', ...range, scope: 'storage:iso1' });
    assert.deepEqual(table(one, /Storage domains/).rows.map((x) => [x.domain, x.used_gib, x.free_gib, x.used_pct]), [['iso1', 5, 15, 25]]);
  });

  it('inventory: each VM with its cluster (Default when none is recorded), template and its disks, vCPUs, memory, pool and owner; a cluster scope keeps its VMs', async () => {
    const r = await core.reports.run({ name: 'inventory', ...range });
    assert.deepEqual(table(r, /^VMs/).rows.map((x) => [x.vm, x.cluster, x.vcpus, x.memory_mib, x.template, x.disks, x.disk_gib, x.pool, x.owner]), [
      ['batch', 'Default', 1, 512, null, null, null, 'desk', 'alice'],
      ['db', 'cl-prod', 4, 4096, null, null, null, null, null],
      // Made from web-tpl as web, renamed frontend since: the history's name.
      ['frontend', 'cl-prod', 2, 2048, 'web-tpl v1', 2, 12, null, null],
    ]);
    const cl = await core.reports.run({ name: 'inventory', ...range, scope: 'cluster:cl-prod' });
    assert.deepEqual(table(cl, /^VMs/).rows.map((x) => x.vm), ['db', 'frontend']);
  });

  it('events summary: counted by severity and by object; a VM scope keeps that VM\'s events', async () => {
    const r = await core.reports.run({ name: 'events', from: '1h' });
    const sev = Object.fromEntries(table(r, /severity/).rows.map((x) => [x.severity, x.events]));
    assert.equal(sev.warning, 2);
    assert.equal(sev.error, 1);
    assert.deepEqual(table(r, /object/).rows.filter((x) => x.object_type === 'vm').map((x) => [x.severity, x.object, x.events]), [['error', 'db', 1], ['warning', 'frontend', 2]]);
    const vm = await core.reports.run({ name: 'events', from: '1h', scope: 'vm:frontend' });
    assert.deepEqual(table(vm, /object/).rows.map((x) => [x.severity, x.object, x.events]), [['warning', 'frontend', 2]]);
  });

  it('hostdeck report run writes CSV, JSON and a new HTML file with the report\'s numbers', async () => {
    const csv = await hostdeck('report', 'run', 'vm-availability', '--from', range.from, '--to', range.to, '--format', 'csv');
    assert.equal(csv.code, 0, csv.err);
    assert.deepEqual(csv.out.trim().split('\n'), ['Availability (least available first)', 'VM,Sampled (h),Up (h),Availability (%)', 'batch,72,18,25', 'db,72,72,100', 'frontend,72,72,100']);
    const json = await hostdeck('report', 'run', 'top-vms', '--from', range.from, '--to', range.to, '--json');
    assert.equal(json.code, 0, json.err);
    assert.equal((JSON.parse(json.out) as ReportResult).tables[0]!.rows[0]!.vm, 'db');
    const file = join(s.dir, 'util.html');
    const html = await hostdeck('report', 'run', 'host-utilisation', '--from', range.from, '--to', range.to, '--format', 'html', '--output', file);
    assert.equal(html.code, 0, html.err);
    const page = readFileSync(file, 'utf8');
    assert.match(page, /<svg [^>]*aria-label="Host CPU"/);
    assert.match(page, new RegExp(`<td class="n">${round(FIXTURE.cpuAvg)}</td>`));
    const text = await hostdeck('report', 'run', 'host-utilisation', '--from', range.from, '--to', range.to);
    assert.match(text.out, /[\u2801-\u28ff]/, 'the table format draws its charts in braille');
  });

  const refusals: [string, string[], RegExp][] = [
    ['an unknown report', ['nope'], /NAME: the report must be one of host-utilisation/],
    ['an unparseable --from', ['events', '--from', 'last tuesday'], /--from: must be an ISO date/],
    ['--from after --to', ['events', '--from', '2d', '--to', '3d'], /--from: must not be after to/],
    ['--to far in the future', ['events', '--to', '2999-01-01'], /--to: must not be more than a day in the future/],
    ['a scope of no kind', ['events', '--scope', 'rack:r1'], /--scope: must be host, or KIND:NAME/],
    ['a cluster that does not exist', ['inventory', '--scope', 'cluster:nope'], /--scope: no cluster nope/],
    ['a storage domain that does not exist', ['storage-usage', '--scope', 'storage:nope'], /--scope: no storage domain nope/],
    ['a scope the report does not take', ['storage-usage', '--scope', 'vm:db'], /--scope: report storage-usage takes a scope of host, storage/],
    ['a format it does not write', ['events', '--format', 'pdf'], /format/],
    ['a relative --output path', ['events', '--output', 'relative.csv'], /--output: must be the absolute path of a new file/],
  ];
  for (const [what, argv, why] of refusals) {
    it(`report run refuses ${what} with exit 2, naming the option and the rule, and writes nothing`, async () => {
      const file = join(s.dir, `refused-${what.replace(/\W+/g, '-')}.html`);
      const r = await hostdeck('report', 'run', ...(argv.includes('--output') ? argv : [...argv, '--output', file]));
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, why);
      assert.equal(existsSync(file), false);
      assert.equal(existsSync('relative.csv'), false);
    });
  }

  it('report run does not replace an existing --output file', async () => {
    const file = join(s.dir, 'kept.csv');
    writeFileSync(file, 'mine');
    const r = await hostdeck('report', 'run', 'events', '--format', 'csv', '--output', file);
    assert.equal(r.code, 2);
    assert.match(r.err, /--output: .* exists/);
    assert.equal(readFileSync(file, 'utf8'), 'mine');
  });

  it('report list names every built-in report with the scopes it takes', async () => {
    const r = await hostdeck('report', 'list', '--json');
    assert.equal(r.code, 0, r.err);
    assert.deepEqual((JSON.parse(r.out) as { name: string }[]).map((x) => x.name), ['host-utilisation', 'top-vms', 'vm-availability', 'storage-usage', 'inventory', 'events']);
  });
});
