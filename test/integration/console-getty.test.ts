// hostdeck instead of the login prompt on tty1 and ttyS0: the drop-ins
// `host console-getty enable` writes under a temporary root
// (HOSTDECK_SYSTEMD_ROOT), real files through the real programs, and
// `disable` leaves the tree exactly as it was, a drop-in of the same name that
// was there included. systemctl cannot run here (no systemd on this machine):
// a runner stand-in answers daemon-reload, and the test's own systemd run
// directory under the root says systemd runs. Without it the command is
// refused saying so, and read-only mode refuses too.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testServices } from '../lib/services.ts';
import { createCore } from '../../src/core/index.ts';
import { categoryOf } from '../../src/domain/errors.ts';
import { replace } from '../../src/exec/runner.ts';
import { runCli } from '../lib/cli-process.ts';

/** Every file and directory under `dir` with its mode and contents. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      const mode = (statSync(p).mode & 0o7777).toString(8);
      if (e.isDirectory()) { out[`${p.slice(dir.length)}/`] = mode; walk(p); } else out[p.slice(dir.length)] = `${mode} ${readFileSync(p, 'utf8')}`;
    }
  };
  walk(dir);
  return out;
}

describe('host console-getty on a temporary root', () => {
  const root = mkdtempSync(join(tmpdir(), 'hostdeck-getty-'));
  const units = join(root, 'etc/systemd/system');
  const serialDir = join(units, 'serial-getty@ttyS0.service.d');
  const s = testServices({ channel: 'cli' });
  const core = createCore(s, { user: 'tester', channel: 'cli' });
  const systemctl: string[][] = [];
  let restore = () => {};
  const saved = { root: process.env.HOSTDECK_SYSTEMD_ROOT, bin: process.env.HOSTDECK_BIN };

  before(() => {
    process.env.HOSTDECK_SYSTEMD_ROOT = root;
    process.env.HOSTDECK_BIN = '/usr/bin/hostdeck';
    // What a host may already have: an autologin override on the serial getty.
    mkdirSync(serialDir, { recursive: true });
    writeFileSync(join(serialDir, 'autologin.conf'), '[Service]\nExecStart=\nExecStart=-/sbin/agetty --autologin root %I 115200\n');
    restore = replace((command, args) => (command === 'systemctl' ? (systemctl.push([...args]), { exitCode: 0 }) : undefined));
  });
  after(async () => {
    restore();
    process.env.HOSTDECK_SYSTEMD_ROOT = saved.root ?? '';
    if (saved.root === undefined) delete process.env.HOSTDECK_SYSTEMD_ROOT;
    if (saved.bin === undefined) delete process.env.HOSTDECK_BIN;
    await s.cleanup();
    rmSync(root, { recursive: true, force: true });
  });

  it('without systemd it is refused saying so, and nothing is written', async () => {
    const before = tree(root);
    await assert.rejects(core.consoleGetty.enable(), (e: Error) => categoryOf(e) === 'state' && /systemd does not run on this host/.test(e.message));
    assert.deepEqual(tree(root), before);
    mkdirSync(join(root, 'run/systemd/system'), { recursive: true });
  });

  it('enable writes a drop-in per getty that starts hostdeck (serial at 115200, vt220), disable restores the tree exactly', async () => {
    const before = tree(root);
    const st = await core.consoleGetty.enable();
    assert.deepEqual(st.map((x) => [x.tty, x.enabled]), [['tty1', true], ['ttyS0', true]]);
    const serial = readFileSync(join(serialDir, 'hostdeck-console.conf'), 'utf8');
    assert.match(serial, /^\[Service\]\nExecStart=\nExecStartPre=-\/bin\/stty -F \/dev\/ttyS0 115200 sane\nExecStart=-\/usr\/bin\/hostdeck\n/m);
    assert.match(serial, /TTYPath=\/dev\/ttyS0\n[\s\S]*Environment=TERM=vt220\nRestart=always\n$/);
    const console1 = readFileSync(join(units, 'getty@tty1.service.d/hostdeck-console.conf'), 'utf8');
    assert.match(console1, /ExecStart=-\/usr\/bin\/hostdeck\n[\s\S]*TTYPath=\/dev\/tty1\n[\s\S]*Environment=TERM=linux\n/);
    assert.equal(statSync(join(serialDir, 'hostdeck-console.conf')).mode & 0o777, 0o644);
    assert.deepEqual(systemctl, [['daemon-reload']]);
    await assert.rejects(core.consoleGetty.enable('ttyS0'), /already replaces the login prompt on ttyS0/);
    await core.consoleGetty.disable();
    assert.deepEqual(tree(root), before);
    assert.deepEqual((await core.consoleGetty.status()).map((x) => x.enabled), [false, false]);
    const msgs = s.events.list({ limit: 50 }).map((e) => `${e.message} ${e.result}`);
    assert.ok(msgs.includes('Start hostdeck instead of the login prompt on tty1, ttyS0 success'), msgs.join('\n'));
    assert.ok(msgs.includes('Give the login prompt back on tty1, ttyS0 success'), msgs.join('\n'));
  });

  it('a drop-in of the same name that was there is kept and comes back byte for byte with its mode', async () => {
    const theirs = join(serialDir, 'hostdeck-console.conf');
    writeFileSync(theirs, '[Service]\nEnvironment=SOMEONE=else\n');
    chmodSync(theirs, 0o600);
    const before = tree(root);
    await core.consoleGetty.enable('ttyS0');
    assert.match(readFileSync(theirs, 'utf8'), /ExecStart=-\/usr\/bin\/hostdeck/);
    await core.consoleGetty.disable('ttyS0');
    assert.deepEqual(tree(root), before);
    rmSync(theirs);
  });

  it('read-only mode refuses; a bad --tty is refused naming the option (exit 2)', async () => {
    const ro = testServices({ channel: 'cli', readOnly: true });
    try {
      await assert.rejects(createCore(ro, { user: 'tester', channel: 'cli' }).consoleGetty.enable(), (e: Error) => categoryOf(e) === 'forbidden');
    } finally { await ro.cleanup(); }
 const r = await runCli(['host', 'console-getty', 'enable', '--tty', 'ttyS9'], { HOSTDECK_SYSTEMD_ROOT: root, HOSTDECK_DB: join(s.dir, 'cli.db') });
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /--tty: must be a comma-separated list of tty1, ttyS0 \(got "ttyS9"\)/);
  });
});
