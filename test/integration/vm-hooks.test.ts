// Hooks around VM actions on the real libvirtd with one tiny guest: the
// scripts are real programs in a hook root of the test's own, run by the
// core as `vm start` runs them; libvirt's own view (virsh dumpxml,
// domstate) and /proc say what happened. The guest boots once; the cases
// that must stop the start come first, while it is shut off.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testServices } from '../lib/services.ts';
import { processRunning } from '../lib/process-state.ts';
import { defineGuest, guestImage, guestName, removeGuests, removeStaleGuests, SYSTEM_URI, waitForState } from '../lib/guest.ts';
import { domstate, tinyInput, virsh, virshTry } from '../lib/lifecycle.ts';
import { createCore } from '../../src/core/index.ts';
import { categoryOf } from '../../src/domain/errors.ts';
import type { HookPoint } from '../../src/domain/hooks.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const vm = guestName('hooks');

describe('hooks around VM actions on the real libvirtd', () => {
  const s = testServices({ uri: SYSTEM_URI, channel: 'cli' });
  const core = createCore(s, { user: 'tester', channel: 'cli' });
  const hooksRoot = mkdtempSync(join(tmpdir(), 'hostdeck-hooks-'));
  const work = mkdtempSync(join(tmpdir(), 'hostdeck-hooks-work-'));
  const afterLog = join(work, 'after.log');

  /** A hook script in the test's root (sh, not a shell string: the file is the program the runner starts). */
  const hook = (point: HookPoint, name: string, body: string, mode = 0o755) => {
    const dir = join(hooksRoot, point);
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    chmodSync(dir, 0o755);
    const file = join(dir, name);
    writeFileSync(file, `#!/bin/sh\n${body}\n`);
    chmodSync(file, mode);
    return file;
  };
  const clearHooks = () => {
    rmSync(hooksRoot, { recursive: true, force: true });
    mkdirSync(hooksRoot, { mode: 0o755 });
  };
  const events = () => s.events.list({ limit: 20 });

  before(async () => {
    assert.equal(process.getuid?.(), 0, 'the integration tier runs as root');
    for (let i = 0; i < 30 && (await virshTry('uri')).code !== 0; i++) {
      spawnSync(join(ROOT, 'scripts/libvirt-up'), { stdio: 'inherit' });
      await new Promise((r) => setTimeout(r, 1000));
    }
    await guestImage();
    await removeStaleGuests();
    await removeGuests(vm);
    await defineGuest(vm, { nic: false });
  });
  beforeEach(() => {
    clearHooks();
    s.config.hooks = { enabled: true, root: hooksRoot, timeoutMs: 30_000 };
  });
  after(async () => {
    await removeGuests(vm);
    await s.cleanup();
    rmSync(hooksRoot, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it('a before_vm_start hook that fails stops the start: the VM stays shut off and the message and event carry its stderr', async () => {
    hook('before_vm_start', '10-refuse', 'echo "no licence left for $HOSTDECK_VM_NAME" >&2\nexit 3');
    await assert.rejects(core.vms.start(vm), (e: Error) => {
      assert.match(e.message, /before_vm_start hook 10-refuse: exited with code 3: no licence left for hd-test-hooks-/);
      assert.equal(categoryOf(e), 'failed');
      return true;
    });
    assert.equal(await domstate(vm), 'shut off');
    const failure = events().find((e) => e.objectId === vm && e.result === 'failure');
    assert.match(failure?.message ?? '', /^Start VM .* failed: before_vm_start hook 10-refuse: exited with code 3: no licence left/);
  });

  it('vm create with start runs the before_vm_start hooks as any start: a refusing one takes the new VM back, nothing stays defined', async () => {
    const fresh = guestName('hooksnew');
    hook('before_vm_start', '10-refuse', 'echo "not during the freeze" >&2\nexit 1');
    try {
      await assert.rejects(core.vms.create(await tinyInput(fresh, 'unused', { disks: [] }), { start: true }),
        /before_vm_start hook 10-refuse: exited with code 1: not during the freeze.*\(nothing was left behind\)/s);
      assert.equal((await virshTry('dominfo', fresh)).code === 0, false, 'the new VM is not defined');
    } finally {
      await removeGuests(fresh);
    }
  });

  it('a hook that runs past its time limit is killed with the processes it started, and the start fails', async () => {
    s.config.hooks.timeoutMs = 1500;
    const pids = join(work, 'pids');
    // The hook and a child it forks both sleep far past the limit; each writes its pid first.
    hook('before_vm_start', '10-hang', `echo $$ > ${pids}\nsleep 600 &\necho $! >> ${pids}\nwait`);
    await assert.rejects(core.vms.start(vm), /before_vm_start hook 10-hang: did not finish within 1\.5 s: it was killed with every process of its group/);
    assert.equal(await domstate(vm), 'shut off');
    const list = readFileSync(pids, 'utf8').trim().split('\n').map(Number);
    assert.equal(list.length, 2, 'the hook and its child both started');
    for (const pid of list) assert.equal(processRunning(pid), false, `process ${pid} of the hook is gone`);
  });

  const badRewrites: [string, string, RegExp][] = [
    ['a changed UUID', `sed -i "s#<uuid>[^<]*</uuid>#<uuid>00000000-1111-2222-3333-444444444444</uuid>#" "$_hook_domxml"`, /changes the VM's UUID from [0-9a-f-]+ to 00000000-1111-2222-3333-444444444444/],
    ['a changed name', `sed -i "s#<name>[^<]*</name>#<name>someone-else</name>#" "$_hook_domxml"`, /changes the VM's name from 'hd-test-hooks-[^']+' to 'someone-else'/],
    ['XML that is not well-formed', `echo '<domain><name>' > "$_hook_domxml"`, /is not well-formed XML/],
    ['a huge XML', `head -c 2000000 /dev/zero | tr '\\0' ' ' >> "$_hook_domxml"`, /1\.9 MiB is larger than the 1 MiB limit/],
  ];
  for (const [what, body, message] of badRewrites) {
    it(`a before_vm_start rewrite with ${what} is refused and the VM stays shut off`, async () => {
      hook('before_vm_start', '10-rewrite', body);
      await assert.rejects(core.vms.start(vm), (e: Error) => {
        assert.match(e.message, /before_vm_start hook 10-rewrite: its domain XML is refused: /);
        assert.match(e.message, message);
        return true;
      });
      assert.equal(await domstate(vm), 'shut off');
    });
  }

  it('a before_vm_start rewrite runs the VM with it (this run only); a group-writable hook is refused with a warning; after-hooks run once per action', async () => {
    // Refused: it would stop the start if it ran.
    hook('before_vm_start', '05-unsafe', 'exit 1', 0o775);
    hook('before_vm_start', '10-describe', `sed -i "s#</name>#</name><description>set by $HOSTDECK_HOOK_POINT for $HOSTDECK_VM_UUID</description>#" "$_hook_domxml"`);
    for (const point of ['after_vm_start', 'after_vm_pause', 'after_vm_resume', 'after_vm_destroy'] as const) {
      hook(point, '10-log', `echo "$HOSTDECK_HOOK_POINT $HOSTDECK_VM_NAME" >> ${afterLog}`);
    }
    // An after-hook cannot stop anything: the pause succeeds, its failure is a warning event.
    hook('after_vm_pause', '20-fail', 'echo "monitoring is down" >&2\nexit 1');
    const uuid = (await virsh('domuuid', vm)).trim();

    await core.vms.start(vm);
    assert.equal(await domstate(vm), 'running');
    assert.match(await virsh('dumpxml', vm), new RegExp(`<description>set by before_vm_start for ${uuid}</description>`));
    assert.doesNotMatch(await virsh('dumpxml', '--inactive', vm), /set by before_vm_start/, 'the definition for the next start is unchanged');
    assert.ok(events().some((e) => e.severity === 'warning' && /before_vm_start hook 05-unsafe refused: writable by group \(mode 0775\): a hook runs as root/.test(e.message)));

    await core.vms.pause(vm);
    assert.equal(await domstate(vm), 'paused');
    assert.ok(events().some((e) => e.severity === 'warning' && e.objectId === vm && /after_vm_pause hook 20-fail: exited with code 1: monitoring is down \(the action itself succeeded\)/.test(e.message)));
    await core.vms.resume(vm);
    await core.vms.forceOff(vm);
    assert.equal(await domstate(vm), 'shut off');
    assert.deepEqual(readFileSync(afterLog, 'utf8').trim().split('\n'), ['after_vm_start', 'after_vm_pause', 'after_vm_resume', 'after_vm_destroy'].map((p) => `${p} ${vm}`));
  });

  it('a VM\'s custom property reaches its hooks as a variable: a before_vm_start hook puts its value into the running domain\'s XML', async () => {
    await core.customProperties.setRule('Default', { name: 'sap_agent', regex: '(true|false)' });
    await core.customProperties.setOnVm(vm, { set: { sap_agent: 'true' } });
    hook('before_vm_start', '10-sap', `sed -i "s#</name>#</name><description>sap_agent=$sap_agent</description>#" "$_hook_domxml"`);
    try {
      await core.vms.start(vm);
      assert.match(await virsh('dumpxml', vm), /<description>sap_agent=true<\/description>/);
      await core.vms.forceOff(vm);
      await core.customProperties.setOnVm(vm, { unset: ['sap_agent'] });
      await core.vms.start(vm);
      assert.match(await virsh('dumpxml', vm), /<description>sap_agent=<\/description>/, 'unset, the hook no longer gets it');
    } finally {
      await core.vms.forceOff(vm).catch(() => undefined);
      await core.customProperties.setOnVm(vm, { unset: ['sap_agent'] }).catch(() => undefined);
      await core.customProperties.removeRule('Default', 'sap_agent');
    }
  });

  it('save runs the vm_save hooks; starting the saved VM is a restore to its hooks (vm_restore, not vm_start); a failing before_vm_save hook keeps it running', async () => {
    for (const point of ['before_vm_save', 'after_vm_save', 'before_vm_restore', 'after_vm_restore', 'before_vm_start'] as const) {
      hook(point, '10-log', `echo "$HOSTDECK_HOOK_POINT" >> ${afterLog}`);
    }
    await core.vms.start(vm);
    await waitForState(vm, ['running']);
    rmSync(afterLog, { force: true });
    hook('before_vm_save', '20-busy', 'echo "backup in progress" >&2\nexit 2');
    await assert.rejects(core.vms.save(vm), /before_vm_save hook 20-busy: exited with code 2: backup in progress/);
    assert.equal(await domstate(vm), 'running');
    rmSync(join(hooksRoot, 'before_vm_save', '20-busy'));
    await core.vms.save(vm);
    assert.equal(await domstate(vm), 'shut off');
    await core.vms.start(vm);
    assert.equal(await domstate(vm), 'running');
    await core.vms.forceOff(vm);
    assert.deepEqual(readFileSync(afterLog, 'utf8').trim().split('\n'), ['before_vm_save', 'before_vm_save', 'after_vm_save', 'before_vm_restore', 'after_vm_restore']);
    rmSync(afterLog, { force: true });
  });

  it('snapshot hooks are told the action and the snapshot; a failing before_vm_snapshot hook keeps the snapshot', async () => {
    const log = join(work, 'snapshot.log');
    hook('after_vm_snapshot', '10-log', `echo "$HOSTDECK_SNAPSHOT_ACTION $HOSTDECK_SNAPSHOT_NAME" >> ${log}`);
    await core.snapshots.create(vm, { name: 'hooked', mode: 'full' });
    assert.equal(readFileSync(log, 'utf8'), 'create hooked\n');
    hook('before_vm_snapshot', '10-keep', 'echo "snapshots are kept for audit" >&2\n[ "$HOSTDECK_SNAPSHOT_ACTION" != delete ]');
    await assert.rejects(core.snapshots.delete(vm, 'hooked'), /before_vm_snapshot hook 10-keep: exited with code 1: snapshots are kept for audit/);
    assert.match(await virsh('snapshot-list', vm, '--name'), /^hooked$/m);
    assert.equal(readFileSync(log, 'utf8'), 'create hooked\n', 'no after-hook for the refused delete');
  });

  it('with hooks off nothing under the hook root runs', async () => {
    const ran = join(work, 'ran-while-off');
    hook('before_vm_start', '10-mark', `touch ${ran}\nexit 1`);
    s.config.hooks.enabled = false;
    await core.vms.start(vm);
    await core.vms.forceOff(vm);
    assert.equal(existsSync(ran), false);
  });
});
