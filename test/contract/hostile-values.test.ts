// Every string and list option and every positional argument of every CLI
// command (generated from src/cli/commands.ts, so a new command is covered
// without editing this file), given each hostile value, run in process through
// main() against the libvirt test driver and a state database of its own.
// Every program start is recorded through the runner; programs other than
// virsh on the test driver are answered by a stand-in that fails (nothing on
// this machine's network or storage changes). Per case: no shell is ever
// started; a value starting with "-" never reaches a program where it would be
// read as an option; a refusal exits 2 and names the option (or the
// positional); the output never carries an escape, carriage return or newline
// from the value raw.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { main } from '../../src/cli.tsx';
import { openDatabase } from '../../src/manager/db.ts';
import { COMMANDS } from '../../src/cli/commands.ts';
import { observe, replace, type Answer, type RunRecord } from '../../src/exec/runner.ts';
import {
  HOSTILE_VALUES, caseArgv, commandWords, hostileTargets, isShell, missingOptions, namesTarget, optionPositionViolations, plausibleOption,
  rawControlShown, shown, type Plausible, type Target,
} from '../lib/hostile.ts';

const fixture = new URL('../fixtures/libvirt/host.xml', import.meta.url).pathname;
const CASE_TIMEOUT_MS = 20_000;
// virsh subcommands that read or write files on this machine even on the test driver.
const VIRSH_FILE_COMMANDS = new Set(['save', 'restore', 'dump', 'screenshot', 'vol-upload', 'vol-download', 'console', 'define', 'create']);

/**
 * virsh on the test driver starts from the fixture in every process, so the
 * same arguments always give the same answer: each distinct call runs once.
 */
const virshAnswers = new Map<string, Promise<Answer>>();
function virshOnTestDriver(args: readonly string[]): Promise<Answer> {
  const key = JSON.stringify(args);
  let a = virshAnswers.get(key);
  if (!a) {
    a = new Promise((resolve) => {
      execFile('virsh', [...args], { env: { ...process.env, LC_ALL: 'C' }, encoding: 'utf8', maxBuffer: 16 << 20 }, (e, stdout, stderr) => {
        resolve({ exitCode: e ? (typeof e.code === 'number' ? e.code : 1) : 0, stdout, stderr });
      });
    });
    virshAnswers.set(key, a);
  }
  return a;
}

interface Outcome { code: number | 'hung' | 'threw'; out: string; err: string; calls: RunRecord[] }

describe('hostile values in every string option and positional of every command (programs other than virsh on the test driver: a failing stand-in)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hostdeck-hostile-'));
  const uri = `test://${join(dir, 'host.xml')}`;
  let caseNo = 0;
  let calls: RunRecord[] = [];
  let undo: (() => void)[] = [];
  const savedEnv = { ...process.env };
  const totals = { cases: 0, refusals: 0, accepted: 0, failed: 0, programCalls: 0, shells: 0, optionPosition: 0, rawControl: 0, bidiShownRaw: 0 };

  const plausible: Plausible = {
    options: {
      boot: 'kernel', memory: '64M', size: '64M', disk: 'pool=hd-test-ctr-pool,volume=hostile-base.qcow2', network: 'hd-test-ctr-net', bridge: 'br0', mac: '52:54:00:12:34:56',
      iso: join(dir, 'boot.iso'), kernel: join(dir, 'vmlinuz'), initrd: join(dir, 'initrd.img'), cmdline: 'console=ttyS0', machine: 'pc',
      description: 'a plain description', search: 'plain', engine: '127.0.0.1:9', fingerprint: 'AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01',
      'ssh-user': 'root', 'from-file': join(dir, 'engine-register.conf'), pool: 'hd-test-ctr-pool', type: 'data', connection: 'conn1', lun: '360000000000000000e00000000010001',
      format: 'qcow2', path: join(dir, 'images'), options: 'ro', portal: '192.0.2.10', target: 'iqn.2026-11.org.hostdeck:t1', 'chap-user': 'user1',
      'chap-secret-file': join(dir, 'secret'), 'mutual-user': 'user2', 'mutual-secret-file': join(dir, 'secret'), 'password-file': join(dir, 'secret'), spec: '/dev/hostdeck-none', 'vfs-type': 'ext4',
      wwid: '360000000000000000e00000000010001', port: 'eth0', 'arp-target': '192.0.2.1', primary: 'eth0', mode: 'active-backup', 'lacp-rate': 'fast',
      'xmit-hash-policy': 'layer2', 'ad-select': 'stable', parent: 'eth0', method: 'static', gateway: '192.0.2.1', server: '192.0.2.53', to: '198.51.100.0/24',
      via: '192.0.2.1', id: '1', name: 'plain1', vm: 'hd-test-ctr-off', 'storage-domain': 'tpl-data',
      profile: 'ovirtmgmt', model: 'virtio', volume: 'hostile-base.qcow2',
      // Logical networks (hostdeck network ...): the Default data center and cluster, ovirtmgmt and its profile exist from the first start.
      dc: 'Default', cluster: 'Default', vlan: '10', 'vm-network': 'yes', filter: 'none', roles: 'vm', required: 'no', scope: 'global', CIDR: '192.0.2.10/24', ADDRESS: '192.0.2.10', N: '1', S: '5', MS: '100', ID: '1',
    },
    commandOptions: { 'pool create': { size: '2', template: 'tiny' }, 'pool edit': { prestarted: '0' }, 'notify add': { channel: 'syslog', target: 'udp://127.0.0.1:9', source: 'vm', 'min-severity': 'warning' },
      // Built-in reports: a range, the whole host, a file format, and a new file in this test's directory.
      'report run': { from: '7d', to: 'now', scope: 'host', format: 'csv', output: join(dir, 'report.csv') },
      'system ssh-set': { port: '2222', 'password-login': 'off', 'root-login': 'no' }, 'system netconsole-set': { device: 'eth0' },
      // Roles and permissions: a new role's name, permits that exist, a user, a role and an object that exist, a catalog action.
      'role copy': { name: 'Copied1', type: 'user' }, 'role edit': { add: 'RUN_VM', remove: 'STOP_VM', type: 'user' },
      'permission list': { object: 'cluster:Default', for: 'bob@internal', group: 'ops@internal' },
      'permission add': { for: 'bob@internal', role: 'UserRole', object: 'cluster:Default' },
      'permission check': { for: 'bob@internal', action: 'vm.start', object: 'cluster:Default' } },
    positionals: {
      'vm create': { NAME: 'hd-hostile-new' },
      vm: { NAME: 'hd-test-ctr-off', 'NEW-NAME': 'hd-hostile-copy', SNAPSHOT: 'snap1' },
      'network profile': { NETWORK: 'ovirtmgmt', PROFILE: 'ovirtmgmt' }, network: { NETWORK: 'ovirtmgmt' },
      // Custom properties: a name the seeded Default cluster allows (below), on the fixture's VM.
      'vm property': { VM: 'hd-test-ctr-off', 'NAME=VALUE...': 'note=x', 'NAME...': 'note' }, 'cluster property': { NAME: 'note' },
      // NIC and disk hot-plug: the fixture's VM, a MAC and a target it could have.
      'vm nic': { VM: 'hd-test-ctr-off', MAC: '52:54:00:12:34:56' }, 'vm disk': { VM: 'hd-test-ctr-off', TARGET: 'vdb' },
      // VM pools: plain1 is a pool row (seeded below), a new one is plain2; a count that passes its own rule.
      'pool create': { POOL: 'plain2' }, pool: { POOL: 'plain1', COUNT: '1', VM: 'hd-test-ctr-off' },
      // Alert thresholds: a threshold name that exists.
      'alert threshold': { NAME: 'host.cpu' },
      // Built-in reports: one that runs on an empty history.
      'report run': { NAME: 'events' },
      // System settings: a zone, an NTP server, a time, a key line, a fingerprint and a syslog target that pass their rules.
      'system timezone-set': { ZONE: 'UTC' }, 'system ntp-set': { 'SERVER...': '192.0.2.5' }, 'system ntp': { 'on|off': 'on' }, 'system time-set': { TIME: '2026-01-01 00:00' },
      'system ssh-service': { 'start|stop|enable|disable': 'start' }, 'system ssh-key-add': { KEY: readFileSync(new URL('../fixtures/ssh-keys/ed25519.pub', import.meta.url), 'utf8').trim() },
      'system ssh-key-remove': { FINGERPRINT: 'SHA256:9A5W5p5mOKg70OKI+1/SMtqb8hcKPCqsBxPMxFl+KxY' }, 'system syslog-set': { TARGET: 'udp://192.0.2.7' },
      'system keyboard-set': { LAYOUT: 'us', VARIANT: 'intl' }, 'system locale-set': { LOCALE: 'C.UTF-8' }, 'system netconsole-set': { TARGET: '192.0.2.1:6666' }, 'system kdump': { 'on|off': 'on' },
      // Roles: a custom role seeded below (built-in ones are read-only), a built-in one to copy; permission 2 is seeded below.
      role: { ROLE: 'Operator1' }, 'role copy': { ROLE: 'UserRole' }, permission: { ID: '2' },
      'net bond': { NAME: 'bond9' }, 'net bridge': { NAME: 'br9' }, 'net vlan': { NAME: 'eth0.9' }, 'net hostname': { NAME: 'node1.example.com' },
      '*': { ID: '1', NAME: 'plain1', DC: 'Default', CLUSTER: 'Default', DOMAIN: 'dom1', VOLUME: 'vol1', FILE: join(dir, 'upload.img'), CONNECTION: 'conn1', TEMPLATE: 'Blank', TYPE: 'localfs', IFACE: 'eth0', MTU: '1500', UUID: 'dom1' },
    },
  };

  const seed = join(dir, 'seed.db');
  before(async () => {
    // The fixture's disks and pool point into this test's directory, not at /var/lib.
    writeFileSync(join(dir, 'host.xml'), readFileSync(fixture, 'utf8').replaceAll('/var/lib/libvirt/images', join(dir, 'images')).replaceAll('/var/lib/hostdeck-test-ctr-pool', join(dir, 'pool'))
      // An existing volume: a new one would not outlive the virsh process that made it on the test driver.
      .replace('</pool>', `<volume><name>hostile-base.qcow2</name><capacity unit='bytes'>16777216</capacity><target><path>${join(dir, 'pool', 'hostile-base.qcow2')}</path></target></volume></pool>`));
    for (const d of ['images', 'pool', 'engine-root/etc/ssh', 'engine-root/root']) mkdirSync(join(dir, d), { recursive: true });
    writeFileSync(join(dir, 'engine-root/etc/passwd'), 'root:x:0:0:root:/root:/bin/bash\n');
    for (const f of ['initrd.img', 'upload.img']) writeFileSync(join(dir, f), '');
    // An ISO and a kernel are read by their magic numbers: an ISO 9660 image and an x86 bzImage header.
    const image = (at: number, magic: string) => { const b = Buffer.alloc(40_000); b.write(magic, at, 'latin1'); return b; };
    writeFileSync(join(dir, 'boot.iso'), image(32769, 'CD001'));
    writeFileSync(join(dir, 'vmlinuz'), image(0x202, 'HdrS'));
    writeFileSync(join(dir, 'secret'), 'plain-secret\n', { mode: 0o600 });
    writeFileSync(join(dir, 'engine-register.conf'), 'management_server=127.0.0.1:9\n');
    process.env.HOSTDECK_LOG = join(dir, 'hostdeck.log');
    process.env.HOSTDECK_ENGINE_ROOT = join(dir, 'engine-root');
    delete process.env.HOSTDECK_DB;
    delete process.env.LIBVIRT_DEFAULT_URI;
    Object.defineProperty(process.stdin, 'isTTY', { value: false, configurable: true });
    // Every case starts from a database with a connected local storage connection, conn1 (connecting it only checks the directory is writable).
    mkdirSync(join(dir, 'conn1'));
    const seeded = await runCase(['storage', 'connection', 'add', 'localfs', '--path', join(dir, 'conn1'), '--name', 'conn1', '--connect-now', '--'], seed);
    assert.equal(seeded.code, 0, seeded.err);
    // A data storage domain for template images, as a row (creating one runs programs this test stands in for).
    const db = openDatabase(seed);
    db.prepare(`INSERT INTO storage_domains (id, name, type, kind, data_center_id, connection_id, status, format_version, pool_name, pool_type, path, creator_host, created_at, attached_at)
      SELECT '44444444-0000-4000-8000-000000000001', 'tpl-data', 'data', 'file', id, 'conn1', 'active', 1, 'tpl-data-pool', 'dir', ?, 'node1', '2026-01-01', '2026-01-01' FROM data_centers LIMIT 1`).run(join(dir, 'conn1'));
    // A template with a disk on it and a pool of it, plain1, as rows: pool commands then get as far as making or changing a pool.
    const tplId = '55555555-0000-4000-8000-000000000001';
    db.prepare(`INSERT INTO templates (id, base_id, name, version, hardware, status, storage_domain_id, created_at) SELECT ?, ?, 'tiny', 1, hardware, 'ready', '44444444-0000-4000-8000-000000000001', '2026-01-01' FROM templates WHERE name = 'Blank'`).run(tplId, tplId);
    db.prepare(`INSERT INTO template_disks (template_id, idx, volume, path, format, bus, size_bytes) VALUES (?, 0, ?, ?, 'qcow2', 'virtio', 16777216)`).run(tplId, `template-${tplId}-0.qcow2`, join(dir, 'conn1', 'images', `template-${tplId}-0.qcow2`));
    db.prepare(`INSERT INTO vm_pools (id, name, template_id, size, type, status, created_at) VALUES ('pool-plain1', 'plain1', ?, 1, 'automatic', 'ready', '2026-01-01')`).run(tplId);
    // Default allows the custom property note (any value): vm property set|unset get as far as the VM's values.
    db.prepare("INSERT INTO cluster_vm_properties (cluster_id, name, regex) SELECT id, 'note', '.*' FROM clusters WHERE name = 'Default'").run();
    // A custom role to edit or remove, and a second permission to remove (the first, admin@internal's SuperUser on system, is the last one).
    db.prepare("INSERT INTO custom_roles (name, type, description, created_at) VALUES ('Operator1', 'user', '', '2026-01-01')").run();
    db.prepare("INSERT INTO custom_role_permits (role, permit) VALUES ('Operator1', 'RUN_VM'), ('Operator1', 'STOP_VM')").run();
    db.prepare("INSERT INTO permissions (id, principal_type, principal, role, object_kind, object_id, object_name, created_at) VALUES (2, 'user', 'bob@internal', 'UserRole', 'system', 'system', 'system', '2026-01-01')").run();
    db.close();
    undo = [
      observe((r) => { if (r.exitCode === undefined) calls.push(r); }),
      replace((command, args) => {
        const onTestDriver = command === 'virsh' && args[0] === '-c' && args[1]?.startsWith('test:///') && !VIRSH_FILE_COMMANDS.has(args.find((a, i) => i > 1 && !a.startsWith('-')) ?? '');
        return onTestDriver ? virshOnTestDriver(args) : { exitCode: 1, stderr: `${command}: not run by this test (stand-in)\n` };
      }),
    ];
  });

  after(() => {
    for (const u of undo) u();
    process.env = savedEnv;
    rmSync(dir, { recursive: true, force: true });
    process.stdout.write(`hostile values: ${totals.cases} cases run, ${totals.refusals} refused (exit 2), ${totals.accepted} accepted (exit 0), ${totals.failed} failed otherwise, ` +
      `${totals.programCalls} program calls seen, ${totals.shells} shell processes, ${totals.optionPosition} values in an option position, ` +
      `${totals.rawControl} raw control characters shown, ${totals.bidiShownRaw} bidi overrides shown raw\n`);
  });

  /** One command line through main(), its output captured and its program starts recorded. */
  async function runCase(argv: string[], seedDb?: string): Promise<Outcome> {
    const db = seedDb ?? join(dir, `case-${++caseNo}.db`);
    if (!seedDb) copyFileSync(seed, db);
    const at = argv.indexOf('--', commandWordsLength(argv));
    const full = [...argv.slice(0, at), '-c', uri, '--db', db, ...argv.slice(at)];
    let out = '';
    let err = '';
    calls = [];
    const write = { out: process.stdout.write, err: process.stderr.write };
    // Strings are the CLI's output; buffers are the test runner's own protocol and pass through.
    process.stdout.write = ((c: string | Uint8Array, ...rest: never[]) => (typeof c === 'string' ? ((out += c), true) : write.out.call(process.stdout, c, ...rest))) as typeof process.stdout.write;
    process.stderr.write = ((c: string | Uint8Array, ...rest: never[]) => (typeof c === 'string' ? ((err += c), true) : write.err.call(process.stderr, c, ...rest))) as typeof process.stderr.write;
    let code: Outcome['code'];
    let timer: NodeJS.Timeout | undefined;
    try {
      code = await Promise.race([main(full), new Promise<'hung'>((r) => { timer = setTimeout(() => r('hung'), CASE_TIMEOUT_MS); })]);
    } catch (e) {
      code = 'threw';
      err += String((e as Error).stack ?? e);
    } finally {
      clearTimeout(timer);
      process.stdout.write = write.out;
      process.stderr.write = write.err;
    }
    if (!seedDb) for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
    return { code, out, err, calls };
  }
  const commandWordsLength = (argv: string[]) => argv.findIndex((a) => a.startsWith('-'));

  /** The options a target's command refuses to go on without (found from its own refusals of a plausible line). */
  const extras = new Map<Target, Record<string, string>>();
  async function extraOptions(t: Target): Promise<Record<string, string>> {
    const known = extras.get(t);
    if (known) return known;
    const extra: Record<string, string> = {};
    const own = t.option ? plausibleOption(plausible, t.command, t.option.name) : undefined;
    for (let i = 0; i < 4; i++) {
      const argv = caseArgv(t, own ?? '', plausible, [], extra);
      // A positional target keeps its plausible value: the line without the hostile value.
      const line = t.positional === undefined ? argv : caseArgv({ ...t, positional: undefined }, '', plausible, [], extra);
      const r = await runCase(line);
      if (r.code !== 2) break;
      const names = missingOptions(t.command, r.err, { ...extra, ...(t.option ? { [t.option.name]: '' } : {}) });
      if (!names.length) break;
      // One at a time: "give one of --network or --bridge" wants only the first.
      extra[names[0]!] = plausibleOption(plausible, t.command, names[0]!);
    }
    extras.set(t, extra);
    return extra;
  }

  const targets = hostileTargets(COMMANDS);
  const byCommand = new Map<string, Target[]>();
  for (const t of targets) byCommand.set(commandWords(t.command).join(' '), [...(byCommand.get(commandWords(t.command).join(' ')) ?? []), t]);

  for (const [words, list] of byCommand) {
    it(`hostdeck ${words}: ${list.map((t) => t.label).join(', ')}`, async () => {
      const problems: string[] = [];
      for (const t of list) {
        const extra = await extraOptions(t);
        for (const { label, value } of HOSTILE_VALUES) {
          const argv = caseArgv(t, value, plausible, [], extra);
          const r = await runCase(argv);
          totals.cases++;
          totals.programCalls += r.calls.length;
          const where = `${t.label} = ${shown(value)} (${label})`;
          const said = (r.err || r.out).trim().split('\n').pop()?.slice(0, 160) ?? '';
          for (const c of r.calls) {
            if (isShell(c.command)) { totals.shells++; problems.push(`${where}: started a shell: ${c.command} ${c.args.join(' ')}`); }
            const bad = optionPositionViolations(c, value);
            if (bad.length) { totals.optionPosition++; problems.push(`${where}: ${c.command} reads it as an option: ${JSON.stringify([c.command, ...c.args]).slice(0, 200)}`); }
          }
          const raw = rawControlShown(r.out + r.err, value);
          if (raw) { totals.rawControl++; problems.push(`${where}: the output shows ${raw}: ${JSON.stringify(said)}`); }
          if (value.includes('\u202e') && (r.out + r.err).includes('\u202e')) totals.bidiShownRaw++;
          if (r.code === 0) { totals.accepted++; continue; }
          if (r.code === 2) {
            totals.refusals++;
            if (!namesTarget(r.err, t)) problems.push(`${where}: refused (exit 2) without naming ${t.label}: ${JSON.stringify(said)}`);
            continue;
          }
          totals.failed++;
          // Exit 1 is an action that failed after hostdeck tried it (a program ran); before any program, the value was not refused as invalid input.
          if (r.code !== 1 || !r.calls.length) problems.push(`${where}: exit ${r.code} before any program ran (invalid input is exit 2 naming ${t.label}): ${JSON.stringify(said)}`);
        }
      }
      assert.ok(problems.length === 0, `${problems.length} problems:\n${problems.join('\n')}`);
    });
  }
});
