// `hostdeck logs` on a real file (hostdeck's own log, HOSTDECK_LOG in a temp
// directory): every bad option is refused with exit 2 naming it and its rule,
// before any log is read or any program started; a name outside /var/log's
// logs is refused; the last lines, a priority, a time, a jump, a search with
// offsets and --follow print what the file holds.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMain } from '../lib/cli-main.ts';
import { observe } from '../../src/exec/runner.ts';

let dir = '';
let log = '';
const saved = process.env.HOSTDECK_LOG;
const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const lines = [
  `${new Date(T0).toISOString()} storage: connected data1`,
  `${new Date(T0 + 60_000).toISOString()} error : vm web1: disk missing`,
  `${new Date(T0 + 120_000).toISOString()} warning : net: bond0 degraded`,
  `${new Date(T0 + 180_000).toISOString()} storage: connected data2`,
];

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'hostdeck-logs-cli-'));
  log = join(dir, 'hostdeck.log');
  writeFileSync(log, `${lines.join('\n')}\n`);
  process.env.HOSTDECK_LOG = log;
});
after(() => {
  if (saved === undefined) delete process.env.HOSTDECK_LOG; else process.env.HOSTDECK_LOG = saved;
  rmSync(dir, { recursive: true, force: true });
});

const hostdeck = (...argv: string[]) => runMain(join(dir, 'state.db'), 'test:///default', ['logs', ...argv]);

describe('hostdeck logs: bad input', () => {
  const cases: [string[], RegExp][] = [
    [['--source', '../../etc/shadow'], /--source: must be journal, hostdeck .* without '\.\.'/],
    [['--source', '/etc/passwd'], /--source: must be/],
    [['--source', '-rf'], /--source: must be/],
    [['--source', 'vm:-x'], /--source: must be/],
    [['--unit', '-x'], /--unit: must be a systemd unit name/],
    [['--unit', 'a b.service'], /--unit: must be a systemd unit name/],
    [['--source', 'hostdeck', '--unit', 'ssh'], /--unit: applies to the journal only/],
    [['--priority', 'loud'], /--priority: must be a syslog priority/],
    [['--priority', '8'], /--priority: must be a syslog priority/],
    [['--since', 'yesterday'], /--since: must be a time/],
    [['--at', '2026-13-01'], /--at: must be a time/],
    [['--lines', '0'], /--lines: must be a whole number from 1 to 100000/],
    [['-n', '2.5'], /--lines: must be a whole number/],
    [['--lines', '100001'], /--lines: must be a whole number/],
    [['--grep', '('], /--grep: must be a valid regular expression/],
    [['--search', '[a-'], /--search: must be a valid regular expression/],
    [['--search', 'x', '--follow'], /--follow: cannot be combined with --search/],
  ];
  for (const [argv, message] of cases) {
    it(`${argv.join(' ')}: exit 2 naming the option, nothing run`, async () => {
      const ran: string[] = [];
      const stop = observe((r) => ran.push(r.command));
      try {
        const r = await hostdeck(...argv);
        assert.equal(r.code, 2, r.err);
        assert.match(r.err, message);
        assert.equal(r.out, '');
        assert.deepEqual(ran, []);
      } finally {
        stop();
      }
    });
  }

  it('a file not under /var/log, or not there: exit 2 saying so and how to list the logs', async () => {
    const r = await hostdeck('--source', 'no-such-dir/no-such.log');
    assert.equal(r.code, 2);
    assert.match(r.err, /source: no log file no-such-dir\/no-such\.log in \/var\/log \(hostdeck logs --sources lists them\)/);
    const vm = await hostdeck('--source', 'vm:no-such-vm');
    assert.equal(vm.code, 2);
    assert.match(vm.err, /no libvirt log for VM no-such-vm/);
  });
});

describe('hostdeck logs: reading', () => {
  it('--lines: the last lines of the file', async () => {
    const r = await hostdeck('--source', 'hostdeck', '-n', '2');
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(r.out.trim().split('\n'), lines.slice(2));
  });

  it('--priority warning: the error and warning lines; --since: from that time', async () => {
    const p = await hostdeck('--source', 'hostdeck', '--priority', 'warning');
    assert.deepEqual(p.out.trim().split('\n'), lines.slice(1, 3));
    const s = await hostdeck('--source', 'hostdeck', '--since', new Date(T0 + 120_000).toISOString());
    assert.deepEqual(s.out.trim().split('\n'), lines.slice(2));
  });

  it('--at: the page from the first line at that time', async () => {
    const r = await hostdeck('--source', 'hostdeck', '--at', new Date(T0 + 30_000).toISOString(), '-n', '1');
    assert.deepEqual(r.out.trim().split('\n'), [lines[1]]);
  });

  it('--search: the matching lines with their byte offsets, then the count', async () => {
    const r = await hostdeck('--source', 'hostdeck', '--search', 'connected data\\d');
    assert.equal(r.code, 0, r.err);
    const offset3 = Buffer.byteLength(`${lines.slice(0, 3).join('\n')}\n`);
    const out = r.out.trim().split('\n').map((l) => l.trim());
    assert.deepEqual(out.slice(0, 2), [`0  ${lines[0]}`, `${offset3}  ${lines[3]}`]);
    assert.match(out[2]!, /^2 matching lines in hostdeck \(\d+ B read\)$/);
  });

  it('--sources lists hostdeck\'s own log with its path', async () => {
    const r = await hostdeck('--sources', '--json');
    const list = JSON.parse(r.out) as { id: string; path?: string }[];
    assert.deepEqual(list.find((s) => s.id === 'hostdeck')?.path, log);
  });

  it('--follow prints the last lines, then lines as they are written, until interrupted', async () => {
    let out = '';
    const done = runMain(join(dir, 'state.db'), 'test:///default', ['logs', '--source', 'hostdeck', '-n', '1', '--follow'], (t) => { out += t; });
    const waitFor = async (s: string) => { for (let i = 0; i < 500 && !out.includes(s); i++) await new Promise((r) => setTimeout(r, 20)); assert.ok(out.includes(s), out); };
    await waitFor('connected data2');
    appendFileSync(log, `${new Date(T0 + 240_000).toISOString()} vm: web1 started\n`);
    await waitFor('web1 started');
    process.emit('SIGINT');
    assert.equal((await done).code, 0);
    assert.deepEqual(out.trim().split('\n'), [lines[3], `${new Date(T0 + 240_000).toISOString()} vm: web1 started`]);
  });
});
