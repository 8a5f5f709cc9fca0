// The console's layout in a real pseudo-terminal (tmux) at the serial
// console's 80x24 and at 120x36: the dashboard, the VM list, a VM's detail and
// the host monitor, one console per size, on a libvirt test-driver host whose
// VM names differ only at their end. No line is wider than the terminal, no
// field is cut where the room exists (a process's command is cut to its
// column, as top does), and no two fields run into each other.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, ROOT, Terminal } from '../lib/tty.ts';
// @ts-expect-error -- plain .mjs helper shared with the benchmarks
import { writeMonitorFixture } from '../../scripts/bench/monitor-fixture.mjs';

before(() => {
  if (!existsSync(BIN)) {
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { stdio: 'inherit' });
    assert.equal(r.status, 0, 'build failed');
  }
});

const dir = mkdtempSync(join(tmpdir(), 'hostdeck-e2e-layout-'));
const uri = (writeMonitorFixture as (d: string, n: number, prefix: string) => string)(dir, 3, 'hd-test-');
const NAMES = ['hd-test-0000', 'hd-test-0001', 'hd-test-0002'];
after(() => rmSync(dir, { recursive: true, force: true }));

/** A file the 80x24 screens are written to (capture-pane text, e.g. for a closing note); unset: not written. */
const NOTES = process.env.HOSTDECK_SCREENS_NOTE;

/** Lines of the screen wider than the terminal. */
const wide = (s: string, columns: number) => s.split('\n').filter((l) => [...l].length > columns);
/** A process row: PID, [user,] CPU %, RSS, then the command (which may be cut). */
const PROCESS_ROW = /^ +\d+ +(?:\S+ +)?[\d.]+ +[\d.]+[KMG]? \S/;
/** Lines under the header with a field cut (an ellipsis), a process row's command left out of it. */
const cut = (s: string) => s.split('\n').slice(1).filter((l) => l.includes('…') && !PROCESS_ROW.test(l));

/** Asserts that each field shows whole and apart: at the start of the line or after a space or │, and followed by the end of the line, a space, │ or punctuation. */
function whole(screen: string, fields: readonly (string | RegExp)[]) {
  for (const f of fields) {
    const src = typeof f === 'string' ? f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : f.source;
    assert.match(screen, new RegExp(`(?:^|[ │])${src}(?=$|[ │:,;·])`, 'm'), `"${String(f)}" whole and apart from its neighbours in:\n${screen}`);
  }
}

for (const [columns, rows] of [[80, 24], [120, 36]] as const) {
  describe(`the console at ${columns}x${rows} (libvirt test driver)`, () => {
    let term: Terminal;
    const shots: [string, string][] = [];
    before(() => { term = Terminal.start({ columns, rows, args: ['-c', uri] }); });
    after(() => {
      term.close();
      if (columns === 80 && NOTES && shots.length) {
        mkdirSync(join(NOTES, '..'), { recursive: true });
        const order = ['VM list', 'VM detail', 'Dashboard', 'Host monitor'];
        shots.sort(([a], [b]) => order.indexOf(a) - order.indexOf(b));
        writeFileSync(NOTES, shots.map(([title, s]) => `## ${title} at 80x24\n\n${s.replace(/\s+$/, '')}\n`).join('\n'));
      }
    });

    it('the header keeps its clock and fields whole; the dashboard lines are whole', async () => {
      await term.ready(20_000);
      // Every line read (a field still loading shows …, which the check for cut text would take for one).
      const s = await term.waitFor((x) => /vms\s+3 total/.test(x) && /engine\s+unconfigured/.test(x) && /alerts\s+none open/.test(x), 20_000);
      assert.deepEqual(wide(s, columns), []);
      assert.deepEqual(cut(s), []);
      const header = s.split('\n')[0]!;
      assert.match(header, / \d\d:\d\d\s*$/, header);
      assert.match(header, /│ unconfigured │ test driver: /);
      whole(s, ['3 total · 3 running · 0 paused · 0 shut off', 'emulation only (TCG)', /\d+% [\d.]+ [KMG]iB \/ [\d.]+ [KMG]iB/, /\d+% [\d.]+ GiB used · [\d.]+ GiB available/]);
      shots.push(['Dashboard', s]);
    });

    it('the VM list shows each name whole, its columns apart', async () => {
      term.press('v');
      await term.waitFor(/3 VMs ·/, 10_000);
      term.press('1');
      const s = await term.waitFor((x) => x.includes('sort name ▲') && NAMES.every((n) => x.includes(n)), 10_000);
      assert.deepEqual(wide(s, columns), []);
      assert.deepEqual(cut(s), []);
      const lines = s.split('\n');
      const header = lines.find((l) => /^ +NAME/.test(l)) ?? assert.fail(s);
      const titles = header.trim().split(/ +/);
      for (const t of ['NAME▲', 'STATE', 'VCPU', 'CPU%', 'MEM', 'UPTIME']) assert.ok(titles.includes(t), `${t} in ${header}`);
      // Each row has as many space-separated fields as the header has titles (two words: DISK R, NET TX).
      const fields = header.replace(/(DISK|NET) (R|W|RX|TX)/g, '$1_$2').trim().split(/ +/).length;
      for (const n of NAMES) {
        const row = lines.find((l) => l.includes(n)) ?? assert.fail(s);
        assert.equal(row.replace('▶', '').trim().split(/ +/).length, fields, `${row}\n${header}`);
        assert.match(row, new RegExp(`${n} +running +\\d`));
      }
      whole(s, [/active VMs: \d+ vCPU/]);
      shots.push(['VM list', s]);
    });

    it("a VM's detail shows its fields whole and apart", async () => {
      term.press('Enter');
      const s = await term.waitFor(/config\s+test x86_64/, 10_000);
      assert.deepEqual(wide(s, columns), []);
      assert.deepEqual(cut(s), []);
      whole(s, ['00000000-0000-4000-8000-000000000000', 'hd-test-0000 (running)', '/var/lib/libvirt/images/hd-test-0000.qcow2', /CPU %/, /Memory/, /Disk/, /Network/]);
      assert.match(s, /uuid +00000000-0000-4000-8000-000000000000/);
      shots.push(['VM detail', s]);
      term.press('Escape');
      await term.waitFor(/3 VMs ·/);
      term.press('Escape');
      await term.waitFor(/vms\s+3 total/);
    });

    it('the host monitor shows bars, NICs and disks, the process list and the charts whole', async () => {
      term.press('m');
      // From the second sample on, CPU % is measured (the console itself uses some).
      const s = await term.waitFor((x) => /Disk .*↑/.test(x) && /PID +USER +CPU%/.test(x) && /^ +\d+ +\S+ +(?!0\.0 )[\d.]+ /m.test(x), 20_000);
      assert.deepEqual(wide(s, columns), []);
      assert.deepEqual(cut(s), []);
      const lines = s.split('\n');
      const header = lines.find((l) => /PID +USER +CPU%/.test(l))!;
      assert.equal((header.match(/PID +USER +CPU%/g) ?? []).length, columns === 120 ? 2 : 1, header);
      assert.ok(lines.filter((l) => PROCESS_ROW.test(l)).length >= (columns === 120 ? 10 : 4), s);
      whole(s, [/cpu +\S+ +[\d.]+%/, /mem +\S* *[\d.]+G\/[\d.]+G/, /load +[\d.]+ +[\d.]+ +[\d.]+ +\(\d+ CPUs\)/, /NIC +RX +TX/, /DISK +READ +WRITE/,
        /CPU % \(5 min\)/, /cpu \d+%/, /Memory/, /used [\d.]+G/, /Network/, /rx [\d.]+[KMG]?\/s +tx [\d.]+[KMG]?\/s/, /Disk/, /read [\d.]+[KMG]?\/s +write [\d.]+[KMG]?\/s/]);
      shots.push(['Host monitor', s]);
    });
  });
}
