// The host service's duty runner over a real state DB: a duty that fails is
// logged, recorded and evented once per failing spell while the other duties
// keep running, and its recovery is an event too; a stop waits for the run
// in flight and gives the lock back.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { testServices } from '../lib/services.ts';
import { testDoor } from '../lib/door.ts';
import { createCore } from '../../src/core/index.ts';
import { runHostService } from '../../src/core/host-service-run.ts';
import { hostServiceRepo } from '../../src/manager/repos/host-service.ts';
import type { DutyDef } from '../../src/core/service-duties.ts';

describe('the host service runs its duties independently', () => {
  it('a failing duty is evented once per spell and recovers with an event; the other duty keeps its schedule', async () => {
    const s = testServices({ channel: 'cli' });
    try {
      const core = createCore(s, { user: 'tester', channel: 'cli' });
      let ticks = 0;
      let flaky = 0;
      const stop = new AbortController();
      const duties: DutyDef[] = [
        // Fails on its runs 1 to 3, works from run 4 on.
        { id: 'flaky', summary: 'fails, then works', everyMs: 10, create: () => async () => { flaky++; if (flaky <= 3) throw new Error(`disk on fire (${flaky})`); return 'fine'; } },
        { id: 'ticker', summary: 'counts', everyMs: 10, create: () => async () => { ticks++; if (flaky >= 5 && ticks >= 8) stop.abort('test over'); return 'ticked'; } },
      ];
      await runHostService({ infra: s, door: testDoor(s.events) }, core, { stop: stop.signal }, duties);
      const failed = s.events.list({ text: 'Host service duty flaky failed' });
      assert.equal(failed.length, 1, 'one event per failing spell');
      assert.match(failed[0]!.message, /disk on fire \(1\)/);
      assert.deepEqual([failed[0]!.severity, failed[0]!.channel, failed[0]!.result], ['error', 'system', 'failure']);
      assert.equal(s.events.list({ text: 'Host service duty flaky works again' }).length, 1);
      assert.ok(ticks >= 8, 'the other duty kept running while one failed');
      const log = readFileSync(s.config.logFile, 'utf8');
      for (const n of [1, 2, 3]) assert.match(log, new RegExp(`duty flaky FAILED in \\d+ ms: disk on fire \\(${n}\\)`));
      // What it did is logged when it changes, not on every run.
      assert.equal(log.match(/duty ticker ok/g)?.length, 1);
      assert.equal(s.events.list({ text: 'Host service stopped (test over' }).length, 1);
      const repo = hostServiceRepo(s.db);
      assert.equal(repo.read(), undefined, 'the lock is given back');
      assert.deepEqual(repo.dutyRuns().get('flaky')?.ok, true);
    } finally {
      await s.cleanup();
    }
  });
});

describe("the console's health monitor and the host service", () => {
  it('leaves the checks to a running host service, and checks again once none runs', async () => {
    const s = testServices({ channel: 'tui' });
    try {
      const core = createCore(s, { user: 'tester', channel: 'tui' });
      // A domain on a connected local directory that has no domain in it: a check (dd, for real) marks it unreachable.
      const conn = await core.storageConnections.add({ type: 'localfs', name: 'l1', path: s.dir });
      await core.storageConnections.connect('l1');
      const dc = s.db.prepare('SELECT id FROM data_centers').pluck().get() as string;
      const now = new Date().toISOString();
      s.db.prepare(`INSERT INTO storage_domains (id, name, type, kind, data_center_id, connection_id, status, format_version, pool_name, pool_type, path, creator_host, created_at, attached_at)
        VALUES ('11111111-2222-4333-8444-555555555555', 'gone', 'data', 'file', ?, ?, 'active', 1, 'p1', 'dir', ?, 'h', ?, ?)`).run(dc, conn.id, `${s.dir}/11111111-2222-4333-8444-555555555555`, now, now);
      const repo = hostServiceRepo(s.db);
      repo.claim({ pid: process.pid, since: now, duties: [] }, () => true);
      const monitor = await core.storageDomains.startMonitor();
      await monitor.checkNow();
      const gone = (await core.storageDomains.get('gone'))!;
      assert.deepEqual([gone.status, gone.checkedAt], ['active', null], 'the console checked although the service runs');
      repo.release(process.pid);
      await monitor.checkNow();
      assert.equal((await core.storageDomains.get('gone'))!.status, 'unreachable');
      monitor.stop();
    } finally {
      await s.cleanup();
    }
  });
});
