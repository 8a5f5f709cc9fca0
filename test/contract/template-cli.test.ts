// `hostdeck template ...` and `hostdeck vm create --template` on a state DB
// of the test's own over libvirt's test driver: the Blank template is listed
// (--json), every bad option is refused with exit 2 naming it and its rule,
// a refused action exits 1 with its reason, read-only mode changes nothing,
// and a dry run from the Blank template shows its defaults under the options.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMain } from '../lib/cli-main.ts';
import { which } from '../../src/exec/runner.ts';

let dir = '';
before(() => { dir = mkdtempSync(join(tmpdir(), 'hostdeck-template-cli-')); });
after(() => rmSync(dir, { recursive: true, force: true }));

const hostdeck = (...argv: string[]) => runMain(join(dir, 'state.db'), 'test:///default', argv);

describe('hostdeck template: exit codes and --json', () => {
  it('lists the Blank template, as JSON too', async () => {
    const r = await hostdeck('template', 'list', '--json');
    assert.equal(r.code, 0, r.err);
    const list = JSON.parse(r.out) as { name: string; version: number; disks: unknown[]; hardware: { memoryMiB: number } }[];
    assert.deepEqual(list.map((t) => [t.name, t.version, t.disks.length, t.hardware.memoryMiB]), [['Blank', 1, 0, 1024]]);
    const text = await hostdeck('template', 'list');
    assert.match(text.out, /^NAME\s+VERSION.*\nBlank\s+1\s/);
  });

  const invalid: [string, string[], RegExp][] = [
    ['a bad name', ['template', 'create', '--name', 'bad name', '--vm', 'test', '--storage-domain', 'd'], /^--name: must contain only letters, digits/m],
    ['a taken name', ['template', 'create', '--name', 'Blank', '--vm', 'test', '--storage-domain', 'd'], /^--name: a template named Blank already exists/m],
    ['no VM', ['template', 'create', '--name', 'web', '--storage-domain', 'd'], /^--vm: is required/m],
    ['an unknown storage domain', ['template', 'create', '--name', 'web', '--vm', 'test', '--storage-domain', 'nope'], /^--storage-domain: no storage domain "nope"/m],
    ['a version of an unknown template', ['template', 'create', '--base', 'nope', '--version-name', 'v2', '--vm', 'test', '--storage-domain', 'd'], /^--base: no template named "nope"/m],
    ['a version without a name', ['template', 'create', '--base', 'Blank', '--vm', 'test', '--storage-domain', 'd'], /^--version-name: is required for a new version/m],
    ['an unknown template shown', ['template', 'show', 'nope'], /no template named "nope"/],
    ['an edit with nothing to change', ['template', 'edit', 'Blank'], /^options: nothing to change/m],
    ['a long description', ['template', 'edit', 'Blank', '--description', 'x'.repeat(201)], /^--description: must be at most 200 characters/m],
    ['a VM from an unknown template', ['vm', 'create', 'web1', '--template', 'nope', '--thin'], /^--template: no template named "nope"/m],
    ['thin and clone', ['vm', 'create', 'web1', '--template', 'Blank', '--thin', '--clone'], /^--thin\/--clone: give one of them, not both/m],
    ['neither thin nor clone', ['vm', 'create', 'web1', '--template', 'Blank'], /^--thin\/--clone: one is required with --template/m],
    ['an unknown version', ['vm', 'create', 'web1', '--template', 'Blank', '--template-version', '7', '--thin'], /^--template-version: template Blank no version "7"/m],
    ['a bad override', ['vm', 'create', 'web1', '--template', 'Blank', '--clone', '--vcpus', '0', '--dry-run'], /^--vcpus: must be at least 1/m],
  ];
  for (const [what, argv, message] of invalid) {
    it(`${what}: exit 2 naming the option and the rule`, async () => {
      const r = await hostdeck(...argv);
      assert.equal(r.code, 2, `${r.out}\n${r.err}`);
      assert.match(r.err.replace(/^hostdeck: /gm, ''), message);
    });
  }

  it('refusals exit 1 with the reason; read-only mode changes nothing', async () => {
    const rm = await hostdeck('template', 'remove', 'Blank', '--yes');
    assert.equal(rm.code, 1);
    assert.match(rm.err, /the Blank template cannot be removed/);
    const ro = await hostdeck('template', 'edit', 'Blank', '--description', 'changed', '--read-only');
    assert.equal(ro.code, 1);
    assert.match(ro.err, /read-only/);
    const ok = await hostdeck('template', 'edit', 'Blank', '--description', 'the empty one', '--json');
    assert.equal(ok.code, 0, ok.err);
    const shown = JSON.parse((await hostdeck('template', 'show', 'Blank', '--json')).out) as { description: string }[];
    assert.equal(shown[0]!.description, 'the empty one');
  });

  it('--seal is refused, with nothing made, where virt-sysprep is not installed', async () => {
    const r = await hostdeck('template', 'create', '--name', 'sealed', '--vm', 'test', '--storage-domain', 'd', '--seal');
    assert.equal(r.code, 2);
    if (await which('virt-sysprep')) assert.doesNotMatch(r.err, /--seal/);
    else assert.match(r.err, /--seal: virt-sysprep is not installed on this host .*nothing was made/);
    assert.deepEqual((JSON.parse((await hostdeck('template', 'list', '--json')).out) as { name: string }[]).map((t) => t.name), ['Blank']);
  });

  it('the Blank template keeps its name', async () => {
    const r = await hostdeck('template', 'edit', 'Blank', '--name', 'Empty');
    assert.equal(r.code, 1);
    assert.match(r.err, /the Blank template keeps its name/);
  });

  it("a dry run from a template: its hardware as the defaults, the options over them", async () => {
    const r = await hostdeck('vm', 'create', 'web1', '--template', 'Blank', '--clone', '--memory', '256M', '--graphics', 'none', '--disk', 'pool=default-pool,size=16M', '--dry-run', '--json');
    assert.equal(r.code, 0, r.err);
    const { mode, input } = JSON.parse(r.out) as { mode: string; input: { memoryMiB: number; vcpus: number; graphics: string; disks: unknown[] } };
    assert.deepEqual([mode, input.memoryMiB, input.vcpus, input.graphics, input.disks.length], ['clone', 256, 1, 'none', 1]);
  });
});
