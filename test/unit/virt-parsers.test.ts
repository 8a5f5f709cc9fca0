// Parsers of the libvirt access layer on outputs recorded from this
// machine's libvirtd (test/fixtures/virsh) and the test-driver fixture.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseDomstats, computeDomainRates, computeAllRates, uptimeSeconds, type DomainStatsSample } from '../../src/virt/stats.ts';
import { parseEventLine } from '../../src/virt/events.ts';
import { parseSnapshotList, snapshotTree, flattenSnapshotTree, parseVirshTime } from '../../src/virt/snapshots.ts';
import { parsePoolList, parseVolList, parseNetList } from '../../src/virt/storage.ts';
import { parseVirshTable, parseVirshSize, virshErrorMessage } from '../../src/virt/virsh.ts';
import { parseProcStatStartTicks, parseBootTime, isLocalQemuSystem } from '../../src/virt/uptime.ts';
import { parseVirshVersion } from '../../src/virt/version.ts';
import { parseDomInfo, countByState } from '../../src/virt/types.ts';
import { isConnectionError } from '../../src/virt/connection.ts';

const fx = (name: string) => readFileSync(new URL(`../fixtures/virsh/${name}`, import.meta.url), 'utf8');

describe('virsh domstats parser (recorded from a tiny guest)', () => {
  it('reads state, CPU time, vCPUs, balloon and guest-reported memory, disks and NICs of a running guest', () => {
    const [s, ...rest] = parseDomstats(fx('domstats-running-1.txt'), 1000);
    assert.equal(rest.length, 0);
    assert.equal(s!.name, 'hd-try');
    assert.equal(s!.at, 1000);
    assert.equal(s!.state, 'running');
    assert.equal(s!.cpuTimeNs, 6536216000);
    assert.equal(s!.vcpusCurrent, 1);
    assert.equal(s!.memoryKiB, 131072);
    assert.equal(s!.maxMemoryKiB, 131072);
    assert.ok(s!.guest && s!.guest.availableKiB! > 0 && s!.guest.usableKiB! > 0, 'guest-reported memory present');
    assert.ok(s!.rssKiB! > 0);
    assert.deepEqual(s!.disks.map((d) => [d.name, d.path, d.rdReqs, d.rdBytes, d.wrBytes]), [['vda', '/var/lib/libvirt/images/hd-try.qcow2', 11, 1184256, 0]]);
    assert.equal(s!.disks[0]!.capacityBytes, 16777216);
    assert.deepEqual(s!.nics.map((n) => [n.name, n.rxBytes, n.txBytes]), [['vnet5', 656, 586]]);
    assert.equal(s!.raw['dirtyrate.calc_mode'], 'page-sampling');
  });

  it('reads a paused guest as paused', () => {
    const [s] = parseDomstats(fx('domstats-paused.txt'));
    assert.equal(s!.state, 'paused');
    assert.ok(s!.cpuTimeNs! > 0);
  });

  it('reads every domain of a multi-domain output (test driver: state only)', () => {
    const all = parseDomstats(fx('domstats-testdriver.txt'));
    assert.deepEqual(all.map((s) => [s.name, s.state]).sort(), [['hd-test-ctr-off', 'shutoff'], ['hd-test-ctr-paused', 'paused'], ['hd-test-ctr-running', 'running']]);
    assert.ok(all.every((s) => s.disks.length === 0 && s.cpuTimeNs === undefined && s.guest === undefined));
  });

  it('a name with quotes, devices as many as block.count/net.count say, values that are no number, and raw lines on demand', () => {
    const text = [
      "Domain: 'it's a vm'", '  state.state=1', '  state.reason=1', '  cpu.time=abc', '  block.count=2', '  block.1.name=vdb', '  block.1.rd.bytes=4096',
      '  block.7.name=ignored', '  net.count=0', '  net.0.name=vnet9', '  not a key=1', '', "Domain: 'second'", '  state.state=5', '',
    ].join('\n');
    const [a, b] = parseDomstats(text, 5);
    assert.equal(a!.name, "it's a vm");
    assert.equal(a!.state, 'running');
    assert.equal(a!.cpuTimeNs, undefined, 'not a number: no value');
    assert.deepEqual(a!.disks.map((d) => [d.name, d.rdBytes]), [['disk0', 0], ['vdb', 4096]]);
    assert.deepEqual(a!.nics, []);
    assert.equal(a!.raw['block.7.name'], 'ignored');
    assert.equal(a!.raw['not'], undefined);
    assert.deepEqual(b && [b.name, b.state, b.at, b.raw], ['second', 'shutoff', 5, { 'state.state': '5' }]);
  });
});

describe('rates from two samples', () => {
  it('CPU % from the cpu-time delta of two real samples 2 s apart', () => {
    const a = parseDomstats(fx('domstats-running-1.txt'), 0)[0]!;
    const b = parseDomstats(fx('domstats-running-2.txt'), 2000)[0]!;
    const r = computeDomainRates(a, b, { hostCpus: 2 });
    // (6557717000 - 6536216000) ns over 2 s on 1 vCPU = 1.075 %
    assert.ok(Math.abs(r.cpuPercent! - 1.07505) < 1e-3, String(r.cpuPercent));
    assert.ok(Math.abs(r.cpuPercentHost! - 0.537525) < 1e-3);
    assert.equal(r.intervalSec, 2);
    assert.equal(r.diskReadBytesPerSec, 0);
    assert.equal(r.guestUsedKiB, b.guest!.availableKiB! - b.guest!.usableKiB!);
  });

  const base = parseDomstats(fx('domstats-running-1.txt'), 10_000)[0]!;
  const later = (dt: number, f: (s: DomainStatsSample) => void): DomainStatsSample => {
    const s: DomainStatsSample = structuredClone(base);
    s.at = base.at + dt;
    f(s);
    return s;
  };

  it('disk bytes/s and IOPS, network rx/tx bytes/s per device and summed', () => {
    const b = later(4000, (s) => {
      s.disks[0]!.rdBytes += 4 * 1048576; s.disks[0]!.rdReqs += 64; s.disks[0]!.wrBytes += 4096 * 8; s.disks[0]!.wrReqs += 8;
      s.nics[0]!.rxBytes += 4000; s.nics[0]!.txBytes += 800;
      s.cpuTimeNs! += 4e9; // one full CPU for 4 s
    });
    const r = computeDomainRates(base, b);
    assert.equal(r.diskReadBytesPerSec, 1048576);
    assert.equal(r.diskReadIops, 16);
    assert.equal(r.diskWriteBytesPerSec, 8192);
    assert.equal(r.diskWriteIops, 2);
    assert.equal(r.netRxBytesPerSec, 1000);
    assert.equal(r.netTxBytesPerSec, 200);
    assert.deepEqual(r.disks, [{ name: 'vda', readBytesPerSec: 1048576, writeBytesPerSec: 8192, readIops: 16, writeIops: 2 }]);
    assert.equal(r.cpuPercent, 100);
  });

  it('a restarted guest (counters went down) and a first sample give no made-up figures', () => {
    const restarted = later(2000, (s) => { s.cpuTimeNs = 1e9; s.disks[0]!.rdBytes = 512; s.nics[0]!.rxBytes = 90; });
    const r = computeDomainRates(base, restarted);
    assert.equal(r.cpuPercent, undefined);
    assert.equal(r.diskReadBytesPerSec, 0);
    assert.equal(r.netRxBytesPerSec, 0);
    const first = computeDomainRates(undefined, base);
    assert.equal(first.cpuPercent, undefined);
    assert.equal(first.intervalSec, 0);
  });

  it('a shut-off domain uses 0 % CPU; rates are matched by name across samples', () => {
    const off = parseDomstats(fx('domstats-testdriver.txt'), 5000);
    const rates = computeAllRates([], off, { hostCpus: 2 });
    const byName = Object.fromEntries(rates.map((r) => [r.name, r]));
    assert.equal(byName['hd-test-ctr-off']!.cpuPercent, 0);
    assert.equal(byName['hd-test-ctr-running']!.cpuPercent, undefined);
  });

  it('uptime from a start time', () => {
    assert.equal(uptimeSeconds(1_000, 62_500), 61);
    assert.equal(uptimeSeconds(undefined), undefined);
  });
});

describe('virsh event --all --loop parser (recorded)', () => {
  const lines = fx('event-all-loop.txt').split('\n');
  const events = lines.map((l) => parseEventLine(l, 42)).filter((e) => e !== null);

  it('reads every lifecycle event and skips the indented detail lines of job-completed', () => {
    assert.equal(events.filter((e) => e.type === 'lifecycle').length, 32);
    assert.ok(events.some((e) => e.type === 'job-completed'));
    assert.ok(events.every((e) => e.domain === 'hd-try'));
    assert.equal(parseEventLine('\tmemory_total: 135012352'), null);
  });

  it('classifies start, stop, crash, pause, resume, define, undefine', () => {
    const kinds = (detail: string) => events.filter((e) => `${e.lifecycle} ${e.detail}` === detail).map((e) => e.kind);
    assert.deepEqual(kinds('started Booted').slice(0, 1), ['start']);
    assert.deepEqual(kinds('stopped Destroyed'), ['stop', 'stop']);
    assert.deepEqual(kinds('stopped Shutdown'), ['stop']);
    assert.deepEqual(kinds('stopped Failed'), ['crash']);
    assert.deepEqual(kinds('suspended Paused').slice(0, 1), ['pause']);
    assert.deepEqual(kinds('resumed Unpaused').slice(0, 1), ['resume']);
    assert.deepEqual(kinds('defined Added'), ['define']);
    assert.deepEqual(kinds('undefined Removed'), ['undefine', 'undefine']);
    assert.deepEqual(kinds('shutdown Finished after guest request'), ['shutdown']);
    assert.deepEqual(kinds('started Restored'), ['start']);
    assert.equal(events[0]!.time, 42);
  });

  it('reads the --timestamp form with the time virsh received the event', () => {
    const ts = fx('event-all-loop-timestamp.txt').split('\n').map((l) => parseEventLine(l)).filter((e) => e !== null);
    const failed = ts.find((e) => e.detail === 'Failed')!;
    assert.equal(failed.kind, 'crash');
    assert.equal(failed.time, Date.parse('2026-11-23T22:41:49.859Z'));
  });
});

describe('virsh tables: snapshots, pools, volumes, networks', () => {
  it('snapshot-list --parent: names, times, states, parents, the current one; built into a tree', () => {
    const list = parseSnapshotList(fx('snapshot-list-parent.txt'), 'snap3');
    assert.deepEqual(list.map((s) => [s.name, s.state, s.parent ?? null, s.current]), [
      ['snap1', 'running', null, false], ['snap2', 'running', 'snap1', false], ['snap3', 'running', 'snap1', true]]);
    assert.equal(list[0]!.createdAt, Date.parse('2026-11-23T22:41:18Z'));
    const flat = flattenSnapshotTree(snapshotTree(list));
    assert.deepEqual(flat.map((n) => `${'  '.repeat(n.depth)}${n.name}`), ['snap1', '  snap2', '  snap3']);
    assert.equal(parseVirshTime('garbage'), NaN);
  });

  it('pool-list --details with a running and an inactive pool ("-" sizes are unknown)', () => {
    const pools = parsePoolList(fx('pool-list-details.txt'));
    assert.equal(pools.length, 2);
    assert.deepEqual({ ...pools[0], capacityBytes: undefined, allocationBytes: undefined, availableBytes: undefined },
      { name: 'hd-test-rec', state: 'running', autostart: false, persistent: true, capacityBytes: undefined, allocationBytes: undefined, availableBytes: undefined });
    assert.equal(pools[0]!.capacityBytes, Math.round(251.97 * 1024 ** 3));
    assert.deepEqual([pools[1]!.state, pools[1]!.capacityBytes], ['inactive', undefined]);
  });

  it('vol-list --details, including a name with a space', () => {
    const vols = parseVolList(fx('vol-list-details.txt'));
    assert.deepEqual(vols.map((v) => [v.name, v.path, v.type, v.capacityBytes]), [
      ['disk1.qcow2', '/var/lib/hostdeck-test-rec/disk1.qcow2', 'file', 16 * 1048576],
      ['raw disk.img', '/var/lib/hostdeck-test-rec/raw disk.img', 'file', 1048576]]);
  });

  it('net-list --all', () => {
    assert.deepEqual(parseNetList(fx('net-list.txt')), [{ name: 'default', active: false, autostart: false, persistent: true }]);
  });

  it('tables without a header and sizes', () => {
    assert.deepEqual(parseVirshTable(''), []);
    assert.equal(parseVirshSize('0.00 B'), 0);
    assert.equal(parseVirshSize('196.00 KiB'), 196 * 1024);
    assert.equal(parseVirshSize('-'), undefined);
  });
});

describe('other virsh outputs and errors', () => {
  it('virsh version (recorded)', () => {
    assert.deepEqual(parseVirshVersion(fx('version.txt')), { library: 'libvirt 9.0.0', hypervisor: 'QEMU 7.2.22' });
  });

  it('dominfo key/value pairs', () => {
    const d = parseDomInfo('Id:             -\nName:           hd-try\nPersistent:     yes\nAutostart:      disable\nManaged save:   no\n');
    assert.deepEqual([d.Name, d.Persistent, d.Autostart, d['Managed save']], ['hd-try', 'yes', 'disable', 'no']);
  });

  it("virsh's error text without the prefix; a stopped daemon counts as a connection error", () => {
    const stderr = "error: failed to connect to the hypervisor\nerror: Failed to connect socket to '/var/run/libvirt/libvirt-sock': No such file or directory\n";
    assert.equal(virshErrorMessage(stderr), "failed to connect to the hypervisor: Failed to connect socket to '/var/run/libvirt/libvirt-sock': No such file or directory");
    assert.ok(isConnectionError(new Error(virshErrorMessage(stderr))));
    assert.ok(!isConnectionError(new Error("Requested operation is not valid: domain is not running")));
  });

  it('counts by state', () => {
    const c = countByState(parseDomstats(fx('domstats-testdriver.txt')).map((s) => ({ uuid: '', name: s.name, id: -1, state: s.state, vcpus: 1, memoryKiB: 0, maxMemoryKiB: 0, cpuTimeNs: 0 })));
    assert.deepEqual([c.total, c.running, c.paused, c.shutoff], [3, 1, 1, 1]);
  });
});

describe('uptime from /proc (recorded)', () => {
  it('start ticks from /proc/<pid>/stat, boot time from /proc/stat, only for a local qemu:///system', () => {
    assert.ok(parseProcStatStartTicks(fx('proc-pid-stat.txt'))! > 0);
    assert.equal(parseProcStatStartTicks('1 (a b) c'), undefined);
    assert.equal(parseProcStatStartTicks('123 (we ird) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 4242 20'), 4242);
    assert.equal(parseBootTime('cpu  1 2 3\nbtime 1795472932\nprocesses 9\n'), 1795472932);
    assert.ok(isLocalQemuSystem('qemu:///system'));
    assert.ok(!isLocalQemuSystem('qemu+ssh://h/system'));
    assert.ok(!isLocalQemuSystem('test:///default'));
  });
});
