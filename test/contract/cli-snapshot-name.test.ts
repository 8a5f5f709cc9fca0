// `vm snapshot create` without a snapshot name: libvirt names the snapshot
// (the time in seconds), as `virsh snapshot-create-as DOMAIN` does, and the
// CLI says which name it got. On libvirt's test driver, with a VM
// whose disk is qcow2 (test/fixtures/libvirt/snapshot-host.xml).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli.tsx';

const HOST = `test://${new URL('../fixtures/libvirt/snapshot-host.xml', import.meta.url).pathname}`;
let dir = '';
before(() => { dir = mkdtempSync(join(tmpdir(), 'hostdeck-snapname-')); });
after(() => rmSync(dir, { recursive: true, force: true }));

async function hostdeck(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main([...argv, '-c', HOST, '--db', join(dir, 'state.db')], { stdout: (t) => { out += t; }, stderr: (t) => { err += t; } });
  return { code, out, err };
}

describe('vm snapshot create without a name', () => {
  it('takes a snapshot libvirt names and prints that name', async () => {
    const r = await hostdeck('vm', 'snapshot', 'create', 'snapvm');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^snapvm: snapshot \d+ taken$/m);
  });

  it('a name of spaces only is refused with the rule, exit 2', async () => {
    const r = await hostdeck('vm', 'snapshot', 'create', 'snapvm', '  ');
    assert.equal(r.code, 2);
    assert.match(r.err, /hostdeck: SNAPSHOT: must not be only spaces/);
  });
});
