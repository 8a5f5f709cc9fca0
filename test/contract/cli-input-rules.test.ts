// The CLI's generic input rules, run through hostdeck's own entry point in
// this process (libvirt's test driver where a connection is needed): help
// that never validates, empty values refused by name, control characters
// refused in free text and escaped in every message, the machine type
// checked where libvirt lists none, and one exit status for "not found" on
// every noun. The command-wide cases are generated from the command list.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMANDS } from '../../src/cli/commands.ts';
import { main } from '../../src/cli.tsx';
import { resolveConfig } from '../../src/config.ts';
import { printable } from '../../src/domain/text.ts';
import { validateVmCreate, type HostFacts, type VmCreateInput } from '../../src/domain/vm-create.ts';

const TEST_URI = 'test:///default';
let dir = '';
let db = '';
before(() => { dir = mkdtempSync(join(tmpdir(), 'hostdeck-input-rules-')); db = join(dir, 'state.db'); });
after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `hostdeck ...argv` in this process and collects what it prints. */
async function hostdeck(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { stdout: (t) => { out += t; }, stderr: (t) => { err += t; } });
  return { code, out, err };
}

const words = (c: (typeof COMMANDS)[number]) => `${c.noun} ${c.verb}`.trim().split(' ');
// eslint-disable-next-line no-control-regex -- what must never reach the terminal raw
const RAW_CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/;

describe('--help never validates', () => {
  it('prints the help of every command and exits 0, whatever else the command line holds', async () => {
    assert.ok(COMMANDS.length > 40, 'every command is covered');
    for (const c of COMMANDS) {
      const w = words(c);
      for (const extra of [[], ['--bogus', '--json=maybe'], ...Object.entries(c.options ?? {}).filter(([, s]) => s.type === 'number').map(([n]) => [`--${n}`, 'not-a-number'])]) {
        const r = await hostdeck(...w, ...extra, '--help');
        assert.equal(r.code, 0, `${w.join(' ')} ${extra.join(' ')} --help: ${r.err}`);
        assert.match(r.out, new RegExp(`^Usage: hostdeck ${w.join(' ')}`), w.join(' '));
        assert.equal(r.err, '');
      }
    }
  });
  it('the commands with required options among them', async () => {
    for (const argv of [['net', 'vlan', 'create'], ['net', 'ip', 'set'], ['net', 'route', 'add'], ['net', 'watchdog']]) {
      const r = await hostdeck(...argv, '--help');
      assert.equal(r.code, 0, `${argv.join(' ')}: ${r.err}`);
      assert.match(r.out, /\(required\)/);
    }
  });
  it('a --help that is an option\'s value is that value, not help', async () => {
    const r = await hostdeck('events', 'list', '--search', '--help', '--limit', '0', '--db', db);
    assert.equal(r.code, 2);
    assert.match(r.err, /--limit: must be at least 1/);
  });
});

describe('empty values', () => {
  it('every string option of every command refuses an empty value naming it, with status 2, before anything runs', async () => {
    let cases = 0;
    for (const c of COMMANDS) {
      for (const [name, spec] of Object.entries(c.options ?? {})) {
        if (spec.type === 'boolean' || spec.type === 'number' || spec.allowEmpty) continue;
        for (const form of [[`--${name}=`], [`--${name}`, '']]) {
          const nothing = join(dir, `never-${cases++}.db`);
          const r = await hostdeck(...words(c), ...form, '--db', nothing);
          assert.equal(r.code, 2, `${words(c).join(' ')} ${form.join(' ')}: ${r.err}`);
          assert.match(r.err, new RegExp(`^hostdeck: --${name}: must not be empty`), `${words(c).join(' ')} ${form.join(' ')}`);
          assert.equal(existsSync(nothing), false, 'the state database was not even opened');
        }
      }
    }
    assert.ok(cases > 100, `${cases} cases`);
  });
  it('-c "" and --db "" are refused instead of meaning the default', async () => {
    for (const argv of [['vm', 'list', '-c', ''], ['vm', 'list', '--connect='], ['events', 'list', '--db', ''], ['engine', 'status', '--db=']]) {
      const r = await hostdeck(...argv);
      assert.equal(r.code, 2, argv.join(' '));
      assert.match(r.err, /^hostdeck: --(connect|db): must not be empty/);
    }
  });
  it('engine register refuses an empty --ssh-user, --name, --address, --fingerprint or --from-file', async () => {
    for (const opt of ['ssh-user', 'name', 'address', 'fingerprint', 'from-file']) {
      const r = await hostdeck('engine', 'register', '--engine', '192.0.2.1', `--${opt}`, '', '--db', db);
      assert.equal(r.code, 2, opt);
      assert.match(r.err, new RegExp(`--${opt}: must not be empty`));
    }
  });
  it('vm edit --description "" still clears the description (the one option that takes an empty value)', () => {
    const edit = COMMANDS.find((c) => c.noun === 'vm' && c.verb === 'edit')!;
    assert.equal(edit.options!.description!.allowEmpty, true);
  });
  it('an empty LIBVIRT_DEFAULT_URI or HOSTDECK_DB counts as unset', () => {
    const c = resolveConfig({}, { LIBVIRT_DEFAULT_URI: '', HOSTDECK_DB: '', HOME: dir });
    assert.equal(c.uri, 'qemu:///system');
    assert.equal(c.dbPath, '/var/lib/hostdeck/hostdeck.db');
  });
});

describe('control characters', () => {
  const hostile = 'x\x1b[2Jy\nhostdeck: done';
  it('printable() shows escape sequences, newlines, DEL, C1 and bidi overrides escaped', () => {
    assert.equal(printable('a\x1b[2Jb\nc\td\x7fe\u009bf\u202eg'), 'a\\x1b[2Jb\\nc\\td\\u007fe\\u009bf\\u202eg');
    assert.equal(printable('plain text, ünïcode ✓'), 'plain text, ünïcode ✓');
  });
  it('--description and --cmdline with a control character are refused by hostdeck naming the option', async () => {
    for (const [opt, value] of [['description', 'a\x1bb'], ['description', 'two\nlines'], ['description', 'tab\there'], ['cmdline', 'console=ttyS0\x1b[2J']] as const) {
      const r = await hostdeck('vm', 'create', 'rules-vm', '--boot', 'kernel', '--kernel', '/bin/sh', `--${opt}`, value, '--dry-run', '-c', TEST_URI, '--db', db);
      assert.equal(r.code, 2, `${opt}: ${r.err}`);
      assert.match(r.err, new RegExp(`--${opt}: must not contain control characters`));
    }
    const edit = await hostdeck('vm', 'edit', 'test', '--description', 'a\x1b[31mred', '-c', TEST_URI, '--db', db);
    assert.equal(edit.code, 2, edit.err);
    assert.match(edit.err, /--description: must not contain control characters \(.*got \\x1b at character 2\)/);
    const snap = await hostdeck('vm', 'snapshot', 'create', 'test', 's1', '--description', 'a\u0085b', '-c', TEST_URI, '--db', db);
    assert.equal(snap.code, 2, snap.err);
    assert.match(snap.err, /--description: must not contain control characters/);
  });
  it('--machine is checked against a conservative pattern where the connection lists no machine types', async () => {
    for (const m of ['pc\nq35', 'pc\x1b[2J', '-machine', 'PC', 'x'.repeat(65)]) {
      const r = await hostdeck('vm', 'create', 'rules-vm', '--machine', m, '--dry-run', '-c', TEST_URI, '--db', db);
      assert.equal(r.code, 2, `${JSON.stringify(m)}: ${r.err}`);
      assert.match(r.err, /--machine: must be 1-64 lower-case letters/);
    }
    const facts: HostFacts = { domains: [], memoryKiB: 4 << 20, cpus: 4, pools: [], volumes: {}, networks: [], bridges: [], machines: [], fileExists: () => true, fileHead: () => undefined, machineFacts: () => ({ missing: 'no domain capabilities' }), osVariants: { missing: 'no osinfo' } };
    const input: VmCreateInput = { name: 'a', vcpus: 1, memoryMiB: 64, disks: [], boot: 'network', nics: [], osType: 'linux', machine: 'pc-q35-8.2', graphics: 'none' };
    assert.deepEqual(validateVmCreate(input, facts).filter((e) => e.field === 'machine'), []);
    assert.deepEqual(validateVmCreate({ ...input, machine: 'q35' }, { ...facts, machines: ['pc', 'pc-i440fx-8.2'] }).map((e) => e.field), ['boot', 'machine']);
  });
  it('a hostile value in any message is shown escaped: no escape sequence and no forged line reaches the terminal', async () => {
    const cases = [
      [hostile],
      ['vm', hostile],
      ['vm', 'start', hostile, '-c', TEST_URI, '--db', db],
      ['vm', 'create', 'ok-name', '--memory', hostile, '-c', TEST_URI, '--db', db],
      ['vm', 'snapshot', 'revert', 'test', hostile, '--yes', '-c', TEST_URI, '--db', db],
      ['events', 'list', `--${hostile}`, '--db', db],
      ['storage', 'domain', 'show', hostile, '--db', db],
      ['storage', 'connection', 'show', hostile, '--db', db],
      ['net', 'hostname', 'set', hostile, '--db', db],
    ];
    for (const argv of cases) {
      const r = await hostdeck(...argv);
      assert.notEqual(r.code, 0, argv.join(' '));
      assert.ok(!RAW_CONTROL.test(r.err), `${JSON.stringify(argv)}: ${JSON.stringify(r.err)}`);
      assert.ok(!/^hostdeck: done/m.test(r.err), `no forged line: ${JSON.stringify(r.err)}`);
      assert.ok(r.err.split('\n').filter(Boolean).every((l) => l.startsWith('hostdeck: ')), JSON.stringify(r.err));
    }
  });
});

describe('not found', () => {
  it('exits 2 on every noun (an object the command line names that does not exist is invalid input)', async () => {
    const cases: [string[], RegExp][] = [
      [['vm', 'start', 'no-such-vm', '-c', TEST_URI], /no VM named 'no-such-vm'/],
      [['vm', 'show', 'no-such-vm', '-c', TEST_URI], /no VM named 'no-such-vm'/],
      [['vm', 'snapshot', 'delete', 'test', 'no-such-snap', '--yes', '-c', TEST_URI], /no snapshot named 'no-such-snap'/],
      [['vm', 'snapshot', 'list', 'no-such-vm', '-c', TEST_URI], /no VM named 'no-such-vm'/],
      [['vm', 'console', 'no-such-vm', '-c', TEST_URI], /no VM named 'no-such-vm'/],
      [['events', 'show', '999999'], /no event with id 999999/],
      [['storage', 'connection', 'show', 'no-such-conn'], /no storage connection "no-such-conn"/],
      [['storage', 'connection', 'connect', 'no-such-conn'], /no storage connection "no-such-conn"/],
      [['storage', 'domain', 'show', 'no-such-domain'], /no storage domain "no-such-domain"/],
      [['storage', 'volume', 'list', 'no-such-domain'], /no storage domain/],
    ];
    for (const [argv, msg] of cases) {
      const r = await hostdeck(...argv, '--db', db);
      assert.equal(r.code, 2, `${argv.join(' ')}: ${r.err}`);
      assert.match(r.err, msg);
    }
  });
  it('the help says what each exit status means', async () => {
    const r = await hostdeck('--help');
    assert.match(r.out, /Exit status: 0 on success, 1 when the action could not be done .*, 2 for invalid input \(a value that breaks a rule, or names an object that does not exist\)/);
  });
});

describe('--iso and --kernel are images of their kind (read before anything is created)', () => {
  /** A file of `size` bytes with `magic` at `at`. */
  const image = (name: string, at: number, magic: string, size = 40_000): string => {
    const b = Buffer.alloc(size);
    b.write(magic, at, 'latin1');
    const path = join(dir, name);
    writeFileSync(path, b);
    return path;
  };
  const create = (...more: string[]) => hostdeck('vm', 'create', 'image-vm', '--memory', '64', ...more, '--dry-run', '-c', TEST_URI, '--db', db);

  it('a file that is not an ISO 9660 image is refused as --iso with status 2, naming the rule', async () => {
    for (const path of ['/etc/passwd', image('short.iso', 0, 'CD001', 100), image('fake.iso', 0, 'CD001')]) {
      const r = await create('--boot', 'cdrom', '--iso', path);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, new RegExp(`^hostdeck: --iso: ${path.replace(/\./g, '\\.')} is not an ISO 9660 image \\("CD001" at byte 32769\\) or a volume of a pool`, 'm'));
    }
    const dirAsIso = await create('--boot', 'cdrom', '--iso', dir);
    assert.equal(dirAsIso.code, 2);
    assert.match(dirAsIso.err, /--iso: .* cannot be read \(it must be a readable file: an ISO 9660 image/);
    const iso = await create('--boot', 'cdrom', '--iso', image('real.iso', 32769, 'CD001'));
    assert.equal(iso.code, 0, iso.err);
  });

  it('a file that is not a kernel image is refused as --kernel with status 2, naming the rule', async () => {
    for (const path of ['/etc/shadow', '/etc/passwd', image('not-a-kernel', 0, 'hello')]) {
      const r = await create('--boot', 'kernel', '--kernel', path);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, /--kernel: .* is not a kernel image: an x86 bzImage \("HdrS" at 0x202\), an ELF file, an arm64 Image \("ARMd" at 0x38\) or an EFI stub \("MZ" at 0\)/);
    }
    for (const path of [image('bzImage', 0x202, 'HdrS'), image('Image', 0x38, 'ARMd'), image('vmlinuz.efi', 0, 'MZ'), '/bin/sh']) {
      const r = await create('--boot', 'kernel', '--kernel', path);
      assert.equal(r.code, 0, `${path}: ${r.err}`);
    }
  });
});
