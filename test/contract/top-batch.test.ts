// `hostdeck top --batch` as a script sees it: the CLI run as a process on a
// libvirt test-driver host with 12 domains; every tick prints one record per
// VM, as CSV or JSON lines.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/exec/runner.ts';
import { TOP_FIELDS } from '../../src/cli/top.ts';
// @ts-expect-error -- plain .mjs helper shared with the benchmarks
import { writeMonitorFixture } from '../../scripts/bench/monitor-fixture.mjs';

const ROOT = new URL('../..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'hostdeck-top-'));
const uri = (writeMonitorFixture as (d: string, n: number) => string)(dir, 12);
const NAMES = Array.from({ length: 12 }, (_, i) => `vm-${String(i).padStart(4, '0')}`);

function hostdeck(...args: string[]) {
  return run(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli.tsx'), ...args], { cwd: ROOT, timeoutMs: 60_000, env: { HOSTDECK_DB: join(dir, 'state.db'), HOSTDECK_LOG: join(dir, 'log') } });
}

describe('hostdeck top --batch', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('--format csv prints a header, then one line per VM per tick', async () => {
    const r = await hostdeck('top', '--batch', '--interval', '0.5', '--iterations', '3', '--format', 'csv', '-c', uri);
    assert.equal(r.exitCode, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines[0], TOP_FIELDS.join(','));
    const rows = lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [TOP_FIELDS[i], v])));
    assert.equal(rows.length, 3 * 12);
    for (const tick of ['1', '2', '3']) {
      const these = rows.filter((x) => x.tick === tick);
      assert.deepEqual(these.map((x) => x.name).sort(), NAMES);
      assert.equal(new Set(these.map((x) => x.time)).size, 1, 'one sample time per tick');
    }
    const v3 = rows.find((x) => x.name === 'vm-0003')!;
    assert.equal(v3.state, 'paused');
    assert.equal(v3.vcpus, '4');
    assert.equal(v3.mem_kib, String(4 * 131072));
    assert.equal(v3.uuid, '00000000-0000-4000-8000-000000000003');
    assert.equal(rows.find((x) => x.name === 'vm-0004')!.state, 'shutoff');
    assert.equal(rows.find((x) => x.name === 'vm-0004')!.cpu_pct, '', 'a shut-off VM has no CPU figure (empty, as the console shows "-")');
  });

  it('--format json prints one JSON object per VM per tick with typed figures', async () => {
    const r = await hostdeck('top', '--batch', '--interval', '0.5', '--iterations', '2', '--format', 'json', '-c', uri);
    assert.equal(r.exitCode, 0, r.stderr);
    const recs = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(recs.length, 2 * 12);
    for (const rec of recs) assert.deepEqual(Object.keys(rec), [...TOP_FIELDS]);
    const running = recs.find((x) => x.name === 'vm-0000' && x.tick === 2)!;
    assert.equal(running.state, 'running');
    assert.equal(running.vcpus, 1);
    assert.equal(typeof running.disk_rd_bps, 'number');
    assert.equal(running.max_mem_kib, 131072);
  });

  it('is listed in --help and refuses bad input with status 2, naming the option', async () => {
    const help = await hostdeck('--help');
    assert.match(help.stdout, /^\s+top\s+Per-VM figures/m);
    const noBatch = await hostdeck('top', '-c', uri);
    assert.equal(noBatch.exitCode, 2);
    assert.match(noBatch.stderr, /--batch/);
    const bad = await hostdeck('top', '--batch', '--format', 'xml', '-c', uri);
    assert.equal(bad.exitCode, 2);
    assert.match(bad.stderr, /--format: must be one of json, csv/);
    const fast = await hostdeck('top', '--batch', '--interval', '0.1', '-c', uri);
    assert.equal(fast.exitCode, 2);
    assert.match(fast.stderr, /--interval: must be at least 0.5/);
  });

  it('says so when libvirt cannot be reached (status 1)', async () => {
    const r = await hostdeck('top', '--batch', '--iterations', '1', '-c', 'qemu+unix:///system?socket=/nonexistent/libvirt-sock');
    assert.equal(r.exitCode, 1);
    assert.match(r.stderr, /cannot read VM figures/);
  });
});
