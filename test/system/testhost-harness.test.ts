// The test-host harness itself: what runs inside is a real separate Linux
// (its own kernel, this machine's tools), commands come back with exit code,
// stdout and stderr, and everything is torn down on success, failure,
// timeout and when the harness process itself is killed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { release } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { TestHost, TestHostError, leftovers, sweepStale, testHostRunner, withSegment, withTestHost } from '../lib/testhost/index.ts';
import { RunError } from '../../src/exec/runner.ts';
import { REPO_ROOT, runProc, sleep } from '../lib/testhost/proc.ts';

const alive = (pid: number | undefined): boolean => {
  if (!pid) return false;
  try { process.kill(pid, 0); return true; } catch { return false; }
};
const netnsExists = async (ns: string): Promise<boolean> => (await runProc(['ip', 'netns', 'list'])).stdout.split('\n').some((l) => l.split(' ')[0] === ns);

describe('a test host runs commands and test files on its own kernel', { timeout: 300_000 }, () => {
  let host: TestHost | undefined;
  const guard = <A extends unknown[]>(fn: (...a: A) => Promise<void>) => TestHost.keepLogsOnFailure(() => [host], fn);
  before(async () => {
    host = new TestHost({ name: 'harness', nics: 2 });
    await host.boot();
  });
  after(async () => { await host?.destroy(); });

  it('returns exit code, stdout and stderr; arguments arrive as given, without a shell', guard(async () => {
    const r = await host!.run(['sh', '-c', 'printf "%s|" "$@"; echo oops >&2; exit 7', 'sh', 'a $b; c', '', '*']);
    assert.equal(r.code, 7);
    assert.equal(r.stdout, 'a $b; c||*|');
    assert.equal(r.stderr, 'oops\n');
    assert.equal(r.timedOut, false);
  }));

  it('passes standard input, environment and working directory', guard(async () => {
    assert.equal((await host!.run(['cat'], { input: 'line 1\nline 2\n' })).stdout, 'line 1\nline 2\n');
    assert.equal((await host!.run(['printenv', 'HOSTDECK_X'], { env: { HOSTDECK_X: 'value with spaces' } })).stdout, 'value with spaces\n');
    assert.equal((await host!.run(['pwd'], { cwd: '/usr/share' })).stdout, '/usr/share\n');
    const missing = await host!.run(['/nonexistent/program']);
    assert.equal(missing.code, 127);
  }));

  it('is a separate Linux: the test-host kernel, its own NICs with the harness\'s MACs', guard(async () => {
    const uname = (await host!.mustRun(['uname', '-r'])).stdout.trim();
    assert.equal(uname, host!.image?.release);
    assert.notEqual(uname, release());
    for (const nic of host!.nics) {
      assert.equal((await host!.readFile(`/sys/class/net/${nic.name}/address`)).trim(), nic.mac);
    }
    assert.equal((await host!.mustRun(['hostname'])).stdout.trim(), 'harness');
  }));

  it('stops a command at its time limit and stays usable', guard(async () => {
    const t0 = performance.now();
    const r = await host!.run(['sleep', '60'], { timeoutMs: 1000 });
    assert.equal(r.timedOut, true);
    assert.equal(r.code, 143);
    assert.ok(performance.now() - t0 < 15_000);
    assert.equal((await host!.run(['true'])).code, 0);
  }));

  it('serves as hostdeck\'s process runner: same results, programs run inside', guard(async () => {
    const runner = testHostRunner(host!);
    const r = await runner.run('ip', ['-j', 'link', 'show', 'eth1']);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { address: string }[])[0]?.address, host!.nics[1]!.mac);
    assert.equal((await runner.run('cat', [], { input: 'secret\n' })).stdout, 'secret\n');
    const missing = await runner.run('no-such-program-here');
    assert.equal(missing.exitCode, 127);
    assert.match(missing.spawnError ?? '', /not installed/);
    await assert.rejects(runner.runOk('ip', ['link', 'show', 'nosuchnic0']), (e: unknown) => e instanceof RunError && /Device "nosuchnic0" does not exist/.test(e.message));
  }));

  it('runs a node:test file inside with this machine\'s Node and tsx', guard(async () => {
    const r = await host!.runTestFile('test/system/fixtures/inside-guest.ts', {
      env: { EXPECT_RELEASE: host!.image?.release ?? '', EXPECT_HOSTNAME: 'harness' }, timeoutMs: 180_000,
    });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /# pass 2/);
    assert.match(r.stdout, /# fail 0/);
  }));
});

describe('teardown', { timeout: 300_000 }, () => {
  it('on failure: the error propagates, QEMU, tap and namespace are gone, the logs are kept', async () => {
    let pid: number | undefined;
    let tap = '';
    let ns = '';
    await assert.rejects(withSegment({ name: 'teardown' }, async (seg) => {
      ns = seg.ns;
      await withTestHost({ name: 'fails', nics: [{ segment: seg }] }, async (h) => {
        pid = h.qemuPid;
        tap = h.nics[0]?.tap ?? '';
        assert.equal((await runProc(['ip', '-n', seg.ns, 'link', 'show', tap])).code, 0, 'the tap is on the segment while the host runs');
        throw new Error('boom from the test');
      });
    }), /boom from the test/);
    assert.ok(pid && !alive(pid), 'QEMU still running');
    assert.equal(await netnsExists(ns), false, 'segment namespace left behind');
    assert.equal((await runProc(['ip', 'link', 'show', tap])).code !== 0, true, 'tap left behind');
    const dir = join(REPO_ROOT, 'test-results', 'testhost');
    const kept = readdirSync(dir).filter((d) => d.endsWith(`-fails-${process.pid}`));
    assert.equal(kept.length, 1);
    const keptDir = join(dir, kept[0]!);
    assert.match(readFileSync(join(keptDir, 'console.log'), 'utf8'), /testhost: agent ready after/);
    assert.ok(existsSync(join(keptDir, 'qemu.argv')));
    rmSync(keptDir, { recursive: true, force: true });
  });

  it('on timeout: withTestHost rejects after timeoutMs and QEMU is gone', async () => {
    let pid: number | undefined;
    const t0 = { at: 0 };
    await assert.rejects(withTestHost({ name: 'timeout', timeoutMs: 2000, keepLogs: 'never' }, async (h) => {
      pid = h.qemuPid;
      t0.at = performance.now();
      await h.run(['sleep', '600'], { timeoutMs: 0 });
    }), (e: unknown) => e instanceof TestHostError && /timed out after 2000 ms/.test(e.message));
    assert.ok(performance.now() - t0.at < 20_000);
    assert.ok(pid && !alive(pid), 'QEMU still running');
  });

  it('when the harness process is killed: QEMU dies with it and the next run sweeps its namespace', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/system/fixtures/killed-harness.ts'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const line = await new Promise<string>((res, rej) => {
        createInterface({ input: child.stdout }).once('line', res);
        child.once('exit', (c) => rej(new Error(`fixture exited ${c}`)));
      });
      const info = JSON.parse(line) as { qemuPid: number; ns: string; tap: string };
      assert.ok(alive(info.qemuPid));
      child.kill('SIGKILL');
      for (let i = 0; i < 100 && alive(info.qemuPid); i++) await sleep(100);
      assert.equal(alive(info.qemuPid), false, 'QEMU outlived its harness');
      assert.equal(await netnsExists(info.ns), true, 'a SIGKILLed process cannot clean up its namespace itself');
      sweepStale();
      assert.equal(await netnsExists(info.ns), false, 'the sweep did not remove the dead run\'s namespace');
      assert.equal((await runProc(['ip', 'link', 'show', info.tap])).code !== 0, true);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('leaves nothing of this process behind', async () => {
    const mine = (s: string): boolean => s.includes(`-${process.pid}-`) || s.includes(`${process.pid.toString(36)}h`);
    const left = leftovers();
    assert.deepEqual(left.qemu.filter(mine), []);
    assert.deepEqual(left.netns.filter(mine), []);
    assert.deepEqual(left.taps.filter((t) => t.startsWith(`ht${process.pid.toString(36)}h`)), []);
    assert.deepEqual(left.dirs.filter(mine), []);
  });
});
