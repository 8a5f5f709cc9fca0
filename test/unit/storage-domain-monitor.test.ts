// The health monitor's rules, with the state DB and the event log real and
// the probe (the child process that reads the storage) replaced by one the
// test controls: a hung read must mark the domain unreachable once, with an
// event, without waiting for the read; a good read clears it with an event.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { openDatabase } from '../../src/manager/db.ts';
import { EventLog } from '../../src/manager/events.ts';
import { createDomainMonitor } from '../../src/core/storage-domain-monitor.ts';
import { createDomainService, type StorageDomain } from '../../src/core/storage-domains.ts';
import { testDoor } from '../lib/door.ts';

type Probe = Awaited<ReturnType<ReturnType<typeof createDomainService>['probe']>>;

function setup(connState: string | null = 'connected') {
  const db = openDatabase(':memory:');
  const events = new EventLog(db, { user: 'tester', channel: 'cli' });
  const noRunner = { run: () => Promise.reject(new Error('no program may run in this test')), runOk: () => Promise.reject(new Error('no program may run')) };
  const service = createDomainService({ runner: noRunner, db, door: testDoor(events), connections: { list: () => [], get: (id) => (connState ? { id, type: 'nfs', name: 'nfs1', state: connState } : undefined), status: () => undefined, mountPath: () => '/x', luns: async () => [] } });
  const dc = db.prepare('SELECT id FROM data_centers').pluck().get() as string;
  const now = new Date().toISOString();
  db.prepare(`INSERT INTO storage_domains (id, name, type, kind, data_center_id, connection_id, status, format_version, pool_name, pool_type, path, creator_host, created_at, attached_at)
    VALUES ('11111111-2222-4333-8444-555555555555', 'nfs1', 'data', 'file', ?, 'c1', 'active', 1, 'p1', 'dir', '/mnt/x/11111111-2222-4333-8444-555555555555', 'h', ?, ?)`).run(dc, now, now);
  return { db, events, service };
}

describe('storage domain health monitor', () => {
  test('a hung read marks the domain unreachable after the timeout, once, with an error event; a good read clears it', async () => {
    const { events, service } = setup();
    let next: () => Promise<Probe> = () => new Promise(() => undefined); // never answers, like dd on a dead NFS server
    let probes = 0;
    const monitor = createDomainMonitor({
      service: { list: () => service.list(), recordCheck: (id, r) => service.recordCheck(id, r), probe: () => { probes++; return next(); } },
      events, intervalMs: 60_000, timeoutMs: 50,
    });
    await monitor.checkNow();
    let d = service.get('nfs1') as StorageDomain;
    assert.equal(d.status, 'unreachable');
    assert.match(d.lastError ?? '', /did not finish within/);
    const down = events.list({ text: 'unreachable' });
    assert.equal(down.length, 1);
    assert.equal(down[0]!.severity, 'error');
    assert.equal(down[0]!.channel, 'system');
    // The hung read is still in flight: the next round does not start a second one, nor a second event.
    await monitor.checkNow();
    assert.equal(probes, 1);
    assert.equal(events.list({ text: 'unreachable' }).length, 1);

    // A fresh monitor (the hung child ended) reads fine again: status and capacity come back, with an event.
    next = async () => ({ ok: true, capacity: { capacityBytes: 1000, usedBytes: 250, freeBytes: 750 } });
    const m2 = createDomainMonitor({ service: { list: () => service.list(), recordCheck: (id, r) => service.recordCheck(id, r), probe: () => next() }, events, timeoutMs: 50 });
    await m2.checkNow();
    d = service.get('nfs1')!;
    assert.equal(d.status, 'active');
    assert.equal(d.lastError, null);
    assert.deepEqual([d.capacityBytes, d.usedBytes, d.freeBytes], [1000, 250, 750]);
    assert.equal(events.list({ text: 'reachable again' }).length, 1);
  });

  test('the status change and its event commit together: when the event cannot be written the domain stays active, and the next check marks it', async () => {
    const { db, events, service } = setup();
    const monitor = createDomainMonitor({
      service: { list: () => service.list(), recordCheck: (id, r) => service.recordCheck(id, r), probe: async () => ({ ok: false, error: 'Input/output error' }) },
      events, intervalMs: 60_000, timeoutMs: 50,
    });
    // Stands in for the process dying (or the disk filling) between the status change and its event.
    db.exec("CREATE TEMP TRIGGER no_events BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END");
    await monitor.checkNow();
    assert.equal(service.get('nfs1')!.status, 'active', 'unreachable without its event');
    db.exec('DROP TRIGGER no_events');
    await monitor.checkNow();
    assert.equal(service.get('nfs1')!.status, 'unreachable');
    assert.equal(events.list({ text: 'unreachable' }).length, 1);
  });

  test('a failed read is a failure too; domains in maintenance are not checked and keep their status', async () => {
    const { db, events, service } = setup();
    const monitor = createDomainMonitor({ service: { list: () => service.list(), recordCheck: (id, r) => service.recordCheck(id, r), probe: async () => ({ ok: false, error: 'reading m: Input/output error' }) }, events, timeoutMs: 1000 });
    await monitor.checkNow();
    assert.equal(service.get('nfs1')!.status, 'unreachable');
    assert.match(events.list({ text: 'unreachable' })[0]!.message, /Input\/output error/);
    db.prepare("UPDATE storage_domains SET status = 'maintenance'").run();
    await monitor.checkNow();
    assert.equal(service.get('nfs1')!.status, 'maintenance');
    assert.equal(events.list({ text: 'storage domain nfs1' }).length, 1);
  });

  test('a disconnected or removed connection makes the domain inactive with a warning, without reading the storage; inactive domains are not checked again', async () => {
    for (const [state, reason] of [['disconnected', /its storage connection nfs1 is disconnected/], [null, /its storage connection c1 was removed/]] as const) {
      const { events, service } = setup(state);
      const d = service.get('nfs1')!;
      // The real probe: it must decide from the state DB alone (the runner here refuses to run anything).
      const r = await service.probe(d);
      assert.equal(r.ok, false);
      const monitor = createDomainMonitor({ service, events, timeoutMs: 1000 });
      await monitor.checkNow();
      const after = service.get('nfs1')!;
      assert.equal(after.status, 'inactive');
      assert.match(after.lastError ?? '', reason);
      const ev = events.list({ text: 'is inactive' });
      assert.equal(ev.length, 1);
      assert.equal(ev[0]!.severity, 'warning');
      await monitor.checkNow();
      assert.equal(events.list({ text: 'storage domain nfs1' }).length, 1);
    }
  });

  test('its running rounds stop when the state DB closes under them: no round throws out of its timer (the console or a test closing)', async () => {
    const { db, events, service } = setup();
    const escaped: unknown[] = [];
    const onEscape = (e: unknown) => { escaped.push(e); };
    process.on('uncaughtException', onEscape);
    process.on('unhandledRejection', onEscape);
    let rounds = 0;
    const monitor = createDomainMonitor({
      service: { list: () => { rounds++; return service.list(); }, recordCheck: (id, r) => service.recordCheck(id, r), probe: async () => ({ ok: true, capacity: { capacityBytes: 1, usedBytes: 0, freeBytes: 1 } }) },
      events, intervalMs: 5, timeoutMs: 50, checkedElsewhere: () => { db.prepare('SELECT 1').get(); return false; },
    });
    try {
      monitor.start();
      while (rounds < 2) await new Promise((r) => setTimeout(r, 5));
      db.close();
      // Rounds go on failing against the closed DB until stopped; none escapes its timer.
      await new Promise((r) => setTimeout(r, 50));
      monitor.stop();
      await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(escaped, []);
    } finally {
      monitor.stop();
      process.off('uncaughtException', onEscape);
      process.off('unhandledRejection', onEscape);
    }
  });
});
