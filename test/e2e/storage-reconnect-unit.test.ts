// `hostdeck storage reconnect` at boot (issue #7): the systemd unit that
// scripts/storage-reconnect-unit renders for this checkout runs the BUILT
// binary's `storage reconnect` (its ExecStart is parsed and run as systemd
// would: argv, no shell), installing it is idempotent, and where no systemd
// runs the console command's start-up reconnects once per boot. A local
// directory connection stands for the storage (this machine has no iSCSI or
// NFS; test/system/storage-conn reconnects dropped NFS and iSCSI connections
// in a test host).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { BIN, ROOT } from '../lib/tty.ts';

const SCRIPT = join(ROOT, 'scripts/storage-reconnect-unit');

before(() => {
  if (!existsSync(BIN)) {
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { stdio: 'inherit' });
    assert.equal(r.status, 0, 'build failed');
  }
});

/** A systemd unit file as sections of key -> values (a key may repeat). */
function parseUnit(text: string): Record<string, Record<string, string[]>> {
  const out: Record<string, Record<string, string[]>> = {};
  let section = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const s = /^\[(.+)\]$/.exec(line);
    if (s) { section = s[1]!; out[section] ??= {}; continue; }
    const kv = /^([A-Za-z]+)=(.*)$/.exec(line);
    assert.ok(kv && section, `not a unit file line: ${raw}`);
    (out[section]![kv[1]!] ??= []).push(kv[2]!);
  }
  return out;
}

describe('storage reconnect at boot: the host-service unit and the console start without systemd', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hostdeck-reconnect-unit-'));
  const localDir = join(dir, 'local-storage');
  const env = { ...process.env, HOSTDECK_NODE: process.execPath, HOSTDECK_DB: join(dir, 'state.db'), HOSTDECK_STORAGE_KEY: join(dir, 'key'), HOSTDECK_UNIT_DIR: join(dir, 'units'), HOSTDECK_SYSTEMD_DIR: join(dir, 'no-systemd'), HOSTDECK_RUN_DIR: join(dir, 'run') };
  const script = (...args: string[]) => spawnSync(SCRIPT, args, { env, encoding: 'utf8', timeout: 120_000 });
  const hostdeck = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', timeout: 120_000 });

  before(() => {
    // One persistent connection to come back at boot, one that is not persistent.
    for (const [name, extra] of [['keep', []], ['once', ['--no-persistent']]] as const) {
      mkdirSync(join(localDir, name), { recursive: true });
      const r = hostdeck('storage', 'connection', 'add', 'localfs', '--name', name, '--path', join(localDir, name), ...extra);
      assert.equal(r.status, 0, r.stderr);
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the unit: a oneshot after the network and iscsid, wanted by multi-user.target, whose ExecStart is node + the built binary + storage reconnect', () => {
    const r = script('render');
    assert.equal(r.status, 0, r.stderr);
    const u = parseUnit(r.stdout);
    assert.deepEqual(u.Service!.Type, ['oneshot']);
    assert.deepEqual(u.Service!.RemainAfterExit, ['yes']);
    assert.deepEqual(u.Install!.WantedBy, ['multi-user.target']);
    const afterUnits = u.Unit!.After!.join(' ').split(/\s+/);
    for (const x of ['network-online.target', 'iscsid.service', 'multipathd.service']) assert.ok(afterUnits.includes(x), `After= lacks ${x}`);
    assert.equal(u.Service!.ExecStart!.length, 1);
    const argv = u.Service!.ExecStart![0]!.split(/\s+/);
    assert.ok(isAbsolute(argv[0]!), `systemd needs an absolute program path: ${argv[0]}`);
    accessSync(argv[0]!, constants.X_OK);
    assert.deepEqual(argv.slice(1), [BIN, 'storage', 'reconnect']);
    assert.ok(!/@[A-Z]+@/.test(r.stdout), 'a placeholder was left in the unit');
  });

  it('ExecStart, run as systemd runs it (argv, no shell), reconnects the persistent connection and only that one', () => {
    const argv = parseUnit(script('render').stdout).Service!.ExecStart![0]!.split(/\s+/);
    const r = spawnSync(argv[0]!, [...argv.slice(1), '--json'], { env, encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { label: string; ok: boolean; message: string }[];
    assert.equal(report.length, 1, r.stdout);
    assert.equal(report[0]!.ok, true, r.stdout);
    const list = JSON.parse(hostdeck('storage', 'connection', 'list', '--json').stdout) as { name: string; state: string }[];
    assert.deepEqual(list.map((c) => [c.name, c.state]).sort(), [['keep', 'connected'], ['once', 'disconnected']]);
  });

  it('install writes the unit once: a second install leaves the file untouched', () => {
    assert.equal(script('install').status, 0);
    const file = join(env.HOSTDECK_UNIT_DIR, 'hostdeck-storage-reconnect.service');
    const first = statSync(file).mtimeMs;
    assert.equal(readFileSync(file, 'utf8').trim(), script('render').stdout.trim());
    const again = script('install');
    assert.equal(again.status, 0);
    assert.equal(again.stderr, '', 'the second install did something');
    assert.equal(statSync(file).mtimeMs, first);
  });

  it('without systemd the console start reconnects once per boot, and not again in the same boot', () => {
    const first = script('console');
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stderr, /no systemd: reconnecting persistent storage connections/);
    assert.match(first.stdout, /^ok +local keep \(/m, first.stderr);
    assert.equal(readFileSync(join(env.HOSTDECK_RUN_DIR, 'storage-reconnect.boot'), 'utf8').trim(), readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim());
    const second = script('console');
    assert.equal(second.status, 0);
    assert.match(second.stderr, /reconnect already ran in this boot/);
    assert.equal(second.stdout, '');
  });

  it('with systemd the console start installs the unit instead of reconnecting itself', () => {
    // systemctl is echo here: what it would be asked, on standard output.
    const withSystemd = { ...env, HOSTDECK_SYSTEMD_DIR: dir, HOSTDECK_UNIT_DIR: join(dir, 'units2'), HOSTDECK_SYSTEMCTL: 'echo', HOSTDECK_RUN_DIR: join(dir, 'run2') };
    const r = spawnSync(SCRIPT, ['console'], { env: withSystemd, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /installed .*units2\/hostdeck-storage-reconnect\.service/);
    assert.deepEqual(r.stdout.trim().split('\n'), ['daemon-reload', 'enable hostdeck-storage-reconnect.service']);
    assert.doesNotMatch(r.stderr, /reconnecting/);
    assert.ok(!existsSync(join(dir, 'run2')), 'the console reconnected by itself although systemd runs');
  });
});
