import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { observe, replace, run, runInteractive, runOk, RunError, spawnPiped, spawnStream } from '../../src/exec/runner.ts';
import { processRunning } from '../lib/process-state.ts';

describe('the process runner', () => {
  it('passes every argument as one argv entry, shell characters included', async () => {
    const hostile = ['a;b', '$(reboot)', 'x | y', 'line1\nline2', '-leading', 'x'.repeat(300)];
    const r = await run('printf', ['%s\\0', ...hostile]);
    assert.equal(r.exitCode, 0);
    assert.deepEqual(r.stdout.split('\0').slice(0, -1), hostile);
  });

  it('refuses a shell string as the program and NUL inside an argument', async () => {
    await assert.rejects(run('ls -l /', []), /program name, not a shell string/);
    await assert.rejects(run('echo', ['a\0b']), /NUL/);
  });

  it('returns the exit code and stderr instead of throwing; runOk throws with the tail of stderr', async () => {
    const r = await run('sh', ['-c', 'echo oops >&2; exit 3']);
    assert.equal(r.exitCode, 3);
    assert.equal(r.stderr.trim(), 'oops');
    await assert.rejects(runOk('sh', ['-c', 'echo broken thing >&2; exit 1']), (e: Error) => e instanceof RunError && /code 1: broken thing/.test(e.message));
  });

  it('reports a missing program clearly', async () => {
    const r = await run('hostdeck-no-such-program', ['x']);
    assert.notEqual(r.exitCode, 0);
    assert.match(r.spawnError ?? '', /not installed/);
  });

  it('kills a program at its timeout', async () => {
    const r = await run('sleep', ['5'], { timeoutMs: 200 });
    assert.equal(r.timedOut, true);
  });

  it('a program in its own process group (a hook): what it leaves running when it exits is killed, and at its timeout the whole group goes', async () => {
    // Without the group kill, the child would hold the output open and run() would wait for it.
    const left = await run('sh', ['-c', 'sleep 600 & echo $!; exit 0'], { processGroup: true, timeoutMs: 60_000 });
    assert.equal(left.exitCode, 0);
    assert.equal(left.timedOut, false);
    assert.equal(processRunning(Number(left.stdout.trim())), false, 'the child it left is gone');
    const hung = await run('sh', ['-c', 'sleep 600 & echo $!; wait'], { processGroup: true, timeoutMs: 300 });
    assert.equal(hung.timedOut, true);
    assert.equal(processRunning(Number(hung.stdout.trim())), false, 'the child of a program that timed out is gone');
  });

  it('feeds secrets on stdin and redacts them from what observers see', async () => {
    const seen: string[][] = [];
    const off = observe((rec) => seen.push(rec.args));
    try {
      const r = await run('cat', [], { input: 's3cret' });
      assert.equal(r.stdout, 's3cret');
      await run('echo', ['--password', 'hunter2'], { redact: [1] });
    } finally { off(); }
    assert.ok(seen.some((a) => a[0] === '--password' && a[1] === '***'));
    assert.ok(!JSON.stringify(seen).includes('hunter2'));
  });

  it('streams the lines of a long-running program', async () => {
    const lines: string[] = [];
    const s = spawnStream('sh', ['-c', 'echo one; echo two; echo three'], (l) => lines.push(l));
    const r = await s.done;
    assert.equal(r.exitCode, 0);
    assert.deepEqual(lines, ['one', 'two', 'three']);
  });

  it('a test stand-in answers instead of the program: nothing starts, observers still see the call', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hostdeck-runner-'));
    const file = join(dir, 'made');
    const seen: string[] = [];
    const off = observe((r) => seen.push(`${r.command} ${r.args.join(' ')} ${r.exitCode ?? 'start'}`));
    const undo = replace((command) => (command === 'touch' ? { exitCode: 7, stderr: 'stand-in' } : undefined));
    try {
      const r = await run('touch', ['--', file]);
      assert.equal(r.exitCode, 7);
      assert.equal(r.stderr, 'stand-in');
      assert.equal((await spawnStream('touch', ['--', file], () => undefined).done).exitCode, 7);
      assert.equal(await runInteractive('touch', ['--', file]), 7);
      assert.throws(() => spawnPiped('touch', ['--', file]), /answered by a test stand-in/);
      assert.equal(existsSync(file), false);
      assert.equal((await run('printf', ['ran'])).stdout, 'ran', 'a program the stand-in does not answer for runs');
    } finally { undo(); off(); }
    assert.equal((await run('touch', ['--', file])).exitCode, 0);
    assert.equal(existsSync(file), true);
    assert.deepEqual(seen.filter((l) => l.startsWith('touch')).slice(0, 2), [`touch -- ${file} start`, `touch -- ${file} 7`]);
    rmSync(dir, { recursive: true, force: true });
  });
});
