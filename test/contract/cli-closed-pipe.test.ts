// A reader that stops early (`hostdeck events list | head -1`): the CLI run as
// a process whose standard output is a real pipe, closed by the reader after
// the first line. The command ends quietly, as a Unix tool ends on SIGPIPE:
// status 0 (or 141), nothing on stderr.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { spawnPiped } from '../../src/exec/runner.ts';
import { testServices } from '../lib/services.ts';
// @ts-expect-error -- plain .mjs helper shared with the benchmarks
import { writeMonitorFixture } from '../../scripts/bench/monitor-fixture.mjs';

const ROOT = new URL('../..', import.meta.url).pathname;
const services = testServices();
const db = join(services.dir, 'state.db');

/** Run hostdeck with its stdout on a pipe this test closes after the first line; resolves when the process has ended. */
function firstLineThenClose(args: string[]): Promise<{ first: string; code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const child = spawnPiped(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli.tsx'), ...args, '--db', db], { env: { HOSTDECK_LOG: join(services.dir, 'log') } });
  child.stdin.end();
  let stderr = '';
  let pending = '';
  let first: string | undefined;
  child.stderr.setEncoding('utf8').on('data', (c: string) => { stderr += c; });
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    pending += c;
    const nl = pending.indexOf('\n');
    if (first === undefined && nl >= 0) {
      first = pending.slice(0, nl);
      child.stdout.destroy();
    }
  });
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ first: first ?? '', code, signal, stderr })));
}

function endedQuietly(r: { code: number | null; signal: NodeJS.Signals | null; stderr: string }): void {
  assert.equal(r.stderr, '', 'nothing on stderr (no EPIPE trace)');
  assert.ok(r.code === 0 || r.code === 141 || r.signal === 'SIGPIPE', `status 0 or 141 (got ${r.code ?? r.signal})`);
}

describe('a closed pipe ends a command quietly', () => {
  before(() => {
    // More events than a pipe holds: the command is still writing when the reader goes.
    services.db.transaction(() => {
      for (let i = 0; i < 3000; i++) services.events.record({ source: 'test', objectType: 'vm', objectId: `vm-${i}`, message: `event number ${i} with some words to make the line longer` });
    })();
  });
  after(() => services.cleanup());

  it('events list | head -1', async () => {
    const r = await firstLineThenClose(['events', 'list', '--limit', '3000']);
    assert.match(r.first, /^ID\s+TIME\s+SEVERITY/);
    endedQuietly(r);
  });

  it('top --batch | head -1 (a command that prints until interrupted stops)', async () => {
    const uri = (writeMonitorFixture as (d: string, n: number) => string)(services.dir, 4);
    const r = await firstLineThenClose(['top', '--batch', '--interval', '0.5', '--format', 'csv', '-c', uri]);
    assert.match(r.first, /^time,tick,name/);
    endedQuietly(r);
  });
});
