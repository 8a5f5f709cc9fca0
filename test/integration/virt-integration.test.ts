// The libvirt access layer against the real libvirtd with a tiny guest:
// events from outside hostdeck, bulk stats, every lifecycle action (with
// its event-log entry), snapshots, a crash, and libvirtd going away and
// coming back. One guest for the whole file (every define after a start
// costs a QEMU re-probe on this machine).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, runOk } from '../../src/exec/runner.ts';
import { VirtConnection } from '../../src/virt/connection.ts';
import { createCore, type Core } from '../../src/core/index.ts';
import { testServices } from '../lib/services.ts';
import { computeDomainRates } from '../../src/virt/stats.ts';
import { snapshotTree } from '../../src/virt/snapshots.ts';
import type { DomainEvent } from '../../src/virt/events.ts';
import type { ConnectionStatus } from '../../src/virt/types.ts';
import { EventLog } from '../../src/manager/events.ts';
import { vmCanStart, vmCanShutdown } from '../../src/domain/vm.ts';
import { defineGuest, diskPath, domstate, guestImage, guestName, removeGuests, removeStaleGuests, serialLogPath, virshSys, waitForSerial, waitForState, IMAGES_DIR, SYSTEM_URI } from '../lib/guest.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const prefix = guestName('int');
const vm = `${prefix}-a`;

/** Collects domain events and waits for one that matches. */
class EventWatch {
  readonly seen: DomainEvent[] = [];
  private waiters: { pred: (e: DomainEvent) => boolean; resolve: (e: DomainEvent) => void }[] = [];
  push = (e: DomainEvent) => {
    this.seen.push(e);
    this.waiters = this.waiters.filter((w) => (w.pred(e) ? (w.resolve(e), false) : true));
  };
  /** Resolves with the first event matching `pred` seen after index `from`. */
  wait(pred: (e: DomainEvent) => boolean, what: string, from = 0, timeoutMs = 180_000): Promise<DomainEvent> {
    const old = this.seen.slice(from).find(pred);
    if (old) return Promise.resolve(old);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no ${what} event; saw: ${this.seen.slice(from).map((e) => e.text).join(' | ') || 'nothing'}`)), timeoutMs);
      this.waiters.push({ pred, resolve: (e) => { clearTimeout(t); resolve(e); } });
    });
  }
  mark(): number {
    return this.seen.length;
  }
}

/** scripts/libvirt-up, once more if the first start did not come up. */
async function libvirtUp(): Promise<void> {
  const r = await run(`${ROOT}scripts/libvirt-up`, [], { timeoutMs: 120_000 });
  if (r.exitCode !== 0) await runOk(`${ROOT}scripts/libvirt-up`, [], { timeoutMs: 120_000 });
}

/**
 * The guests' disks are files in IMAGES_DIR; clone and delete with storage
 * act on disks only as volumes of a pool on the connection: a pool of this
 * run's own over that directory, unless one is there already (libvirt
 * allows one pool per directory). Returns the pool this run defined, if any.
 */
async function imagesPool(): Promise<string | undefined> {
  const pools = (await virshSys('pool-list', '--all', '--name')).split('\n').map((l) => l.trim()).filter(Boolean);
  for (const p of pools) {
    if (!(await virshSys('pool-dumpxml', '--pool', p)).includes(`<path>${IMAGES_DIR}</path>`)) continue;
    await run('virsh', ['-c', SYSTEM_URI, 'pool-start', '--pool', p]);
    return undefined;
  }
  const pool = `${prefix}-images`;
  await virshSys('pool-define-as', '--name', pool, '--type', 'dir', '--target', IMAGES_DIR);
  await virshSys('pool-start', '--pool', pool);
  return pool;
}

const markerCount = (name: string, marker: string): number => {
  try { return readFileSync(serialLogPath(name), 'utf8').split(marker).length - 1; } catch { return 0; }
};

describe('libvirt access layer on the real libvirtd with a tiny guest', { concurrency: false }, () => {
  let virt: VirtConnection;
  let core: Core;
  let svc: ReturnType<typeof testServices>;
  let log: EventLog;
  let marker: string;
  const watch = new EventWatch();
  let unsubscribe: () => void;
  let ownPool: string | undefined;
  const isMine = (kind: string) => (e: DomainEvent) => e.domain === vm && e.kind === kind;

  before(async () => {
    marker = (await guestImage()).marker;
    await removeStaleGuests();
    await removeGuests(prefix);
    // The core's own connection is the one watched: its events and its actions are this test's.
    svc = testServices({ uri: SYSTEM_URI, channel: 'cli' });
    virt = svc.virt;
    log = svc.events;
    core = createCore(svc, { user: 'test', channel: 'cli' });
    unsubscribe = virt.onDomainEvent(watch.push);
    ownPool = await imagesPool();
  });

  after(async () => {
    // Never leave the machine without libvirtd (other tests and people use it).
    if ((await run('virsh', ['-c', SYSTEM_URI, 'uri'])).exitCode !== 0) await libvirtUp();
    unsubscribe?.();
    await svc?.cleanup();
    await removeGuests(prefix);
    // Stopping and undefining a dir pool leaves its files.
    if (ownPool) for (const cmd of ['pool-destroy', 'pool-undefine']) await run('virsh', ['-c', SYSTEM_URI, cmd, '--pool', ownPool]);
  });

  const lastEvent = () => log.list({ limit: 1 })[0]!;

  /** Until an event for the VM comes through: the stream is registered with libvirtd. */
  const handshake = async () => {
    for (let i = 0; i < 30; i++) {
      const from = watch.mark();
      await virshSys('desc', vm, '--config', `handshake ${i}`);
      if (await watch.wait((e) => e.domain === vm, 'metadata', from, 2000).catch(() => undefined)) return;
    }
    assert.fail('the event stream never delivered an event');
  };

  it('sees a guest defined and started with virsh outside hostdeck through the event stream', async () => {
    // The stream registers with libvirtd shortly after it starts: define
    // (again) until its "defined" event shows it is listening.
    const from0 = watch.mark();
    await defineGuest(vm);
    if (!(await watch.wait(isMine('define'), 'define', from0, 3000).catch(() => undefined))) await handshake();
    const from = watch.mark();
    await virshSys('start', vm);
    const e = await watch.wait(isMine('start'), 'start', from);
    assert.equal(e.lifecycle, 'started');
    assert.equal(e.detail, 'Booted');
    await waitForSerial(vm, marker);
  });

  it('samples the guest in one bulk call: CPU time, memory, guest-reported memory, disk and NIC counters, uptime', async () => {
    const find = async () => (await virt.domainStats()).find((s) => s.name === vm)!;
    let a = await find();
    // The balloon driver reports every second once the guest has booted.
    for (let i = 0; i < 50 && !a.guest?.availableKiB; i++) { await new Promise((r) => setTimeout(r, 200)); a = await find(); }
    assert.equal(a.state, 'running');
    assert.equal(a.vcpusCurrent, 1);
    assert.equal(a.maxMemoryKiB, 131072);
    assert.ok(a.guest?.availableKiB && a.guest.availableKiB <= 131072, 'guest-reported memory');
    assert.ok(a.cpuTimeNs! > 0);
    // The guest reads 1 MiB of its disk at boot.
    assert.equal(a.disks[0]!.name, 'vda');
    assert.ok(a.disks[0]!.rdBytes >= 1048576, `read ${a.disks[0]!.rdBytes} bytes`);
    assert.equal(a.nics.length, 1);
    assert.ok(a.startedAt && a.startedAt <= Date.now() && a.startedAt > Date.now() - 600_000, 'start time known');
    await new Promise((r) => setTimeout(r, 1000));
    const b = await find();
    const r = computeDomainRates(a, b, { hostCpus: (await virt.nodeInfo()).cpus });
    assert.ok(r.cpuPercent !== undefined && r.cpuPercent >= 0 && r.cpuPercent <= 100);
    assert.ok(r.intervalSec > 0);
  });

  it('pause and resume, each written to the event log', async () => {
    await core.vms.pause(vm);
    assert.equal(await domstate(vm), 'paused');
    assert.deepEqual([lastEvent().message, lastEvent().result, lastEvent().objectId], [`Pause VM ${vm}`, 'success', vm]);
    assert.match(vmCanShutdown({ state: await virt.domainState(vm) }).reason!, /paused/);
    await core.vms.resume(vm);
    assert.equal(await domstate(vm), 'running');
  });

  it('a failing action is written to the event log as a failure', async () => {
    await assert.rejects(core.vms.start(vm), /already running|already active/i);
    assert.equal(lastEvent().result, 'failure');
    assert.match(lastEvent().message, new RegExp(`^Start VM ${vm} failed: `));
  });

  it('reboot: the guest boots again (its marker appears a second time)', async () => {
    const before = markerCount(vm, marker);
    await core.vms.reboot(vm);
    for (let i = 0; i < 900 && markerCount(vm, marker) <= before; i++) await new Promise((r) => setTimeout(r, 200));
    assert.ok(markerCount(vm, marker) > before, 'the guest printed its marker again');
    assert.equal(await domstate(vm), 'running');
  });

  it('snapshots: create two, list them as a tree with the current one, revert, delete', async () => {
    await core.snapshots.create(vm, { name: 's1', description: 'first <one>', mode: 'full' });
    await core.snapshots.create(vm, { name: 's2', mode: 'full' });
    assert.deepEqual((await virshSys('snapshot-list', vm, '--name')).split('\n').filter(Boolean).sort(), ['s1', 's2']);
    const list = await virt.snapshotList(vm);
    assert.deepEqual(list.map((s) => [s.name, s.parent ?? null, s.current, s.state]), [['s1', null, false, 'running'], ['s2', 's1', true, 'running']]);
    assert.deepEqual(snapshotTree(list).map((n) => [n.name, n.children.map((c) => c.name)]), [['s1', ['s2']]]);
    assert.equal((await virt.domainGet(vm)).snapshots, 2);
    await core.snapshots.revert(vm, 's1');
    assert.equal((await virshSys('snapshot-current', vm, '--name')).trim(), 's1');
    assert.equal(await domstate(vm), 'running');
    await core.snapshots.delete(vm, 's2');
    assert.deepEqual((await virshSys('snapshot-list', vm, '--name')).split('\n').filter(Boolean), ['s1']);
    assert.equal(lastEvent().message, `Delete snapshot s2 of VM ${vm}`);
  });

  it('save (memory to libvirt\'s managed save image) and restore from it', async () => {
    await core.vms.save(vm);
    assert.equal(await domstate(vm), 'shut off');
    assert.equal((await virt.domainGet(vm)).managedSave, true);
    await core.vms.restore(vm);
    assert.equal(await domstate(vm), 'running');
  });

  it('autostart on and off (virsh dominfo agrees)', async () => {
    await core.vms.setAutostart(vm, true);
    assert.match(await virshSys('dominfo', vm), /Autostart:\s+enable/);
    assert.equal((await virt.domainGet(vm)).autostart, true);
    await core.vms.setAutostart(vm, false);
    assert.match(await virshSys('dominfo', vm), /Autostart:\s+disable/);
  });

  it('shutdown: the guest powers off on the ACPI request and the stop arrives as an event', async () => {
    const from = watch.mark();
    await core.vms.shutdown(vm);
    await waitForState(vm, ['shut off']);
    const e = await watch.wait(isMine('stop'), 'stop', from);
    assert.equal(e.detail, 'Shutdown');
    assert.ok(vmCanStart({ state: await virt.domainState(vm) }).available);
  });

  it('clone (disk copied by libvirt in its pool, new UUID and MAC, other memory) and edit; the clone boots on its own disk', async () => {
    const clone = `${prefix}-b`;
    await core.vms.clone(vm, clone);
    await core.vms.edit(clone, { memoryMiB: 160 });
    const [a, b] = [await virt.domainGet(vm), await virt.domainGet(clone)];
    assert.notEqual(b.uuid, a.uuid);
    assert.equal(b.details.disks[0]!.path, diskPath(clone));
    assert.ok(existsSync(diskPath(clone)));
    assert.ok(b.details.interfaces[0]!.mac && b.details.interfaces[0]!.mac !== a.details.interfaces[0]!.mac);
    assert.equal(b.maxMemoryKiB, 160 * 1024);
    assert.equal(b.snapshots, 0);
    await core.vms.edit(clone, { vcpus: 2, description: 'edited by a test' });
    const info = await virshSys('dominfo', clone);
    assert.match(info, /CPU\(s\):\s+2/);
    assert.equal((await virshSys('desc', clone)).trim(), 'edited by a test');
    assert.equal(lastEvent().message, `Edit VM ${clone}: vCPUs 2, description`);
    await core.vms.start(clone);
    await waitForSerial(clone, marker);
    await core.vms.forceOff(clone);
    await core.vms.delete(clone, { removeDisks: true });
    assert.ok(!existsSync(diskPath(clone)));
    assert.ok(existsSync(diskPath(vm)), 'the original disk stays');
  });

  it('start through hostdeck boots the guest (serial console marker)', async () => {
    await core.vms.start(vm);
    assert.equal(await domstate(vm), 'running');
    // The serial log starts afresh with each QEMU process (append='off').
    await waitForSerial(vm, marker);
  });

  it('a QEMU process that dies is reported as a crash event', async () => {
    const pid = Number(readFileSync(`/run/libvirt/qemu/${vm}.pid`, 'utf8').trim());
    const from = watch.mark();
    process.kill(pid, 'SIGKILL');
    const e = await watch.wait(isMine('crash'), 'crash', from);
    assert.equal(e.detail, 'Failed');
    assert.match(await virshSys('domstate', vm, '--reason'), /shut off \(crashed\)/);
  });

  it('libvirtd stopped: disconnected, no crash; started again: connected on its own and events flow again', async () => {
    await virt.connect();
    assert.equal(virt.getStatus().state, 'connected');
    const states: ConnectionStatus['state'][] = [];
    const off = virt.onStatus((s) => states.push(s.state));
    const waitState = (want: ConnectionStatus['state'], poke: boolean) => new Promise<void>((resolve, reject) => {
      const until = Date.now() + 180_000;
      const tick = async () => {
        if (virt.getStatus().state === want) return resolve();
        if (Date.now() > until) return reject(new Error(`connection never became ${want}; went through ${states.join(' -> ')}`));
        // A poller would be calling in; the event stream notices on its own too.
        if (poke) await virt.domainList().catch(() => undefined);
        setTimeout(tick, 200);
      };
      void tick();
    });
    const pid = Number(readFileSync('/run/libvirtd.pid', 'utf8').trim());
    const alive = () => { try { process.kill(pid, 0); return true; } catch { return false; } };
    process.kill(pid, 'SIGTERM');
    // libvirtd can take a while to finish under load; scripts/libvirt-up starts
    // nothing while the old one is still there.
    for (let i = 0; i < 600 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
    if (alive()) process.kill(pid, 'SIGKILL');
    for (let i = 0; i < 100 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
    await waitState('disconnected', true);
    await assert.rejects(virt.domainList());
    await libvirtUp();
    // No calls from here on: the connection comes back by itself.
    await waitState('connected', false);
    off();
    assert.deepEqual([states.includes('disconnected'), states.at(-1)], [true, 'connected']);
    // The event stream is back too: a start from outside reaches us.
    await handshake();
    const from = watch.mark();
    await virshSys('start', vm);
    await watch.wait(isMine('start'), 'start after reconnect', from);
    assert.ok((await virt.domainList()).some((d) => d.name === vm && d.state === 'running'));
  });

  it('delete a VM (with its disk)', async () => {
    await core.vms.forceOff(vm);
    assert.equal(await domstate(vm), 'shut off');
    // libvirtd was restarted meanwhile: the pool is running again before its volume is deleted.
    await imagesPool();
    await core.vms.delete(vm, { removeDisks: true });
    assert.ok(!(await virshSys('list', '--all', '--name')).split('\n').includes(vm));
    assert.ok(!existsSync(diskPath(vm)), 'its disk is gone');
    assert.equal(lastEvent().message, `Delete VM ${vm} and its disks`);
    assert.equal(lastEvent().result, 'success');
  });
});

describe('storage pools, volumes and networks on the real libvirtd', { concurrency: false }, () => {
  const virt = new VirtConnection(SYSTEM_URI);
  const pool = `${prefix}-pool`;
  const dir = `/var/lib/${pool}`;
  const net = `${prefix}-net`;
  after(async () => {
    await virshSys('pool-destroy', pool).catch(() => undefined);
    await virshSys('pool-undefine', pool).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    await virshSys('net-destroy', net).catch(() => undefined);
    await virshSys('net-undefine', net).catch(() => undefined);
    await virt.close();
  });

  it('creates a directory pool, a volume on it (qemu-img sees it), refreshes, deletes both', async () => {
    await virt.storagePoolCreateDir(pool, dir);
    assert.match(await virshSys('pool-info', pool), /State:\s+running/);
    const path = await virt.storageVolumeCreate(pool, 'disk 1.qcow2', 32 * 1048576);
    assert.equal(path, `${dir}/disk 1.qcow2`);
    const info = JSON.parse((await runOk('qemu-img', ['info', '--output=json', path])).stdout) as { format: string; 'virtual-size': number };
    assert.deepEqual([info.format, info['virtual-size']], ['qcow2', 32 * 1048576]);
    // A file put there by hand shows up after a refresh.
    await runOk('qemu-img', ['create', '-q', '-f', 'raw', `${dir}/by-hand.img`, '1M']);
    await virt.storagePoolRefresh(pool);
    assert.deepEqual((await virt.storageVolumeList(pool)).map((v) => [v.name, v.capacityBytes]), [['by-hand.img', 1048576], ['disk 1.qcow2', 32 * 1048576]]);
    const p = (await virt.storagePoolList()).find((x) => x.name === pool)!;
    assert.equal(p.state, 'running');
    await virt.storageVolumeDelete(pool, 'disk 1.qcow2');
    assert.deepEqual((await virt.storageVolumeList(pool)).map((v) => v.name), ['by-hand.img']);
    await virt.storagePoolDelete(pool);
    assert.ok(!(await virt.storagePoolList()).some((x) => x.name === pool));
  });

  it('starts and stops an isolated network (its bridge appears and goes)', async () => {
    const bridge = `hdt${process.pid.toString(36).slice(-6)}n`;
    const file = join(tmpdir(), `${net}.xml`);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, `<network><name>${net}</name><bridge name='${bridge}' stp='off'/></network>\n`);
    await virshSys('net-define', file);
    rmSync(file, { force: true });
    assert.equal((await virt.networkList()).find((n) => n.name === net)?.active, false);
    await virt.networkStart(net);
    assert.equal((await virt.networkList()).find((n) => n.name === net)?.active, true);
    assert.equal((await run('ip', ['link', 'show', bridge])).exitCode, 0);
    await virt.networkStop(net);
    assert.equal((await virt.networkList()).find((n) => n.name === net)?.active, false);
    assert.notEqual((await run('ip', ['link', 'show', bridge])).exitCode, 0);
  });
});
