// `hostdeck pool ...` on a state DB of the test's own over libvirt's test
// driver: the list is JSON with --json, every bad option or argument is
// refused with exit 2 naming it and its rule (nothing made), a refused
// action exits 1 with its reason, and read-only mode changes nothing.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMain } from '../lib/cli-main.ts';
import { openDatabase } from '../../src/manager/db.ts';

let dir = '';
before(() => { dir = mkdtempSync(join(tmpdir(), 'hostdeck-pool-cli-')); });
after(() => rmSync(dir, { recursive: true, force: true }));

const hostdeck = (...argv: string[]) => runMain(join(dir, 'state.db'), 'test:///default', argv);

describe('hostdeck pool: exit codes and --json', () => {
  it('lists no pool at first, as JSON too', async () => {
    const r = await hostdeck('pool', 'list', '--json');
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(JSON.parse(r.out), []);
  });

  const invalid: [string, string[], RegExp][] = [
    ['a bad pool name', ['pool', 'create', 'bad name', '--template', 'Blank', '--size', '1'], /^POOL: may contain only letters/m],
    ['no size', ['pool', 'create', 'p1', '--template', 'Blank'], /^--size: is required/m],
    ['size 0', ['pool', 'create', 'p1', '--template', 'Blank', '--size', '0'], /^--size: must be a whole number from 1 to 200 \(got 0\)/m],
    ['a size that is not a number', ['pool', 'create', 'p1', '--template', 'Blank', '--size', 'many'], /^--size: must be a number/m],
    ['more prestarted than the size', ['pool', 'create', 'p1', '--template', 'Blank', '--size', '2', '--prestarted', '3'], /^--prestarted: must be at most the size \(2\)/m],
    ['a per-user maximum of 0', ['pool', 'create', 'p1', '--template', 'Blank', '--size', '2', '--max-per-user', '0'], /^--max-per-user: must be a whole number from 1/m],
    ['an unknown type', ['pool', 'create', 'p1', '--template', 'Blank', '--size', '1', '--type', 'sometimes'], /^--type: must be one of automatic, manual/m],
    ['an unknown template', ['pool', 'create', 'p1', '--template', 'nope', '--size', '1'], /^--template: no template named "nope"/m],
    ['an unknown template version', ['pool', 'create', 'p1', '--template', 'Blank', '--template-version', '9', '--size', '1'], /^--template-version: template Blank no version "9"/m],
    ['an unknown cluster', ['pool', 'create', 'p1', '--template', 'Blank', '--size', '1', '--cluster', 'nope'], /^--cluster: no cluster named "nope"/m],
    ['a template without disks', ['pool', 'create', 'p1', '--template', 'Blank', '--size', '1'], /^--template: Blank has no disks/m],
    ['an unknown pool', ['pool', 'show', 'nope'], /no pool named "nope"/],
    ['a bad count', ['pool', 'grow', 'p1', 'x'], /^COUNT: must be a whole number/m],
    ['no user to take for', ['pool', 'take', 'p1'], /^--for: is required/m],
    ['a bad user', ['pool', 'take', 'p1', '--for', '-rf'], /^--for: must be 1 to 64 letters/m],
    ['an edit with nothing to change', ['pool', 'edit', 'p1'], /^options: nothing to change/m],
    ['a VM that is in no pool', ['pool', 'return', 'nope'], /no pool VM named "nope"/],
  ];
  for (const [what, argv, message] of invalid) {
    it(`${what}: exit 2 naming the option or argument and the rule`, async () => {
      const r = await hostdeck(...argv);
      assert.equal(r.code, 2, `${r.out}\n${r.err}`);
      assert.match(r.err.replace(/^hostdeck: /gm, ''), message);
    });
  }

  it('shows a pool as JSON; refusals exit 1 with the reason; read-only mode changes nothing', async () => {
    // A pool as rows (its VMs need a template image the test driver cannot hold).
    await hostdeck('pool', 'list');
    const db = openDatabase(join(dir, 'state.db'));
    const blank = db.prepare("SELECT id FROM templates WHERE name = 'Blank'").pluck().get() as string;
    db.prepare(`INSERT INTO vm_pools (id, name, template_id, size, prestarted, type, status, created_at) VALUES ('p', 'p1', ?, 2, 1, 'manual', 'ready', '2026-01-01')`).run(blank);
    db.close();
    const show = await hostdeck('pool', 'show', 'p1', '--json');
    assert.equal(show.code, 0, show.err);
    assert.deepEqual((({ name, template, size, prestarted, type }) => ({ name, template, size, prestarted, type }))(JSON.parse(show.out) as Record<string, unknown>),
      { name: 'p1', template: 'Blank', size: 2, prestarted: 1, type: 'manual' });
    const shrink = await hostdeck('pool', 'shrink', 'p1', '2', '--yes');
    assert.equal(shrink.code, 2);
    assert.match(shrink.err, /COUNT: a pool keeps at least 1 VM/);
    const ro = await hostdeck('pool', 'edit', 'p1', '--prestarted', '0', '--read-only');
    assert.equal(ro.code, 1);
    assert.match(ro.err, /read-only/);
    const edited = await hostdeck('pool', 'edit', 'p1', '--prestarted', '0', '--description', 'lab desks');
    assert.equal(edited.code, 0, edited.err);
    const after = JSON.parse((await hostdeck('pool', 'list', '--json')).out) as { prestarted: number; description: string }[];
    assert.deepEqual(after.map((p) => [p.prestarted, p.description]), [[0, 'lab desks']]);
    const take = await hostdeck('pool', 'take', 'p1', '--for', 'alice');
    assert.equal(take.code, 1);
    assert.match(take.err, /pool p1 has no free VM/);
  });
});
