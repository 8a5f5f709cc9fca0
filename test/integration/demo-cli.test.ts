// `hostdeck demo` on the real libvirtd: tiny guests that boot (their serial
// console prints the guest's marker), listed, then removed with their disks.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { guestImage, waitForSerial } from '../lib/guest.ts';
import { domstate, makePool, poolVolumes, removePool, virshTry, LC_PREFIX, SYSTEM_URI, libvirtReady } from '../lib/lifecycle.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const POOL = `${LC_PREFIX}demopool-${process.pid.toString(36)}`;
const dir = mkdtempSync(join(tmpdir(), 'hostdeck-demo-'));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli.tsx'), 'demo', ...args, '-c', SYSTEM_URI, '--db', join(dir, 'state.db')], { encoding: 'utf8', cwd: ROOT, timeout: 600_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

describe('hostdeck demo', () => {
  before(async () => {
    assert.equal(process.getuid?.(), 0, 'the integration tier runs as root');
    for (let i = 0; i < 30 && (await virshTry('uri')).code !== 0; i++) {
      spawnSync(join(ROOT, 'scripts/libvirt-up'), { stdio: 'inherit' });
      await new Promise((r) => setTimeout(r, 1000));
    }
    await makePool(POOL);
  });
  after(async () => {
    await libvirtReady(ROOT); // the cleanup needs the daemon, even if another test stopped it meanwhile
    cli('--remove');
    await removePool(POOL);
    rmSync('/var/log/libvirt/qemu/hostdeck-demo-1.log', { force: true }); // libvirt keeps a domain's log after undefine
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates a living demo VM, lists it, and removes it with its disk', async () => {
    const marker = (await guestImage()).marker;
    const c = cli('--count', '1', '--pool', POOL, '--json');
    assert.equal(c.code, 0, c.err);
    assert.deepEqual(JSON.parse(c.out).created, ['hostdeck-demo-1']);
    assert.equal(await domstate('hostdeck-demo-1'), 'running');
    await waitForSerial('hostdeck-demo-1', marker, 90_000);
    assert.deepEqual(await poolVolumes(POOL), ['hostdeck-demo-1.qcow2']);
    const l = cli('--list', '--json');
    assert.deepEqual(JSON.parse(l.out), ['hostdeck-demo-1']);
    const r = cli('--remove');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /removed hostdeck-demo-1/);
    assert.equal(await domstate('hostdeck-demo-1'), 'absent');
    assert.deepEqual(await poolVolumes(POOL), []);
  });
});
