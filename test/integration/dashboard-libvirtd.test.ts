// The dashboard against the real libvirtd: stopping the daemon shows
// "disconnected" and the console reconnects on its own when it returns.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, Terminal } from '../lib/tty.ts';

const libvirtUp = () => execFileSync(join(ROOT, 'scripts/libvirt-up'), { stdio: 'inherit' });
const libvirtdRunning = () => spawnSync('pgrep', ['-x', 'libvirtd']).status === 0;

describe('dashboard and a libvirtd that goes away', () => {
  let term: Terminal;
  before(() => {
    assert.equal(process.getuid?.(), 0, 'the integration tier runs as root (it starts and stops libvirtd)');
    libvirtUp();
    term = Terminal.start({ env: { LIBVIRT_DEFAULT_URI: 'qemu:///system' } });
  });
  after(() => {
    term.close();
    if (!libvirtdRunning()) libvirtUp();
  });

  it('shows the connection, then disconnected when libvirtd stops, then connected again', async () => {
    await term.waitFor(/libvirt\s+qemu:\/\/\/system connected/, 20_000);
    spawnSync('pkill', ['-TERM', '-x', 'libvirtd']);
    for (let i = 0; i < 100 && libvirtdRunning(); i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(libvirtdRunning(), false, 'libvirtd did not stop');
    let screen = await term.waitFor(/libvirt\s+disconnected: libvirtd not reachable/, 15_000);
    assert.match(screen, /vms\s+unknown while libvirt is disconnected/);
    // The rest of the console keeps working meanwhile.
    term.press('?');
    await term.waitFor('Help: Dashboard');
    term.press('Escape');
    libvirtUp();
    await term.waitFor(/libvirt\s+qemu:\/\/\/system connected/, 30_000);
    // The VM count is fetched after the connection is back: "…" until it arrives.
    screen = await term.waitFor(/vms\s+\d+ total/, 15_000);
    assert.match(screen, /libvirt\s+qemu:\/\/\/system connected/);
  });
});
