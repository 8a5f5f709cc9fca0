// The sampler's long-running virsh on the test driver: one process answers
// many commands in order; a failed command is reported and the next one
// runs in a fresh virsh; close ends it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { VirshSession } from '../../src/store/virsh-session.ts';
import { parseDomstats } from '../../src/virt/stats.ts';

describe('virsh session (sampler)', () => {
  it('answers commands in order over one process, recovers after an error, and closes', async () => {
    const s = new VirshSession('test:///default');
    try {
      const [a, b] = await Promise.all([s.command(['domstats', '--nowait']), s.command(['domstats', '--state'])]);
      assert.deepEqual(parseDomstats(a).map((d) => [d.name, d.state]), [['test', 'running']]);
      assert.match(b, /state\.state=1/);
      assert.equal(s.starts, 1);
      const pid = s.pid;
      await assert.rejects(s.command(['no-such-command']), /unknown command/);
      const c = await s.command(['domstats']);
      assert.match(c, /Domain: 'test'/);
      assert.equal(s.starts, 2);
      assert.notEqual(s.pid, pid);
      await assert.rejects(s.command(['domstats', 'bad\nline']), /line break/);
    } finally {
      s.close();
    }
    await assert.rejects(s.command(['domstats']), /closed/);
  });
});
