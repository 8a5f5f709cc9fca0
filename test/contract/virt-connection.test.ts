// The connection's behaviour when there is no daemon to talk to: it reports
// "disconnected" with libvirt's reason, retries on its own with growing
// delays, never throws out of the status API, and calls fail fast meanwhile.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { VirtConnection } from '../../src/virt/connection.ts';
import type { ConnectionStatus } from '../../src/virt/types.ts';

const NOWHERE = 'qemu+unix:///system?socket=/nonexistent/hostdeck-no-libvirtd.sock';

describe('libvirt connection without a daemon', () => {
  it('reports disconnected with the reason and retries on its own with backoff', async () => {
    const virt = new VirtConnection(NOWHERE);
    const seen: ConnectionStatus[] = [];
    virt.onStatus((s) => seen.push({ ...s }));
    try {
      assert.equal(virt.getStatus().state, 'connecting');
      const st = await virt.connect();
      assert.equal(st.state, 'disconnected');
      assert.match(st.error ?? '', /nonexistent|No such file|Failed to connect/i);
      assert.ok(st.retryAt! > Date.now() - 1000);
      // Calls during the backoff fail without hanging.
      await assert.rejects(virt.domainList());
      // Without any call, the next attempts happen by themselves.
      const until = Date.now() + 10_000;
      while (seen.length < 3 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
      assert.ok(seen.length >= 3, `attempts: ${seen.length}`);
      assert.ok(seen.every((s) => s.state === 'disconnected'));
      const gaps = seen.slice(1).map((s, i) => s.retryAt! - seen[i]!.retryAt!);
      assert.ok(gaps[1]! > gaps[0]!, `backoff grows: ${gaps.join(', ')}`);
    } finally {
      await virt.close();
    }
  });

  it('virsh-based calls report virsh\'s own error', async () => {
    const virt = new VirtConnection(NOWHERE);
    try {
      await assert.rejects(virt.domainStats(), /failed to connect to the hypervisor/);
      await assert.rejects(virt.snapshotList('x'), /failed to connect/);
    } finally {
      await virt.close();
    }
  });
});
