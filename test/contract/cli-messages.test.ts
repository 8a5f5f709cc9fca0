// How the CLI says what is wrong: every line of an error or a warning starts
// with "hostdeck: " (as a Unix tool names itself on each line it complains
// on), and a field error names its option or argument once.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli.tsx';
import { problem } from '../../src/cli/registry.ts';

let dir = '';
before(() => { dir = mkdtempSync(join(tmpdir(), 'hostdeck-messages-')); });
after(() => rmSync(dir, { recursive: true, force: true }));

async function hostdeck(...argv: string[]): Promise<{ code: number; lines: string[] }> {
  let err = '';
  const code = await main([...argv, '-c', 'test:///default', '--db', join(dir, 'state.db')], { stdout: () => {}, stderr: (t) => { err += t; } });
  return { code, lines: err.split('\n').filter(Boolean) };
}

describe('error lines', () => {
  it('several field errors: one line each, every one starting "hostdeck: ", the field named once', async () => {
    const r = await hostdeck('vm', 'create', 'a/b', '--memory', '0', '--vcpus', '0', '--dry-run');
    assert.equal(r.code, 2);
    assert.deepEqual(r.lines, [
      "hostdeck: NAME: must not contain '/'",
      'hostdeck: --vcpus: must be at least 1',
      'hostdeck: --memory: must be more than 0 MiB',
      'hostdeck: --boot: boot from disk needs at least one disk',
    ]);
  });

  it('a snapshot name is named once too', async () => {
    const r = await hostdeck('vm', 'snapshot', 'create', 'test', 'pre/upgrade');
    assert.equal(r.code, 2);
    assert.deepEqual(r.lines, ["hostdeck: SNAPSHOT: must not contain '/' or a newline"]);
  });

  it("a clone's new name is named as NEW-NAME", async () => {
    const r = await hostdeck('vm', 'clone', 'test', 'test');
    assert.equal(r.code, 2);
    assert.deepEqual(r.lines, ["hostdeck: NEW-NAME: a VM named 'test' already exists"]);
  });

  it('a field that stands for several keeps the label saying which ("--disk: disk 1 pool: ...")', async () => {
    const r = await hostdeck('vm', 'create', 'ok', '--disk', 'pool=nopool,size=1G', '--dry-run');
    assert.equal(r.code, 2);
    assert.ok(r.lines.some((l) => /^hostdeck: --disk: disk 1 pool: no storage pool named 'nopool'/.test(l)), r.lines.join('\n'));
  });

  it('a problem that does not end the command (a warning, a failed step) carries it on each of its lines', () => {
    const lines: string[] = [];
    problem({ err: (t) => lines.push(t) }, 'added conn1 but connecting failed: iscsiadm: login failed\niscsiadm: could not log into all portals');
    assert.deepEqual(lines, ['hostdeck: added conn1 but connecting failed: iscsiadm: login failed', 'hostdeck: iscsiadm: could not log into all portals']);
  });
});

describe('a group of commands named without its verb', () => {
  it('`storage domain --help` is the group\'s help: its verbs, each described', async () => {
    let text = '';
    const code = await main(['storage', 'domain', '--help'], { stdout: (t) => { text += t; }, stderr: () => {} });
    assert.equal(code, 0);
    assert.match(text, /^Usage: hostdeck storage domain <verb>/);
    assert.match(text, /\n {2}list +List the storage domains/);
    assert.doesNotMatch(text, /^ {2}(connection|volume|domain) /m, 'only the group\'s verbs, without the group\'s name');
  });

  it('`vm snapshot` without a verb says which verbs the group has (exit 2)', async () => {
    const r = await hostdeck('vm', 'snapshot');
    assert.equal(r.code, 2);
    assert.deepEqual(r.lines, ['hostdeck: vm snapshot: needs a verb, one of create, list, revert, delete']);
  });
});
