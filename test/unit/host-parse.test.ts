import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { formatBytes } from '../../src/domain/size.ts';
import { formatDuration } from '../../src/domain/duration.ts';
import {
  mainFilesystems, parseCpuinfo, parseDefaultRoutes, parseDf, parseIpAddr, parseOsRelease, parseResolvConf,
} from '../../src/host/parse.ts';
import { busyPercent, parseMeminfo, parseProcStat } from '../../src/domain/host-io.ts';
import { parseVirshVersion } from '../../src/virt/version.ts';

const fx = (p: string) => readFileSync(new URL(`../fixtures/${p}`, import.meta.url), 'utf8');

describe('host parsers on recorded outputs of a Debian 12 host', () => {
  it('/proc/stat: the time of the machine and of each CPU, and the busy share between two readings', () => {
    const first = parseProcStat(fx('host/proc-stat.txt'));
    assert.equal(first.cpus.length, 2);
    const all = first.all!;
    // The machine's line is its CPUs' lines summed (the kernel rounds each on its own).
    assert.ok(Math.abs(all.total - first.cpus[0]!.total - first.cpus[1]!.total) / all.total < 0.001);
    // Since boot (no earlier reading): busy over all, idle and iowait excluded from busy.
    const b = busyPercent(undefined, all);
    assert.ok(b > 0 && b < 100, String(b));
    // One second later: 60 ticks busy and 40 idle on the whole machine is 60 %.
    assert.equal(busyPercent(all, { total: all.total + 100, busy: all.busy + 60 }), 60);
    // Counters that did not move, or went back (a CPU taken offline), read 0 %, never a negative or NaN.
    assert.equal(busyPercent(all, all), 0);
    assert.equal(busyPercent(all, { total: all.total - 5, busy: all.busy - 5 }), 0);
  });

  it('meminfo: total, available, used and swap', () => {
    const m = parseMeminfo(fx('host/meminfo.txt'));
    assert.equal(m.totalKiB, 24684092);
    assert.ok(m.availableKiB > 0 && m.availableKiB <= m.totalKiB);
    assert.equal(m.usedKiB, m.totalKiB - m.availableKiB);
    assert.equal(m.swapTotalKiB, 0);
  });

  it('cpuinfo: model, cores, threads and the virtualization flags', () => {
    const c = parseCpuinfo(fx('host/cpuinfo.txt'));
    assert.match(c.model, /AMD EPYC/);
    assert.equal(c.threads, 2);
    assert.equal(c.sockets, 1);
    assert.ok(c.cores >= 1 && c.cores <= c.threads);
    assert.ok(c.flags.includes('sse2') && c.flags.includes('nx'));
  });

  it('os-release: the pretty name without quotes', () => {
    assert.equal(parseOsRelease(fx('host/os-release.txt')).PRETTY_NAME, 'Debian GNU/Linux 12 (bookworm)');
  });

  it('resolv.conf: nameservers and search, ignoring comments', () => {
    assert.deepEqual(parseResolvConf(fx('host/resolv.conf')), { nameservers: ['10.255.255.53'], search: [] });
    assert.deepEqual(parseResolvConf('# generated\nnameserver 192.0.2.53 # primary\nnameserver 2001:db8::53\nsearch example.org lab.example.org\n'), { nameservers: ['192.0.2.53', '2001:db8::53'], search: ['example.org', 'lab.example.org'] });
  });

  it('df: the main file systems keep / and drop pseudo file systems', () => {
    const all = parseDf(fx('host/df-PT.txt'));
    assert.ok(all.some((f) => f.type === 'tmpfs'));
    const main = mainFilesystems(all);
    assert.deepEqual(main.map((f) => f.mount), ['/']);
    assert.equal(main[0]!.type, 'ext4');
    assert.equal(main[0]!.sizeKiB, 264212084);
  });

  it('ip -j addr: interfaces with their addresses and families', () => {
    const links = parseIpAddr(fx('host/ip-addr.json'));
    const eth0 = links.find((l) => l.name === 'eth0')!;
    assert.equal(eth0.state, 'UP');
    assert.ok(eth0.addresses.some((a) => a.family === 'inet' && a.address === '192.0.2.2' && a.prefix === 24));
    assert.ok(eth0.addresses.some((a) => a.family === 'inet6'));
    assert.equal(links.find((l) => l.name === 'lo')?.addresses[0]?.scope, 'host');
  });

  it('ip -j route: the default route with the lowest metric first', () => {
    assert.deepEqual(parseDefaultRoutes(fx('host/ip-route-default.json')), [{ gateway: '192.0.2.1', dev: 'eth0', family: 'inet' }]);
    const two = JSON.stringify([{ dst: 'default', gateway: '10.0.0.1', dev: 'eth1', metric: 200 }, { dst: 'default', gateway: '10.0.0.2', dev: 'bond0', metric: 100 }]);
    assert.equal(parseDefaultRoutes(two)[0]!.dev, 'bond0');
    assert.deepEqual(parseDefaultRoutes(''), []);
  });

  it('virsh version: library and hypervisor', () => {
    assert.deepEqual(parseVirshVersion(fx('virsh/version.txt')), { library: 'libvirt 9.0.0', hypervisor: 'QEMU 7.2.22' });
  });

  it('formats durations and sizes for people', () => {
    assert.equal(formatDuration(59), '0m 59s');
    assert.equal(formatDuration(3 * 86400 + 4 * 3600 + 5 * 60), '3d 4h 5m');
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(1536), '1.5 KiB');
    assert.equal(formatBytes(24684092 * 1024), '23.5 GiB');
  });
});

describe('kernel tables read without starting a process', () => {
  it('/proc/net/route: the IPv4 default route and its gateway', async () => {
    const { parseProcRoute } = await import('../../src/host/parse.ts');
    assert.deepEqual(parseProcRoute(fx('host/proc-net-route.txt')), [{ dev: 'eth0', gateway: '192.0.2.1', family: 'inet' }]);
  });
  it('/proc/net/ipv6_route: the IPv6 default route, compressed', async () => {
    const { parseProcIpv6Route } = await import('../../src/host/parse.ts');
    assert.deepEqual(parseProcIpv6Route(fx('host/proc-net-ipv6_route.txt')), [{ dev: 'eth0', gateway: 'fd00::1', family: 'inet6' }]);
  });
  it('/proc/self/mounts with escaped spaces, and netmask prefixes', async () => {
    const { parseMounts, netmaskPrefix } = await import('../../src/host/parse.ts');
    const m = parseMounts(fx('host/mounts.txt'));
    assert.ok(m.some((x) => x.mount === '/' && x.type === 'ext4'));
    assert.deepEqual(parseMounts('/dev/sdb1 /mnt/my\\040disk ext4 rw 0 0\n'), [{ source: '/dev/sdb1', mount: '/mnt/my disk', type: 'ext4' }]);
    assert.equal(netmaskPrefix('255.255.255.0'), 24);
    assert.equal(netmaskPrefix('255.255.240.0'), 20);
    assert.equal(netmaskPrefix('ffff:ffff:ffff:ffff::'), 64);
  });
});

describe('which mounts the dashboard reads', () => {
  it('never a network file system, which could hang when its server goes away', async () => {
    const { localMounts, parseMounts } = await import('../../src/host/parse.ts');
    const mounts = parseMounts([
      '/dev/vda / ext4 rw 0 0',
      'proc /proc proc rw 0 0',
      'nas:/export /rhev/data-center/mnt/nas:_export nfs4 rw,soft 0 0',
      '/dev/sdb1 /var/lib/libvirt/images xfs rw 0 0',
      'sshfs#u@h:/ /mnt/x fuse.sshfs rw 0 0',
      '//srv/share /mnt/cifs cifs rw 0 0',
      'tmpfs /run tmpfs rw 0 0',
    ].join('\n'));
    assert.deepEqual(localMounts(mounts).map((m) => m.mount), ['/', '/var/lib/libvirt/images']);
  });
});

describe('the dashboard\'s file systems (a mount table and statfs figures recorded on a host whose / is also bind-mounted on /run/netns)', () => {
  const mounts = [
    'devtmpfs /dev devtmpfs rw,relatime,size=12334808k,nr_inodes=3083702,mode=755 0 0',
    'tmpfs /dev/shm tmpfs rw,relatime,size=24683748k 0 0',
    '/dev/vda / ext4 rw,relatime,discard,resv_strict,resuid=65534,resgid=65534 0 0',
    '/dev/vda /run/netns ext4 rw,relatime,discard,resv_strict,resuid=65534,resgid=65534 0 0',
    '/dev/vdb1 /var/lib/libvirt/images xfs rw,relatime 0 0',
  ].join('\n');
  // stat(2)'s device and statfs(2) as node reports them; / and /run/netns are the same device.
  const recorded: Record<string, { dev: number; statfs: { bsize: number; blocks: number; bfree: number; bavail: number } }> = {
    '/': { dev: 65024, statfs: { bsize: 4096, blocks: 66053021, bfree: 59122804, bavail: 19667511 } },
    '/run/netns': { dev: 65024, statfs: { bsize: 4096, blocks: 66053021, bfree: 59122803, bavail: 19667510 } },
    '/var/lib/libvirt/images': { dev: 65041, statfs: { bsize: 4096, blocks: 26214400, bfree: 13107200, bavail: 13107200 } },
  };

  it('lists each device once: the bind mount of / is left out, as df does', async () => {
    const { filesystemsOf } = await import('../../src/host/system.ts');
    const fs = await filesystemsOf(mounts, async (m) => recorded[m]);
    assert.deepEqual(fs.map((f) => f.mount), ['/', '/var/lib/libvirt/images']);
  });

  it('/ is 27 % used with 75 GiB available, as df computes it (used / (used + available)), not 10 % (used / size, which counts the reserved blocks as free)', async () => {
    const { filesystemsOf } = await import('../../src/host/system.ts');
    const { fsUsedPercent, fsUsedText } = await import('../../src/domain/fs-usage.ts');
    const root = (await filesystemsOf(mounts, async (m) => recorded[m]))[0]!;
    assert.deepEqual([root.sizeKiB, root.usedKiB, root.availKiB], [264212084, 27720868, 78670044]);
    assert.equal(fsUsedPercent(root), 27);
    assert.match(fsUsedText(root), /^26\.4 GiB used · 75\.0 GiB available · 27 %$/);
  });
});
