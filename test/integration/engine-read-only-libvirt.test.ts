// While this host is registered with an oVirt engine (the engine stand-in,
// built from the published host-register protocol; test/lib/engine-standin.ts)
// hostdeck's libvirt connection is itself read-only on the real libvirtd:
// the CLI refuses every VM action naming the engine, and a write made
// straight on the connection the core uses fails with libvirt's own
// read-only error, while monitoring (list, dumpxml, bulk statistics, both
// samplers) keeps working. The registration and the unregistration are made
// by other processes while this one's connection is open: it follows them.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { testServices } from '../lib/services.ts';
import { runCli } from '../lib/cli-process.ts';
import { defineGuest, guestImage, guestName, removeGuests, removeStaleGuests, SYSTEM_URI } from '../lib/guest.ts';
import { domstate, libvirtReady, virsh } from '../lib/lifecycle.ts';
import { makeHostRoot, removeStandinPki, startEngineStandin, type EngineStandin, type HostRoot } from '../lib/engine-standin.ts';
import { createCore } from '../../src/core/index.ts';
import { categoryOf } from '../../src/domain/errors.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const vm = guestName('enginero');
/** libvirt's own read-only refusal, which the front ends report as "not allowed" (category forbidden). */
const READ_ONLY_ERROR = (e: unknown) => /operation forbidden: read only access prevents/.test((e as Error).message) && categoryOf(e) === 'forbidden';

describe('read-only libvirt while an engine owns the host (real libvirtd)', () => {
  const s = testServices({ uri: SYSTEM_URI, channel: 'cli' });
  const core = createCore(s, { user: 'tester', channel: 'cli' });
  let engine: EngineStandin;
  let host: HostRoot;

  /** The CLI on the same state DB and libvirt, with the test's host root for the engine's files. */
  const hostdeck = (...args: string[]) => runCli([...args, '-c', SYSTEM_URI, '--db', join(s.dir, 'state.db')], { HOSTDECK_ENGINE_ROOT: host.root });

  before(async () => {
    await libvirtReady(ROOT);
    await guestImage();
    await removeStaleGuests();
    await defineGuest(vm, { nic: false });
    engine = await startEngineStandin();
    host = makeHostRoot();
  });
  after(async () => {
    await removeGuests(vm);
    await engine.close();
    host.cleanup();
    removeStandinPki();
    await s.cleanup();
  });

  it('before registration the connection writes: a change made through it lands in libvirt', async () => {
    await s.virt.domainSetAutostart(vm, true);
    assert.match(await virsh('dominfo', vm), /Autostart:\s+enable/);
    await s.virt.domainSetAutostart(vm, false);
    assert.equal(s.virt.readOnly, false);
  });

  it('registered by another process while this connection is open: the connection becomes read-only', async () => {
    const r = await hostdeck('engine', 'register', '--engine', engine.address, '--fingerprint', engine.pki.caFingerprint, '--name', 'node1', '--address', '192.0.2.21');
    assert.equal(r.code, 0, r.err);
    assert.equal(s.virt.readOnly, true);
  });

  it('every VM action through the CLI is refused, naming the engine; the VM is untouched', async () => {
    const actions: string[][] = [
      ['vm', 'start', vm],
      ['vm', 'stop', vm, '--yes'],
      ['vm', 'edit', vm, '--vcpus', '2'],
      ['vm', 'delete', vm, '--yes'],
      ['vm', 'snapshot', 'create', vm, 'snap1'],
    ];
    for (const a of actions) {
      const r = await hostdeck(...a);
      assert.equal(r.code, 1, `${a.join(' ')}: ${r.err}`);
      assert.match(r.err, new RegExp(`managed by the oVirt engine ${engine.address.replace(/\./g, '\\.')}`), a.join(' '));
    }
    assert.equal(await domstate(vm), 'shut off');
    assert.match(await virsh('dumpxml', vm), /<vcpu[^>]*>1<\/vcpu>/);
    assert.equal((await virsh('snapshot-list', vm, '--name')).trim(), '');
  });

  it('a raw write on the connection the core uses fails with libvirt\'s read-only error (binding and virsh alike)', async () => {
    const xml = await s.virt.domainGetXml(vm, { inactive: true });
    await assert.rejects(s.virt.domainDefine(xml.replace(/<vcpu([^>]*)>1</, '<vcpu$1>2<')), READ_ONLY_ERROR);
    await assert.rejects(s.virt.domainStart(vm), READ_ONLY_ERROR);
    await assert.rejects(s.virt.domainSetAutostart(vm, true), READ_ONLY_ERROR);
    assert.equal(await domstate(vm), 'shut off');
    assert.match(await virsh('dominfo', vm), /Autostart:\s+disable/);
    assert.match(await virsh('dumpxml', '--inactive', vm), /<vcpu[^>]*>1<\/vcpu>/);
  });

  it('monitoring works on the read-only connection: list, dumpxml, bulk statistics and both samplers', async () => {
    assert.ok((await s.virt.domainList()).some((d) => d.name === vm && d.state === 'shutoff'));
    assert.match(await s.virt.domainGetXml(vm), new RegExp(`<name>${vm}</name>`));
    assert.ok((await s.virt.domainStats()).some((d) => d.name === vm));
    assert.ok((await core.monitor.vmList()).some((d) => d.name === vm));
    for (const kind of ['libvirt', 'virsh'] as const) {
      const sampler = core.monitor.openVmSampler(kind);
      try {
        assert.match((await sampler.read(false)) ?? '', new RegExp(`Domain: '${vm}'`), kind);
      } finally {
        sampler.close();
      }
    }
  });

  it('unregistered by another process: the same connection writes again', async () => {
    const r = await hostdeck('engine', 'unregister', '--yes');
    assert.equal(r.code, 0, r.err);
    assert.equal(s.virt.readOnly, false);
    await s.virt.domainSetAutostart(vm, true);
    assert.match(await virsh('dominfo', vm), /Autostart:\s+enable/);
    await s.virt.domainSetAutostart(vm, false);
  });
});
