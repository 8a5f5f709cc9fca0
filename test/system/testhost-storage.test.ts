// Storage on real kernels and real daemons, between two test hosts linked
// by a cable (QEMU socket netdevs): an open-iscsi initiator logging in to LIO
// targets with and without CHAP (and failing cleanly with a wrong secret),
// LLDP over the link, an NFS export mounted, written and read back.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Cable, TestHost } from '../lib/testhost/index.ts';

const SERVER_IP = '192.168.79.10';
const CLIENT_IP = '192.168.79.20';
const TARGET = 'iqn.2026-11.org.hostdeck:storage.lun0';
const OPEN_TARGET = 'iqn.2026-11.org.hostdeck:storage.open';
const INITIATOR = 'iqn.2026-11.org.hostdeck:node1';
const CHAP_USER = 'hostdeck';
const CHAP_SECRET = 'chap-secret-1234';

describe('iSCSI and NFS between two test hosts', { timeout: 400_000 }, () => {
  let server: TestHost | undefined;
  let client: TestHost | undefined;
  const guard = <A extends unknown[]>(fn: (...a: A) => Promise<void>) => TestHost.keepLogsOnFailure(() => [server, client], fn);

  const address = async (h: TestHost, ip: string): Promise<void> => {
    await h.mustRun(['ip', 'addr', 'add', `${ip}/24`, 'dev', 'eth0']);
    await h.mustRun(['ip', 'link', 'set', 'eth0', 'up']);
  };

  before(async () => {
    const cable = await Cable.create();
    server = new TestHost({ name: 'storage', nics: [{ cable }] });
    client = new TestHost({ name: 'node1', nics: [{ cable }] });
    const s = server;
    const c = client;
    await Promise.all([
      (async () => {
        await s.boot();
        await address(s, SERVER_IP);
        await s.startServices([
          { name: 'iscsi-target', options: { iqn: TARGET, sizeMb: 64, chapUser: CHAP_USER, chapPassword: CHAP_SECRET, initiatorName: INITIATOR } },
          { name: 'iscsi-target', options: { iqn: OPEN_TARGET, sizeMb: 16 } },
          { name: 'nfs-server', options: { path: '/srv/nfs' } },
          'lldpd',
        ]);
      })(),
      (async () => {
        await c.boot();
        await address(c, CLIENT_IP);
        await c.startServices([{ name: 'iscsid', options: { initiatorName: INITIATOR } }, 'lldpd']);
      })(),
    ]);
  });
  after(async () => {
    await Promise.all([server?.destroy(), client?.destroy()]);
  });

  const iscsiadm = (...args: string[]) => client!.run(['iscsiadm', ...args], { timeoutMs: 90_000 });
  const setSecret = async (secret: string): Promise<void> => {
    for (const [n, v] of [['node.session.auth.authmethod', 'CHAP'], ['node.session.auth.username', CHAP_USER], ['node.session.auth.password', secret]]) {
      const r = await iscsiadm('-m', 'node', '-T', TARGET, '-p', SERVER_IP, '--op', 'update', '-n', n!, '-v', v!);
      assert.equal(r.code, 0, r.stderr);
    }
  };

  const iscsiDisks = async (): Promise<string> => (await client!.mustRun(['lsblk', '-d', '-n', '-b', '-o', 'NAME,TRAN,SIZE,VENDOR'])).stdout;

  it('the initiator discovers both targets on the other host', guard(async () => {
    const r = await iscsiadm('-m', 'discovery', '-t', 'sendtargets', '-p', SERVER_IP);
    assert.equal(r.code, 0, r.stderr);
    for (const t of [TARGET, OPEN_TARGET]) assert.match(r.stdout, new RegExp(`^${SERVER_IP.replace(/\./g, '\\.')}:3260,1 ${t}$`, 'm'));
  }));

  it('a target without CHAP lets the initiator in without credentials', guard(async () => {
    const r = await iscsiadm('-m', 'node', '-T', OPEN_TARGET, '-p', SERVER_IP, '--login');
    assert.equal(r.code, 0, r.stderr);
    let disks = '';
    for (let i = 0; i < 50 && !/\siscsi\s+16777216\s/.test(disks); i++) disks = await iscsiDisks();
    assert.match(disks, /^sd[a-z]+\s+iscsi\s+16777216\s+LIO-ORG/m);
    const out = await iscsiadm('-m', 'node', '-T', OPEN_TARGET, '-p', SERVER_IP, '--logout');
    assert.equal(out.code, 0, out.stderr);
    for (let i = 0; i < 50 && /iscsi/.test(disks); i++) disks = await iscsiDisks();
    assert.doesNotMatch(disks, /iscsi/, 'the disk stays after logout');
  }));

  it('a wrong CHAP secret is refused and leaves no session behind', guard(async () => {
    await setSecret('not-the-secret-99');
    const r = await iscsiadm('-m', 'node', '-T', TARGET, '-p', SERVER_IP, '--login');
    assert.equal(r.code, 24, `expected iscsiadm's "login authentication failed" (24): ${r.stderr}`);
    assert.match(r.stderr, /authoriz|authentication/i);
    const s = await iscsiadm('-m', 'session');
    assert.equal(s.code, 21, `expected "no active sessions": ${s.stdout}${s.stderr}`);
    assert.doesNotMatch(await iscsiDisks(), /iscsi/);
  }));

  it('the right CHAP secret logs in and the LUN appears as a 64 MiB block device that keeps data', guard(async () => {
    await setSecret(CHAP_SECRET);
    const r = await iscsiadm('-m', 'node', '-T', TARGET, '-p', SERVER_IP, '--login');
    assert.equal(r.code, 0, r.stderr);
    let disk = '';
    for (let i = 0; i < 50 && !disk; i++) {
      const l = await iscsiDisks();
      disk = /^(sd[a-z]+)\s+iscsi\s+(\d+)/m.exec(l)?.[1] ?? '';
      if (disk) assert.match(l, new RegExp(`^${disk}\\s+iscsi\\s+${64 * 1024 * 1024}\\s+LIO-ORG`, 'm'));
    }
    assert.ok(disk, 'no iSCSI disk appeared');
    // One block written (conv=sync pads it to 512 bytes) and read back past the page cache.
    await client!.mustRun(['dd', `of=/dev/${disk}`, 'bs=512', 'conv=fsync,sync', 'status=none'], { input: 'hostdeck-lun' });
    const w = await client!.mustRun(['dd', `if=/dev/${disk}`, 'bs=512', 'count=1', 'iflag=direct', 'status=none']);
    assert.equal(w.stdout.slice(0, 12), 'hostdeck-lun');
    const out = await iscsiadm('-m', 'node', '-T', TARGET, '-p', SERVER_IP, '--logout');
    assert.equal(out.code, 0, out.stderr);
  }));

  it('each host sees the other as its LLDP neighbour on eth0', guard(async () => {
    for (const [me, other, peer] of [[client!, server!, 'storage'], [server!, client!, 'node1']] as const) {
      let names: string[] = [];
      for (let i = 0; i < 30 && !names.includes(peer); i++) {
        // The peer is asked to send now: a host whose lldpd started after the
        // peer's first frame would otherwise wait for the next one (30 s later).
        if (i) await other.run(['lldpcli', 'update']);
        const r = await me.mustRun(['lldpcli', '-f', 'json', 'show', 'neighbors']);
        const ifaces = (JSON.parse(r.stdout) as { lldp?: { interface?: Record<string, { chassis?: Record<string, unknown> }> | Record<string, { chassis?: Record<string, unknown> }>[] } }).lldp?.interface ?? [];
        const list = Array.isArray(ifaces) ? ifaces : [ifaces];
        names = list.flatMap((o) => Object.entries(o).filter(([n]) => n === 'eth0').flatMap(([, v]) => Object.keys(v.chassis ?? {})));
      }
      assert.ok(names.includes(peer), `${me.name} sees ${JSON.stringify(names)} on eth0, not ${peer}`);
    }
  }));

  it('an NFS export of the other host is mounted, a file written and read back on both sides', guard(async () => {
    await client!.mustRun(['mkdir', '-p', '/mnt/nfs']);
    // /srv/nfs is the server's NFSv4 root (see scripts/testhost/services/nfs-server).
    const m = await client!.run(['mount', '-t', 'nfs', '-o', 'vers=4.2', `${SERVER_IP}:/`, '/mnt/nfs'], { timeoutMs: 90_000 });
    assert.equal(m.code, 0, m.stderr);
    const mounts = await client!.readFile('/proc/mounts');
    assert.match(mounts, new RegExp(`^${SERVER_IP.replace(/\./g, '\\.')}:/ /mnt/nfs nfs4 rw,.*vers=4\\.2`, 'm'));
    await client!.writeFile('/mnt/nfs/hello.txt', 'written by node1 over NFS\n');
    assert.equal(await client!.readFile('/mnt/nfs/hello.txt'), 'written by node1 over NFS\n');
    assert.equal(await server!.readFile('/srv/nfs/hello.txt'), 'written by node1 over NFS\n');
    await client!.mustRun(['umount', '/mnt/nfs']);
  }));

  it('pulling the cable cuts the hosts apart, plugging it back reconnects them', guard(async () => {
    const ping = () => client!.run(['ping', '-c', '1', '-W', '2', SERVER_IP]);
    await server!.setLink(0, false);
    try {
      assert.notEqual((await ping()).code, 0, 'the server answered through a pulled cable');
      assert.equal((await server!.readFile('/sys/class/net/eth0/carrier')).trim(), '0');
    } finally {
      await server!.setLink(0, true);
    }
    let r = await ping();
    for (let i = 0; i < 10 && r.code !== 0; i++) r = await ping();
    assert.equal(r.code, 0, r.stdout + r.stderr);
  }));
});
