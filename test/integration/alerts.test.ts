// The alert evaluator (the host service's alerts duty) on the real libvirtd and
// this host's real /proc, with short windows (1 min) and its clock moved 30 s a
// round, a round about every second of real time: a tiny guest burning both
// its vCPUs raises the host CPU alert (threshold 90 %) with one warning event,
// an evaluator started again over the same database does not raise it again,
// and it clears with one info event once the guest's QEMU is gone; that kill
// is a crash to libvirt, which raises the VM-crashed alert (an 'alert' event),
// cleared once the VM is undefined. A guest writing past the end of a 2 MiB
// tmpfs that holds its 16 MiB disk (a dd typed on its serial console) is paused
// on the I/O error by QEMU (error_policy=stop): the VM-paused-on-I/O-error alert
// rises, and clears once the VM is destroyed. A local data domain's free-space alert
// rises with its own threshold set above its free space and clears when the
// threshold is lowered; its metadata gone, the health check marks it
// unreachable and the storage-unreachable alert rises, and clears once the
// metadata is back and the check passes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { testServices } from '../lib/services.ts';
import { until } from '../lib/until.ts';
import { defineGuest, guestName, removeGuests, removeStaleGuests, SYSTEM_URI, guestImage, serialLogPath, tinyGuestXml, virshSys, waitForSerial, waitForState } from '../lib/guest.ts';
import { run, runOk } from '../../src/exec/runner.ts';
import { localDataDomain, removeDomainPool } from '../lib/local-data-domain.ts';
import { createCore } from '../../src/core/index.ts';
import type { StorageDomain } from '../../src/core/storage-domains.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
/** Rounds at most while waiting for a raise or a clear (a round is about a second). */
const ROUNDS_MS = 240_000;

describe('alerts on the real libvirtd and this host', { timeout: 900_000 }, () => {
  const s = testServices({ uri: SYSTEM_URI, channel: 'cli' });
  const core = createCore(s, { user: 'tester', channel: 'cli' });
  const prefix = guestName('alert');
  const name = `${prefix}-burn`;
  const ioName = `${prefix}-io`;
  /** Where the I/O-error guest's disk lives: a tmpfs too small for it. */
  let tiny = '';
  let clock = Math.floor(Date.now() / 1000);
  const now = () => clock;
  let evaluator: Awaited<ReturnType<typeof core.alerts.newEvaluator>> | undefined;
  let domain: StorageDomain | undefined;

  /** One round 30 s later on the evaluator's clock; the open alerts after it. */
  const round = async () => {
    clock += 30;
    await evaluator!.run();
    return core.alerts.list();
  };
  const alertEvents = (rule: string) => s.events.list({ text: `Alert ${rule} ` }).filter((e) => e.source === 'alert').reverse();

  before(async () => {
    execFileSync(join(ROOT, 'scripts/libvirt-up'), { stdio: 'ignore' });
    await removeStaleGuests();
    domain = await localDataDomain(core, s.dir, 'alr');
    evaluator = await core.alerts.newEvaluator({ now });
  });
  after(async () => {
    evaluator?.close();
    await removeGuests(`${prefix}-`);
    if (tiny) await run('umount', ['--', tiny]);
    await removeDomainPool(domain);
    await s.cleanup();
  });

  it('a guest burning CPU raises the host CPU alert once, a restarted evaluator keeps it, and it clears once the guest is gone', async () => {
    await core.alerts.set({ name: 'host.cpu', value: 90, forMinutes: 1 });
    await defineGuest(name, { nic: false, vcpus: 2, burn: 2 });
    await virshSys('start', name);
    const raised = await until('the host CPU alert', round, (open) => open.some((a) => a.rule === 'host.cpu'), ROUNDS_MS, 1000);
    const cpu = raised.find((a) => a.rule === 'host.cpu')!;
    assert.equal(cpu.level, 'warning');
    assert.match(cpu.message, /CPU use \d+(\.\d)? %/);
    assert.deepEqual(alertEvents('host.cpu').map((e) => [e.severity, e.objectType, e.channel]), [['warning', 'host', 'system']]);

    // The service restarted: a new evaluator over the same state DB.
    evaluator!.close();
    evaluator = await core.alerts.newEvaluator({ now });
    for (let i = 0; i < 3; i++) await round();
    assert.equal(alertEvents('host.cpu').length, 1);

    // The guest's QEMU killed: its CPU stops, and libvirt sees a crash.
    const pid = Number(readFileSync(`/run/libvirt/qemu/${name}.pid`, 'utf8').trim());
    process.kill(pid, 'SIGKILL');
    const open = await until('the host CPU alert cleared and the VM-crashed one raised', round,
      (o) => !o.some((a) => a.rule === 'host.cpu') && o.some((a) => a.rule === 'vm.crashed'), ROUNDS_MS, 1000);
    assert.deepEqual(alertEvents('host.cpu').map((e) => e.severity), ['warning', 'info']);
    assert.match(alertEvents('host.cpu')[1]!.message, /^Alert host\.cpu cleared: host \S+: CPU use/);
    const crashed = open.find((a) => a.rule === 'vm.crashed')!;
    assert.deepEqual([crashed.level, crashed.objectType, crashed.objectName], ['critical', 'vm', `VM ${name}`]);
    assert.equal(alertEvents('vm.crashed')[0]!.severity, 'alert');

    await virshSys('undefine', name);
    await until('the VM-crashed alert cleared', round, (o) => !o.some((a) => a.rule === 'vm.crashed'), ROUNDS_MS, 100);
    assert.deepEqual(alertEvents('vm.crashed').map((e) => e.severity), ['alert', 'info']);
  });

  it("a data domain's free space below its own threshold raises its alert; lowering the threshold clears it", async () => {
    const d = domain!;
    await core.alerts.set({ name: 'storage.free-percent.warning', value: 100, forMinutes: 1, scope: `storage-domain:${d.name}` });
    const open = await until('the free-space alert', round, (o) => o.some((a) => a.rule === 'storage.free-percent.warning' && a.objectId === d.id), ROUNDS_MS, 100);
    assert.match(open.find((a) => a.rule === 'storage.free-percent.warning')!.message, new RegExp(`^storage domain ${d.name}: \\d+(\\.\\d)? % free$`));
    assert.deepEqual(alertEvents('storage.free-percent.warning').map((e) => [e.severity, e.objectType, e.objectId]), [['warning', 'storage-domain', d.id]]);
    await core.alerts.set({ name: 'storage.free-percent.warning', value: 1, scope: `storage-domain:${d.name}` });
    await until('the free-space alert cleared', round, (o) => !o.some((a) => a.rule === 'storage.free-percent.warning'), ROUNDS_MS, 100);
    assert.deepEqual(alertEvents('storage.free-percent.warning').map((e) => e.severity), ['warning', 'info']);
  });

  it("a data domain whose health check fails (its metadata gone) raises the storage-unreachable alert; readable again, it clears", async () => {
    const d = domain!;
    const monitor = await core.storageDomains.newMonitor();
    const metadata = join(d.path, 'dom_md', 'metadata');
    renameSync(metadata, `${metadata}.away`);
    try {
      await monitor.checkNow();
      assert.equal((await core.storageDomains.list()).find((x) => x.id === d.id)?.status, 'unreachable');
      const open = await until('the storage-unreachable alert', round, (o) => o.some((a) => a.rule === 'storage.unreachable' && a.objectId === d.id), ROUNDS_MS, 100);
      assert.match(open.find((a) => a.rule === 'storage.unreachable')!.message, new RegExp(`^storage domain ${d.name}: unreachable: reading .*metadata`));
    } finally {
      renameSync(`${metadata}.away`, metadata);
    }
    await monitor.checkNow();
    await until('the storage-unreachable alert cleared', round, (o) => !o.some((a) => a.rule === 'storage.unreachable'), ROUNDS_MS, 100);
    assert.deepEqual(alertEvents('storage.unreachable').map((e) => [e.severity, e.objectType, e.objectId]), [['alert', 'storage-domain', d.id], ['info', 'storage-domain', d.id]]);
  });

  it('a guest whose disk write fails (no space left) with error_policy=stop raises the VM-paused-on-I/O-error alert; it clears once the VM is gone', async () => {
    tiny = join(s.dir, 'tiny');
    mkdirSync(tiny);
    await runOk('mount', ['-t', 'tmpfs', '-o', 'size=2m,mode=0755', 'tmpfs', tiny]);
    const image = join(tiny, `${ioName}.raw`);
    await runOk('qemu-img', ['create', '-q', '-f', 'raw', image, '16M']);
    const disk = `<disk type='file' device='disk'><driver name='qemu' type='raw' error_policy='stop'/><source file='${image}'/><target dev='vda' bus='virtio'/></disk>`;
    const xml = (await tinyGuestXml(ioName, { nic: false })).replace(/<disk type='file'[\s\S]*?<\/disk>/, disk);
    const file = join(s.dir, `${ioName}.xml`);
    writeFileSync(file, xml);
    await virshSys('define', file);
    rmSync(file);
    await virshSys('start', ioName);
    await waitForSerial(ioName, (await guestImage()).marker);
    // The guest's shell on its serial console: fill the disk (16 MiB onto 2 MiB of tmpfs).
    // QEMU reads the console's pty once it sees it open (it looks every second): what is typed before is lost,
    // so a probe is typed until the shell has run it ("PTY-2" only appears as its output).
    const fd = openSync((await virshSys('ttyconsole', ioName)).trim(), 'w');
    try {
      await until('the guest shell answering on its serial console', () => {
        writeSync(fd, 'echo PTY-$((1+1))\n');
        return readFileSync(serialLogPath(ioName), 'utf8');
      }, (log) => log.includes('PTY-2'), 60_000, 500);
      writeSync(fd, 'dd if=/dev/zero of=/dev/vda bs=1M count=16 oflag=direct\n');
      await waitForState(ioName, ['paused']);
    } finally {
      closeSync(fd);
    }
    assert.match(await virshSys('domstate', '--reason', ioName), /paused \(I\/O error\)/);
    const open = await until('the paused-on-I/O-error alert', round, (o) => o.some((a) => a.rule === 'vm.paused-io-error'), ROUNDS_MS, 100);
    const paused = open.find((a) => a.rule === 'vm.paused-io-error')!;
    assert.deepEqual([paused.level, paused.objectName, paused.message], ['critical', `VM ${ioName}`, `VM ${ioName}: paused on an I/O error`]);
    assert.equal(alertEvents('vm.paused-io-error')[0]!.severity, 'alert');
    await virshSys('destroy', ioName);
    await until('the paused-on-I/O-error alert cleared', round, (o) => !o.some((a) => a.rule === 'vm.paused-io-error'), ROUNDS_MS, 100);
    assert.deepEqual(alertEvents('vm.paused-io-error').map((e) => e.severity), ['alert', 'info']);
  });
});
