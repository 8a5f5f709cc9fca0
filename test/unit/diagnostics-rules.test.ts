// The health checks' rules on inputs recorded from real hosts (this machine's
// /proc/meminfo, chronyc tracking and timedatectl show of synced and unsynced
// clocks, systemctl show of a missing and a failed unit, a real PEM
// certificate) and on sysfs trees written as the kernel lays them out.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  certCheck, checkSummary, cpuFlagsCheck, diskCheck, dnsCheck, libvirtCheck, memoryCheck, nicCheck, serviceCheck, storageDomainsCheck, timeCheck, virtualizationCheck,
} from '../../src/domain/diagnostics.ts';
import { parseMeminfo } from '../../src/domain/host-io.ts';
import { mtuError, mtuPayload } from '../../src/domain/net/test-targets.ts';
import { certValidity, pathUsage, readNics } from '../../src/host/diagnostics/files.ts';

const fx = (f: string) => readFileSync(join(import.meta.dirname, '../fixtures/diagnostics', f), 'utf8');

describe('diagnostics rules', () => {
  it('virtualization: KVM missing is a warning with why and the fix; usable is ok', () => {
    const w = virtualizationCheck({ usable: false, accel: 'tcg', reason: 'CPU has no vmx/svm' });
    assert.equal(w.status, 'warning');
    assert.match(w.detail, /CPU has no vmx\/svm.*emulated/);
    assert.match(w.fix!, /VT-x\/AMD-V/);
    assert.equal(virtualizationCheck({ usable: true, accel: 'kvm' }).status, 'ok');
  });

  it('CPU flags: a host in no cluster is not asked; a cluster type QEMU here cannot run fails with the fix; one it runs is ok', () => {
    assert.equal(cpuFlagsCheck(undefined, undefined).status, 'not-applicable');
    const bad = cpuFlagsCheck({ name: 'prod', cpuType: 'Icelake-Server' }, 'QEMU here has no usable CPU model');
    assert.equal(bad.status, 'failed');
    assert.match(bad.detail, /cluster prod's CPU type Icelake-Server: QEMU here has no usable CPU model; the host is NonOperational/);
    assert.match(bad.fix!, /hostdeck cluster edit prod --cpu-type TYPE/);
    assert.deepEqual([cpuFlagsCheck({ name: 'prod', cpuType: 'qemu64' }, undefined).status], ['ok']);
  });

  it('memory: this host\'s meminfo is ok; little available memory is a warning, almost none a failure', () => {
    const m = parseMeminfo(fx('meminfo-host.txt'));
    assert.equal(memoryCheck(m).status, 'ok');
    assert.match(memoryCheck(m).detail, /available .*(no swap|swap)/);
    assert.equal(memoryCheck({ ...m, availableKiB: m.totalKiB * 0.08 }).status, 'warning');
    const f = memoryCheck({ ...m, availableKiB: m.totalKiB * 0.02 });
    assert.equal(f.status, 'failed');
    assert.match(f.fix!, /OOM/);
    assert.equal(memoryCheck({ ...m, swapTotalKiB: 1000, swapFreeKiB: 100 }).status, 'warning');
  });

  it('disk: df\'s Use% decides (85 % warns, 95 % fails), the mount is named; unreadable cannot tell', () => {
    const u = (used: number, avail: number) => ({ path: '/var', mount: '/', sizeKiB: used + avail + 50, usedKiB: used, availKiB: avail });
    assert.equal(diskCheck('/var', u(50, 50)).status, 'ok');
    const w = diskCheck('/var', u(86, 14));
    assert.equal(w.status, 'warning');
    assert.match(w.detail, /86 % used \(on \/\)/);
    assert.match(w.fix!, /Free space on \//);
    assert.equal(diskCheck('/var', u(96, 4)).status, 'failed');
    const x = diskCheck('/srv/x', undefined, 'ENOENT: no such file or directory');
    assert.equal(x.status, 'unknown');
    assert.match(x.detail, /ENOENT/);
  });

  it('NIC: no carrier fails, half duplex and below 1 Gb/s warn, a virtual NIC without speed is ok, down is not applicable', () => {
    assert.equal(nicCheck({ name: 'eno1', adminUp: true, carrier: '0' }).status, 'failed');
    const h = nicCheck({ name: 'eno1', adminUp: true, carrier: '1', speed: '100', duplex: 'half' });
    assert.equal(h.status, 'warning');
    assert.match(h.detail, /half duplex.*mismatch/);
    assert.match(h.fix!, /ethtool -s eno1 autoneg on/);
    assert.equal(nicCheck({ name: 'eno1', adminUp: true, carrier: '1', speed: '100', duplex: 'full' }).status, 'warning');
    assert.deepEqual([nicCheck({ name: 'eno1', adminUp: true, carrier: '1', speed: '10000', duplex: 'full' }).status, nicCheck({ name: 'eno1', adminUp: true, carrier: '1', speed: '10000', duplex: 'full' }).detail], ['ok', 'link up, 10 Gb/s, full duplex']);
    assert.equal(nicCheck({ name: 'eth0', adminUp: true, carrier: '1', speed: '-1', duplex: 'unknown' }).status, 'ok');
    assert.equal(nicCheck({ name: 'eno2', adminUp: false }).status, 'not-applicable');
  });

  it('NIC facts are read from /sys/class/net: physical NICs and the default route\'s, not lo or other virtual ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hostdeck-sysnet-'));
    try {
      const nic = (name: string, files: Record<string, string>, physical: boolean) => {
        mkdirSync(join(dir, 'net', name), { recursive: true });
        for (const [f, v] of Object.entries(files)) writeFileSync(join(dir, 'net', name, f), `${v}\n`);
        if (physical) symlinkSync(dir, join(dir, 'net', name, 'device'));
      };
      nic('lo', { flags: '0x9', carrier: '1' }, false);
      nic('eno1', { flags: '0x1003', carrier: '1', speed: '1000', duplex: 'half' }, true);
      nic('eno2', { flags: '0x1002' }, true);
      nic('br0', { flags: '0x1003', carrier: '1' }, false);
      nic('virbr0', { flags: '0x1003', carrier: '0' }, false);
      writeFileSync(join(dir, 'route'), 'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\nbr0\t00000000\t0101A8C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n');
      const nics = await readNics(join(dir, 'net'), join(dir, 'route'));
      assert.deepEqual(nics.map((n) => n.name), ['br0', 'eno1', 'eno2']);
      assert.deepEqual(nics.map((n) => nicCheck(n).status), ['ok', 'warning', 'not-applicable']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('disk usage of a path names the file system it is on', async () => {
    const u = await pathUsage('/proc/self');
    assert.equal(u.mount, '/proc');
    assert.equal(diskCheck('/proc/self', u).status, 'not-applicable');
    const root = await pathUsage('/');
    assert.equal(root.mount, '/');
    assert.ok(root.sizeKiB > 0);
  });

  it('time: timedatectl and chronyc outputs of synced and unsynced clocks; neither answering cannot tell, with why', () => {
    assert.equal(timeCheck({ source: 'timedatectl', text: fx('timedatectl-show-synced.txt') }).status, 'ok');
    const off = timeCheck({ source: 'timedatectl', text: fx('timedatectl-show-ntp-off.txt') });
    assert.equal(off.status, 'warning');
    assert.match(off.fix!, /timedatectl set-ntp true/);
    const c = timeCheck({ source: 'chronyc', text: fx('chronyc-tracking-synced.txt') });
    assert.equal(c.status, 'ok');
    assert.match(c.detail, /192\.168\.1\.1.*0\.000012 s fast/);
    assert.equal(timeCheck({ source: 'chronyc', text: fx('chronyc-tracking-unsynced.txt') }).status, 'warning');
    const slow = timeCheck({ source: 'chronyc', text: fx('chronyc-tracking-synced.txt').replace('0.000012345 seconds fast', '2.500000000 seconds slow') });
    assert.equal(slow.status, 'warning');
    const none = timeCheck({ source: 'none', why: 'timedatectl: not installed; chronyc: not installed' });
    assert.equal(none.status, 'unknown');
    assert.match(none.detail, /chronyc: not installed/);
  });

  it('DNS: unresolvable fails, loopback only warns, a reverse name that differs warns, both ways ok', () => {
    assert.equal(dnsCheck('h1', { why: 'name not found' }).status, 'failed');
    assert.equal(dnsCheck('h1', ['127.0.1.1']).status, 'warning');
    assert.equal(dnsCheck('h1', ['192.0.2.5'], { address: '192.0.2.5', why: 'no PTR record' }).status, 'warning');
    assert.equal(dnsCheck('h1', ['192.0.2.5'], { address: '192.0.2.5', names: ['other.example.com'] }).status, 'warning');
    const ok = dnsCheck('h1', ['192.0.2.5'], { address: '192.0.2.5', names: ['h1.example.com'] });
    assert.equal(ok.status, 'ok');
    assert.equal(ok.detail, 'h1 → 192.0.2.5 → h1.example.com');
  });

  it('certificate: a real PEM\'s validity: ok, expiring within 30 days warns, expired fails; unreadable fails', async () => {
    const file = join(import.meta.dirname, '../fixtures/diagnostics/engine-ca.pem');
    const v = await certValidity(file);
    assert.ok(v);
    const day = 86_400_000;
    assert.equal(certCheck('engine CA', file, v, new Date(v.from.getTime() + day)).status, 'ok');
    assert.equal(certCheck('engine CA', file, v, new Date(v.to.getTime() - 10 * day)).status, 'warning');
    const ex = certCheck('engine CA', file, v, new Date(v.to.getTime() + day));
    assert.equal(ex.status, 'failed');
    assert.match(ex.detail, /expired on/);
    assert.equal(certCheck('engine CA', file, v, new Date(v.from.getTime() - day)).status, 'failed');
    assert.equal(await certValidity(join(import.meta.dirname, '../fixtures/diagnostics/meminfo-host.txt')), undefined);
    assert.equal(certCheck('engine CA', file, undefined, new Date()).status, 'failed');
  });

  it('libvirt, the host service and storage domains', () => {
    assert.equal(libvirtCheck({ uri: 'qemu:///system', state: 'connected' }).status, 'ok');
    assert.equal(libvirtCheck({ uri: 'qemu:///system', state: 'disconnected', error: 'Failed to connect socket' }).status, 'failed');
    assert.equal(serviceCheck('hostdeck.service', { systemd: true, text: fx('systemctl-show-not-found.txt') }).status, 'not-applicable');
    const f = serviceCheck('hostdeck.service', { systemd: true, text: fx('systemctl-show-failed.txt') });
    assert.equal(f.status, 'failed');
    assert.match(f.fix!, /journalctl -u hostdeck\.service/);
    assert.equal(serviceCheck('hostdeck.service', { systemd: false, why: 'systemd is not the init system here' }).status, 'not-applicable');
    assert.equal(storageDomainsCheck([]).status, 'not-applicable');
    const sd = storageDomainsCheck([{ name: 'data1', status: 'active', lastError: null }, { name: 'nfs1', status: 'unreachable', lastError: 'mount timed out' }]);
    assert.equal(sd.status, 'failed');
    assert.match(sd.detail, /nfs1 unreachable: mount timed out/);
  });

  it('summary: failed counts decide', () => {
    const s = checkSummary([virtualizationCheck({ usable: true, accel: 'kvm' }), nicCheck({ name: 'e', adminUp: true, carrier: '0' })]);
    assert.deepEqual([s.failed, s.ok], [1, 1]);
    assert.equal(checkSummary([virtualizationCheck({ usable: true, accel: 'kvm' })]).line, 'all 1 checks ok');
  });

  it('MTU: ping payload fills the MTU less the IP and ICMP headers; out-of-range MTUs are refused', () => {
    assert.equal(mtuPayload(1500, 4), 1472);
    assert.equal(mtuPayload(1500, 6), 1452);
    assert.equal(mtuPayload(9000, 4), 8972);
    // lo's 65536: an IPv4 packet carries at most 65535 bytes.
    assert.equal(mtuPayload(65536, 4), 65507);
    assert.equal(mtuError('mtu', 1500), undefined);
    assert.match(mtuError('mtu', 67)!.message, /from 68 to 65536/);
    assert.ok(mtuError('mtu', 1500.5));
  });
});
