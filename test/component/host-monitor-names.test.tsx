// The host monitor on a host whose names are not the short ones of a laptop:
// a mount point deeper than the bars' label (/check, /var/lib/libvirt/images),
// an interface name of the kernel's full 15 characters, a user name longer
// than its column, and command lines with a shell script (newlines, a tab), an
// escape sequence and wide (CJK) characters in them. The figures come from a
// /proc tree written by the test (the sampler's procDir) and a file-system
// list handed to the store, since this machine has none of these names.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { App } from '../../src/app/App.tsx';
import { createStores } from '../../src/store/host.ts';
import { createHostMetricsStore } from '../../src/store/host-metrics.ts';
import stringWidth from '../../src/ui/string-width.ts';
import { SCREENS } from '../../screens/index.ts';
import { renderTui } from '../lib/ink.tsx';
import { consoleCore, testServices } from '../lib/services.ts';

const dir = mkdtempSync(join(tmpdir(), 'hostdeck-names-'));
const proc = join(dir, 'proc');
after(() => rmSync(dir, { recursive: true, force: true }));

const NIC = 'vethhostdeck123';
const SCRIPT = 'set -e\nfor t in a b; do\n\techo "$t"\ndone';
const PROCESSES: { pid: number; comm: string; argv: string[]; ticks: number }[] = [
  { pid: 101, comm: 'sh', argv: ['sh', '-c', SCRIPT], ticks: 900 },
  { pid: 102, comm: 'python3', argv: ['/usr/bin/python3', '/srv/报表/生成报表.py', '--月份', '十二月', '--输出', '/srv/报表/输出/十二月的报表.html'], ticks: 800 },
  { pid: 103, comm: 'printf', argv: ['printf', '\x1b[31mred\x1b[0m'], ticks: 700 },
  { pid: 104, comm: 'kworker/0:1-events', argv: [], ticks: 600 },
];

/** Writes the /proc files the host metrics store reads; `tick` moves the counters on. */
function writeProc(tick: number) {
  mkdirSync(join(proc, 'net'), { recursive: true });
  mkdirSync(join(proc, 'self'), { recursive: true });
  const cpu = (n: number) => `${100 * tick} 0 ${50 * tick} ${1000 * tick + n} 0 0 0 0 0 0`;
  writeFileSync(join(proc, 'stat'), `cpu  ${cpu(0)}\ncpu0 ${cpu(1)}\ncpu1 ${cpu(2)}\n`);
  writeFileSync(join(proc, 'self/statm'), '1000 500 100 10 0 200 0\n');
  const dev = (name: string) => `${name}: ${1000 * tick} 10 0 0 0 0 0 0 ${2000 * tick} 20 0 0 0 0 0 0`;
  writeFileSync(join(proc, 'net/dev'), ['Inter-|   Receive', ' face |bytes', dev('lo'), dev('enp0s31f6'), dev(NIC)].join('\n'));
  const disk = (name: string) => `259 0 ${name} ${10 * tick} 0 ${80 * tick} 0 ${20 * tick} 0 ${160 * tick} 0 0 0 0`;
  writeFileSync(join(proc, 'diskstats'), [disk('nvme0n1'), disk('dm-0')].join('\n'));
  for (const p of PROCESSES) {
    mkdirSync(join(proc, String(p.pid)), { recursive: true });
    writeFileSync(join(proc, String(p.pid), 'stat'), `${p.pid} (${p.comm}) S 1 1 1 0 -1 0 0 0 0 0 ${p.ticks * tick} 0 0 0 20 0 1 0 5000 1000 ${2000 + p.pid}`);
    writeFileSync(join(proc, String(p.pid), 'cmdline'), p.argv.map((a) => `${a}\0`).join(''));
  }
}

const passwd = join(dir, 'passwd');
writeFileSync(passwd, `systemd-timesync:x:${process.getuid!()}:${process.getgid!()}::/:/usr/sbin/nologin\n`);
const FILESYSTEMS = ['/', '/check', '/var/lib/libvirt/images'].map((mount, i) => ({ source: `/dev/vd${'abc'[i]}`, type: 'ext4', mount, sizeKiB: 100 << 20, usedKiB: 40 << 20, availKiB: 60 << 20 }));

function mount(columns: number, rows: number) {
  const services = testServices();
  const stores = createStores(consoleCore(services), 60_000);
  const hostMetrics = createHostMetricsStore({ filesystems: async () => FILESYSTEMS, temperatures: async () => undefined }, { procDir: proc, processes: { passwdFile: passwd, libvirtRunDir: dir } });
  const ui = renderTui(<App core={consoleCore(services)} stores={{ ...stores, hostMetrics }} screens={SCREENS} initialTheme="dark" readOnly={false} mode={() => 'unconfigured'} />, { columns, rows });
  return { ui, async close() { ui.unmount(); hostMetrics.stop(); stores.stop(); await services.cleanup(); } };
}

describe('the host monitor with long and unusual names from the host', () => {
  // 80 columns with rows enough for all four processes (80x24 itself: test/e2e/layout.test.ts).
  for (const [columns, rows] of [[120, 36], [80, 40]] as const) {
    it(`at ${columns}x${rows}: mount points and interface names whole where the room exists, each process on its one line`, async () => {
      let tick = 1;
      let timer: NodeJS.Timeout | undefined;
      const advance = () => { writeProc(tick++); timer = setTimeout(advance, 300); };
      advance();
      const env = mount(columns, rows);
      try {
        await env.ui.waitFor(/Dashboard/, 15_000);
        await env.ui.press('m');
        // From the second sample on the processes have CPU figures: by CPU, the four in the order of their ticks.
        const f = await env.ui.waitFor((s) => /Disk .*↑/.test(s) && s.includes(NIC) && /^ +101 +\S+ +[1-9]/m.test(s), 20_000);
        const lines = f.split('\n');
        assert.deepEqual(lines.filter((l) => stringWidth(l) > columns), [], 'no line wider than the terminal');
        // Interface names have room for all of the kernel's 15 characters at both sizes.
        for (const name of [NIC, 'enp0s31f6', 'nvme0n1', 'dm-0']) assert.match(f, new RegExp(`(^|│| )${name} +[\\d.]+[KMG]?/s`, 'm'), `${name} whole in:\n${f}`);
        // File systems: the label is as wide as the longest mount point while the bars keep their room; a deeper one keeps its end.
        assert.match(f, /^ +\/check +\S+ +40% 60\.0G avail/m);
        if (columns === 120) assert.match(f, /^ +\/var\/lib\/libvirt\/images +\S+ +40% 60\.0G avail/m);
        else assert.match(f, /^ +…\S*\/images +\S+ +40% 60\.0G avail/m);
        // The shell script's newlines and tab are spaces: its row is one line and no line starts with the script's rest.
        assert.match(f, /\b101 +systemd-tim… +[\d.]+ +[\d.]+[KMG]? +sh -c set -e for t in a/);
        assert.ok(!lines.some((l) => /^\s*(done|echo)\b/.test(l)), f);
        // An escape sequence is shown, not obeyed (ps shows a control character as ?).
        assert.match(f, /printf \?\[31mred/);
        // Wide characters are measured as two columns: the row ends inside the terminal, cut with …
        const cjk = lines.find((l) => l.includes('python3 /srv/报表')) ?? assert.fail(`no python3 row in:\n${f}`);
        assert.ok(stringWidth(cjk) <= columns, cjk);
        assert.match(f, /\[kworker\/0:1-events\]/);
      } finally {
        clearTimeout(timer);
        await env.close();
      }
    });
  }
});
