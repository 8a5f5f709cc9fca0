// How the NetworkManager backend reads IPv6 back (issue #6), on outputs
// recorded in a test host (NetworkManager 1.42.4, kernel 6.1; see
// test/fixtures/net/nm-slaac/README.md) and replayed through a runner:
// eth0 took 2001:db8:83:0:5054:ff:feb5:3800 by SLAAC from dnsmasq's router
// advertisements (infinite lifetimes), eth1 has 2001:db8:99::5/64 added by
// hand. The kernel shows both as permanent addresses; only the profile
// NetworkManager applied tells them apart. The system suite
// (net-backends-nm) proves the same on a live host.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { findIface } from '../../src/domain/net/model.ts';
import type { RunResult } from '../../src/exec/runner.ts';
import { appliedMethodOf, NetworkManagerBackend } from '../../src/host/net/nm.ts';
import { parseKernelState } from '../../src/host/net/read.ts';
import { Target } from '../../src/host/net/target.ts';

const fx = (f: string) => readFileSync(new URL(`../fixtures/net/nm-slaac/${f}`, import.meta.url), 'utf8');
const result = (command: string, args: readonly string[], stdout: string, exitCode = 0, stderr = ''): RunResult => ({ command, args: [...args], exitCode, stdout, stderr, timedOut: false, durationMs: 1 });
const NM_CALL = 'busctl --system --json=short -- call org.freedesktop.NetworkManager';

/** Replays the recorded outputs; `applied` overrides what GetAppliedConnection answers per device path. */
function replay(applied: Record<string, [number, string]> = {}) {
  const calls: string[] = [];
  const runner = {
    async run(command: string, args: readonly string[] = []): Promise<RunResult> {
      const line = [command, ...args].join(' ');
      calls.push(line);
      if (line === 'ip -d -j addr show') return result(command, args, fx('ip-d-j-addr.json'));
      if (line === 'ip -j -4 route show table main') return result(command, args, fx('ip-j-4-route.json'));
      if (line === 'ip -j -6 route show table main') return result(command, args, fx('ip-j-6-route.json'));
      if (line === 'cat -- /proc/sys/kernel/hostname') return result(command, args, 'slaacp\n');
      if (line === 'cat -- /etc/resolv.conf') return result(command, args, '');
      const dev = /GetDeviceByIpIface s (\S+)$/.exec(line);
      if (line.startsWith(NM_CALL) && dev) {
        const f = { eth0: 'device-eth0.json', eth1: 'device-eth1.json' }[dev[1]!];
        return f ? result(command, args, fx(f)) : result(command, args, '', 1, fx('device-none.stderr.txt'));
      }
      const path = / (\/org\/freedesktop\/NetworkManager\/Devices\/\d+) org\.freedesktop\.NetworkManager\.Device GetAppliedConnection u 0$/.exec(line)?.[1];
      if (line.startsWith(NM_CALL) && path) {
        const over = applied[path];
        if (over) return result(command, args, over[0] === 0 ? over[1] : '', over[0], over[0] === 0 ? '' : over[1]);
        const f = { '/org/freedesktop/NetworkManager/Devices/2': 'applied-eth0.json', '/org/freedesktop/NetworkManager/Devices/3': 'applied-eth1.json' }[path];
        if (f) return result(command, args, fx(f));
      }
      return result(command, args, '', 127, `not recorded: ${line}`);
    },
  };
  return { calls, backend: new NetworkManagerBackend(new Target(runner)) };
}

describe('NetworkManager backend: IPv6 read back (recorded outputs replayed)', () => {
  it('the kernel alone shows the SLAAC address as static, with the router as gateway (why the backend asks)', () => {
    const k = parseKernelState(fx('ip-d-j-addr.json'), fx('ip-j-4-route.json'), fx('ip-j-6-route.json'), 'slaacp', '');
    assert.deepEqual(findIface(k, 'eth0')?.ipv6, { method: 'static', addresses: ['2001:db8:83:0:5054:ff:feb5:3800/64'], gateway: 'fe80::742f:e6ff:fe46:dc5a' });
  });

  it('an interface whose applied profile says auto reads as SLAAC; an address added by hand stays static', async () => {
    const { backend, calls } = replay();
    const cfg = await backend.read();
    assert.deepEqual(findIface(cfg, 'eth0')?.ipv6, { method: 'auto', addresses: [] });
    assert.deepEqual(findIface(cfg, 'eth0')?.ipv4, { method: 'static', addresses: ['192.168.83.10/24'] });
    assert.deepEqual(findIface(cfg, 'eth1')?.ipv6, { method: 'static', addresses: ['2001:db8:99::5/64'] });
    // Only interfaces with IPv6 that looks static are asked about, two D-Bus calls each, as argument arrays.
    assert.deepEqual(calls.filter((c) => c.startsWith('busctl')).map((c) => c.slice(NM_CALL.length + 1)).sort(), [
      '/org/freedesktop/NetworkManager org.freedesktop.NetworkManager GetDeviceByIpIface s eth0',
      '/org/freedesktop/NetworkManager org.freedesktop.NetworkManager GetDeviceByIpIface s eth1',
      '/org/freedesktop/NetworkManager/Devices/2 org.freedesktop.NetworkManager.Device GetAppliedConnection u 0',
      '/org/freedesktop/NetworkManager/Devices/3 org.freedesktop.NetworkManager.Device GetAppliedConnection u 0',
    ]);
  });

  it('a DHCPv6 profile reads as dhcp', async () => {
    const dhcp = fx('applied-eth0.json').replace('"method":{"type":"s","data":"auto"}', '"method":{"type":"s","data":"dhcp"}');
    assert.notEqual(dhcp, fx('applied-eth0.json'));
    const cfg = await replay({ '/org/freedesktop/NetworkManager/Devices/2': [0, dhcp] }).backend.read();
    assert.deepEqual(findIface(cfg, 'eth0')?.ipv6, { method: 'dhcp', addresses: [] });
  });

  it('a device NetworkManager has not activated (recorded error) keeps what the kernel shows, and the read does not fail', async () => {
    const cfg = await replay({ '/org/freedesktop/NetworkManager/Devices/2': [1, fx('applied-not-activated.stderr.txt')] }).backend.read();
    assert.equal(findIface(cfg, 'eth0')?.ipv6.method, 'static');
    assert.deepEqual(findIface(cfg, 'eth1')?.ipv6, { method: 'static', addresses: ['2001:db8:99::5/64'] });
  });

  it('verification reads (methods: false) ask NetworkManager nothing', async () => {
    const { backend, calls } = replay();
    const cfg = await backend.read({ methods: false, routes: false, names: false, fallback: { hostname: 'slaacp', dns: { servers: [], search: [] } } });
    assert.deepEqual(calls, ['ip -d -j addr show']);
    assert.equal(findIface(cfg, 'eth0')?.ipv6.method, 'static');
  });

  it('appliedMethodOf reads ipv4.method and ipv6.method and nothing from output it does not understand', () => {
    assert.equal(appliedMethodOf(fx('applied-eth0.json'), 6), 'auto');
    assert.equal(appliedMethodOf(fx('applied-eth0.json'), 4), 'manual');
    assert.equal(appliedMethodOf(fx('applied-eth1.json'), 6), 'manual');
    assert.equal(appliedMethodOf('', 6), undefined);
    assert.equal(appliedMethodOf('{"type":"a{sa{sv}}t","data":[{}, 1]}', 6), undefined);
    assert.equal(appliedMethodOf('{"type":"o","data":["/x"]}', 6), undefined);
  });
});
