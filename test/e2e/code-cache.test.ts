// The built console keeps React, ink and yoga in dist/vendor.cjs and a V8
// code cache of it made right after its first frame: the next start takes
// it, a damaged one is refused (the console starts all the same) and made
// again. Each start here is the binary in a real terminal.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, ROOT, Terminal } from '../lib/tty.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function findCache(dir: string): string | undefined {
  for (const e of readdirSync(dir, { recursive: true }) as string[]) if (e.endsWith('hostdeck-vendor.v8cache')) return join(dir, e);
  return undefined;
}

describe('the vendor code cache', () => {
  let dir: string;
  before(() => {
    if (!existsSync(BIN)) {
      const r = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { stdio: 'inherit' });
      assert.equal(r.status, 0, 'build failed');
    }
    dir = mkdtempSync(join(tmpdir(), 'hostdeck-codecache-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** One start to the dashboard and out; what the start-up trace said about the vendor script. */
  async function start(n: number): Promise<string> {
    const trace = join(dir, `trace${n}`);
    const term = Terminal.start({ columns: 100, rows: 30, env: { HOSTDECK_COMPILE_CACHE: join(dir, 'cache'), HOSTDECK_TRACE: trace } });
    try {
      await term.ready();
      const screen = await term.waitFor(/vms\s+\d+ total/);
      assert.match(screen, new RegExp(`host\\s+${hostname()}`));
      for (let i = 0; i < 100 && !readFileSync(trace, 'utf8').includes('first complete frame'); i++) await sleep(50);
      await sleep(300);
    } finally {
      term.close();
    }
    const line = readFileSync(trace, 'utf8').split('\n').find((l) => l.includes('vendor script loaded'));
    assert.ok(line, 'the trace names the vendor script');
    return line;
  }

  it('is made after the first start, taken by the next, and a damaged one is refused and made again', async () => {
    assert.match(await start(1), /no code cache/);
    const file = findCache(join(dir, 'cache'));
    assert.ok(file, 'a code cache after the first start');
    assert.ok(statSync(file).size > 100_000, `code cache of ${statSync(file).size} bytes`);

    assert.match(await start(2), /from its code cache/);

    writeFileSync(file, Buffer.alloc(statSync(file).size, 0x5a));
    assert.match(await start(3), /code cache rejected/);
    assert.match(await start(4), /from its code cache/);
  });
});
