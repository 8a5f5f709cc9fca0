// An apply's verification reads the host back until it shows the change:
// a host that takes a few reads to settle passes, one that stays different
// fails once its mismatches have not changed for the window, naming them.
// The network backend is a stand-in (this machine's network is not changed).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { newIface, type NetConfig } from '../../src/domain/net/model.ts';
import { verifyApplied, VERIFY_WINDOW_MS } from '../../src/core/network-verify.ts';

const before: NetConfig = { hostname: 'node1', dns: { servers: [], search: [] }, interfaces: [newIface('eth0', 'ethernet')] };
const after: NetConfig = { ...before, hostname: 'node2' };

/** A clock that moves only when verification sleeps. */
function clock() {
  let t = 0;
  return { now: () => t, sleep: async (ms: number) => { t += ms; } };
}

describe('apply verification (network backend stand-in)', () => {
  it('a host that shows the change on the third read passes after three reads', async () => {
    let reads = 0;
    const be = { read: async () => (++reads < 3 ? before : after) };
    const v = await verifyApplied(be, before, after, clock());
    assert.deepEqual(v.left, []);
    assert.equal(v.tries, 3);
  });

  it('a host that stays as it was fails after the window, with what does not match', async () => {
    const be = { read: async () => before };
    const v = await verifyApplied(be, before, after, clock());
    assert.deepEqual(v.left, ['host name is node1, not node2']);
    assert.ok(v.elapsedMs >= VERIFY_WINDOW_MS && v.elapsedMs < 3 * VERIFY_WINDOW_MS, `gave up after ${v.elapsedMs} ms`);
  });
});
