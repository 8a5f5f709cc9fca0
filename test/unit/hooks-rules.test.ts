// Hook rules a user meets before any VM is touched: the settings from the
// environment (named and refused with exit 2), which files in a hook root
// run and in which order, why the others do not (`hostdeck hooks list`, on a
// real directory), and which rewritten domain XML is refused.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveHookSettings, hookScriptProblem, DEFAULT_HOOKS_ROOT } from '../../src/domain/hooks.ts';
import { deviceRewriteProblem, domainRewriteProblem } from '../../src/virt/xml/rewrite.ts';
import { main } from '../../src/cli.tsx';

const XML = "<domain type='kvm'><name>web1</name><uuid>0f6e1c1e-54a3-4c57-9d7e-6a1c2b3d4e5f</uuid><memory unit='KiB'>131072</memory></domain>";

async function hostdeck(argv: string[], env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  let out = '';
  let err = '';
  try {
    const code = await main(argv, { stdout: (t) => { out += t; }, stderr: (t) => { err += t; } });
    return { code, out, err };
  } finally {
    for (const [k, v] of Object.entries(saved)) { if (v === undefined) delete process.env[k]; else process.env[k] = v; }
  }
}

describe('hook settings', () => {
  it('default: on, under /usr/libexec/hostdeck/hooks, 30 s per hook; the environment sets them', () => {
    assert.deepEqual(resolveHookSettings({}), { enabled: true, root: DEFAULT_HOOKS_ROOT, timeoutMs: 30_000 });
    assert.deepEqual(resolveHookSettings({ HOSTDECK_HOOKS: 'off', HOSTDECK_HOOKS_DIR: '/etc/hd/hooks/', HOSTDECK_HOOK_TIMEOUT: '2.5' }), { enabled: false, root: '/etc/hd/hooks', timeoutMs: 2500 });
  });

  it('a bad value is refused naming the variable and its rule, and the CLI exits 2 before doing anything', async () => {
    for (const [env, rule] of [
      [{ HOSTDECK_HOOK_TIMEOUT: '0' }, /HOSTDECK_HOOK_TIMEOUT: must be a number of seconds above 0 and at most 3600 \(got "0"\)/],
      [{ HOSTDECK_HOOK_TIMEOUT: '-5' }, /HOSTDECK_HOOK_TIMEOUT: must be/],
      [{ HOSTDECK_HOOK_TIMEOUT: '1e3' }, /HOSTDECK_HOOK_TIMEOUT: must be/],
      [{ HOSTDECK_HOOKS_DIR: 'hooks' }, /HOSTDECK_HOOKS_DIR: must be an absolute path/],
      [{ HOSTDECK_HOOKS_DIR: '/tmp/my hooks' }, /HOSTDECK_HOOKS_DIR: must be an absolute path without spaces or shell characters/],
      [{ HOSTDECK_HOOKS: 'yes' }, /HOSTDECK_HOOKS: must be on or off \(got "yes"\)/],
    ] as const) {
      assert.throws(() => resolveHookSettings(env), rule);
      const dir = mkdtempSync(join(tmpdir(), 'hostdeck-hookenv-'));
      try {
        const r = await hostdeck(['hooks', 'list', '--db', join(dir, 'state.db')], env);
        assert.equal(r.code, 2, r.err);
        assert.match(r.err, rule);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });
});

describe('which files of a hook point run', () => {
  const root = [0];
  it('an executable owned by root and writable by nobody else runs; group- or world-writable ones are refused with a warning', () => {
    assert.equal(hookScriptProblem('10-ok', { kind: 'file', mode: 0o755, uid: 0 }, root), undefined);
    assert.deepEqual(hookScriptProblem('10-x', { kind: 'file', mode: 0o775, uid: 0 }, root), { reason: 'writable by group (mode 0775): a hook runs as root', warn: true });
    assert.deepEqual(hookScriptProblem('10-x', { kind: 'file', mode: 0o757, uid: 0 }, root), { reason: 'writable by others (mode 0757): a hook runs as root', warn: true });
    assert.deepEqual(hookScriptProblem('10-x', { kind: 'file', mode: 0o755, uid: 1000 }, root), { reason: 'owned by uid 1000, not by root: a hook runs as root', warn: true });
    assert.deepEqual(hookScriptProblem('README', { kind: 'file', mode: 0o644, uid: 0 }, root), { reason: 'not executable', warn: false });
    assert.deepEqual(hookScriptProblem('10 add; rm', { kind: 'file', mode: 0o755, uid: 0 }, root)?.warn, true);
  });

  it('hooks list: every point, scripts in byte order, and why each refused one does not run (table and --json)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hostdeck-hooklist-'));
    const hooks = join(dir, 'hooks');
    try {
      mkdirSync(join(hooks, 'before_vm_start'), { recursive: true, mode: 0o755 });
      mkdirSync(join(hooks, 'after_vm_pause'), { mode: 0o755 });
      chmodSync(join(hooks, 'after_vm_pause'), 0o777);
      for (const [name, mode] of [['9-b', 0o755], ['10-a', 0o755], ['20-open', 0o777], ['README', 0o644], ['.hidden', 0o755]] as const) {
        writeFileSync(join(hooks, 'before_vm_start', name), '#!/bin/sh\n');
        chmodSync(join(hooks, 'before_vm_start', name), mode);
      }
      symlinkSync('/nonexistent/hook', join(hooks, 'before_vm_start', '30-dangling'));
      writeFileSync(join(hooks, 'after_vm_pause', '10-log'), '#!/bin/sh\n');
      chmodSync(join(hooks, 'after_vm_pause', '10-log'), 0o755);
      const env = { HOSTDECK_HOOKS_DIR: hooks, HOSTDECK_HOOK_TIMEOUT: '5' };
      const r = await hostdeck(['hooks', 'list', '--db', join(dir, 'state.db')], env);
      assert.equal(r.code, 0, r.err);
      const lines = r.out.split('\n');
      assert.equal(lines[0], `hooks on: ${hooks}, each may run 5 s`);
      const start = lines.filter((l) => l.startsWith('before_vm_start')).map((l) => l.replace(/\s+/g, ' '));
      assert.deepEqual(start, [
        'before_vm_start 10-a runs',
        'before_vm_start 20-open refused: writable by group and others (mode 0777): a hook runs as root',
        'before_vm_start 30-dangling skipped: a link to nothing',
        'before_vm_start 9-b runs',
        'before_vm_start README skipped: not executable',
      ]);
      assert.match(r.out, /^after_vm_pause\s+10-log\s+refused: the directory is writable by group and others \(mode 0777\): a hook runs as root$/m);
      assert.match(r.out, /^before_network_setup\s+-\s+no directory$/m);
      const j = await hostdeck(['hooks', 'list', '--json', '--db', join(dir, 'state.db')], env);
      const listing = JSON.parse(j.out) as { enabled: boolean; timeoutS: number; points: { point: string; scripts: { name: string; refused?: { reason: string } }[] }[] };
      assert.equal(listing.timeoutS, 5);
      assert.deepEqual(listing.points.map((p) => p.point).filter((p) => /save|restore|service/.test(p)), ['before_vm_save', 'after_vm_save', 'before_vm_restore', 'after_vm_restore', 'before_service_start', 'after_service_start']);
      assert.equal(listing.points.length, 28);
      assert.deepEqual(listing.points.map((p) => p.point).filter((p) => /_hot/.test(p)), ['nic_hotplug', 'nic_hotunplug', 'disk_hotplug', 'disk_hotunplug'].flatMap((a) => [`before_${a}`, `after_${a}`]));
      assert.deepEqual(listing.points.find((p) => p.point === 'before_vm_start')!.scripts.filter((s) => !s.refused).map((s) => s.name), ['10-a', '9-b']);
      assert.equal((await hostdeck(['hooks', 'list', 'extra', '--db', join(dir, 'state.db')], env)).code, 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a domain XML rewritten by a before-hook', () => {
  it('the same VM with a change is accepted; another name or UUID, another root or broken XML is refused with the reason', () => {
    assert.equal(domainRewriteProblem(XML, XML.replace('</name>', '</name><description>hooked</description>')), undefined);
    assert.equal(domainRewriteProblem(XML, XML.replace('0f6e1c1e', '0F6E1C1E')), undefined, 'a UUID in capitals is the same UUID');
    assert.match(domainRewriteProblem(XML, XML.replace('web1', 'web2'))!, /changes the VM's name from 'web1' to 'web2'/);
    assert.match(domainRewriteProblem(XML, XML.replace(/<uuid>.*<\/uuid>/, ''))!, /changes the VM's UUID from 0f6e1c1e-54a3-4c57-9d7e-6a1c2b3d4e5f to \(none\)/);
    assert.match(domainRewriteProblem(XML, '<network><name>web1</name></network>')!, /its root element is <network>, not <domain>/);
    assert.match(domainRewriteProblem(XML, XML.slice(0, -9))!, /not well-formed XML \(<domain> is not closed\)/);
    assert.match(domainRewriteProblem(XML, '')!, /not well-formed XML \(no root element\)/);
  });
});

describe('a hot-plugged device XML rewritten by a before-hook', () => {
  const NIC = "<interface type='bridge'><mac address='52:54:00:aa:bb:01'/><source bridge='br0'/><model type='virtio'/></interface>";
  const DISK = "<disk type='volume' device='disk'><driver name='qemu' type='qcow2'/><source pool='p1' volume='v1.qcow2'/><target dev='vdb' bus='virtio'/></disk>";
  it('the same NIC (its MAC in any case) with a change is accepted; another MAC, another kind of device or broken XML is refused', () => {
    assert.equal(deviceRewriteProblem(NIC, NIC.replace('</interface>', "<link state='down'/></interface>")), undefined);
    assert.equal(deviceRewriteProblem(NIC, NIC.replace('aa:bb', 'AA:BB')), undefined);
    assert.match(deviceRewriteProblem(NIC, NIC.replace(':01', ':02'))!, /changes the NIC's MAC address from 52:54:00:aa:bb:01 to 52:54:00:aa:bb:02/);
    assert.match(deviceRewriteProblem(NIC, DISK)!, /its root element is <disk>, not <interface>/);
    assert.match(deviceRewriteProblem(NIC, NIC.slice(0, -5))!, /not well-formed XML/);
  });
  it('the same disk with a change is accepted; another target or source is refused', () => {
    assert.equal(deviceRewriteProblem(DISK, DISK.replace("type='qcow2'/>", "type='qcow2' cache='none'/>")), undefined);
    assert.match(deviceRewriteProblem(DISK, DISK.replace("dev='vdb'", "dev='vdc'"))!, /changes the disk's target from vdb to vdc/);
    assert.match(deviceRewriteProblem(DISK, DISK.replace('v1.qcow2', 'other.qcow2'))!, /changes the disk's source from p1\/v1\.qcow2 to p1\/other\.qcow2/);
    assert.match(deviceRewriteProblem(DISK, DISK.replace("<source pool='p1' volume='v1.qcow2'/>", "<source file='/etc/shadow'/>"))!, /changes the disk's source from p1\/v1\.qcow2 to \/etc\/shadow/);
  });
});
