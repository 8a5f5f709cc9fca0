// The built binary in a pseudo-terminal, read-only: the Network screen shows
// this machine's own eth0 as the kernel reports it. Nothing is applied to
// this machine's network: the changing keys are not even offered.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, ROOT, Terminal } from '../lib/tty.ts';

interface IpAddr { ifname: string; address?: string; mtu: number; addr_info?: { family: string; local: string; prefixlen: number; scope: string }[] }

before(() => {
  if (!existsSync(BIN)) {
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { stdio: 'inherit' });
    assert.equal(r.status, 0, 'build failed');
  }
});

describe('the Network screen on this machine (read-only)', () => {
  let term: Terminal;
  const eth0 = (JSON.parse(execFileSync('ip', ['-j', 'addr', 'show', 'dev', 'eth0'], { encoding: 'utf8' })) as IpAddr[])[0]!;
  const v4 = eth0.addr_info?.find((a) => a.family === 'inet' && a.scope === 'global');
  before(() => { term = Terminal.start({ columns: 120, rows: 34, args: ['--read-only'] }); });
  after(() => term.close());

  it('n opens the Network screen with eth0, its address, MTU and MAC, and the backend in use', async () => {
    await term.ready();
    await term.waitFor(/memory\s+.*\d+%/);
    term.press('n');
    const screen = await term.waitFor(/Dashboard › Network[\s\S]*eth0\s+nic/);
    const row = screen.split('\n').find((l) => /eth0\s+nic/.test(l))!;
    assert.match(row, new RegExp(`eth0\\s+nic\\s+up\\s+\\S+\\s+${eth0.mtu}`));
    if (v4) assert.ok(row.includes(`${v4.local}/${v4.prefixlen}`), `eth0's address ${v4.local}/${v4.prefixlen} is on its row: ${row}`);
    const detail = await term.waitFor(/MAC [0-9a-f:]{17}/);
    assert.ok(detail.includes(`MAC ${eth0.address}`), `the detail pane shows eth0's MAC ${eth0.address}`);
    await term.waitFor(/backend (NetworkManager|iproute2)/);
  });

  it('the changing keys are not offered read-only: no New bond in the footer, A says it is not available', async () => {
    const screen = term.screen();
    assert.doesNotMatch(screen, /b New bond/);
    term.press('A');
    await term.waitFor(/Apply: not available in read-only mode/);
    term.press('b');
    await term.waitFor(/New bond: not available in read-only mode/);
    assert.doesNotMatch(term.screen(), /Network change/);
  });
});
