// `hostdeck host network list|attach|detach` on a state DB of the test's own
// (real SQLite) and this machine's network as it is: every refusal comes
// before anything is staged or applied (exit 2 naming the option and the
// rule, exit 1 for a state refusal), so this machine's network is never
// changed here (the attach itself is proven in a test host:
// test/system/host-network-attach.test.ts). A required cluster network the
// host lacks makes it NonOperational with the reason; a network attached to
// the host is not removed (the refusal names the interface).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { scratchCli, type CliRun } from '../lib/cli-main.ts';
import { openDatabase } from '../../src/manager/db.ts';

const cli = scratchCli('hostdeck-hostnet-cli-');
const hostdeck = cli.hostdeck;
const sql = <T>(fn: (db: ReturnType<typeof openDatabase>) => T): T => {
  const db = openDatabase(cli.dbPath());
  try { return fn(db); } finally { db.close(); }
};
const json = <T>(r: CliRun): T => { assert.equal(r.code, 0, r.err); return JSON.parse(r.out) as T; };
const nothingStagedOrRecorded = () => {
  assert.equal(sql((db) => db.prepare('SELECT count(*) FROM host_network_attachments').pluck().get()), 0);
  assert.equal(sql((db) => db.prepare('SELECT count(*) FROM net_staged').pluck().get()), 0);
};

describe('hostdeck host network (logical networks on this host)', () => {
  it('list --json: ovirtmgmt is on the management interface without a record; a fresh standalone host is Up', async () => {
    json(await hostdeck('manager', 'init', '--json'));
    const list = json<{ network: string; management: boolean }[]>(await hostdeck('host', 'network', 'list', '--json'));
    assert.deepEqual(list.map((a) => [a.network, a.management]), [['ovirtmgmt', true]]);
    assert.match((await hostdeck('host', 'network', 'list')).out, /^NETWORK\s+IFACE\s+DEVICE\s+VLAN\s+VM\s+ATTACHED/m);
    assert.equal(json<{ status: string }>(await hostdeck('host', 'show', '--json')).status, 'Up');
  });

  it('attach: bad input exits 2 naming the option and the rule; nothing is staged, applied or recorded', async () => {
    json(await hostdeck('network', 'create', '--name', 'vmnet', '--vlan', '100', '--json'));
    const cases: [string[], RegExp][] = [
      [['vmnet'], /--iface: is required/],
      [[], /NETWORK: is required/],
      [['nope', '--iface', 'eth0'], /NETWORK: no logical network "nope"/],
      [['vmnet', '--iface', '-x'], /--iface: must not start with '-'/],
      [['vmnet', '--iface', 'nosuch0'], /--iface: this host has no NIC or bond named "nosuch0"/],
      [['ovirtmgmt', '--iface', 'nosuch0'], /NETWORK: ovirtmgmt is already attached to/],
      [['vmnet', '--iface', 'lo'], /--iface: "lo" is reserved/],
    ];
    for (const [args, re] of cases) {
      const r = await hostdeck('host', 'network', 'attach', ...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, re, args.join(' '));
    }
    json(await hostdeck('dc', 'create', '--name', 'Other', '--json'));
    json(await hostdeck('network', 'create', '--name', 'othernet', '--dc', 'Other', '--json'));
    const dc = await hostdeck('host', 'network', 'attach', 'othernet', '--iface', 'nosuch0');
    assert.equal(dc.code, 2);
    assert.match(dc.err, /NETWORK: othernet is in data center Other, this host \(cluster Default\) in Default/);
    nothingStagedOrRecorded();
  });

  it('detach: a network not attached, or the management network, is refused (exit 1); read-only mode refuses an attach', async () => {
    const r = await hostdeck('host', 'network', 'detach', 'vmnet');
    assert.equal(r.code, 1);
    assert.match(r.err, /logical network vmnet is not attached to this host/);
    const m = await hostdeck('host', 'network', 'detach', 'ovirtmgmt');
    assert.equal(m.code, 1);
    assert.match(m.err, /ovirtmgmt is the management network, carried by the management interface/);
    const ro = await hostdeck('host', 'network', 'attach', 'vmnet', '--iface', 'nosuch0', '--read-only');
    assert.equal(ro.code, 1);
    assert.match(ro.err, /read-only/);
    nothingStagedOrRecorded();
  });

  it('a required cluster network the host lacks makes it NonOperational with the reason; recorded on the host it is Up, and the network is not removed (the interface named)', async () => {
    json(await hostdeck('network', 'attach', 'vmnet', '--cluster', 'Default', '--required', 'yes', '--json'));
    const h = json<{ status: string; reason?: string }>(await hostdeck('host', 'show', '--json'));
    assert.deepEqual([h.status, h.reason], ['NonOperational', 'required network vmnet of cluster Default is not attached to the host']);
    // What a confirmed attach records (the apply itself runs in a test host: the system test).
    sql((db) => db.prepare("INSERT INTO host_network_attachments (network_id, iface, device, attached_at, attached_by) SELECT id, 'bond0', 'vmnet', '2026-01-01T00:00:00Z', 'tester' FROM logical_networks WHERE name = 'vmnet'").run());
    assert.equal(json<{ status: string }>(await hostdeck('host', 'show', '--json')).status, 'Up');
    json(await hostdeck('network', 'detach', 'vmnet', '--cluster', 'Default', '--json'));
    const rm = await hostdeck('network', 'remove', 'vmnet', '--yes');
    assert.equal(rm.code, 1);
    assert.match(rm.err, /logical network vmnet is attached to this host's interface bond0: detach it first \(hostdeck host network detach vmnet\)/);
    const list = json<{ network: string; iface: string; device: string; vlan: number }[]>(await hostdeck('host', 'network', 'list', '--json'));
    assert.deepEqual(list.filter((a) => a.network === 'vmnet').map((a) => [a.iface, a.device, a.vlan]), [['bond0', 'vmnet', 100]]);
  });
});
