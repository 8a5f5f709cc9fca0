// Delete with its disks and clone act on the libvirt connection's storage,
// never on this machine's files: on a test:/// fixture whose VM has a disk
// pointing at a real local file outside every pool of that connection, the
// delete and the clone are refused with the reason, the file stays and the
// VM stays defined; a disk that is a pool volume goes through vol-delete
// with its pool and volume named by option, and a volume another VM uses is
// kept. Every program start is recorded through the runner: no qemu-img, no
// undefine when refused.
//
// The test driver gives each process its own copy of the fixture: the
// in-process checks read back through the same connection (binding), and the
// CLI run as a program is checked for its exit status, message and the file.
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { observe, type RunRecord } from '../../src/exec/runner.ts';
import { lifecycleCommands } from '../../src/cli/vm.ts';
import { CommandError, type CommandContext } from '../../src/cli/registry.ts';
import { createCore } from '../../src/core/index.ts';
import { testServices } from '../lib/services.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const POOL = 'hd-test-vd-pool';

const dir = mkdtempSync(join(tmpdir(), 'hostdeck-disk-storage-'));
const poolDir = join(dir, 'pool');
const victimDisk = join(dir, 'victim.qcow2');
const fixture = join(dir, 'host.xml');
const uri = `test://${fixture}`;

const domain = (name: string, uuidTail: string, disk: string) => `
  <domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>
    <name>${name}</name>
    <uuid>6695eb01-f6a4-8304-79aa-97f2502e${uuidTail}</uuid>
    <memory unit='KiB'>65536</memory>
    <vcpu placement='static'>1</vcpu>
    <os><type arch='x86_64'>hvm</type></os>
    <devices>${disk}</devices>
    <test:runstate>5</test:runstate>
  </domain>`;
const fileDisk = (path: string, dev = 'vda') => `<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='${path}'/><target dev='${dev}' bus='virtio'/></disk>`;
const volumeDisk = (volume: string) => `<disk type='volume' device='disk'><driver name='qemu' type='qcow2'/><source pool='${POOL}' volume='${volume}'/><target dev='vda' bus='virtio'/></disk>`;
const volume = (name: string) => `<volume type='file'><name>${name}</name><capacity unit='bytes'>16777216</capacity><target><path>${poolDir}/${name}</path><format type='qcow2'/></target></volume>`;

before(() => {
  mkdirSync(poolDir);
  writeFileSync(victimDisk, 'the victim\'s disk: a file on this machine, in no pool of the test connection\n');
  // A real file where the fixture's pool says its volume lies: vol-delete through libvirt leaves it, an fs delete would not.
  writeFileSync(join(poolDir, 'solo.qcow2'), 'solo\n');
  writeFileSync(fixture, `<?xml version="1.0"?>
<node>
  <memory>8388608</memory>
  ${domain('victim', '2001', fileDisk(victimDisk))}
  ${domain('pooled', '2002', volumeDisk('shared.qcow2'))}
  ${domain('sharer', '2003', fileDisk(join(poolDir, 'shared.qcow2')))}
  ${domain('solo', '2004', fileDisk(join(poolDir, 'solo.qcow2')))}
  <pool type='dir'>
    <name>${POOL}</name>
    <uuid>35bb2ad9-388a-cdfe-461a-b8907f6e5301</uuid>
    <capacity unit='bytes'>107374182400</capacity>
    <allocation unit='bytes'>0</allocation>
    <available unit='bytes'>107374182400</available>
    <target><path>${poolDir}</path></target>
    ${volume('shared.qcow2')}
    ${volume('solo.qcow2')}
  </pool>
</node>
`);
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('vm delete --remove-disks and vm clone on a test:/// fixture act only through its storage API', () => {
  let s: ReturnType<typeof testServices>;
  let runs: RunRecord[];
  let stop: () => void;
  beforeEach(() => {
    s = testServices({ uri, channel: 'cli' });
    runs = [];
    stop = observe((r) => { if (r.exitCode === undefined) runs.push(r); });
  });
  afterEach(async () => { stop(); await s.cleanup(); });

  /** Run a `hostdeck vm` command in this process, on this connection: its exit status and what it wrote. */
  async function vm(verb: string, positionals: string[], options: Record<string, unknown> = {}): Promise<{ code: number; out: string[]; err: string[] }> {
    const cmd = lifecycleCommands.find((c) => c.noun === 'vm' && c.verb === verb)!;
    const out: string[] = [];
    const err: string[] = [];
    const ctx: CommandContext = { core: createCore(s, { user: 'tester', channel: 'cli' }), options: options as CommandContext['options'], positionals, json: false, out: (t) => out.push(t), err: (t) => err.push(t), interactive: false, prompt: async () => undefined };
    try {
      return { code: await cmd.run(ctx), out, err };
    } catch (e) {
      if (!(e instanceof CommandError)) throw e;
      err.push(e.message);
      return { code: e.code, out, err };
    }
  }
  const ran = (command: string, ...words: string[]) => runs.filter((r) => r.command === command && words.every((w) => r.args.includes(w)));
  const names = async () => (await s.virt.domainList()).map((d) => d.name).sort();

  it('the hostdeck CLI refuses delete --remove-disks of a VM whose disk is a local file in no pool of the connection: exit 1, the reason, the file kept', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli.tsx'), 'vm', 'delete', 'victim', '--remove-disks', '--yes', '-c', uri, '--db', join(dir, 'cli.db')], { encoding: 'utf8', cwd: ROOT, timeout: 120_000 });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /cannot remove the disks of victim, so nothing was deleted: disk vda \(.*victim\.qcow2\) is not a storage volume of any pool on test:\/\/\/.*host\.xml: .*not this machine's own libvirt/);
    assert.ok(existsSync(victimDisk), 'the local file is still there');
  });

  it('delete --remove-disks refused in process: nothing undefined, no file touched, the VM still listed by the same connection', async () => {
    const r = await vm('delete', ['victim'], { 'remove-disks': true, yes: true });
    assert.equal(r.code, 1);
    assert.match(r.err.join('\n'), new RegExp(`disk vda \\(${victimDisk.replace(/[.]/g, '\\.')}\\) is not a storage volume of any pool on test:`));
    assert.ok(existsSync(victimDisk));
    assert.ok((await names()).includes('victim'), 'victim is still defined');
    assert.deepEqual(ran('virsh', 'undefine'), []);
    assert.deepEqual(runs.filter((x) => x.command !== 'virsh').map((x) => x.command), [], 'only virsh ran');
    // It looked for the volume through libvirt, naming it by option.
    assert.ok(ran('virsh', 'vol-pool', '--vol', victimDisk).length > 0);
  });

  it('clone of that VM is refused with the reason: no qemu-img, no vol-clone, no clone defined', async () => {
    const r = await vm('clone', ['victim', 'victim-copy']);
    assert.equal(r.code, 1);
    assert.match(r.err.join('\n'), /cannot clone victim: disk vda \(.*victim\.qcow2\) is not a storage volume of any pool on test:.*vol-clone/);
    assert.deepEqual(ran('qemu-img'), []);
    assert.deepEqual(ran('virsh', 'vol-clone'), []);
    assert.ok(!(await names()).includes('victim-copy'));
  });

  it('a disk that is a pool volume goes through vol-delete with --pool and --vol; the file is left to libvirt', async () => {
    const r = await vm('delete', ['solo'], { 'remove-disks': true, yes: true });
    assert.equal(r.code, 0, r.err.join('\n'));
    assert.match(r.out.join('\n'), /solo: deleted; removed .*solo\.qcow2/);
    const del = ran('virsh', 'vol-delete');
    assert.equal(del.length, 1);
    assert.deepEqual(del[0]!.args.slice(del[0]!.args.indexOf('vol-delete')), ['vol-delete', '--pool', POOL, '--vol', 'solo.qcow2']);
    assert.ok(!(await names()).includes('solo'));
    assert.ok(existsSync(join(poolDir, 'solo.qcow2')), 'the test driver\'s vol-delete touches no real file, and hostdeck deleted none itself');
  });

  it('a volume another VM uses (by its path) is kept when the VM naming it by pool/volume is deleted with its disks', async () => {
    const r = await vm('delete', ['pooled'], { 'remove-disks': true, yes: true });
    assert.equal(r.code, 0, r.err.join('\n'));
    assert.match(r.err.join('\n'), new RegExp(`kept: ${POOL}/shared\\.qcow2 \\(used by sharer\\)`));
    assert.deepEqual(ran('virsh', 'vol-delete'), []);
    assert.ok(!(await names()).includes('pooled'));
  });
});
