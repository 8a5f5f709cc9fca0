// The host monitor's process list, read from this host's /proc: the busiest
// and the largest processes side by side at 120x36, one order at a time (P, M)
// at 80x24, and a VM's QEMU named after its VM. QEMU itself is played by a
// stand-in: node started under QEMU's program name with the arguments libvirt
// gives QEMU (-name guest=NAME,...), spinning so that it is among the busiest.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { App } from '../../src/app/App.tsx';
import { createStores } from '../../src/store/host.ts';
import { createProcessSampler } from '../../src/store/processes.ts';
import { SCREENS } from '../../screens/index.ts';
import { KEYS, renderTui } from '../lib/ink.tsx';
import { consoleCore, testServices } from '../lib/services.ts';

const dir = mkdtempSync(join(tmpdir(), 'hostdeck-procs-'));
const qemu = join(dir, 'qemu-system-x86_64');
symlinkSync(process.execPath, qemu);
const SPIN = 'for (;;) { const end = Date.now() + 50; while (Date.now() < end); }';
const IDLE = 'setInterval(() => {}, 1e6)';
const standIns: ChildProcess[] = [];
const standIn = (code: string, ...qemuArgs: string[]) => {
  const p = spawn(qemu, ['-e', code, '--', ...qemuArgs], { stdio: 'ignore' });
  standIns.push(p);
  return p;
};
after(() => { for (const p of standIns) p.kill('SIGKILL'); rmSync(dir, { recursive: true, force: true }); });

/** Lines of the frame wider than `columns`. */
const wide = (f: string, columns: number) => f.split('\n').filter((l) => [...l].length > columns);

describe('the host monitor process list (this host; QEMU played by a stand-in process)', () => {
  before(() => { standIn(SPIN, '-name', 'guest=hd-standin-web1,debug-threads=on', '-S'); });

  for (const [columns, rows] of [[120, 36], [80, 24]] as const) {
    it(`at ${columns}x${rows}: PID, user, CPU %, RSS and command, the stand-in QEMU as "qemu: its VM", every chart still whole`, async () => {
      const services = testServices();
      const stores = createStores(consoleCore(services), 60_000);
      const ui = renderTui(<App core={consoleCore(services)} stores={stores} screens={SCREENS} initialTheme="dark" readOnly={false} mode={() => 'unconfigured'} />, { columns, rows });
      try {
        await ui.waitFor(/Dashboard/, 15_000);
        await ui.press('m');
        const f = await ui.waitFor((s) => s.includes('qemu: hd-standin-web1') && /Disk .*↑/.test(s), 30_000);
        assert.deepEqual(wide(f, columns), []);
        const lines = f.split('\n');
        const header = lines.find((l) => /PID +USER +CPU%/.test(l)) ?? assert.fail(`no process list header in:\n${f}`);
        // 120 columns: by CPU and by memory side by side; 80: one list, by CPU first.
        assert.equal((header.match(/PID +USER +CPU%/g) ?? []).length, columns === 120 ? 2 : 1, header);
        assert.match(header, columns === 120 ? /CPU%▼ +RSS COMMAND +PID +USER +CPU% +RSS▼ COMMAND/ : /CPU%▼ +RSS COMMAND\s*$/);
        assert.match(f, new RegExp(`^ +${standIns[0]!.pid} +root +[\\d.]+ +[\\d.]+[KMG]? qemu: hd-standin-web1`, 'm'));
        // The charts keep their titles and current values under the list.
        for (const title of [/CPU % \(5 min\)/, /Memory .*↑/, /Network .*↑/, /Disk .*↑/]) assert.match(f, title);
        const listRows = lines.filter((l) => /^ +\d+ +\S+ +[\d.]+ +\S+ \S/.test(l)).length;
        assert.ok(listRows >= (columns === 120 ? 10 : 4), `${listRows} process rows:\n${f}`);
        if (columns === 80) {
          await ui.press('M');
          const byMemory = await ui.waitFor(/RSS▼ COMMAND/);
          assert.match(byMemory, /PID +USER +CPU% +RSS▼ COMMAND/);
          await ui.press('?');
          const help = await ui.waitFor('Help: Host monitor');
          assert.match(help, /P +Processes by CPU/);
          assert.match(help, /M +Processes by memory/);
          await ui.press(KEYS.escape);
        }
      } finally {
        ui.unmount(); stores.stop(); await services.cleanup();
      }
    });
  }

  it("names a QEMU started without -name after libvirt's pid file (/run/libvirt/qemu/NAME.pid)", async () => {
    const runDir = join(dir, 'run');
    const p = standIn(IDLE, '-m', '64');
    await new Promise((r) => p.once('spawn', r));
    rmSync(runDir, { recursive: true, force: true });
    symlinkSync(dir, runDir);
    writeFileSync(join(dir, 'hd-standin-db2.pid'), `${p.pid}\n`);
    const sampler = createProcessSampler({ libvirtRunDir: runDir, top: 10_000 });
    // The stand-in is named once it has run node's start-up (its command line is QEMU's then).
    let row;
    for (let i = 0; i < 100 && !row; i++) {
      row = sampler.sample(Date.now()).byMemory.find((r) => r.pid === p.pid);
      if (!row) await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(row?.command, 'qemu: hd-standin-db2');
    assert.equal(row?.vm, 'hd-standin-db2');
  });
});
