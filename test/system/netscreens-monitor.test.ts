// Live link state through the event stream (`ip monitor link` via the
// runner's spawnStream): no polling at all, on this machine's real kernel,
// inside a network namespace of its own (this machine's own interfaces are
// never touched): a veth pair whose peer goes down is reported down, then
// up again; and the Network store re-reads the inventory on that event.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as runner from '../../src/exec/runner.ts';
import { watchLinks, type InventoryRunner, type LinkChange } from '../../src/host/net/inventory.ts';
import { createNetStore } from '../../src/store/net.ts';
import { openDatabase } from '../../src/manager/db.ts';
import { EventLog } from '../../src/manager/events.ts';
import { netUseCases } from '../lib/net-core.ts';

const NS = `hd-netscr-${process.pid}`;

/** The product's runner, every program run inside the namespace (`ip netns exec NS ...`). */
const inNs: InventoryRunner = {
  run: (command, args = [], opts) => runner.run('ip', ['netns', 'exec', NS, command, ...args], opts),
  spawnStream: (command, args, onLine) => runner.spawnStream('ip', ['netns', 'exec', NS, command, ...args], onLine),
};
const ip = async (...args: string[]) => { const r = await runner.run('ip', ['-n', NS, ...args]); assert.equal(r.exitCode, 0, r.stderr); };

describe('live link state from ip monitor in a network namespace', { timeout: 60_000 }, () => {
  before(async () => {
    await runner.runOk('ip', ['netns', 'add', NS]);
    await ip('link', 'add', 'hdv0', 'type', 'veth', 'peer', 'name', 'hdv1');
    await ip('link', 'set', 'hdv0', 'up');
    await ip('link', 'set', 'hdv1', 'up');
  });
  after(async () => { await runner.run('ip', ['netns', 'del', NS]); });

  it('reports the peer going down and coming back, woken by the kernel\'s events (no poll)', async () => {
    const seen: LinkChange[] = [];
    let calls = 0;
    const counting: InventoryRunner = { run: (c, a, o) => { calls++; return inNs.run(c, a, o); }, spawnStream: inNs.spawnStream };
    let wake: (() => void) | undefined;
    const stop = watchLinks(counting, (c) => { seen.push(...c); wake?.(); }, { pollMs: 3_600_000 });
    const until = async (pred: () => boolean) => { for (let i = 0; i < 50 && !pred(); i++) await new Promise<void>((r) => { wake = r; setTimeout(r, 200); }); return pred(); };
    try {
      assert.ok(await until(() => seen.some((c) => c.name === 'hdv0' && c.link === 'up')), JSON.stringify(seen));
      // Idle: nothing runs while nothing changes.
      const idle = calls;
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(calls, idle, 'programs ran while nothing changed');
      seen.length = 0;
      await ip('link', 'set', 'hdv1', 'down');
      assert.ok(await until(() => seen.some((c) => c.name === 'hdv0' && c.link === 'down')), `hdv0 down not reported: ${JSON.stringify(seen)}`);
      await ip('link', 'set', 'hdv1', 'up');
      assert.ok(await until(() => seen.some((c) => c.name === 'hdv0' && c.link === 'up')), 'hdv0 up again not reported');
    } finally {
      stop();
    }
  });

  it('the Network store shows the new link state and the addresses added, without its slow poll', async () => {
    const db = openDatabase(':memory:');
    const store = createNetStore({ net: netUseCases({ db, events: new EventLog(db, { user: 'tester', channel: 'tui' }), runner: inNs }), slowPollMs: 3_600_000 });
    const off = store.subscribe(() => undefined);
    const state = (name: string) => store.getSnapshot().inventory?.others.find((l) => l.name === name);
    const until = async (pred: () => boolean) => { for (let i = 0; i < 50 && !pred(); i++) await new Promise((r) => setTimeout(r, 100)); return pred(); };
    try {
      assert.ok(await until(() => state('hdv0')?.link === 'up'), JSON.stringify(store.getSnapshot()));
      await ip('link', 'set', 'hdv1', 'down');
      assert.ok(await until(() => state('hdv0')?.link === 'down'), 'the store did not show hdv0 down');
      await ip('addr', 'add', '198.51.100.7/24', 'dev', 'hdv0');
      assert.ok(await until(() => Boolean(state('hdv0')?.addresses.some((a) => a.cidr === '198.51.100.7/24'))), 'the new address did not show');
    } finally {
      off();
      store.stop();
      db.close();
    }
  });
});
