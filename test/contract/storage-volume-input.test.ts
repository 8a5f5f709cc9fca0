// hostdeck storage volume create|delete|upload check each value's own form
// before they look the storage domain up: a bad --name, --size, --format,
// VOLUME or FILE is refused (exit 2) naming it, even when the domain named
// does not exist either; a good value then meets the domain lookup.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli.tsx';

let dir = '';
before(() => { dir = mkdtempSync(join(tmpdir(), 'hostdeck-volume-input-')); });
after(() => rmSync(dir, { recursive: true, force: true }));

async function hostdeck(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const at = argv.includes('--') ? argv.indexOf('--') : argv.length;
  const code = await main([...argv.slice(0, at), '-c', 'test:///default', '--db', join(dir, 'state.db'), ...argv.slice(at)], { stdout: (t) => { out += t; }, stderr: (t) => { err += t; } });
  return { code, out, err };
}

describe('storage volume input before the domain lookup (no storage domain dom1 exists)', () => {
  const cases: [string[], RegExp][] = [
    [['storage', 'volume', 'create', '--name', '-oProxyCommand=x', '--size', '1G', 'dom1'], /^hostdeck: --name: must not start with '-'/m],
    [['storage', 'volume', 'create', '--name', 'disk1', '--size', 'lots', 'dom1'], /^hostdeck: --size: must be a number with an optional unit/m],
    [['storage', 'volume', 'create', '--name', 'disk1', '--size', '1K', 'dom1'], /^hostdeck: --size: must be at least 1 MiB/m],
    [['storage', 'volume', 'create', '--name', 'disk1', '--size', '1G', '--format', 'vmdk', 'dom1'], /^hostdeck: --format: must be qcow2 or raw/m],
    [['storage', 'volume', 'delete', '--yes', 'dom1', '--', '--help'], /^hostdeck: VOLUME: must not start with '-'/m],
    // Without --yes and a terminal: the name is refused, not asked about (nor is --yes asked for).
    [['storage', 'volume', 'delete', 'dom1', '../x'], /^hostdeck: VOLUME: must start with a letter, digit or '_'/m],
    [['storage', 'volume', 'upload', 'dom1', 'relative.iso'], /^hostdeck: FILE: must be an absolute path/m],
    [['storage', 'volume', 'upload', '--name', 'a\nb', 'dom1', '/tmp/x.iso'], /^hostdeck: --name: must not contain control characters/m],
  ];
  for (const [argv, message] of cases) {
    it(`${argv.join(' ').replace('\n', '\\n')}: exit 2 naming the value, not the missing domain`, async () => {
      const r = await hostdeck(...argv);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, message);
      assert.doesNotMatch(r.err, /no storage domain/);
    });
  }
  it('good values meet the domain lookup: no storage domain named dom1 (exit 2)', async () => {
    for (const argv of [['storage', 'volume', 'create', '--name', 'disk1', '--size', '1G', 'dom1'], ['storage', 'volume', 'delete', '--yes', 'dom1', 'disk1'], ['storage', 'volume', 'upload', 'dom1', '/tmp/x.iso']]) {
      const r = await hostdeck(...argv);
      assert.equal(r.code, 2, argv.join(' '));
      assert.match(r.err, /no storage domain named or with id "dom1"/, argv.join(' '));
    }
  });
});
