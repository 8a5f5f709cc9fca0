import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { observe, run, runOk, RunError, spawnStream } from '../../src/exec/runner.ts';

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
});
