// `hostdeck net` input handling: the unattended file format, option names in
// error messages, and hostile strings given on the command line, which are
// refused before any program sees them (only hostdeck's own read-only
// queries of this machine run; the strings are in none of their arguments).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseNetFile, fieldMessage } from '../../src/cli/net.ts';
import { main } from '../../src/cli.tsx';
import { observe, type RunRecord } from '../../src/exec/runner.ts';
import { newIface, type NetConfig } from '../../src/domain/net/model.ts';
import { openDatabase } from '../../src/manager/db.ts';

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
