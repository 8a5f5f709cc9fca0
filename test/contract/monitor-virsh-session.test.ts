// The sampler's long-running virsh on the test driver: one process answers
// many commands in order; a failed command is reported and the next one
// runs in a fresh virsh; close ends it. And the VM store on either source
// of statistics (in process through hostdeck's addon, or that virsh): the
// same figures, and HOSTDECK_SAMPLER chooses.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { VirshSession } from '../../src/virt/virsh-session.ts';
import { parseDomstats } from '../../src/virt/stats.ts';
import { createVmStore, FULL_SAMPLE_EVERY } from '../../src/store/vms.ts';
import { createMonitorUseCases } from '../../src/core/monitor.ts';
import { testServices } from '../lib/services.ts';
import { resolveConfig } from '../../src/config.ts';

const HOST = `test://${new URL('../fixtures/libvirt/host.xml', import.meta.url).pathname}`;

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
    const store = createVmStore(createMonitorUseCases({ infra: services }), { intervalMs: 1000, events: false });
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

describe('VM store: statistics in process or through virsh', () => {
  it('shows the same VMs with the same figures from either source, and names the source', async () => {
    const services = testServices({ uri: HOST });
    const rows = async (sampler: 'libvirt' | 'virsh') => {
      const store = createVmStore(createMonitorUseCases({ infra: services }), { intervalMs: 1000, events: false, sampler });
      try {
        // Past FULL_SAMPLE_EVERY ticks: most ask only for the running domains
        // and carry the paused and shut-off ones; every tick shows the same.
        const ticks: unknown[][] = [];
        for (let i = 0; i < FULL_SAMPLE_EVERY + 2; i++) {
          await store.refresh();
          const snap = store.getSnapshot();
          assert.equal(snap.error, undefined);
          ticks.push(snap.data!.rows.map((r) => [r.name, r.state, r.vcpus, r.memoryKiB, r.maxMemoryKiB, r.cpuPercent, r.diskReadBps, r.netRxBps]).sort());
        }
        for (const t of ticks.slice(2)) assert.deepEqual(t, ticks[1]);
        assert.equal(sessionVirshRunning(), sampler === 'virsh', `a long-running virsh exists only for the virsh source (${sampler})`);
        const snap = store.getSnapshot();
        return { source: snap.data!.source, rows: ticks[1]! };
      } finally {
        store.stop();
      }
    };
    try {
      const inProcess = await rows('libvirt');
      const viaVirsh = await rows('virsh');
      assert.equal(inProcess.source, 'libvirt');
      assert.equal(viaVirsh.source, 'virsh');
      assert.ok(inProcess.rows.length >= 3, 'the fixture\'s VMs');
      assert.deepEqual(inProcess.rows, viaVirsh.rows);
    } finally {
      await services.cleanup();
    }
  });

  it('HOSTDECK_SAMPLER takes auto, libvirt or virsh; anything else is refused by name', () => {
    assert.equal(resolveConfig({}, {}).sampler, 'auto');
    assert.equal(resolveConfig({}, { HOSTDECK_SAMPLER: 'virsh' }).sampler, 'virsh');
    assert.throws(() => resolveConfig({}, { HOSTDECK_SAMPLER: 'fast' }), /HOSTDECK_SAMPLER: must be one of auto, libvirt, virsh \(got "fast"\)/);
  });
});

/** Whether a child of this process is the sampler's long-running virsh (`virsh -q -c ...`). */
function sessionVirshRunning(): boolean {
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const st = readFileSync(`/proc/${p}/stat`, 'utf8');
      const ppid = Number(st.slice(st.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').slice(1, 2)[0] === '-q') return true;
    } catch { /* gone */ }
  }
  return false;
}
