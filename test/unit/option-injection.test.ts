// A value someone typed never reaches a program where the program reads an
// option: names of libvirt objects that start with '-' (or hold control,
// bidirectional or zero-width characters) are refused by one shared rule
// before anything runs; every other value that may start with '-' is passed
// after `--` or as an option's value. Program calls are recorded through the
// runner (or the module's injected runner).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../../src/cli.tsx';
import { observe, type RunRecord, type RunResult } from '../../src/exec/runner.ts';
import { objectNameProblem } from '../../src/domain/names.ts';
import { snapshotNameProblem, validateVmCreate, vmNameProblem, type HostFacts, type VmCreateInput } from '../../src/domain/vm-create.ts';
import { volumeNameRule } from '../../src/domain/storage/domain.ts';
import { domainNameProblem } from '../../src/virt/xml/create.ts';
import { ifaceNameRule } from '../../src/domain/net/validate.ts';
import { NetworkManagerBackend } from '../../src/host/net/nm.ts';
import { Target } from '../../src/host/net/target.ts';
import { testNetwork } from '../../src/host/net/tools.ts';
import { targetError } from '../../src/domain/net/test-targets.ts';
import { identifyNic } from '../../src/host/net/inventory.ts';
import { mountFs, unmountFs } from '../../src/host/storage/mount.ts';
import { iscsiOps } from '../../src/host/storage/iscsi.ts';
import { localFs, type HostFs } from '../../src/host/storage/fs.ts';

const URI = `test:///${resolve('test/fixtures/libvirt/option-injection.xml')}`;

const REFUSED: [string, string, RegExp][] = [
  ['leading dash', '-rf', /must not start with '-'/],
  ['an option naming another object', '--domain=prod', /must not start with '-'/],
  ['lone dash', '-', /must not start with '-'/],
  ['escape (C0)', 'a\x1b[2Jb', /control characters/],
  ['DEL', 'a\x7fb', /control characters/],
  ['C1 (NEL)', 'a\x85b', /control characters/],
  ['right-to-left override', 'abc\u202etxt', /bidirectional/],
  ['first-strong isolate', 'a\u2068b', /bidirectional/],
  ['right-to-left mark', 'a\u200fb', /bidirectional/],
  ['Arabic letter mark', 'a\u061cb', /bidirectional/],
  ['zero-width space', 'a\u200bb', /zero-width/],
  ['word joiner', 'a\u2060b', /zero-width/],
  ['byte order mark', '\ufeffab', /zero-width/],
];

describe('the names rule (src/domain/names.ts), shared by every kind of name', () => {
  for (const [what, value, rule] of REFUSED) {
    it(`refuses ${what} in VM, snapshot, volume and domain-XML names`, () => {
      assert.match(objectNameProblem(value) ?? '', rule);
      assert.match(vmNameProblem(value) ?? '', rule);
      assert.match(snapshotNameProblem(value, []) ?? '', rule);
      assert.match(volumeNameRule('name', value) ?? '', new RegExp(`^name: .*${rule.source}`));
      assert.match(domainNameProblem(value) ?? '', rule);
    });
  }

  it('accepts ordinary names, dashes inside included', () => {
    for (const n of ['prod', 'web-01', 'db_2.qcow2', 'før', 'a-']) assert.equal(objectNameProblem(n), undefined, n);
  });

  it('a new VM\'s pool, volume and network names follow it, each named by its field', () => {
    const facts: HostFacts = {
      domains: [], memoryKiB: 8 * 1024 ** 2, cpus: 4, volumes: { '-p': ['-v'] }, networks: ['--network=default'], bridges: [], machines: [], fileExists: () => true, fileHead: () => undefined, machineFacts: () => ({ missing: 'no domain capabilities' }), osVariants: { missing: 'no osinfo' },
      pools: [{ name: '-p', state: 'running', uuid: '', autostart: false, persistent: true, capacityBytes: 1e12, allocationBytes: 0, availableBytes: 1e12 } as unknown as HostFacts['pools'][number]],
    };
    const input: VmCreateInput = {
      name: 'ok', vcpus: 1, memoryMiB: 512, disks: [{ kind: 'existing', pool: '-p', volume: '-v' }], nics: [{ kind: 'network', source: '--network=default' }], boot: 'disk',
      osType: 'linux', machine: 'pc', graphics: 'none',
    };
    const errors = validateVmCreate(input, facts);
    const by = (f: string) => errors.find((e) => e.field === f)?.message ?? '';
    assert.match(by('disks[0].pool'), /^disk 1 pool: must not start with '-'/);
    assert.match(by('nics[0].source'), /^NIC 1 network: must not start with '-'/);
  });
});

/** Run the CLI in this process; returns the exit status, what it wrote to stderr and every program it started. */
async function cli(argv: string[]): Promise<{ code: number; stderr: string; runs: RunRecord[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'hostdeck-optinj-'));
  const runs: RunRecord[] = [];
  const stop = observe((r) => { if (r.exitCode === undefined) runs.push(r); });
  const write = process.stderr.write.bind(process.stderr);
  let stderr = '';
  process.stderr.write = ((t: string) => { stderr += String(t); return true; }) as typeof process.stderr.write;
  try {
    const code = await main([...argv, '-c', URI, '--db', join(dir, 'state.db')]);
    return { code, stderr, runs };
  } finally {
    process.stderr.write = write;
    stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the CLI refuses such a name after `--` with exit 2, naming the argument, and runs nothing', () => {
  const cases: [string[], string][] = [
    [['vm', 'edit', '--autostart', 'on', '--', '--domain=prod'], 'NAME'],
    [['vm', 'reboot', '--', '--domain=prod'], 'NAME'],
    [['vm', 'delete', '--yes', '--', '--domain=prod'], 'NAME'],
    [['vm', 'edit', '--description', 'x', '--', '--domain=prod'], 'NAME'],
    [['vm', 'snapshot', 'revert', '--yes', 'prod', '--', '--current'], 'SNAPSHOT'],
    [['vm', 'snapshot', 'delete', '--yes', 'prod', '--', '--current'], 'SNAPSHOT'],
    [['vm', 'snapshot', 'create', 'prod', '--', '--current'], 'SNAPSHOT'],
    [['vm', 'clone', 'prod', '--', '-rf'], 'NEW-NAME'],
    [['vm', 'show', 'ab\u202ec'], 'NAME'],
    [['demo', '--pool=--pool=prod-pool'], '--pool'],
  ];
  for (const [argv, label] of cases) {
    it(argv.join(' '), async () => {
      const r = await cli(argv);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, new RegExp(`${label}: must not (start with '-'|contain bidirectional)`));
      assert.deepEqual(r.runs.map((x) => `${x.command} ${x.args.join(' ')}`), []);
    });
  }
});

/** A runner that records every call and answers from `answer` (exit 0, no output by default). */
function recordingRunner(answer: (command: string, args: readonly string[]) => Partial<RunResult> = () => ({})) {
  const calls: string[][] = [];
  const run = async (command: string, args: readonly string[] = []): Promise<RunResult> => {
    calls.push([command, ...args]);
    return { command, args: [...args], exitCode: 0, stdout: '', stderr: '', timedOut: false, durationMs: 1, ...answer(command, args) };
  };
  return { calls, run, runOk: run };
}

/** The value sits after `--` (the program reads no option there) or right after one of `options` (it is that option's value). */
function assertNotAnOption(argv: readonly string[], value: string, options: readonly string[] = []): void {
  const at = argv.indexOf(value);
  assert.ok(at > 0, `${argv.join(' ')} has ${value}`);
  const ended = argv.slice(0, at).includes('--');
  assert.ok(ended || options.includes(argv[at - 1]!), `${JSON.stringify(argv)}: ${value} sits where ${argv[0]} reads an option`);
}

describe('demo --pool', () => {
  it('a pool that is not there is refused with exit 2 naming --pool, before the guest image is built (no bash)', async () => {
    const r = await cli(['demo', '--pool', 'no-such-pool']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--pool: no storage pool named 'no-such-pool' \(pools: /);
    assert.deepEqual(r.runs.filter((x) => x.command !== 'virsh').map((x) => x.command), []);
  });
});

describe('other programs: a value that may start with \'-\' comes after `--` or as an option\'s value (FAKE hosts: recorded or scripted answers through the injected runner)', () => {
  it('busctl (NetworkManager): an interface named -x is a call argument after `--`', async () => {
    const fx = (f: string) => readFileSync(new URL(`../fixtures/net/nm-slaac/${f}`, import.meta.url), 'utf8');
    const r = recordingRunner((command, args) => {
      const line = [command, ...args].join(' ');
      if (line === 'ip -d -j addr show') return { stdout: fx('ip-d-j-addr.json').replaceAll('"eth1"', '"-x"') };
      if (line.startsWith('ip -j')) return { stdout: '[]' };
      if (command === 'busctl') return { exitCode: 1, stderr: fx('device-none.stderr.txt') };
      return { stdout: '' };
    });
    await new NetworkManagerBackend(new Target(r)).read();
    const asked = r.calls.filter((c) => c[0] === 'busctl' && c.includes('-x'));
    assert.equal(asked.length, 1, JSON.stringify(r.calls));
    assertNotAnOption(asked[0]!, '-x');
  });

  it('ping and getent (network test): a gateway or name from the system that starts with - comes after `--`; a typed one is refused', async () => {
    const r = recordingRunner();
    await testNetwork(r, [{ kind: 'gateway', target: '-rf' }, { kind: 'resolve', target: '--foo=bar' }]);
    assertNotAnOption(r.calls.find((c) => c[0] === 'ping')!, '-rf');
    assertNotAnOption(r.calls.find((c) => c[0] === 'getent')!, '--foo=bar');
    assert.match(targetError('hosts', '-rf')?.message ?? '', /must be an IP address or a host name/);
  });

  it('ip, dhclient, sysctl, ethtool: an interface name that starts with - is refused before anything runs', async () => {
    assert.match(ifaceNameRule('-rf') ?? '', /must not start with '-'/);
    const r = recordingRunner();
    const res = await identifyNic(r, { name: '--foo=bar', driver: 'e1000' }, 5);
    assert.equal(res.ok, false);
    assert.deepEqual(r.calls, []);
  });

  it('mount and umount: the source and the mount point come after `--`', async () => {
    const r = recordingRunner();
    const fs: HostFs = { ...localFs, read: async () => '', mkdirp: async () => undefined, rmdir: async () => true };
    await mountFs(r, fs, { source: '-rf', target: '--bind', fstype: 'nfs', options: ['ro'], timeoutMs: 1000 }, () => undefined);
    const mount = r.calls.find((c) => c[0] === 'mount')!;
    assertNotAnOption(mount, '-rf');
    assertNotAnOption(mount, '--bind');
    const mounted: HostFs = { ...fs, read: async (p) => (p === '/proc/mounts' ? '-rf --bind nfs ro 0 0\n' : '') };
    await unmountFs(r, mounted, '--bind', 'the test connection');
    assertNotAnOption(r.calls.find((c) => c[0] === 'umount')!, '--bind');
  });

  it('iscsiadm: a discovery CHAP user that starts with - is the value of -v', async () => {
    const r = recordingRunner((command, args) => (args.includes('--discover') ? { stdout: '' } : {}));
    await iscsiOps(r, { ...localFs, remote: true }).discover('192.0.2.10', 3260, { user: '--foo=bar', secret: '-rf' });
    const update = r.calls.find((c) => c.includes('--foo=bar'))!;
    assertNotAnOption(update, '--foo=bar', ['-v']);
    assertNotAnOption(update, '-rf', ['-v']);
  });
});
