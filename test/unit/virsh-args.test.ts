// Every virsh command hostdeck runs names its object by the option (`--domain
// NAME`, `--snapshotname`, `--pool`, `--vol`, `--network`), so a name that
// looks like an option (`--domain=prod`) stays a name. The fixture holds each
// object and a twin named like an option naming it; the calls run the real
// virsh through the runner, and every recorded argument list is read the way
// virsh reads it, with the options virsh's own help lists.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { observe, replace, run, type RunRecord } from '../../src/exec/runner.ts';
import { virsh, virshArgs, type VirshArgs } from '../../src/virt/virsh.ts';
import { VirtConnection } from '../../src/virt/connection.ts';
import { PoolClient } from '../../src/virt/pools.ts';
import { SAMPLER_DOMSTATS_ARGS, SAMPLER_RUNNING_ONLY_ARGS } from '../../src/virt/stats.ts';
import { statsFlags } from '../../src/virt/native/domstats.ts';
import { createCore } from '../../src/core/index.ts';
import { testServices } from '../lib/services.ts';

const URI = `test:///${resolve('test/fixtures/libvirt/option-injection.xml')}`;
const DOMAIN = '--domain=prod';
const SNAPSHOT = '--current';
const POOL = '--pool=prod-pool';
const NETWORK = '--network=prod-net';
const VOLUME = '--vol=prod.qcow2';
const NEW_POOL = '--type=logical';
/** Each hostile name and the options it may be the value of. */
const BY_KIND: Record<string, readonly string[]> = {
  [DOMAIN]: ['domain'],
  [SNAPSHOT]: ['snapshotname', 'name'],
  [POOL]: ['pool'],
  [NEW_POOL]: ['name', 'pool'],
  [NETWORK]: ['network'],
  [VOLUME]: ['vol', 'name'],
};

/** virsh's options for a command: name -> whether it takes a value (from `virsh help <command>`). */
const helpCache = new Map<string, Map<string, boolean>>();
async function virshOptions(command: string): Promise<Map<string, boolean>> {
  let opts = helpCache.get(command);
  if (opts) return opts;
  const r = await run('virsh', ['help', command], { env: { LC_ALL: 'C' } });
  assert.equal(r.exitCode, 0, `virsh help ${command}: ${r.stderr}`);
  opts = new Map();
  const section = r.stdout.slice(r.stdout.indexOf('OPTIONS'));
  for (const m of section.matchAll(/^\s+\[?--([a-z][a-z0-9-]*)\]?(\s+<\w+>)?/gm)) opts.set(m[1]!, Boolean(m[2]));
  helpCache.set(command, opts);
  return opts;
}

/**
 * Read one virsh argument list as virsh does: `-c URI`, the command, then
 * only options (a positional anywhere is a failure). Returns the values by option.
 */
async function readVirshArgv(args: readonly string[]): Promise<{ command: string; values: [string, string][] }> {
  assert.equal(args[0], '-c', args.join(' '));
  const command = args[2]!;
  const opts = await virshOptions(command);
  const values: [string, string][] = [];
  for (let i = 3; i < args.length; i++) {
    const t = args[i]!;
    assert.ok(t.startsWith('--'), `virsh ${args.slice(2).join(' ')}: ${JSON.stringify(t)} sits where virsh reads a positional argument or an option`);
    const name = t.slice(2);
    assert.ok(opts.has(name), `virsh ${command} has no option --${name}`);
    if (opts.get(name)) values.push([name, args[++i]!]);
  }
  return { command, values };
}

/** The virsh runs made while `fn` ran. */
async function virshRuns(fn: () => Promise<unknown>): Promise<string[][]> {
  const seen: RunRecord[] = [];
  const stop = observe((r) => { if (r.exitCode === undefined && r.command === 'virsh') seen.push(r); });
  try {
    await fn().catch(() => undefined);
  } finally {
    stop();
  }
  return seen.map((r) => r.args);
}

/**
 * The virsh runs of fn, with `virsh managedsave` answered by a stand-in
 * (success, nothing run): libvirt's test driver can hang inside managedsave
 * (about one run in three here, the virsh process asleep for good), and what
 * these tests read is the argument list. Managed save itself runs on the real
 * libvirtd in test/integration/virt-integration.test.ts.
 */
async function virshRunsManagedSaveStandIn(fn: () => Promise<unknown>): Promise<string[][]> {
  const stop = replace((command, args) => (command === 'virsh' && args.includes('managedsave') ? { exitCode: 0 } : undefined));
  try {
    return await virshRuns(fn);
  } finally {
    stop();
  }
}

/** Each hostile name that was passed appears only as the value of the option that names its kind of object. */
async function assertNamedByOption(runs: string[][], expect: Record<string, readonly string[]> = BY_KIND): Promise<void> {
  assert.ok(runs.length > 0, 'virsh ran');
  for (const args of runs) {
    const { command, values } = await readVirshArgv(args);
    for (const h of Object.keys(expect)) {
      const at = values.filter(([, v]) => v === h).map(([k]) => k);
      const anywhere = args.filter((a) => a.includes(h)).length;
      assert.equal(anywhere, at.length, `virsh ${args.slice(2).join(' ')}: ${h} appears outside an option's value`);
      for (const k of at) assert.ok(expect[h]!.includes(k), `virsh ${command}: ${h} is the value of --${k}, expected ${expect[h]!.join('/')}`);
    }
  }
}

describe('virsh argument lists (virshArgs)', () => {
  it('puts every value after its option, repeats an option given a list, and leaves undefined values out', () => {
    assert.deepEqual([...virshArgs('autostart', { domain: DOMAIN }, ['--disable'])], ['autostart', '--disable', '--domain', DOMAIN]);
    assert.deepEqual([...virshArgs('snapshot-create-as', { domain: 'd', name: SNAPSHOT, description: undefined, diskspec: ['vda,snapshot=no', 'vdb,snapshot=no'] })],
      ['snapshot-create-as', '--domain', 'd', '--name', SNAPSHOT, '--diskspec', 'vda,snapshot=no', '--diskspec', 'vdb,snapshot=no']);
  });

  it('refuses an option or flag the command does not have, and a command hostdeck does not run', () => {
    assert.throws(() => virshArgs('reboot', { pool: 'x' } as never), /virsh reboot: no option --pool/);
    assert.throws(() => virshArgs('autostart', { domain: 'x' }, ['--force'] as never), /virsh autostart: no flag "--force"/);
    assert.throws(() => virshArgs('destroy' as never), /not a command hostdeck runs/);
  });

  it('cannot be bypassed with a plain array (compile time)', async () => {
    // @ts-expect-error -- a raw argument list is not a VirshArgs
    const raw: VirshArgs = ['autostart', DOMAIN];
    assert.ok(raw);
    await assert.rejects(virsh(URI, virshArgs('dominfo', { domain: 'no-such-domain' })), /failed to get domain 'no-such-domain'/);
  });
});

describe('every virsh command hostdeck builds names its object by option (test driver, twin objects)', () => {
  let virt: VirtConnection;
  before(() => { virt = new VirtConnection(URI); });
  after(async () => { await virt.close(); });

  it('virsh finds the object by the option: the twin named like an option, not the one the option names', async () => {
    const info = await virt.virsh(virshArgs('dominfo', { domain: DOMAIN }));
    assert.match(info, /^Name:\s+--domain=prod$/m);
    const snaps = await virt.virsh(virshArgs('snapshot-list', { domain: DOMAIN }, ['--name']));
    assert.deepEqual(snaps.split('\n').filter(Boolean), [SNAPSHOT]);
  });

  it('the VM sampler\'s domstats lists (all domains, running only) use options virsh has, in virsh and in process alike', async () => {
    for (const args of [SAMPLER_DOMSTATS_ARGS, SAMPLER_RUNNING_ONLY_ARGS]) await readVirshArgv(['-c', URI, ...args]);
    const running = await virsh(URI, SAMPLER_RUNNING_ONLY_ARGS);
    assert.deepEqual([...running.matchAll(/^Domain: '(.*)'$/gm)].map((m) => m[1]).sort(), [DOMAIN, 'prod']);
    // VIR_CONNECT_GET_ALL_DOMAINS_STATS_RUNNING for the in-process sampler.
    assert.equal(statsFlags(SAMPLER_RUNNING_ONLY_ARGS).flags & (1 << 4), 1 << 4);
    assert.equal(statsFlags(SAMPLER_DOMSTATS_ARGS).flags & (1 << 4), 0);
  });

  it('domains: reboot, autostart on and off, managed save (a stand-in answers it), live description, details, console', async () => {
    await assertNamedByOption(await virshRuns(() => virt.domainReboot(DOMAIN)));
    await assertNamedByOption(await virshRuns(() => virt.domainSetAutostart(DOMAIN, true)));
    await assertNamedByOption(await virshRuns(() => virt.domainSetAutostart(DOMAIN, false)));
    await assertNamedByOption(await virshRunsManagedSaveStandIn(() => virt.domainManagedSave(DOMAIN)));
    await assertNamedByOption(await virshRuns(() => virt.domainSetLiveDescription(DOMAIN, '--title')));
    await assertNamedByOption(await virshRuns(() => virt.domainGet(DOMAIN)));
    const c = virt.domainConsoleCommand(DOMAIN);
    assert.equal(c.command, 'virsh');
    await assertNamedByOption([c.args]);
  });

  it('snapshots: list, create, disk-only create, XML, revert, delete', async () => {
    await assertNamedByOption(await virshRuns(() => virt.snapshotList(DOMAIN)));
    await assertNamedByOption(await virshRuns(() => virt.snapshotCreate(DOMAIN, { name: SNAPSHOT, description: '-x' })));
    await assertNamedByOption(await virshRuns(() => virt.snapshotRevert(DOMAIN, SNAPSHOT)));
    await assertNamedByOption(await virshRuns(() => virt.snapshotDelete(DOMAIN, SNAPSHOT, { children: true })));
    await assertNamedByOption(await virshRuns(() => virt.snapshotGetXml(DOMAIN, SNAPSHOT)));
    await assertNamedByOption(await virshRuns(() => virt.snapshotCreateDiskOnly(DOMAIN, { name: SNAPSHOT }, ['vda,snapshot=no'])));
  });

  it('pools and volumes: refresh, start, stop, create, delete, volume list, create, delete, XML, path', async () => {
    for (const fn of [
      () => virt.storagePoolRefresh(POOL), () => virt.storagePoolStart(POOL), () => virt.storagePoolStop(POOL),
      () => virt.storagePoolCreateDir(NEW_POOL, '/var/lib/hostdeck-test-oi-new'), () => virt.storagePoolDelete(POOL),
      () => virt.storageVolumeList(POOL), () => virt.storageVolumeCreate(POOL, VOLUME, 1024 ** 2), () => virt.storageVolumeDelete(POOL, VOLUME),
      () => virt.storageVolumeXml(POOL, VOLUME), () => virt.storageVolumePath(POOL, VOLUME),
    ]) await assertNamedByOption(await virshRuns(fn));
  });

  it('networks: start, stop', async () => {
    await assertNamedByOption(await virshRuns(() => virt.networkStart(NETWORK)));
    await assertNamedByOption(await virshRuns(() => virt.networkStop(NETWORK)));
  });

  it('storage domains\' pool client: pool info, define, start, stop, undefine, refresh, volumes, VM reads', async () => {
    const pools = new PoolClient({ run, runOk: run }, URI);
    for (const fn of [
      () => pools.poolInfo(POOL), () => pools.defineDir(NEW_POOL, '/var/lib/hostdeck-test-oi-x'), () => pools.defineLogical(NEW_POOL, 'vg0'),
      () => pools.start(POOL), () => pools.stop(POOL), () => pools.undefine(POOL), () => pools.refresh(POOL), () => pools.volumes(POOL),
      () => pools.volumeCreate(POOL, VOLUME, 1024 ** 2, 'raw', { thin: true }), () => pools.volumeDelete(POOL, VOLUME),
      () => pools.vmXml(DOMAIN), () => pools.vmState(DOMAIN),
    ]) await assertNamedByOption(await virshRuns(fn));
  });

  it('VM service: edit (description live), autostart, save (a stand-in answers managedsave), snapshot delete', async () => {
    const s = testServices({ uri: URI });
    const core = createCore(s, { user: 'tester', channel: 'cli' });
    try {
      await assertNamedByOption(await virshRuns(() => core.vms.edit(DOMAIN, { description: '--title' })));
      await assertNamedByOption(await virshRuns(() => core.vms.setAutostart(DOMAIN, true)));
      await assertNamedByOption(await virshRunsManagedSaveStandIn(() => core.vms.save(DOMAIN)));
      await assertNamedByOption(await virshRuns(() => core.snapshots.delete(DOMAIN, SNAPSHOT)));
    } finally {
      await s.cleanup();
    }
  });
});
