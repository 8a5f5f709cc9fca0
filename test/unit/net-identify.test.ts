// Identify (issue #6: blink a port's LED with ethtool --identify) on a NIC
// whose driver supports it. No NIC here has a LED (virtio and veth only; the
// unsupported answer is recorded in test/fixtures/net and tested in
// net-inventory), so these tests run hostdeck's real process runner with an
// ethtool STAND-IN: the argv hostdeck asks for is recorded, and a real
// program that behaves like a supported `ethtool --identify` (silent, exits 0
// when its time is up, or runs on when the driver hangs) runs in its place,
// under the same timeout and abort signal.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { run, type RunOptions, type RunResult } from '../../src/exec/runner.ts';
import { identifyNic } from '../../src/host/net/inventory.ts';

/** The real runner, with ethtool replaced by `program`; records what was asked and what the runner returned. */
function standIn(program: string[]) {
  const asked: { argv: string[]; opts: RunOptions }[] = [];
  const results: RunResult[] = [];
  return {
    asked,
    results,
    async run(command: string, args: readonly string[] = [], opts: RunOptions = {}): Promise<RunResult> {
      asked.push({ argv: [command, ...args], opts });
      const r = command === 'ethtool' ? await run(program[0]!, program.slice(1), opts) : await run(command, args, opts);
      results.push(r);
      return r;
    },
  };
}

describe('identify on a NIC with a LED (ethtool stand-in through the real runner)', () => {
  it('runs ethtool --identify <nic> <seconds> as an argument array, with the seconds plus a grace as its timeout, and says it blinked', async () => {
    const r = standIn(['true']);
    const out = await identifyNic(r, { name: 'enp3s0f1', driver: 'ixgbe' }, 7);
    assert.deepEqual(out, { ok: true, message: "enp3s0f1's port LED blinked for 7 s" });
    assert.equal(r.asked.length, 1);
    assert.deepEqual(r.asked[0]!.argv, ['ethtool', '--identify', 'enp3s0f1', '7']);
    assert.equal(r.asked[0]!.opts.timeoutMs, 17_000);
    assert.equal(r.results[0]!.exitCode, 0);
  });

  it('an ethtool that does not end (a hung driver) is stopped at its timeout and the operator is told', async () => {
    const r = standIn(['sleep', '60']);
    const out = await identifyNic(r, { name: 'eno1', driver: 'igb' }, 1, { graceMs: 200 });
    assert.equal(out.ok, false);
    assert.match(out.message, /^identify on eno1 was still running after 1\.2 s \(asked for 1 s\): ethtool was stopped/);
    assert.equal(r.asked[0]!.opts.timeoutMs, 1_200);
    assert.equal(r.results[0]!.timedOut, true, 'the runner killed it');
  });

  it('the operator stops the blinking: ethtool is killed, not waited for, and the result says stopped', async () => {
    const r = standIn(['sleep', '60']);
    const stop = new AbortController();
    const pending = identifyNic(r, { name: 'eno2', driver: 'igb' }, 60, { signal: stop.signal });
    // Abort once the stand-in is running (the runner has been asked; give it a moment to start).
    while (!r.asked.length) await new Promise((res) => setTimeout(res, 10));
    await new Promise((res) => setTimeout(res, 150));
    stop.abort();
    const out = await pending;
    assert.deepEqual(out, { ok: true, cancelled: true, message: "stopped blinking eno2's port LED" });
    assert.equal(r.asked[0]!.opts.signal, stop.signal, 'the signal reaches the runner');
    assert.notEqual(r.results[0]!.exitCode, 0, 'the stand-in was killed, it did not run out its 60 s');
    assert.equal(r.results[0]!.timedOut, false);
  });

  it('stopped before it started: nothing runs', async () => {
    const r = standIn(['true']);
    const stop = new AbortController();
    stop.abort();
    const out = await identifyNic(r, { name: 'eno3', driver: 'igb' }, 5, { signal: stop.signal });
    assert.equal(out.cancelled, true);
    assert.equal(r.asked.length, 0);
  });

  it('ethtool missing on the host is said plainly', async () => {
    const r = standIn(['hostdeck-no-such-ethtool']);
    const out = await identifyNic(r, { name: 'eno1', driver: 'igb' }, 2);
    assert.deepEqual(out, { ok: false, message: 'ethtool is not installed: identify needs it' });
  });
});
