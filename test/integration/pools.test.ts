// VM pools on the real libvirtd with the tiny guest, over one template made
// from it on a local directory data domain (shared by every case): a pool of
// 3 with 1 prestarted has exactly 1 running with no user once the host
// service's duty ran; taking a VM gives a running VM recorded for the user,
// refused past the per-user maximum; a pool VM is stateless (its guest
// writes to its disk; after the run the disk image is byte for byte the
// same); shrinking keeps assigned VMs; removing is refused while a VM runs;
// a pool whose 3rd VM fails to create leaves nothing; the leftovers of a
// create killed half-way (a row left 'creating' with its VM, and a real
// `hostdeck pool create` killed with SIGKILL) are cleaned up with an event;
// `hostdeck serve`
// starts a prestarted VM on its own.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testServices } from '../lib/services.ts';
import { defineGuest, guestImage, guestName, removeGuests, removeStaleGuests, SYSTEM_URI, waitForSerial } from '../lib/guest.ts';
import { libvirtReady, virsh, virshTry } from '../lib/lifecycle.ts';
import { localDataDomain, removeDomainPool } from '../lib/local-data-domain.ts';
import { createCore, type Core } from '../../src/core/index.ts';
import { SERVICE_DUTIES } from '../../src/core/service-duties.ts';
import { categoryOf, fieldErrorsOf } from '../../src/domain/errors.ts';
import type { StorageDomain } from '../../src/core/storage-domains.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const prefix = guestName('pool');
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const exists = async (vm: string) => (await virshTry('domstate', vm)).code === 0;

/** Until `ok` holds (the deadline only ends a hung test; nothing is timed). */
async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, ms = 120_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}: last ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Type a command into the guest's serial console shell (its pty) and wait for what it prints. */
async function inGuest(vm: string, command: string, expect: string): Promise<void> {
  const pty = (await virsh('ttyconsole', vm)).trim();
  spawnSync('stty', ['-F', pty, 'raw', '-echo']);
  const fd = openSync(pty, 'r+');
  try {
    writeSync(fd, `${command}\r`);
    await waitForSerial(vm, expect, 60_000);
  } finally {
    closeSync(fd);
  }
}

describe('VM pools on the real libvirtd: stateless thin VMs from a tiny guest template', { timeout: 600_000 }, () => {
  const s = testServices({ uri: SYSTEM_URI, channel: 'cli' });
  const core: Core = createCore(s, { user: 'tester', channel: 'cli' });
  const dir = mkdtempSync(join(tmpdir(), 'hostdeck-pool-'));
  let domain: StorageDomain;
  const images = () => join(domain.path, 'images');
  const duty = SERVICE_DUTIES.find((d) => d.id === 'pool-prestart')!;
  const a = `${prefix}-a`;
  /** A hostdeck process's environment: this test's state DB, log and libvirtd. */
  const hostdeckEnv = () => ({ ...process.env, HOSTDECK_DB: s.config.dbPath, HOSTDECK_LOG: s.config.logFile, LIBVIRT_DEFAULT_URI: SYSTEM_URI });

  before(async () => {
    await libvirtReady(ROOT);
    await guestImage();
    await removeStaleGuests();
    await removeGuests(`${prefix}-`);
    s.config.hooks = { enabled: false, root: join(dir, 'hooks'), timeoutMs: 30_000 };
    domain = await localDataDomain(core, dir, 'pool');
    await defineGuest(`${prefix}-src`, { nic: false });
    await (await core.templates()).create({ name: 'tiny', vm: `${prefix}-src`, storageDomain: 'pool-data' });
  });
  after(async () => {
    await removeGuests(`${prefix}-`);
    await removeDomainPool(domain);
    await s.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('bad input names the field and the rule, and makes nothing', async () => {
    const cases: [Parameters<Core['pools']['create']>[0], string, RegExp][] = [
      [{ name: 'bad name', template: 'tiny', size: 1 }, 'name', /may contain only letters/],
      [{ name: 'p', template: 'tiny', size: 0 }, 'size', /from 1 to/],
      [{ name: 'p', template: 'tiny', size: 2, prestarted: 3 }, 'prestarted', /at most the size \(2\)/],
      [{ name: 'p', template: 'tiny', size: 2, maxPerUser: 0 }, 'max-per-user', /from 1 to/],
      [{ name: 'p', template: 'nope', size: 1 }, 'template', /no template named "nope"/],
      [{ name: 'p', template: 'tiny', templateVersion: '7', size: 1 }, 'template-version', /no version "7"/],
      [{ name: 'p', template: 'tiny', size: 1, cluster: 'nope' }, 'cluster', /no cluster named "nope"/],
      [{ name: 'p', template: 'Blank', size: 1 }, 'template', /has no disks/],
    ];
    for (const [input, field, rule] of cases) {
      await assert.rejects(core.pools.create(input), (e: Error) => fieldErrorsOf(e)?.[0]?.field === field && rule.test(e.message), `${field}: ${JSON.stringify(input)}`);
    }
    assert.deepEqual(await core.pools.list(), []);
  });

  it('a pool of 3 with 1 prestarted: once the duty ran, exactly 1 runs, with no user', async () => {
    const made = await core.pools.create({ name: a, template: 'tiny', size: 3, prestarted: 1, maxPerUser: 1, type: 'automatic' });
    assert.deepEqual(made.vms.map((v) => [v.name, v.state, v.user]), [1, 2, 3].map((n) => [`${a}-${n}`, 'shutoff', null]));
    // Stateless: every disk of a pool VM is a transient one.
    assert.match(await virsh('dumpxml', '--inactive', `${a}-1`), /<transient\/>/);
    assert.equal(s.events.list({ text: `Create pool ${a}` })[0]?.result, 'success');
    const run = duty.create(core);
    assert.match(await run(), new RegExp(`${a}: started ${a}-1`));
    const p = await core.pools.show(a);
    assert.deepEqual(p.vms.filter((v) => v.running).map((v) => [v.name, v.user]), [[`${a}-1`, null]]);
    assert.equal(await run(), 'every pool ready', 'a second run has nothing to do');
    assert.equal((await core.pools.show(a)).running, 1);
  });

  let bobVm = '';

  it('taking a VM gives a running VM recorded for the user; past the per-user maximum it is refused', async () => {
    const first = await core.pools.take(a, 'alice');
    assert.deepEqual(first, { vm: `${a}-1`, started: false }, 'the prestarted VM first');
    await assert.rejects(core.pools.take(a, 'alice'), (e: Error) => categoryOf(e) === 'state' && /user alice has 1 VM of pool .* already \(at most 1 per user/.test(e.message));
    await assert.rejects(core.pools.take(a, '-rf'), (e: Error) => fieldErrorsOf(e)?.[0]?.field === 'user');
    const second = await core.pools.take(a, 'bob');
    assert.equal(second.started, true);
    bobVm = second.vm;
    const p = await core.pools.show(a);
    const bob = p.vms.find((v) => v.name === bobVm)!;
    assert.deepEqual([bob.user, bob.running, typeof bob.assignedAt], ['bob', true, 'string']);
    assert.equal(p.vms.find((v) => v.name === `${a}-1`)!.user, 'alice');
    await waitForSerial(bobVm, (await guestImage()).marker);
    assert.equal(s.events.list({ text: `Give a VM of pool ${a} to user bob` })[0]?.result, 'success');
  });

  it('a pool VM is stateless: its guest writes to its disk, and after the run the disk image is the same', async () => {
    const disk = join(images(), `${bobVm}.qcow2`);
    const before = sha256(disk);
    const template = readdirSync(images()).find((f) => f.startsWith('template-'))!;
    const templateSum = sha256(join(images(), template));
    await inGuest(bobVm, 'dd if=/dev/urandom of=/dev/vda bs=64k count=16 conv=fsync 2>/dev/null && echo WROTE-$((6*7))', 'WROTE-42');
    // The run's writes went to an overlay of libvirt's...
    assert.ok(readdirSync(images()).some((f) => f.startsWith(`${bobVm}.qcow2.TRANSIENT`)));
    const back = await core.pools.giveBack(bobVm);
    assert.deepEqual(back, { vm: bobVm, pool: a, user: 'bob' });
    // ...which is gone with the run; the VM's own image and the template's are unchanged.
    assert.deepEqual(readdirSync(images()).filter((f) => f.startsWith(`${bobVm}.qcow2.TRANSIENT`)), []);
    assert.equal(sha256(disk), before);
    assert.equal(sha256(join(images(), template)), templateSum);
    const p = await core.pools.show(a);
    assert.deepEqual([p.vms.find((v) => v.name === bobVm)!.user, p.vms.find((v) => v.name === bobVm)!.running], [null, false]);
  });

  it('shrinking removes only unassigned, stopped VMs: the assigned one stays; removing is refused while a VM runs', async () => {
    await assert.rejects(core.pools.shrink(a, 3), (e: Error) => fieldErrorsOf(e)?.[0]?.field === 'count');
    const after = await core.pools.shrink(a, 2);
    assert.deepEqual(after.vms.map((v) => [v.name, v.user]), [[`${a}-1`, 'alice']]);
    assert.equal(after.size, 1);
    for (const n of [2, 3]) {
      assert.equal(await exists(`${a}-${n}`), false);
      assert.equal(existsSync(join(images(), `${a}-${n}.qcow2`)), false);
    }
    await assert.rejects(core.pools.remove(a), (e: Error) => categoryOf(e) === 'state' && e.message.includes(`${a}-1 (alice) runs`) && /--stop-first/.test(e.message));
    assert.equal(await exists(`${a}-1`), true);
    assert.deepEqual((await core.pools.remove(a, { stopFirst: true })).removed, [`${a}-1`]);
    assert.equal(await exists(`${a}-1`), false);
    assert.deepEqual(await core.pools.list(), []);
    assert.deepEqual(readdirSync(images()).filter((f) => f.startsWith(a)), []);
  });

  it('a pool whose 3rd VM fails to create is not created at all: no VM, no overlay, no row', async () => {
    const b = `${prefix}-b`;
    const squat = join(images(), `${b}-3.qcow2`);
    // Something else takes the 3rd VM's disk name while the first two are made.
    const onStep = (t: string) => { if (t.includes(`VM ${b}-3`)) writeFileSync(squat, 'not yours'); };
    await assert.rejects(core.pools.create({ name: b, template: 'tiny', size: 3 }, { onStep }), /already exists.*\(the pool was not created; nothing was left behind\)/s);
    rmSync(squat);
    for (const n of [1, 2, 3]) assert.equal(await exists(`${b}-${n}`), false);
    assert.deepEqual(readdirSync(images()).filter((f) => f.startsWith(b)), []);
    assert.equal(s.db.prepare('SELECT count(*) FROM vm_pools').pluck().get(), 0);
    assert.equal(s.db.prepare('SELECT count(*) FROM pool_vms').pluck().get(), 0);
    assert.equal(s.events.list({ text: `Create pool ${b}` })[0]?.result, 'failure');
  });

  it("the leftovers of a pool create killed half-way (a 'creating' row, its VM) are cleaned up at the next first use, with an event", async () => {
    const c = `${prefix}-c`;
    const gone = spawnSync('true').pid!;
    const tplId = s.db.prepare("SELECT base_id FROM templates WHERE name = 'tiny'").pluck().get() as string;
    s.db.prepare(`INSERT INTO vm_pools (id, name, template_id, size, type, status, creator_pid, created_at) VALUES ('p-killed', ?, ?, 3, 'automatic', 'creating', ?, ?)`).run(c, tplId, gone, new Date().toISOString());
    // The killed process had made its first VM (and not yet recorded it).
    await (await core.templates()).createVm({ name: `${c}-1`, template: 'tiny', mode: 'thin' });
    const next = createCore(s, { user: 'tester', channel: 'cli' });
    assert.deepEqual(await next.pools.list(), []);
    assert.equal(await exists(`${c}-1`), false);
    assert.deepEqual(readdirSync(images()).filter((f) => f.startsWith(c)), []);
    assert.equal(s.db.prepare('SELECT count(*) FROM vm_pools').pluck().get(), 0);
    const ev = s.events.list({ text: 'Clean up after a pool create killed half-way' })[0];
    assert.equal(ev?.result, 'success');
    assert.match(ev?.message ?? '', new RegExp(`pool ${c} left 'creating' \\(1 VM: ${c}-1\\)`));
  });

  it('a `hostdeck pool create` killed with SIGKILL while it makes its 2nd VM leaves nothing once the next pool use cleaned up', async () => {
    const k = `${prefix}-k`;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.tsx', 'pool', 'create', k, '--template', 'tiny', '--size', '3'], { cwd: ROOT, env: hostdeckEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
    const closed = new Promise((r) => child.on('close', r));
    let err = '';
    await new Promise<void>((resolve) => {
      child.stderr!.setEncoding('utf8').on('data', (c: string) => {
        err += c;
        if (err.includes(`creating VM ${k}-2`)) { child.kill('SIGKILL'); resolve(); }
      });
      child.on('close', () => resolve());
    });
    await closed;
    assert.match(err, new RegExp(`creating VM ${k}-2`), 'killed while making its 2nd VM');
    assert.equal(s.db.prepare("SELECT status FROM vm_pools WHERE name = ?").pluck().get(k), 'creating');
    const next = createCore(s, { user: 'tester', channel: 'cli' });
    assert.deepEqual((await next.pools.list()).map((p) => p.name), []);
    for (const n of [1, 2, 3]) assert.equal(await exists(`${k}-${n}`), false);
    assert.deepEqual(readdirSync(images()).filter((f) => f.startsWith(k)), []);
    assert.equal(s.db.prepare('SELECT count(*) FROM vm_pools').pluck().get(), 0);
    assert.equal(s.db.prepare('SELECT count(*) FROM pool_vms').pluck().get(), 0);
    assert.match(s.events.list({ text: `pool ${k} left 'creating'` })[0]?.message ?? '', new RegExp(`${k}-1`));
  });

  it('`hostdeck serve` keeps a prestarted VM running on its own; in an automatic pool a VM its user shuts down goes back to the pool', async () => {
    const d = `${prefix}-d`;
    await core.pools.create({ name: d, template: 'tiny', size: 1, prestarted: 1 });
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.tsx', 'serve', '--interval', '0.5'], { cwd: ROOT, env: hostdeckEnv(), stdio: 'ignore' });
    const closed = new Promise((r) => child.on('close', r));
    try {
      const p = await until('the service to start the prestarted VM', () => core.pools.show(d), (v) => v.running === 1);
      assert.deepEqual(p.vms.map((v) => [v.name, v.user, v.running]), [[`${d}-1`, null, true]]);
      assert.equal(s.events.list({ text: `Keep pool ${d} ready: started ${d}-1` })[0]?.channel, 'system');
      assert.deepEqual(await core.pools.take(d, 'carol'), { vm: `${d}-1`, started: false });
      await waitForSerial(`${d}-1`, (await guestImage()).marker);
      // carol shuts it down from inside (ACPI): the service gives it back, and starts it again as the prestarted one.
      await virsh('shutdown', `${d}-1`);
      await until('the VM to go back to the pool', async () => s.events.list({ text: `Keep pool ${d} ready: given back ${d}-1 (from carol)` }).length, (n) => n === 1);
      const after = await until('the prestarted VM to run again', () => core.pools.show(d), (v) => v.running === 1 && v.assigned === 0);
      assert.deepEqual(after.vms.map((v) => [v.user, v.running]), [[null, true]]);
    } finally {
      child.kill('SIGTERM');
      await closed;
    }
    await core.pools.remove(d, { stopFirst: true });
  });
});
