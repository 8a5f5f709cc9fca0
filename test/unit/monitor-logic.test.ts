// Pure monitoring logic: history rings, braille charts, the VM list's sort,
// delta markers and formats, host counters from recorded /proc files, and
// the batch output's records.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodeValue, encodeValue, HistoryClock, historyCapacity, SeriesRing, seriesPoints } from '../../src/domain/history.ts';
import { compactBytes } from '../../src/domain/size.ts';
import { compactDuration } from '../../src/domain/duration.ts';
import { deltaMarks, nextRefresh, sortRows, totalsText, vmTotals, type VmRow } from '../../src/domain/vm-figures.ts';
import { diskRates, nicRates, parseDiskstats, parseNetDev } from '../../src/domain/host-io.ts';
import { drawBraille, hbar, niceMax, sparkline } from '../../src/ui/braille.ts';
import { csvField, csvLine, TOP_FIELDS, topRecord } from '../../src/cli/top.ts';

const fixture = (f: string) => readFileSync(new URL(`../fixtures/monitor/${f}`, import.meta.url), 'utf8');

function row(name: string, o: Partial<VmRow> = {}): VmRow {
  return {
    uuid: `uuid-${name}`, name, id: 1, state: 'running', vcpus: 1, memoryKiB: 131072, maxMemoryKiB: 131072, cpuTimeNs: 0,
    diskReadBps: 0, diskWriteBps: 0, diskReadIops: 0, diskWriteIops: 0, netRxBps: 0, netTxBps: 0, marks: {}, ...o,
  };
}

describe('history rings', () => {
  it('keep values to within 0.05 % over 0 .. 1 TB/s and know a missing value', () => {
    for (const v of [0, 1, 7.5, 100, 12_345, 987_654_321, 1e12]) {
      const back = decodeValue(encodeValue(v))!;
      assert.ok(Math.abs(back - v) <= Math.max(0.02, v * 0.0005), `${v} came back as ${back}`);
    }
    assert.equal(decodeValue(encodeValue(undefined)), undefined);
    assert.equal(decodeValue(encodeValue(-1)), undefined);
  });

  it('hold a fixed number of ticks however long they run, oldest first', () => {
    const clock = new HistoryClock(4);
    const ring = new SeriesRing(4, 2);
    for (let t = 1; t <= 10; t++) ring.write(clock.push(t * 1000), [t, t * 10]);
    assert.ok(ring.bytes <= 4 * 2 * 2 + 64, `${ring.bytes} bytes`);
    assert.equal(clock.count, 4);
    const pts = seriesPoints(clock, ring, 1, clock.slotsSince(0));
    assert.deepEqual(pts.map((p) => p.t), [7000, 8000, 9000, 10_000]);
    assert.deepEqual(pts.map((p) => Math.round(p.v)), [70, 80, 90, 100]);
    assert.deepEqual(seriesPoints(clock, ring, 0, clock.slotsSince(9000)).map((p) => Math.round(p.v)), [9, 10]);
  });

  it('leave out ticks where the VM had no value (shut off)', () => {
    const clock = new HistoryClock(8);
    const ring = new SeriesRing(8, 1);
    ring.write(clock.push(1), [5]);
    ring.clear(clock.push(2));
    ring.write(clock.push(3), [6]);
    assert.deepEqual(seriesPoints(clock, ring, 0, clock.slotsSince(0)).map((p) => p.t), [1, 3]);
  });

  it('give back exactly what was written over several rounds, with runs of equal ticks and gaps', () => {
    // Against a plain array: equal runs (kept as one set of values), changes, "no value" and wrap-around.
    for (const capacity of [7, 256, 300, 1000]) {
      const clock = new HistoryClock(capacity);
      const ring = new SeriesRing(capacity, 3);
      const ref: (number | undefined)[][] = Array.from({ length: capacity }, () => [undefined, undefined, undefined]);
      let seed = capacity;
      const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
      let v: (number | undefined)[] = [1, 2, 3];
      for (let t = 0; t < capacity * 3 + 17; t++) {
        // Long stretches of equal ticks, sometimes a change, sometimes a gap.
        const r = rnd();
        if (r < 0.02) v = [rnd() * 100, rnd() * 1e6, 0];
        const slot = clock.push(t);
        if (r > 0.97) { ring.clear(slot); ref[slot] = [undefined, undefined, undefined]; } else if (r > 0.5 && t > 0) { ring.repeat(slot); ref[slot] = [...ref[(slot + capacity - 1) % capacity]!]; } else { ring.write(slot, v); ref[slot] = [...v]; }
        if (t % 97 === 0 || t > capacity * 3) {
          for (let s = 0; s < capacity; s++) {
            for (let i = 0; i < 3; i++) {
              const want = ref[s]![i];
              const got = ring.get(s, i);
              if (want === undefined) assert.equal(got, undefined, `capacity ${capacity} tick ${t} slot ${s}`);
              else assert.ok(got !== undefined && Math.abs(got - want) <= Math.max(0.02, want * 0.0005), `capacity ${capacity} tick ${t} slot ${s}: ${got} for ${want}`);
            }
          }
        }
      }
      assert.ok(ring.bytes <= capacity * 3 * 2 + Math.ceil(capacity / 256) * 64);
    }
  });

  it('keep an idle VM (the same figures every tick) in a fraction of the full size', () => {
    const clock = new HistoryClock(3600);
    const ring = new SeriesRing(3600, 6);
    for (let t = 0; t < 3600 * 2; t++) ring.write(clock.push(t), [0, 524288, 0, 0, 0, 0]);
    assert.ok(ring.bytes < 3600 * 6 * 2 / 20, `${ring.bytes} bytes`);
    assert.ok(Math.abs(ring.get(1234, 1)! - 524288) <= 524288 * 0.0005);
    assert.equal(ring.get(1234, 0), 0);
  });

  it('default to one hour at the refresh interval', () => {
    assert.equal(historyCapacity(1000), 3600);
    assert.equal(historyCapacity(500), 7200);
    assert.equal(historyCapacity(10_000), 360);
  });
});

describe('braille charts', () => {
  it('draw a flat line along the bottom and a full one along the top', () => {
    const low = drawBraille([{ points: [{ t: 0, v: 0 }, { t: 10, v: 0 }] }], { width: 5, height: 2, from: 0, to: 10, max: 100 });
    assert.equal(low.rows.length, 2);
    assert.equal(low.rows[0], '     ');
    assert.equal(low.rows[1], '⣀⣀⣀⣀⣀');
    const high = drawBraille([{ points: [{ t: 0, v: 100 }, { t: 10, v: 100 }] }], { width: 5, height: 2, from: 0, to: 10, max: 100 });
    assert.equal(high.rows[0], '⠉⠉⠉⠉⠉');
  });

  it('rise from bottom left to top right and say which series drew each cell', () => {
    const c = drawBraille([{ points: [{ t: 0, v: 0 }, { t: 10, v: 10 }] }, { points: [] }], { width: 4, height: 2, from: 0, to: 10 });
    assert.equal(c.max, 10);
    assert.notEqual(c.rows[1]![0], ' ');
    assert.notEqual(c.rows[0]![3], ' ');
    assert.equal(c.rows[0]![0], ' ');
    assert.equal(c.owner[1]![0], 0);
    assert.equal(c.owner[0]![0], -1);
  });

  it('leave out points before the window', () => {
    const c = drawBraille([{ points: [{ t: -100, v: 50 }, { t: 5, v: 0 }] }], { width: 3, height: 1, from: 0, to: 10, max: 100 });
    assert.equal(c.rows[0]!.trim().length, 1);
  });

  it('pick a readable axis top, bars and sparklines', () => {
    assert.deepEqual([0.7, 3, 7, 42, 2100].map(niceMax), [1, 5, 10, 50, 2500]);
    assert.equal(hbar(0.5, 4), '██  ');
    assert.equal(hbar(1.5, 3), '███');
    assert.equal(sparkline([0, 7, undefined], 3, 7), '▁█ ');
  });
});

describe('VM list figures', () => {
  const rows = [row('b', { cpuPercent: 10, state: 'paused' }), row('a', { cpuPercent: 90 }), row('c', { cpuPercent: 10, state: 'shutoff' })];

  it('sort by any column, ties by name, both directions', () => {
    assert.deepEqual(sortRows(rows, 'cpu', true).map((r) => r.name), ['a', 'b', 'c']);
    assert.deepEqual(sortRows(rows, 'cpu', false).map((r) => r.name), ['b', 'c', 'a']);
    assert.deepEqual(sortRows(rows, 'name', false).map((r) => r.name), ['a', 'b', 'c']);
    assert.deepEqual(sortRows(rows, 'state', false).map((r) => r.state), ['running', 'paused', 'shutoff']);
  });

  it('totals: vCPUs and memory of the active VMs, CPU % of the host summed over the VMs with a figure', () => {
    const t = vmTotals([row('a', { vcpus: 2, memoryKiB: 1024, cpuPercentHost: 10 }), row('p', { state: 'paused', vcpus: 1, memoryKiB: 512, cpuPercentHost: 0 }), row('o', { state: 'shutoff', vcpus: 4, memoryKiB: 4096 })]);
    assert.deepEqual(t, { vcpus: 7, activeVcpus: 3, activeMemoryKiB: 1536, cpuPercentHost: 10 });
    assert.equal(vmTotals([row('o', { state: 'shutoff' })]).cpuPercentHost, undefined);
    assert.equal(totalsText(t, 8 * 1024 * 1024), 'active VMs: 3 vCPU · memory 1.5M of 8.0G host · CPU 10.0 % of host · all VMs: 7 vCPU');
  });

  it('VMs without a figure sort after every VM with one, in either direction', () => {
    const mixed = [row('off', { cpuPercent: undefined, state: 'shutoff' }), row('busy', { cpuPercent: 50 }), row('new', { cpuPercent: undefined }), row('idle', { cpuPercent: 0 })];
    assert.deepEqual(sortRows(mixed, 'cpu', true).map((r) => r.name), ['busy', 'idle', 'new', 'off']);
    assert.deepEqual(sortRows(mixed, 'cpu', false).map((r) => r.name), ['idle', 'busy', 'new', 'off']);
  });

  it('mark values that jumped, not values that moved a little', () => {
    const prev = row('a', { cpuPercent: 10, diskReadBps: 1e6, netRxBps: 5e6 });
    const m = deltaMarks(prev, row('a', { cpuPercent: 95, diskReadBps: 9e6, netRxBps: 5.1e6 }));
    assert.deepEqual(m, { cpu: 'up', diskRead: 'up' });
    assert.deepEqual(deltaMarks(prev, row('a', { cpuPercent: 12, diskReadBps: 1.1e6, netRxBps: 5e6 })), {});
    assert.deepEqual(deltaMarks(prev, row('a', { state: 'paused', cpuPercent: 10, diskReadBps: 1e6, netRxBps: 5e6 })), { state: 'down' });
  });

  it('format compactly', () => {
    assert.deepEqual([0, 999, 1024, 1536, 5 * 1024 ** 3, undefined].map(compactBytes), ['0', '999', '1.0K', '1.5K', '5.0G', '-']);
    assert.deepEqual([5, 65, 3 * 3600 + 7 * 60, 12 * 86400 + 3 * 3600].map(compactDuration), ['5s', '1m05s', '3h07m', '12d03h']);
  });

  it('step the refresh interval between 0.5 and 10 s', () => {
    assert.equal(nextRefresh(1000, -1), 500);
    assert.equal(nextRefresh(500, -1), 500);
    assert.equal(nextRefresh(1000, 1), 2000);
    assert.equal(nextRefresh(10_000, 1), 10_000);
  });
});

describe('host counters (recorded /proc files of this machine)', () => {
  it('reads every NIC and whole disks only', () => {
    const nics = parseNetDev(fixture('proc-net-dev.txt'));
    assert.ok(nics.some((n) => n.name === 'lo' && n.rxBytes > 0));
    assert.ok(nics.some((n) => n.name === 'eth0'));
    const disks = parseDiskstats(fixture('proc-diskstats.txt'));
    assert.deepEqual(disks.map((d) => d.name), ['vda']);
    assert.ok(disks[0]!.readBytes > 0);
  });

  it('turns two readings into rates; a counter that went back counts as 0', () => {
    const r = nicRates([{ name: 'eth0', rxBytes: 1000, txBytes: 500 }], [{ name: 'eth0', rxBytes: 3000, txBytes: 100 }, { name: 'new0', rxBytes: 9, txBytes: 9 }], 2);
    assert.deepEqual(r, [{ name: 'eth0', inBps: 1000, outBps: 0 }, { name: 'new0', inBps: 0, outBps: 0 }]);
    const d = diskRates([{ name: 'vda', readBytes: 0, writeBytes: 0, reads: 0, writes: 0 }], [{ name: 'vda', readBytes: 4096, writeBytes: 8192, reads: 1, writes: 2 }], 1);
    assert.deepEqual(d, [{ name: 'vda', inBps: 4096, outBps: 8192, inOps: 1, outOps: 2 }]);
  });
});

describe('batch records', () => {
  it('have every field in order, null where unknown', () => {
    const rec = topRecord(row('web,1', { cpuPercent: 12.345, uptimeSec: 60 }), Date.UTC(2026, 0, 1), 3);
    assert.deepEqual(Object.keys(rec), [...TOP_FIELDS]);
    assert.equal(rec.cpu_pct, 12.35);
    assert.equal(rec.guest_used_kib, null);
    assert.equal(rec.time, '2026-01-01T00:00:00.000Z');
    assert.match(csvLine(rec), /^2026-01-01T00:00:00.000Z,3,"web,1","uuid-web,1",running,1,12.35,,131072,131072,,0,0,0,0,0,0,60$/);
  });

  it('quote CSV fields as RFC 4180 says', () => {
    assert.equal(csvField('a"b'), '"a""b"');
    assert.equal(csvField(null), '');
    assert.equal(csvField(3), '3');
  });
});
