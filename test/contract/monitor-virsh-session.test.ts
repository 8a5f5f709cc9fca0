// The sampler's long-running virsh on the test driver: one process answers
// many commands in order; a failed command is reported and the next one
// runs in a fresh virsh; close ends it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { VirshSession } from '../../src/store/virsh-session.ts';
import { parseDomstats } from '../../src/virt/stats.ts';
import { createVmStore } from '../../src/store/vms.ts';
import { testServices } from '../lib/services.ts';

const EMPTY_HOST = `test://${new URL('../fixtures/libvirt/empty-host.xml', import.meta.url).pathname}`;

describe('virsh session (sampler)', () => {
  it('answers commands in order over one process, recovers after an error, and closes', async () => {
    const s = new VirshSession('test:///default');
    try {
      const [a, b] = await Promise.all([s.command(['domstats', '--nowait']), s.command(['domstats', '--state'])]);
      assert.deepEqual(parseDomstats(a).map((d) => [d.name, d.state]), [['test', 'running']]);
      assert.match(b, /state\.state=1/);
      assert.equal(s.starts, 1);
      // virsh's output file is unlinked at once: nothing of ours is left in /dev/shm.
      assert.deepEqual(readdirSync('/dev/shm').filter((f) => f.startsWith(`hostdeck-virsh-${process.pid}-`)), []);
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

  it('a host without any VM: domstats answers nothing, which is no error, and the VM counts are all zero', async () => {
    const s = new VirshSession(EMPTY_HOST);
    try {
      assert.equal((await s.command(['domstats', '--nowait'])).trim(), '');
      assert.equal(s.starts, 1, 'no error restarted virsh');
    } finally {
      s.close();
    }
    const services = testServices({ uri: EMPTY_HOST });
    const store = createVmStore(services, { intervalMs: 1000, events: false });
    try {
      await store.refresh();
      const snap = store.getSnapshot();
      assert.equal(snap.error, undefined);
      assert.equal(snap.data?.counts.total, 0);
    } finally {
      store.stop();
      await services.cleanup();
    }
  });
});
