// Per-interface traffic in the history: the history duty samples each of
// this host's interfaces but the VMs' taps (their traffic is in the VMs'
// samples), from the second round on (a rate needs two rounds' counters),
// and report sql's v1_nic_samples_* views name the logical network attached
// through an interface. /proc is a tree written by the test (this machine's
// own interfaces move unknown amounts); the VMs are the libvirt test driver's.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCore } from '../../src/core/index.ts';
import { testServices } from '../lib/services.ts';

describe('the history of each interface', () => {
  const s = testServices({ channel: 'cli' });
  const core = createCore(s, { user: 'tester', channel: 'cli' });
  const proc = join(s.dir, 'proc');
  let clock = Math.floor(Date.now() / 1000) - 600;

  /** /proc/net/dev with each interface's byte counters (receive, transmit). */
  const writeProc = (nics: Record<string, [number, number]>) => {
    mkdirSync(join(proc, 'net'), { recursive: true });
    writeFileSync(join(proc, 'stat'), 'cpu  100 0 50 1000 0 0 0 0 0 0\n');
    writeFileSync(join(proc, 'meminfo'), 'MemTotal: 1000 kB\nMemAvailable: 500 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n');
    writeFileSync(join(proc, 'diskstats'), '');
    const line = (name: string, [rx, tx]: [number, number]) => `${name}: ${rx} 10 0 0 0 0 0 0 ${tx} 20 0 0 0 0 0 0`;
    writeFileSync(join(proc, 'net/dev'), ['Inter-|   Receive', ' face |bytes', ...Object.entries(nics).map(([n, c]) => line(n, c))].join('\n'));
  };

  before(() => {
    // ovirtmgmt, attached as this host's bridge over eth0 (the row setup host networks writes once an apply is confirmed).
    const net = s.db.prepare("SELECT id FROM logical_networks WHERE name = 'ovirtmgmt'").pluck().get() as string | undefined;
    assert.ok(net, 'the default ovirtmgmt network exists');
    s.db.prepare("INSERT INTO host_network_attachments (network_id, iface, device, attached_at, attached_by) VALUES (?, 'eth0', 'ovirtmgmt', '2026-12-08T00:00:00Z', 'tester')").run(net);
  });
  after(() => s.cleanup());

  it('samples eth0 and the network\'s bridge from the second round; a VM tap is left out; an interface made again has no rate', async () => {
    // The rounds' clock (whole seconds) and the rates' (ms) move a minute a round.
    const sampler = await core.history.newSampler({ procDir: proc, now: () => clock, clockMs: () => clock * 1000 });
    try {
      writeProc({ lo: [5, 5], eth0: [1000, 2000], ovirtmgmt: [500, 0], vnet7: [9, 9] });
      await sampler.run();
      writeProc({ lo: [5, 5], eth0: [61_000, 2000], ovirtmgmt: [30_500, 0], vnet7: [99, 99] });
      clock += 60;
      const did = await sampler.run();
      assert.match(did, /host, 2 interfaces, /);
      const rows = (await core.reports.sql({ sql: 'SELECT t, nic_name, logical_network_name, rx_bps, tx_bps FROM v1_nic_samples_minute ORDER BY t, nic_name' })).rows;
      assert.deepEqual(rows.map((r) => r.slice(0, 3)), [[clock - 60, 'eth0', null], [clock - 60, 'ovirtmgmt', 'ovirtmgmt'], [clock, 'eth0', null], [clock, 'ovirtmgmt', 'ovirtmgmt']]);
      assert.deepEqual(rows.slice(0, 2).map((r) => [r[3], r[4]]), [[null, null], [null, null]], 'no rate from one round');
      // 60 000 bytes received and none sent in a minute; the bridge 30 000.
      assert.deepEqual(rows.slice(2).map((r) => [r[1], r[3], r[4]]), [['eth0', 1000, 0], ['ovirtmgmt', 500, 0]]);

      // eth0 made again (its counters start over): no rate rather than a made-up one.
      writeProc({ eth0: [10, 10], ovirtmgmt: [31_000, 0] });
      clock += 60;
      await sampler.run();
      const again = (await core.reports.sql({ sql: `SELECT nic_name, rx_bps FROM v1_nic_samples_minute WHERE t = ${clock} ORDER BY nic_name` })).rows;
      assert.equal(again[0]![0], 'eth0');
      assert.equal(again[0]![1], null);
      assert.ok(Number(again[1]![1]) > 0);
    } finally {
      sampler.close();
    }
  });
});
