// NetworkManager (with udev and D-Bus, started without systemd) inside a
// real test host; a machine-side segment serves DHCP and acts as the
// operator's SSH client.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Segment, TestHost } from '../lib/testhost/index.ts';
import { mustProc } from '../lib/testhost/proc.ts';

const PEER = '192.168.78.1';

describe('NetworkManager in a test host', { timeout: 300_000 }, () => {
  let seg: Segment | undefined;
  let host: TestHost | undefined;
  let address = '';
  const keyDir = mkdtempSync(join(tmpdir(), 'hostdeck-sshkey-'));
  const guard = <A extends unknown[]>(fn: (...a: A) => Promise<void>) => TestHost.keepLogsOnFailure(() => [host], fn);

  before(async () => {
    await mustProc(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', 'operator', '-f', join(keyDir, 'id')]);
    seg = await Segment.create({ name: 'nmlan', address: `${PEER}/24` });
    await seg.serveDhcp({ range: ['192.168.78.100', '192.168.78.150'] });
    host = new TestHost({ name: 'nm', nics: [{ segment: seg }, {}] });
    await host.boot();
    await host.startServices([{ name: 'networkmanager' }, { name: 'sshd', options: { authorizedKey: readFileSync(join(keyDir, 'id.pub'), 'utf8').trim() } }]);
  });
  after(async () => {
    await host?.destroy();
    await seg?.dispose();
    rmSync(keyDir, { recursive: true, force: true });
  });

  it('nmcli -t device lists both NICs as ethernet devices NetworkManager manages', guard(async () => {
    const r = await host!.mustRun(['nmcli', '-t', '-f', 'DEVICE,TYPE,STATE', 'device']);
    const devices = Object.fromEntries(r.stdout.trim().split('\n').map((l) => { const [d, t, s] = l.split(':'); return [d, { type: t, state: s }]; }));
    assert.deepEqual(devices.eth0, { type: 'ethernet', state: 'disconnected' }, r.stdout);
    assert.deepEqual(devices.eth1, { type: 'ethernet', state: 'disconnected' }, r.stdout);
  }));

  it('a NetworkManager DHCP profile gets a lease from the segment and the peer reaches the host', guard(async () => {
    await host!.mustRun(['nmcli', 'connection', 'add', 'type', 'ethernet', 'ifname', 'eth0', 'con-name', 'lan',
      'ipv4.method', 'auto', 'ipv6.method', 'disabled']);
    await host!.mustRun(['nmcli', '--wait', '90', 'connection', 'up', 'lan'], { timeoutMs: 100_000 });
    const r = await host!.mustRun(['nmcli', '-g', 'IP4.ADDRESS', 'device', 'show', 'eth0']);
    const m = /^(192\.168\.78\.(\d+))\/24$/m.exec(r.stdout.trim());
    assert.ok(m, `eth0 has no lease from the segment: ${r.stdout}`);
    assert.ok(Number(m[2]) >= 100 && Number(m[2]) <= 150);
    address = m[1]!;
    const ping = await seg!.exec(['ping', '-c', '2', '-i', '0.2', '-W', '3', address]);
    assert.equal(ping.code, 0, ping.stdout + ping.stderr);
    const state = await host!.mustRun(['nmcli', '-t', '-f', 'DEVICE,STATE,CONNECTION', 'device']);
    assert.match(state.stdout, /^eth0:connected:lan$/m);
  }));

  it('the operator logs in over SSH from the segment with a key', guard(async () => {
    assert.ok(address, 'needs the DHCP address of the previous test');
    const r = await seg!.exec(['ssh', '-i', join(keyDir, 'id'), '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no',
      '-o', 'UserKnownHostsFile=/dev/null', '-o', 'ConnectTimeout=30', `root@${address}`, 'hostname'], { timeoutMs: 60_000 });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'nm');
  }));
});
