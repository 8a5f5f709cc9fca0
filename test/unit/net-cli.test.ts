// `hostdeck net` input handling: the unattended file format, option names in
// error messages, and hostile strings given on the command line, which are
// refused before any program sees them (only hostdeck's own read-only
// queries of this machine run; the strings are in none of their arguments).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { netCommands, parseNetFile, fieldMessage, terminalProgress } from '../../src/cli/net.ts';
import type { CommandContext, CommandError } from '../../src/cli/registry.ts';
import { resolveConfig } from '../../src/config.ts';
import { Services } from '../../src/services.ts';
import { createCore } from '../../src/core/index.ts';
import { main } from '../../src/cli.tsx';
import { observe, replace, type RunRecord } from '../../src/exec/runner.ts';
import { newIface, type NetConfig } from '../../src/domain/net/model.ts';
import { openDatabase } from '../../src/manager/db.ts';
import { onRecordedHost } from '../lib/net-recorded.ts';

const current = (): NetConfig => ({ hostname: 'node1', dns: { servers: [], search: [] }, interfaces: ['eth0', 'eth1', 'eth2'].map((n) => newIface(n, 'ethernet')) });

describe('net apply-file format', () => {
  it('stages a whole management setup from one file, each line checked against the lines before', () => {
    const { changes, errors } = parseNetFile([
      '# install-time network',
      'bond create bond0 --port eth1 --port eth2 --mode 802.3ad --miimon 100 --lacp-rate fast',
      'vlan create --parent bond0 --id 100',
      'bridge create ovirtmgmt --port bond0.100',
      'ip set ovirtmgmt --method static --address 10.1.0.5/24 --gateway 10.1.0.1   # management',
      'dns set --server 10.1.0.1 --search lab.example.com',
      'hostname set node1.lab.example.com',
    ].join('\n'), current());
    assert.deepEqual(errors, []);
    assert.deepEqual(changes.map((c) => c.op), ['bond.create', 'vlan.create', 'bridge.create', 'ip.set', 'dns.set', 'hostname.set']);
    assert.deepEqual(changes[0], { op: 'bond.create', name: 'bond0', ports: ['eth1', 'eth2'], options: { mode: '802.3ad', miimon: 100, lacp_rate: 'fast' } });
  });
  it('names the line, the option and the rule for every bad line', () => {
    const { errors } = parseNetFile([
      'bond create bond0 --port eth1 --mode active-backup --lacp-rate fast',
      'vlan create --parent eth2 --id 5000',
      'ip set eth0 --method dhcp --address 10.0.0.5/24',
      'firewall open 22',
      'hostname set -x',
    ].join('\n'), current());
    assert.ok(errors.some((e) => /^line 1: --lacp-rate: only applies to mode 802\.3ad/.test(e)), errors.join('\n'));
    assert.ok(errors.some((e) => /^line 2: --id: VLAN id must be a whole number 1-4094/.test(e)), errors.join('\n'));
    assert.ok(errors.some((e) => /^line 3: --address: a static address cannot be mixed with dhcp/.test(e)), errors.join('\n'));
    assert.ok(errors.some((e) => /^line 4: unknown operation "firewall open"/.test(e)), errors.join('\n'));
    assert.ok(errors.some((e) => /^line 5: /.test(e)), errors.join('\n'));
  });
  it('refuses a file with a NUL', () => {
    assert.deepEqual(parseNetFile('hostname set a\u0000b', current()).errors, ['the file contains a NUL character']);
  });
  it('field errors say the option', () => {
    assert.equal(fieldMessage({ field: 'xmit_hash_policy', message: 'x' }), '--xmit-hash-policy: x');
    assert.equal(fieldMessage({ field: 'name', message: 'y' }), 'NAME: y');
  });
});

describe('hostile strings on the net command line', () => {
  const hostile = ['bond0;reboot', '$(reboot)', 'bond0|cat', 'bond0\nreboot', '-bond0', 'x'.repeat(300)];
  const cases = (s: string): string[][] => [
    ['net', 'bond', 'create', s, '--port', 'eth0', '--mode', 'active-backup'],
    ['net', 'bond', 'create', 'bond9', '--port', s, '--mode', 'active-backup'],
    ['net', 'bond', 'create', 'bond9', '--port', 'eth0', '--mode', s],
    ['net', 'vlan', 'create', '--parent', s, '--id', '10'],
    ['net', 'bridge', 'create', `--port=${s}`, 'br9'],
    ['net', 'ip', 'set', 'eth0', '--method', 'static', '--address', s],
    ['net', 'ip', 'set', 'eth0', '--method', 'static', '--address', '10.9.9.9/24', '--gateway', s],
    ['net', 'dns', 'set', '--server', s],
    ['net', 'dns', 'set', '--search', s],
    ['net', 'hostname', 'set', s],
    ['net', 'test', '--target', s],
  ];
  it('every one is refused with status 2, nothing is staged and no program gets the string', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hostdeck-netcli-'));
    const dbPath = join(dir, 'state.db');
    const seen: RunRecord[] = [];
    const stop = observe((r) => { if (r.exitCode === undefined) seen.push(r); });
    const write = process.stderr.write.bind(process.stderr);
    const errs: string[] = [];
    process.stderr.write = ((t: string) => { errs.push(String(t)); return true; }) as typeof process.stderr.write;
    try {
      for (const s of hostile) {
        for (const argv of cases(s)) {
          // A leading "-" value after a flag that takes one is still that flag's value.
          const code = await main([...argv, '--db', dbPath]);
          assert.equal(code, 2, `${JSON.stringify(argv)}: ${errs.slice(-1)[0]}`);
        }
      }
    } finally {
      process.stderr.write = write;
      stop();
    }
    for (const r of seen) for (const s of hostile) assert.ok(![r.command, ...r.args].some((a) => a.includes(s)), `${r.command} ${r.args.join(' ')} got ${JSON.stringify(s)}`);
    const db = openDatabase(dbPath);
    assert.equal(db.prepare('SELECT count(*) FROM net_staged').pluck().get(), 0);
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('issue #13: net input rules on the command line', () => {
  const refusals: [string[], RegExp][] = [
    ...['mybond', 'eth5', 'bond', 'bond-1', 'Bond0', 'team0', 'br0'].map((n): [string[], RegExp] => [['net', 'bond', 'create', n, '--port', 'eth1', '--mode', 'active-backup'], new RegExp(`^hostdeck: NAME: a bond name must be 'bond' followed by one or more letters, digits or '_', e\\.g\\. bond0 or bond_mgmt \\(got "${n}"\\)$`, 'm')]),
    [['net', 'ip', 'set', 'eth0', '--method', 'static', '--address', '10.9.9.9/24', '--gateway', '10.9.9.0'], /^hostdeck: --gateway: 10\.9\.9\.0 is the network address of the subnet of 10\.9\.9\.9\/24/m],
    [['net', 'ip', 'set', 'eth0', '--method', 'static', '--address', '10.9.9.9/24', '--gateway', '10.9.9.255'], /^hostdeck: --gateway: 10\.9\.9\.255 is the broadcast address of the subnet of 10\.9\.9\.9\/24/m],
    [['net', 'ip', 'set', 'eth0', '--ipv6', '--method', 'static', '--address', 'fd00:9::9/64', '--gateway', 'fd00:9::'], /^hostdeck: --gateway: fd00:9:: is the subnet-router anycast address/m],
    [['net', 'hostname', 'set', 'node1.'], /^hostdeck: NAME: must not end with '\.' \(a host name is not an absolute DNS name\): give "node1"$/m],
    [['net', 'vlan', 'create', '--parent', 'eth0', '--id', '10', '--name', 'v:10'], /^hostdeck: --name: must not contain ':'/m],
  ];
  it('each is refused with status 2 naming the option or argument and the rule; the staged set is unchanged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hostdeck-netrules-'));
    const dbPath = join(dir, 'state.db');
    const write = process.stderr.write.bind(process.stderr);
    const errs: string[] = [];
    try {
      assert.equal(await main(['net', 'hostname', 'set', 'node7', '--db', dbPath]), 0);
      const rows = () => { const db = openDatabase(dbPath); try { return db.prepare('SELECT * FROM net_staged ORDER BY id').all(); } finally { db.close(); } };
      const before = rows();
      assert.equal(before.length, 1);
      process.stderr.write = ((t: string) => { errs.push(String(t)); return true; }) as typeof process.stderr.write;
      for (const [argv, msg] of refusals) {
        errs.length = 0;
        const code = await main([...argv, '--db', dbPath]);
        assert.equal(code, 2, `${argv.join(' ')}: ${errs.join('')}`);
        assert.match(errs.join(''), msg, argv.join(' '));
      }
      // The same rules in an unattended file, by line.
      const file = join(dir, 'net.txt');
      writeFileSync(file, 'bond create team0 --port eth1 --mode active-backup\nhostname set node1.lab.\n');
      errs.length = 0;
      process.stderr.write = ((t: string) => { errs.push(String(t)); return true; }) as typeof process.stderr.write;
      assert.equal(await main(['net', 'discard', '--db', dbPath]), 0);
      assert.equal(await main(['net', 'apply-file', file, '--db', dbPath]), 2);
      assert.match(errs.join(''), /^hostdeck: line 1: NAME: a bond name must be 'bond' followed/m);
      assert.match(errs.join(''), /^hostdeck: line 2: NAME: must not end with '\.'/m);
      assert.deepEqual(rows(), []);
    } finally {
      process.stderr.write = write;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('apply-file progress: a counter on a terminal, redrawn at most every 100 ms and cleared at the end; nothing off a terminal or with --json (stream stand-in)', () => {
    const writes: string[] = [];
    const p = terminalProgress({ json: false }, { isTTY: true, write: (t: string) => { writes.push(t); return true; } } as never);
    p.show('staging 1/3');
    p.show('staging 2/3');
    p.clear();
    assert.deepEqual(writes, ['\r\x1b[Kstaging 1/3', '\r\x1b[K']);
    for (const [json, isTTY] of [[false, false], [true, true]] as const) {
      const none: string[] = [];
      const q = terminalProgress({ json }, { isTTY, write: (t: string) => { none.push(t); return true; } } as never);
      q.show('staging 1/3');
      q.clear();
      assert.deepEqual(none, []);
    }
  });
});

describe('net apply: a change that may disconnect the operator (host reads answered from the recorded test host, nothing applied)', () => {
  async function hostdeck(argv: string[], calls: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const code = await onRecordedHost(calls, () => main(argv, { stdout: (t) => { out += t; }, stderr: (t) => { err += t; } }));
    return { code, out, err };
  }

  it('without a terminal: the warnings, then refused with exit 1 naming --accept-disconnect; nothing applied, the staged change kept', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hostdeck-netrisk-'));
    const db = join(dir, 'state.db');
    try {
      // eth0 holds the default route and 192.168.81.10/24 on the recorded host.
      const staged = await hostdeck(['net', 'ip', 'set', 'eth0', '--method', 'dhcp', '--db', db], []);
      assert.equal(staged.code, 0, staged.err);
      const calls: string[] = [];
      const r = await hostdeck(['net', 'apply', '--yes', '--db', db], calls);
      assert.equal(r.code, 1, r.err);
      assert.match(r.err, /^hostdeck: warning: eth0 switches IPv4 from static to DHCP: eth0 loses 192\.168\.81\.10\/24/m);
      assert.match(r.err, /^hostdeck: warning: the default IPv4 gateway 192\.168\.81\.1 \(eth0\) is left to DHCP/m);
      assert.match(r.err, /not applied: this change may disconnect you from the host .*give --accept-disconnect to apply it anyway/);
      // Only reads ran: no checkpoint, no pending file, no change.
      assert.deepEqual(calls.filter((c) => !/^(ip -j |ip -d -j addr show$|lldpcli |grep |cat -- |nmcli -t -f RUNNING )/.test(c)), []);
      const rows = openDatabase(db);
      try { assert.equal(rows.prepare('SELECT count(*) FROM net_staged').pluck().get(), 1); } finally { rows.close(); }
      // Accepted by name: the apply goes on past the warning (and fails at the stand-in, which applies nothing).
      const accepted = await hostdeck(['net', 'apply', '--yes', '--accept-disconnect', '--db', db], []);
      assert.match(accepted.err, /warning: eth0 switches IPv4/);
      assert.doesNotMatch(accepted.err, /not applied: this change may disconnect you/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('on a terminal: a prompt naming the risk; anything but yes applies nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hostdeck-netrisk-tty-'));
    const db = join(dir, 'state.db');
    const services = new Services(resolveConfig({ db }), 'cli');
    try {
      assert.equal((await hostdeck(['net', 'ip', 'set', 'eth0', '--method', 'dhcp', '--db', db], [])).code, 0);
      const apply = netCommands.find((c) => c.verb === 'apply')!;
      const asked: string[] = [];
      const err: string[] = [];
      const calls: string[] = [];
      const ctx = {
        services, core: createCore(services, { user: 'tester', channel: 'cli' }), options: { yes: true }, positionals: [], json: false, interactive: true, out: () => {}, err: (t: string) => { err.push(t); },
        prompt: async (q: string) => { asked.push(q); return 'no'; },
      } as unknown as CommandContext;
      await assert.rejects(onRecordedHost(calls, () => apply.run(ctx)), (e: CommandError) => e.code === 1 && /^Not applied; the staged changes are kept/.test(e.message));
      assert.equal(asked.length, 1);
      assert.match(asked[0]!, /^This may disconnect you from the host: eth0 switches IPv4 from static to DHCP.*Apply anyway\? Type yes to apply: $/);
      assert.deepEqual(calls.filter((c) => !/^(ip -j |ip -d -j addr show$|lldpcli |grep |cat -- |nmcli -t -f RUNNING )/.test(c)), []);
    } finally {
      await services.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('issue #22: net bond create without --mode or link monitoring', () => {
  it("stages the console's New bond default, active-backup with miimon 100, and the help says so", async () => {
    const plain = parseNetFile('bond create bond0 --port eth1', current());
    assert.deepEqual(plain.errors, []);
    assert.deepEqual(plain.changes[0], { op: 'bond.create', name: 'bond0', ports: ['eth1'], options: { mode: 'active-backup', miimon: 100 } });
    // ARP monitoring given: no MII monitoring is added to it.
    const arp = parseNetFile('bond create bond0 --port eth1 --arp-interval 200 --arp-target 10.0.0.1', current());
    assert.deepEqual(arp.errors, []);
    assert.deepEqual(arp.changes[0], { op: 'bond.create', name: 'bond0', ports: ['eth1'], options: { mode: 'active-backup', arp_interval: 200, arp_ip_target: ['10.0.0.1'] } });
    let out = '';
    assert.equal(await main(['net', 'bond', 'create', '--help'], { stdout: (t) => { out += t; }, stderr: () => {} }), 0);
    assert.match(out, /--mode MODE .*\(default active-backup\)/);
    assert.match(out, /--miimon MS .*\(default 100 unless --arp-interval is given/);
  });

  it('a bond without link monitoring is staged with a warning line; with monitoring there is none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hostdeck-netbond-'));
    const db = join(dir, 'state.db');
    const run = async (argv: string[]) => {
      let err = '';
      const code = await main([...argv, '--db', db], { stdout: () => {}, stderr: (t) => { err += t; } });
      return { code, err };
    };
    try {
      const bare = await run(['net', 'bond', 'create', 'bond0', '--port', 'eth0', '--miimon', '0']);
      assert.equal(bare.code, 0, bare.err);
      assert.match(bare.err, /^hostdeck: warning: bond bond0 has no link monitoring \(miimon and arp_interval are 0 or unset\)/m);
      assert.equal((await run(['net', 'discard'])).code, 0);
      const monitored = await run(['net', 'bond', 'create', 'bond0', '--port', 'eth0']);
      assert.equal(monitored.code, 0, monitored.err);
      assert.equal(monitored.err, '');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('net test: the console\'s network test (programs answered from the recorded test host, test/fixtures/net, plus an IPv6 default route)', () => {
  const fx = (n: string) => readFileSync(join(import.meta.dirname, '../fixtures/net', n), 'utf8');
  const nslookup = (server: string) => `Server:\t\t${server}\nAddress:\t${server}:53\n\nName:\tlocalhost\nAddress: 127.0.0.1\n`;
  /** The recorded host's answers; ping and nslookup answer as on a working network. */
  const answer = (command: string, args: readonly string[]) => {
    const line = [command, ...args].join(' ');
    if (line === 'ip -j -d addr show') return { exitCode: 0, stdout: fx('ip-d-addr.json') };
    if (line === 'ip -j link show') return { exitCode: 0, stdout: fx('ip-j-link.json') };
    if (line === 'ip -j route show default') return { exitCode: 0, stdout: fx('ip-route-default.json') };
    if (line === 'ip -j -6 route show default') return { exitCode: 0, stdout: '[{"dst":"default","gateway":"fe80::1","dev":"eth0","flags":[]}]' };
    if (command === 'grep') return { exitCode: 2, stdout: fx('grep-sysfs.txt') };
    if (command === 'ping') return { exitCode: 0, stdout: `PING ${args.at(-1)}\n2 packets transmitted, 2 received, 0% packet loss, time 301ms\nrtt min/avg/max/mdev = 0.210/0.250/0.290/0.040 ms\n` };
    if (command === 'busybox' && args[0] === 'nslookup') return { exitCode: 0, stdout: nslookup(args[2]!) };
    return { exitCode: 127, stderr: `${command}: not recorded` };
  };

  it('tests the IPv6 gateway too, and asks each DNS server a query instead of pinging it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hostdeck-nettest-'));
    const ran: string[] = [];
    const stop = replace((command, args) => { ran.push([command, ...args].join(' ')); return answer(command, args); });
    let out = '';
    try {
      const code = await main(['net', 'test', '--db', join(dir, 'state.db')], { stdout: (t) => { out += t; }, stderr: () => {} });
      assert.equal(code, 0, out);
    } finally {
      stop();
      rmSync(dir, { recursive: true, force: true });
    }
    assert.match(out, /ok +gateway 192\.168\.81\.1: 2\/2 replies/);
    assert.match(out, /ok +gateway fe80::1%eth0: 2\/2 replies/);
    assert.match(out, /ok +dns 192\.168\.81\.1: answers \(localhost\)/);
    assert.match(out, /ok +dns 2001:db8::53: answers \(localhost\)/);
    assert.ok(ran.includes('busybox nslookup localhost 2001:db8::53'), ran.join('\n'));
    assert.ok(!ran.some((c) => c.startsWith('ping') && c.endsWith('2001:db8::53')), 'a DNS server is not pinged');
  });
});

describe('net status counts staged changes as net diff shows them (this machine\'s configuration, read-only)', () => {
  it('two host-name changes are one diff line: "1 staged change", after staging and in net status', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hostdeck-netstatus-'));
    const db = join(dir, 'state.db');
    let out = '';
    const run = (argv: string[]) => main([...argv, '--db', db], { stdout: (t) => { out += t; }, stderr: () => {} });
    try {
      assert.equal(await run(['net', 'hostname', 'set', 'node7.example.com']), 0);
      assert.equal(await run(['net', 'hostname', 'set', 'node8.example.com']), 0);
      assert.match(out, /^Staged\. 1 staged change in all: /m);
      out = '';
      assert.equal(await run(['net', 'status']), 0);
      assert.match(out, /^1 staged change\.$/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
