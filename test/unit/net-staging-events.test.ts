// Network staging writes its change to the staged set and its event in one
// transaction: staging one change (the net CLI's stage commands and the
// console's forms), a whole file (apply-file), discarding, and the console's
// emergency reset each leave exactly one event naming what changed, and an
// event that cannot be written leaves the staged set as it was.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { newIface, type NetChange, type NetConfig } from '../../src/domain/net/model.ts';
import { openDatabase } from '../../src/manager/db.ts';
import { EventLog } from '../../src/manager/events.ts';
import { netUseCases } from '../lib/net-core.ts';

function config(): NetConfig {
  const eth0 = newIface('eth0', 'ethernet');
  eth0.ipv4 = { method: 'static', addresses: ['192.0.2.10/24'], gateway: '192.0.2.1' };
  return { hostname: 'node1', dns: { servers: ['192.0.2.53'], search: [] }, interfaces: [eth0, newIface('eth1', 'ethernet'), newIface('eth2', 'ethernet')] };
}

function setup() {
  const db = openDatabase(':memory:');
  const events = new EventLog(db, { user: 'alice', channel: 'cli' });
  // Staging reads nothing from the host when given the current configuration.
  const runner = { run: async () => { throw new Error('staging runs no program'); } };
  const svc = netUseCases({ runner, db, events, watchdogCommand: null, stateDir: '/nonexistent' });
  const current = config();
  const reset = (input: Parameters<typeof svc.emergencyReset>[0]) => svc.emergencyReset(input, { current });
  const shown = () => events.list().map((e) => `${e.source} ${e.objectType}/${e.objectId} ${e.result} ${e.severity}: ${e.message}`);
  const failEvents = () => db.exec("CREATE TEMP TRIGGER no_event BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END");
  return { db, svc, current, reset, shown, failEvents };
}

const bond: NetChange = { op: 'bond.create', name: 'bond0', ports: ['eth1', 'eth2'], options: { mode: 'active-backup' } };
const lines: NetChange[] = [bond, { op: 'vlan.create', parent: 'bond0', id: 10 }, { op: 'hostname.set', hostname: 'node2' }];

describe('network staging and its event, one transaction', () => {
  it('staging one change: one event naming the change, on its interface', async () => {
    const t = setup();
    await t.svc.stage(bond, { current: t.current });
    assert.deepEqual(t.svc.staged(), [bond]);
    assert.deepEqual(t.shown(), ['network interface/bond0 success info: Staged: create bond bond0 (active-backup) over eth1, eth2']);
  });

  it('a file staged at once: one event for the whole file, not one per line', async () => {
    const t = setup();
    await t.svc.stageAll(lines, { current: t.current, event: { message: 'Staged 3 changes from /root/net.txt' } });
    assert.equal(t.svc.staged().length, 3);
    assert.deepEqual(t.shown(), ['network network/host success info: Staged 3 changes from /root/net.txt']);
  });

  it('discard: one event with the count; with nothing staged, one event saying so', async () => {
    const t = setup();
    await t.svc.stageAll(lines, { current: t.current });
    assert.equal(await t.svc.discard(), 3);
    assert.equal(await t.svc.discard(), 0);
    assert.deepEqual(t.shown(), ['network network/host success info: Discarded no staged changes: nothing was staged', 'network network/host success info: Discarded 3 staged changes', 'network network/host success info: Staged 3 changes']);
  });

  it('discard counts what the diff shows: two host-name changes are one line, one change discarded', async () => {
    const t = setup();
    await t.svc.stage({ op: 'hostname.set', hostname: 'node7' }, { current: t.current });
    await t.svc.stage({ op: 'hostname.set', hostname: 'node8' }, { current: t.current });
    assert.equal(t.svc.staged().length, 2);
    assert.equal(await t.svc.discard({ current: t.current }), 1);
    assert.equal(t.shown()[0], 'network network/host success info: Discarded 1 staged change');
  });

  it('emergency reset: replaces the staged set, with one warning event on the NIC', async () => {
    const t = setup();
    await t.svc.stage(bond, { current: t.current });
    const r = await t.reset({ nic: 'eth1', method: 'dhcp' });
    assert.deepEqual(r.errors, []);
    assert.deepEqual(t.svc.staged(), r.changes);
    const [ev] = t.shown();
    assert.match(ev!, /^network interface\/eth1 success warning: Emergency network reset staged on eth1: set IPv4 of eth1 to dhcp/);
    assert.equal(t.shown().length, 2);
  });

  it('when the event cannot be written, no staging path changes the staged set', async () => {
    const t = setup();
    await t.svc.stage(bond, { current: t.current });
    const before = t.db.prepare('SELECT * FROM net_staged ORDER BY id').all();
    t.failEvents();
    await assert.rejects(t.svc.stage({ op: 'hostname.set', hostname: 'node3' }, { current: t.current }), /disk I\/O error/);
    await assert.rejects(t.svc.stageAll(lines.slice(1), { current: t.current, event: { message: 'Staged 2 changes from f' } }), /disk I\/O error/);
    await assert.rejects(t.reset({ nic: 'eth1', method: 'dhcp' }), /disk I\/O error/);
    await assert.rejects(t.svc.discard(), /disk I\/O error/);
    assert.deepEqual(t.db.prepare('SELECT * FROM net_staged ORDER BY id').all(), before);
    assert.equal(t.shown().length, 1);
  });
});
