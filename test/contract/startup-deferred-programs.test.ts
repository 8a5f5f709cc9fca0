// The console starts no program before its first frame: the libvirt
// connection holds back `virsh version` and the event stream's `virsh event`,
// and the host overview holds back `hostname -f`, until the console releases
// them; calls through the binding go ahead meanwhile, and what was held back
// runs once released (the version and the FQDN then show).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { observe, run } from '../../src/exec/runner.ts';
import { VirtConnection } from '../../src/virt/connection.ts';
import { fqdnAfter, fqdnNow, hostOverview } from '../../src/host/system.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, cond: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('programs held back until the first frame', () => {
  it('libvirt (test:///default): connected and subscribed without a program; virsh version and virsh event start when released', async () => {
    const ran: string[] = [];
    const off = observe((r) => ran.push(`${r.command} ${r.args.join(' ')}`));
    const virt = new VirtConnection('test:///default');
    let release!: () => void;
    virt.deferProcesses(new Promise<void>((r) => { release = r; }));
    try {
      const st = await virt.connect();
      assert.equal(st.state, 'connected');
      const hostName = await virt.call((hv) => hv.connectGetHostname());
      assert.ok(hostName.length > 0);
      const offEvents = virt.onDomainEvent(() => undefined);
      await sleep(300);
      assert.equal(ran.join('; '), '', 'no program before the release');
      assert.equal(virt.getStatus().version, undefined);
      assert.equal(virt.eventsRunning, false);
      release();
      await until('the libvirt version', () => Boolean(virt.getStatus().version?.library));
      await until('the event stream', () => virt.eventsRunning);
      assert.ok(ran.includes('virsh -c test:///default version'), ran.join('; '));
      assert.ok(ran.some((c) => c.startsWith('virsh -c test:///default event --all --loop')), ran.join('; '));
      offEvents();
    } finally {
      off();
      await virt.close();
    }
  });

  it('host overview: the plain hostname first, `hostname -f` only when released, then the FQDN', async () => {
    const ran: string[] = [];
    const off = observe((r) => ran.push(`${r.command} ${r.args.join(' ')}`));
    let release!: () => void;
    fqdnAfter(new Promise<void>((r) => { release = r; }));
    try {
      const h = await hostOverview();
      assert.equal(h.hostname, hostname());
      assert.equal(h.fqdn, hostname());
      await sleep(200);
      assert.equal(ran.join('; '), '', 'no program before the release');
      release();
      const expected = (await run('hostname', ['-f'])).stdout.trim() || hostname();
      await until('hostname -f', () => ran.filter((c) => c === 'hostname -f').length >= 2);
      await until('the FQDN', () => fqdnNow() === expected);
      assert.equal((await hostOverview()).fqdn, expected);
    } finally {
      off();
    }
  });
});
