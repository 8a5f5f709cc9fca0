import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPolledStore, createPollLoop } from '../../src/store/poller.ts';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('polled stores', () => {
  it('do not poll without subscribers and start when the screen subscribes', async () => {
    let calls = 0;
    const s = createPolledStore(async () => ++calls, 20);
    await tick(60);
    assert.equal(calls, 0);
    const off = s.subscribe(() => undefined);
    await tick(70);
    off();
    const after = calls;
    assert.ok(after >= 2, `polled ${after} times`);
    await tick(60);
    assert.equal(calls, after, 'stops when the last subscriber leaves');
    s.stop();
  });

  it('drop a refresh that would overlap the one in flight', async () => {
    let running = 0, maxRunning = 0, calls = 0;
    const s = createPolledStore(async () => { running++; calls++; maxRunning = Math.max(maxRunning, running); await tick(50); running--; return calls; }, 10_000);
    const off = s.subscribe(() => undefined);
    await Promise.all([s.refresh(), s.refresh(), s.refresh()]);
    assert.equal(maxRunning, 1);
    assert.equal(calls, 1);
    off(); s.stop();
  });

  it('keep the last good data with the error, and back off', async () => {
    let n = 0;
    const s = createPolledStore(async () => { n++; if (n > 1) throw new Error('libvirtd went away'); return 'ok'; }, 10, { backoffMs: 40 });
    const off = s.subscribe(() => undefined);
    await tick(150);
    off(); s.stop();
    const snap = s.getSnapshot();
    assert.equal(snap.data, 'ok');
    assert.equal(snap.error, 'libvirtd went away');
    // At 10 ms without back-off there would be ~15 calls; with 40, 80, 160... far fewer.
    assert.ok(n <= 5, `called ${n} times`);
  });

  it('take data offered by a store that read it anyway: no read of their own, a redraw only when it differs', async () => {
    let calls = 0;
    const s = createPolledStore(async () => ({ name: `read ${++calls}` }), 10_000);
    let heard = 0;
    s.offer({ name: 'vm' });
    const off = s.subscribe(() => heard++);
    await tick(30);
    assert.equal(calls, 0, 'fresh offered data is not read again');
    assert.deepEqual(s.getSnapshot().data, { name: 'vm' });
    s.offer({ name: 'vm' });
    assert.equal(heard, 0);
    s.offer({ name: 'vm2' });
    assert.equal(heard, 1);
    assert.deepEqual(s.getSnapshot().data, { name: 'vm2' });
    off(); s.stop();
  });

  it('the VM store\'s loop: a run asked for during one (a lifecycle event) runs once right after it, never beside it', async () => {
    let running = 0, maxRunning = 0, runs = 0;
    const loop = createPollLoop(async () => { running++; runs++; maxRunning = Math.max(maxRunning, running); await tick(30); running--; }, {
      intervalMs: 10_000, runAgain: true, watching: () => true, settled: () => undefined,
    });
    const first = loop.run();
    void loop.run();
    void loop.run();
    await first;
    await tick(60);
    loop.stop();
    assert.equal(maxRunning, 1);
    assert.equal(runs, 2, 'the events during the first run are read by one more run, not lost and not one run each');
  });
});
