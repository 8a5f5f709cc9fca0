// What the alerts duty reads on this host, with real interfaces and files:
// the NIC of an attached VM network whose link goes down (a veth pair: the
// peer set down) raises the network-down alert and clears when it is up
// again; the API certificate (a real one from openssl, valid 10 days) raises
// the expiry alert under the 30-day default; without HOSTDECK_API_CERT that
// rule reads nothing. The attachment is recorded in the state DB directly:
// attaching through the safe apply would reconfigure this shared host's network.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { testServices } from '../lib/services.ts';
import { createCore } from '../../src/core/index.ts';
import { hostNetworkRepo } from '../../src/manager/repos/host-networks.ts';
import { alertRepo } from '../../src/manager/repos/alerts.ts';
import { run, runOk } from '../../src/exec/runner.ts';

describe('alert readings of this host: a NIC down, the API certificate', { timeout: 300_000 }, () => {
  const s = testServices({ channel: 'cli' });
  const core = createCore(s, { user: 'tester', channel: 'cli' });
  const tag = process.pid.toString(36).slice(-5);
  const nic = `hda${tag}a`;
  const peer = `hda${tag}b`;
  const cert = join(s.dir, 'api.pem');
  let clock = Math.floor(Date.now() / 1000);
  const now = () => clock;

  before(async () => {
    await runOk('ip', ['link', 'add', nic, 'type', 'veth', 'peer', 'name', peer]);
    await runOk('ip', ['link', 'set', nic, 'up']);
    await runOk('ip', ['link', 'set', peer, 'up']);
    await runOk('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '10', '-subj', '/CN=hostdeck-test', '-keyout', join(s.dir, 'api.key'), '-out', cert]);
  });
  after(async () => {
    await run('ip', ['link', 'del', nic]);
    await s.cleanup();
  });

  /** Rounds 30 s apart on the evaluator's clock; the open alerts after the last. */
  const rounds = async (evaluator: { run(): Promise<string> }, n: number) => {
    for (let i = 0; i < n; i++) { clock += 30; await evaluator.run(); }
    return core.alerts.list();
  };

  it("a VM network's NIC whose link goes down raises the network-down alert; up again, it clears", async () => {
    const net = await core.logicalNetworks.create({ name: 'alrnet', dataCenter: 'Default', vmNetwork: true });
    hostNetworkRepo(s.db).insert({ networkId: net.id, iface: nic, device: nic, attachedBy: 'tester' });
    const evaluator = await core.alerts.newEvaluator({ now });
    try {
      assert.ok(!(await rounds(evaluator, 3)).some((a) => a.rule === 'network.nic-down' && a.objectId === net.id));
      await runOk('ip', ['link', 'set', peer, 'down']);
      const open = await rounds(evaluator, 3);
      const down = open.find((a) => a.rule === 'network.nic-down' && a.objectId === net.id);
      assert.ok(down, JSON.stringify(open));
      assert.deepEqual([down.level, down.objectType], ['critical', 'network']);
      assert.match(down.message, new RegExp(`^network alrnet: ${nic} is (down|lowerlayerdown)$`));
      await runOk('ip', ['link', 'set', peer, 'up']);
      assert.ok(!(await rounds(evaluator, 3)).some((a) => a.rule === 'network.nic-down' && a.objectId === net.id));
      assert.deepEqual(s.events.list({ text: 'Alert network.nic-down' }).reverse().map((e) => [e.severity, e.objectId]), [['alert', net.id], ['info', net.id]]);
    } finally {
      evaluator.close();
    }
  });

  it('the API certificate valid 10 more days raises the expiry alert (30-day default); unset, the rule reads nothing', async () => {
    const unset = await core.alerts.newEvaluator({ now });
    try {
      await rounds(unset, 3);
      assert.ok(!alertRepo(s.db).states().some((a) => a.rule === 'host.certificate-expiry'));
    } finally {
      unset.close();
    }
    const evaluator = await core.alerts.newEvaluator({ now, sources: { certificate: cert } });
    try {
      const open = await rounds(evaluator, 3);
      const expiry = open.find((a) => a.rule === 'host.certificate-expiry');
      assert.ok(expiry, JSON.stringify(open));
      assert.match(expiry.message, new RegExp(`^certificate ${cert.replace(/[.]/g, '\\.')}: expires in (9|10) days \\(\\d{4}-\\d\\d-\\d\\d\\)$`));
    } finally {
      evaluator.close();
    }
  });
});
