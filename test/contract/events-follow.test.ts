// `hostdeck events list --follow` and `--since`, as a script or an operator
// in another shell sees them: the CLI run as a process over a state database
// that this test (another process's writer) adds events to.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { run, spawnPiped } from '../../src/exec/runner.ts';
import { testServices } from '../lib/services.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const services = testServices();
const db = join(services.dir, 'state.db');
const env = { HOSTDECK_DB: db, HOSTDECK_LOG: join(services.dir, 'log') };
const record = (message: string) => services.events.record({ source: 'test', objectType: 'vm', objectId: 'web1', message });

function hostdeck(...args: string[]) {
  return run(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli.tsx'), ...args], { cwd: ROOT, timeoutMs: 60_000, env });
}

/** `events list --follow ...` running; `next()` resolves with its next line of output. */
function following(args: string[] = []) {
  const child = spawnPiped(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli.tsx'), 'events', 'list', '--follow', ...args], { env });
  child.stdin.end();
  let stderr = '';
  let pending = '';
  const lines: string[] = [];
  const waiting: ((l: string) => void)[] = [];
  child.stderr.setEncoding('utf8').on('data', (c: string) => { stderr += c; });
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    pending += c;
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      lines.push(pending.slice(0, nl));
      pending = pending.slice(nl + 1);
    }
    while (lines.length && waiting.length) waiting.shift()!(lines.shift()!);
  });
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => {
    // Whoever still waits for a line gets the end of the output instead.
    for (const w of waiting.splice(0)) w(`<ended: ${stderr}>`);
    resolve({ code, signal });
  }));
  return {
    child,
    ended,
    stderr: () => stderr,
    next: () => new Promise<string>((resolve) => {
      if (lines.length) resolve(lines.shift()!);
      else if (child.exitCode !== null || child.signalCode !== null) resolve(`<ended: ${stderr}>`);
      else waiting.push(resolve);
    }),
  };
}

describe('events list --follow and --since', () => {
  after(() => services.cleanup());

  it('--follow prints the last events, then each new one as it is written, until SIGTERM (status 0)', async () => {
    record('before the follow');
    const f = following();
    assert.match(await f.next(), /^ID\s+TIME\s+SEVERITY\s+SOURCE\s+OBJECT/);
    assert.match(await f.next(), /vm:web1 .*before the follow$/);
    record('written while following');
    assert.match(await f.next(), /vm:web1 .*written while following$/);
    record('and another');
    assert.match(await f.next(), /and another$/);
    f.child.kill('SIGTERM');
    assert.deepEqual(await f.ended, { code: 0, signal: null });
    assert.equal(f.stderr(), '');
  });

  it('--follow --json prints one event object per line, filtered like the list', async () => {
    record('json-wanted zero');
    const f = following(['--json', '--search', 'json-wanted', '--limit', '1']);
    // The last matching event first: it is following from there on.
    const first = JSON.parse(await f.next()) as { message: string; objectId: string };
    assert.equal(first.message, 'json-wanted zero');
    assert.equal(first.objectId, 'web1');
    record('json-wanted one');
    record('not this one');
    record('json-wanted two');
    assert.equal((JSON.parse(await f.next()) as { message: string }).message, 'json-wanted one');
    assert.equal((JSON.parse(await f.next()) as { message: string }).message, 'json-wanted two');
    f.child.kill('SIGTERM');
    assert.equal((await f.ended).code, 0);
  });

  it('--follow ends quietly when the reader goes (at the next event)', async () => {
    const f = following();
    await f.next();
    f.child.stdout.destroy();
    record('nobody reads this');
    const end = await f.ended;
    assert.ok(end.code === 0 || end.code === 141 || end.signal === 'SIGPIPE', `status 0 or 141 (got ${end.code ?? end.signal})`);
    assert.equal(f.stderr(), '');
  });

  it('--since takes an age or an ISO time and lists only what is newer', async () => {
    const old = record('three days ago');
    services.db.prepare('UPDATE events SET time = ? WHERE id = ?').run(new Date(Date.now() - 3 * 86400_000).toISOString(), old.id);
    record('just now');
    for (const since of ['1d', '36h', new Date(Date.now() - 86400_000).toISOString(), new Date(Date.now() - 86400_000).toISOString().slice(0, 10)]) {
      const r = await hostdeck('events', 'list', '--since', since, '--json', '--limit', '1000');
      assert.equal(r.exitCode, 0, r.stderr);
      const messages = (JSON.parse(r.stdout) as { message: string }[]).map((e) => e.message);
      assert.ok(messages.includes('just now'), since);
      assert.ok(!messages.includes('three days ago'), since);
    }
    const all = JSON.parse((await hostdeck('events', 'list', '--since', '4d', '--json')).stdout) as { message: string }[];
    assert.ok(all.some((e) => e.message === 'three days ago'));
  });

  it('a bad --since is refused with status 2 naming --since and the rule', async () => {
    for (const bad of ['yesterday', '10', '-1h', '2026-02-30', '2026-12-07T24:00', '5y']) {
      const r = await hostdeck('events', 'list', '--since', bad);
      assert.equal(r.exitCode, 2, bad);
      assert.match(r.stderr, /^hostdeck: --since: must be a time: an ISO date or date and time .* or an age: a number and s, m, h, d or w/, bad);
    }
  });
});
