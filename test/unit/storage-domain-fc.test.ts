// Fibre Channel block domains with a FAKE host: a recorded sysfs tree of a
// host with two FC HBAs and a recorded `multipath -ll` (no HBA exists on the
// machines that run the tests), LVM's answers recorded on this machine for a
// device that is not there. The real connection and domain services run on
// top of them down to the point where a real device is needed: the plan is
// asserted (which device: the multipath map, never one of its sd paths; which
// volume group: the domain's UUID, with the metadata tags), and the failure at
// pvcreate leaves no row behind and records a failure event.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { openDatabase } from '../../src/manager/db.ts';
import { EventLog } from '../../src/manager/events.ts';
import type { RunResult } from '../../src/exec/runner.ts';
import { createConnectionService } from '../../src/core/storage-connections.ts';
import { testDoor } from '../lib/door.ts';
import { localFs, type HostFs } from '../../src/host/storage/fs.ts';
import { createDomainService, DomainError, DomainInputError } from '../../src/core/storage-domains.ts';
import { parseMetadataTags } from '../../src/domain/storage/domain.ts';

const root = fileURLToPath(new URL('../fixtures/storage/fc-sysfs', import.meta.url));
const MPLL = readFileSync(new URL('../fixtures/storage/multipath-ll-fc.txt', import.meta.url), 'utf8');
const PURE = '3624a93701c0d5ee1d3ae4a3e00011a2b';
const THREEPAR = '360002ac0000000000000001700019b8f';
// `pvs --reportformat json` and `pvcreate` on a device that does not exist, recorded with lvm2 2.03 (Debian 12).
const PVS_EMPTY = '  {\n      "report": [\n          {\n              "pv": [\n              ]\n          }\n      ]\n  }\n';
const noDevice = (dev: string) => `  No device found for ${dev}.\n`;

function fakeHost(opts: { pvs?: (dev: string) => Partial<RunResult> } = {}) {
  const calls: string[][] = [];
  const result = (command: string, args: string[], r: Partial<RunResult>): RunResult => ({ command, args, exitCode: 0, stdout: '', stderr: '', timedOut: false, durationMs: 1, ...r });
  const answer = (cmd: string, args: string[]): Partial<RunResult> => {
    if (cmd === 'multipath' && args[0] === '-ll') return { stdout: MPLL };
    if (cmd === 'uname') return { stdout: 'fcnode1\n' };
    if (cmd === 'pvs') return opts.pvs?.(args[args.length - 1]!) ?? { exitCode: 5, stdout: PVS_EMPTY, stderr: `  Cannot use ${args[args.length - 1]}: device not found\n` };
    if (cmd === 'pvcreate' || cmd === 'pvremove') return { exitCode: 5, stderr: noDevice(args[args.length - 1]!) };
    if (cmd === 'vgremove') return { exitCode: 5, stderr: `  Volume group "${args[args.length - 1]}" not found\n  Cannot process volume group ${args[args.length - 1]}\n` };
    return { exitCode: 127, stderr: `${cmd}: not expected in this test` };
  };
  const run = async (cmd: string, args: string[] = []) => { calls.push([cmd, ...args]); return result(cmd, args, answer(cmd, args)); };
  const runner = { run, runOk: async (cmd: string, args: string[] = []) => { const r = await run(cmd, args); if (r.exitCode !== 0) throw new Error(r.stderr); return r; } };
  // multipathd "runs" on the recorded host: its pid file is there.
  const fs: HostFs = { ...localFs, exists: async (p) => p === '/run/multipathd.pid' || localFs.exists(p) };
  return { calls, runner, fs };
}

describe('FC block domains on a FAKE host (recorded sysfs tree and multipath -ll, no HBA here)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hostdeck-fcdom-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  const setup = async (opts: Parameters<typeof fakeHost>[0] = {}) => {
    const host = fakeHost(opts);
    const db = openDatabase(':memory:');
    const events = new EventLog(db, { user: 'tester', channel: 'cli' });
    const conns = createConnectionService({ runner: host.runner, fs: host.fs, db, door: testDoor(events), sysfsRoot: `${root}/sys`, devRoot: `${root}/dev`, keyFile: join(dir, `key-${Math.random()}`) });
    await conns.add({ type: 'fc', name: 'fabric' });
    await conns.connect('fabric');
    const svc = createDomainService({ runner: host.runner, db, door: testDoor(events), connections: conns });
    host.calls.length = 0;
    return { host, db, svc, conns };
  };
  const rows = (db: ReturnType<typeof openDatabase>) => db.prepare("SELECT object_id, message, result FROM events WHERE object_type = 'storage-domain' ORDER BY id").all() as { object_id: string; message: string; result: string }[];

  it('the LUN list offers the multipath maps (mpatha alias, WWID name), each with its two sd paths', async () => {
    const { conns } = await setup();
    assert.deepEqual((await conns.luns('fabric')).map((l) => [l.wwid, l.devicePath, l.paths, l.multipath, l.dm]), [
      [THREEPAR, '/dev/mapper/mpatha', ['sdb', 'sdd'], true, 'dm-2'],
      [PURE, `/dev/mapper/${PURE}`, ['sdc', 'sde'], true, 'dm-3'],
    ]);
  });

  it('two LUNs and no --lun: refused naming the field and both WWIDs; nothing touches LVM', async () => {
    const { host, db, svc } = await setup();
    await assert.rejects(svc.create({ name: 'fcdata', type: 'data', connectionId: 'fabric' }), (e: DomainInputError) =>
      e instanceof DomainInputError && e.errors[0]!.field === 'lun' && e.errors[0]!.message === `lun: connection fabric has 2 LUNs; name one (${THREEPAR}, ${PURE})`);
    assert.deepEqual(host.calls.filter(([c]) => /^(pv|vg|lv)/.test(c!)), []);
    assert.equal(svc.list().length, 0);
    assert.deepEqual(rows(db).map((r) => r.result), ['started', 'failure']);
  });

  it('the plan for --lun WWID: the multipath device /dev/mapper/<WWID> is checked and initialised (never sdc/sde), the volume group would be the domain UUID; without the device pvcreate fails, the cleanup runs and no row stays', async () => {
    const { host, db, svc } = await setup();
    await assert.rejects(svc.create({ name: 'fcdata', type: 'data', connectionId: 'fabric', lun: PURE }), (e: DomainError) =>
      e instanceof DomainError && e.kind === 'storage' && e.message === `initializing LUN ${PURE}: No device found for /dev/mapper/${PURE}.`);
    const lvm = host.calls.filter(([c]) => /^(pv|vg|lv)/.test(c!));
    const dev = `/dev/mapper/${PURE}`;
    assert.deepEqual(lvm.slice(0, 2), [['pvs', '--reportformat', 'json', '-o', 'pv_name,vg_name,vg_tags', '--', dev], ['pvcreate', '--yes', '--', dev]]);
    const [vgremove, pvremove] = lvm.slice(2);
    assert.equal(vgremove![0], 'vgremove');
    assert.deepEqual(vgremove!.slice(1, 3), ['--yes', '--']);
    assert.match(vgremove![3]!, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'the volume group is named after the domain UUID');
    assert.deepEqual(pvremove, ['pvremove', '--yes', '--', dev]);
    assert.ok(!host.calls.flat().some((a) => /\/dev\/sd[a-z]/.test(a)), 'an sd path of the map was used');
    assert.equal(svc.list().length, 0);
    assert.deepEqual(rows(db).map((r) => [r.object_id, r.result]), [['fcdata', 'started'], ['fcdata', 'failure']]);
  });

  it('the plan when the device is there: vgcreate tags the metadata onto a VG named after the UUID on the multipath device (the mpatha alias when it has one)', async () => {
    const calls: string[][] = [];
    const { host, svc } = await setup();
    // The same fake host, with pvcreate and vgcreate answering as on a real device; the libvirt pool is where it stops.
    const orig = host.runner.run;
    host.runner.run = async (cmd: string, args: string[] = []) => {
      if (cmd === 'pvcreate' || cmd === 'vgcreate') { calls.push([cmd, ...args]); return { command: cmd, args, exitCode: 0, stdout: '', stderr: '', timedOut: false, durationMs: 1 }; }
      return orig(cmd, args);
    };
    await assert.rejects(svc.create({ name: 'fc3par', type: 'data', connectionId: 'fabric', lun: THREEPAR, description: 'tier 1' }), (e: Error) => /virsh/.test(e.message));
    const [pvcreate, vgcreate] = calls;
    assert.deepEqual(pvcreate, ['pvcreate', '--yes', '--', '/dev/mapper/mpatha']);
    assert.equal(vgcreate![0], 'vgcreate');
    assert.equal(vgcreate![vgcreate!.length - 1], '/dev/mapper/mpatha');
    const vg = vgcreate![vgcreate!.length - 2]!;
    // The names come after `--`: a tag value is --addtag's, never read as an option either.
    assert.equal(vgcreate![vgcreate!.length - 3], '--');
    const tags = vgcreate!.slice(1, -3).filter((_, i) => i % 2 === 1);
    assert.ok(vgcreate!.slice(1, -3).every((a, i) => i % 2 === 1 || a === '--addtag'));
    const m = parseMetadataTags(tags);
    assert.deepEqual([m.uuid, m.name, m.type, m.kind, m.creatorHost, m.description], [vg, 'fc3par', 'data', 'block', 'fcnode1', 'tier 1']);
    // The libvirt pool would be a logical pool on that VG (virsh is not part of the fake host).
    assert.ok(host.calls.some((c) => c[0] === 'virsh'), JSON.stringify(host.calls));
    // Cleanup after the pool failed: the VG and the label go again.
    assert.ok(host.calls.some((c) => c[0] === 'vgremove' && c[3] === vg));
    assert.equal(svc.list().length, 0);
  });
});
