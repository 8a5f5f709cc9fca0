// The Network screen's slow re-read runs on the one poll loop: it stops
// when nobody watches and backs off while the host cannot be read. The
// network use cases are a stand-in (only the reads the store makes).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createNetStore, type NetService } from '../../src/store/net.ts';
import type { NetInventory } from '../../src/core/network.ts';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

function standIn(inventory: () => Promise<NetInventory>): NetService {
  return {
    inventory,
    pending: async () => undefined,
    staged: () => [],
    diff: async () => [],
    current: async () => ({}),
    backend: async () => 'iproute2',
    watchLinks: () => () => undefined,
    watchAddresses: () => undefined,
  } as unknown as NetService;
}

describe('network store slow re-read (stand-in network use cases)', () => {
  it('keeps the inventory error on screen and backs off instead of re-reading every interval', async () => {
    let reads = 0;
    const store = createNetStore({
      net: standIn(async () => { reads++; throw new Error('ip: cannot open netlink socket'); }),
      slowPollMs: 10,
    });
    const off = store.subscribe(() => undefined);
    await tick(150);
    off();
    store.stop();
    assert.equal(store.getSnapshot().inventoryError, 'ip: cannot open netlink socket');
    // Every 10 ms would be ~15 reads; 10, 20, 40, 80 ms apart is at most 5.
    assert.ok(reads <= 5, `read ${reads} times`);
  });

  it('does not re-read once the screen is closed', async () => {
    let reads = 0;
    const store = createNetStore({ net: standIn(async () => { reads++; return { nics: [], bonds: [], vlans: [], bridges: [], others: [] } as unknown as NetInventory; }), slowPollMs: 10 });
    const off = store.subscribe(() => undefined);
    await tick(35);
    assert.ok(reads >= 2, `read ${reads} times while open`);
    off();
    const closedAt = reads;
    await tick(40);
    store.stop();
    assert.equal(reads, closedAt);
  });
});
