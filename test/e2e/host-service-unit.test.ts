// The host service's start (issue #15): the systemd unit that
// scripts/host-service-unit renders runs the BUILT binary's `serve` after
// libvirtd and the storage reconnect; where no systemd runs, the console
// command's start-up starts `hostdeck serve` in the background (detached, its
// output in hostdeck's log) and does not start a second one while it runs;
// with systemd it installs the unit and asks systemd to start it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, ROOT } from '../lib/tty.ts';

const SCRIPT = join(ROOT, 'scripts/host-service-unit');

before(() => {
  if (!existsSync(BIN)) {
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { stdio: 'inherit' });
    assert.equal(r.status, 0, 'build failed');
  }
});

/** The values of `key=` lines of a unit file. */
const unitValues = (text: string, key: string) => text.split('\n').filter((l) => l.startsWith(`${key}=`)).map((l) => l.slice(key.length + 1));

describe('the host service started by the console command, or by its systemd unit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hostdeck-service-unit-'));
  const log = join(dir, 'log', 'hostdeck.log');
  const env = { ...process.env, HOSTDECK_NODE: process.execPath, HOSTDECK_DB: join(dir, 'state.db'), HOSTDECK_LOG: log, HOSTDECK_UNIT_DIR: join(dir, 'units'), HOSTDECK_SYSTEMD_DIR: join(dir, 'no-systemd') };
  const script = (args: string[], extra: NodeJS.ProcessEnv = {}) => spawnSync(SCRIPT, args, { env: { ...env, ...extra }, encoding: 'utf8', timeout: 120_000 });
  const hostdeck = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', timeout: 120_000 });
  const status = () => JSON.parse(hostdeck('service', 'status', '--json').stdout) as { running: boolean; pid?: number };

  after(() => {
    hostdeck('service', 'stop');
    rmSync(dir, { recursive: true, force: true });
  });

  it('the unit: a long-running service after libvirtd and the storage reconnect, whose ExecStart is node + the built binary + serve', () => {
    const r = script(['render']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(unitValues(r.stdout, 'Type'), ['simple']);
    assert.deepEqual(unitValues(r.stdout, 'WantedBy'), ['multi-user.target']);
    const afterUnits = unitValues(r.stdout, 'After').join(' ').split(/\s+/);
    for (const u of ['libvirtd.service', 'hostdeck-storage-reconnect.service']) assert.ok(afterUnits.includes(u), `After= lacks ${u}`);
    assert.deepEqual(unitValues(r.stdout, 'ExecStart'), [`${process.execPath} ${BIN} serve`]);
    assert.ok(!/@[A-Z]+@/.test(r.stdout), 'a placeholder was left in the unit');
  });

  it('without systemd the console start starts serve in the background once; a second console start finds it running', async () => {
    assert.equal(status().running, false);
    const first = script(['console']);
    assert.equal(first.status, 0, first.stderr);
    const started = /started the host service \(pid (\d+)/.exec(first.stderr);
    assert.ok(started, first.stderr);
    // It takes its lock a moment after the script returns.
    let st = status();
    for (let i = 0; i < 600 && !st.running; i++) { await new Promise((r) => setTimeout(r, 100)); st = status(); }
    assert.equal(st.pid, Number(started[1]));
    // Detached: a session of its own, so the console's terminal closing does not end it.
    const sid = readFileSync(`/proc/${st.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[3];
    assert.equal(Number(sid), st.pid);
    const second = script(['console']);
    assert.equal(second.status, 0, second.stderr);
    assert.doesNotMatch(second.stderr, /started the host service/);
    assert.equal(status().pid, st.pid);
    assert.match(readFileSync(log, 'utf8'), new RegExp(`service: host service started, pid ${st.pid}`));
    const stop = hostdeck('service', 'stop');
    assert.equal(stop.status, 0, stop.stderr);
  });

  it('with systemd the console start installs the unit and asks systemd to start it', () => {
    // systemctl is echo here: what it would be asked, on standard output.
    const r = script(['console'], { HOSTDECK_SYSTEMD_DIR: dir, HOSTDECK_SYSTEMCTL: 'echo' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /installed .*units\/hostdeck\.service/);
    assert.deepEqual(r.stdout.trim().split('\n'), ['daemon-reload', 'enable hostdeck.service', 'start hostdeck.service']);
    assert.equal(status().running, false, 'the console started a service of its own although systemd runs');
  });
});
