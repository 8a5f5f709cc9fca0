// `hostdeck storage connection ...` run as a program on this machine: a local
// directory connection through its whole life, CHAP secrets from standard
// input and files (never from argv), validation that changes nothing, and the
// FC HBA list from a recorded sysfs tree (FC (recorded sysfs, no HBA here)).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openDatabase } from '../../src/manager/db.ts';

const root = new URL('../..', import.meta.url).pathname;
const SECRET = 'Stdin-Chap-Secret-31337';

describe('hostdeck storage connection CLI', () => {
  let dir = '';
  before(() => { dir = mkdtempSync(join(tmpdir(), 'hostdeck-sconn-cli-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const hostdeck = (args: string[], opts: { input?: string; env?: Record<string, string>; db?: string } = {}) => new Promise<{ code: number | null; out: string; err: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.tsx', ...args, '--db', join(dir, opts.db ?? 'state.db')], {
      cwd: root, env: { ...process.env, HOSTDECK_LOG: join(dir, 'hostdeck.log'), ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => { out += c; });
    child.stderr.setEncoding('utf8').on('data', (c: string) => { err += c; });
    child.stdin.end(opts.input ?? '');
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
  const rows = () => {
    const db = openDatabase(join(dir, 'state.db'));
    try { return db.prepare('SELECT * FROM storage_connections').all() as Record<string, unknown>[]; } finally { db.close(); }
  };

  test('a local directory: add, connect, status, remove refused while connected, disconnect, remove; each step an event', async () => {
    const data = join(dir, 'images');
    mkdirSync(data);
    const add = await hostdeck(['storage', 'connection', 'add', 'localfs', '--path', data, '--name', 'local1', '--connect-now', '--json']);
    assert.equal(add.code, 0, add.err);
    const c = JSON.parse(add.out) as { id: string; state: string; persistent: boolean };
    assert.equal(c.state, 'connected');
    assert.equal(c.persistent, true);
    const st = await hostdeck(['storage', 'connection', 'status', 'local1', '--json']);
    assert.equal((JSON.parse(st.out) as { state: string; mountPath: string }).mountPath, data);
    const rm = await hostdeck(['storage', 'connection', 'remove', 'local1']);
    assert.equal(rm.code, 1);
    assert.match(rm.err, /is connected .*; disconnect it first/);
    const both = await hostdeck(['storage', 'connection', 'remove', 'local1', '--disconnect']);
    assert.equal(both.code, 0, both.err);
    assert.match(both.out, /^Removed local /);
    assert.deepEqual(rows(), []);
    const db = openDatabase(join(dir, 'state.db'));
    const ev = db.prepare("SELECT message, result, channel FROM events WHERE source = 'storage' ORDER BY id").all() as { message: string; result: string; channel: string }[];
    db.close();
    // Connect and disconnect act outside the state DB: their attempt is recorded before the result.
    const expected: [RegExp, string][] = [
      [/^Add storage connection local local1 /, 'success'],
      [/^Connect storage local local1 .*: started$/, 'started'], [/^Connect storage local local1 \S+$/, 'success'],
      [/^Remove storage connection local local1 .* failed: .*disconnect it first$/, 'failure'],
      [/^Disconnect storage local local1 .*: started$/, 'started'], [/^Disconnect storage local local1 \S+$/, 'success'],
      [/^Remove storage connection local local1 /, 'success'],
    ];
    assert.equal(ev.length, expected.length, JSON.stringify(ev));
    expected.forEach(([re, result], i) => {
      assert.match(ev[i]!.message, re);
      assert.equal(ev[i]!.result, result);
      assert.equal(ev[i]!.channel, 'cli');
    });
  });

  test('a CHAP secret on the command line is refused; from standard input it is stored sealed and shown as stored', async () => {
    const argv = await hostdeck(['storage', 'connection', 'add', 'iscsi', '--portal', '192.0.2.10', '--target', 'iqn.2026-11.org.hostdeck:t1', '--chap-user', 'u', '--chap-secret', SECRET]);
    assert.equal(argv.code, 2);
    assert.match(argv.err, /--chap-secret: secrets are not taken on the command line/);
    assert.deepEqual(rows(), []);
    const add = await hostdeck(['storage', 'connection', 'add', 'iscsi', '--portal', '192.0.2.10', '--target', 'iqn.2026-11.org.hostdeck:t1', '--chap-user', 'u', '--chap-secret-stdin', '--name', 'san1'], { input: `${SECRET}\n` });
    assert.equal(add.code, 0, add.err);
    const show = await hostdeck(['storage', 'connection', 'show', 'san1']);
    assert.match(show.out, /^chap secret\s+stored \(encrypted\)$/m);
    const r = rows()[0]!;
    assert.match(String(r.chap_secret_sealed), /^aes256gcm:v1:/);
    const all = [...readdirSync(dir).filter((f) => f.startsWith('state.db')).map((f) => readFileSync(join(dir, f)).toString('latin1')), readFileSync(join(dir, 'hostdeck.log'), 'utf8'), show.out, add.out, add.err].join('\n');
    assert.ok(!all.includes(SECRET), 'the secret is in the DB, the log or the output');
    assert.equal(readdirSync(dir).includes('storage-secrets.key'), true);
  });

  test('a secret file others can read is refused; invalid fields are all named with their options and nothing is stored', async () => {
    const f = join(dir, 'secret');
    writeFileSync(f, `${SECRET}\n`);
    chmodSync(f, 0o644);
    const open = await hostdeck(['storage', 'connection', 'add', 'iscsi', '--portal', '192.0.2.11', '--target', 'iqn.2026-11.org.hostdeck:t2', '--chap-user', 'u', '--chap-secret-file', f]);
    assert.equal(open.code, 2);
    assert.match(open.err, /--chap-secret-file: .* can be read by other users \(mode 644\); chmod 600 it first/);
    const before = rows().length;
    const bad = await hostdeck(['storage', 'connection', 'add', 'nfs', '--path', 'server:relative', '--options', 'noatime,,soft']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--path: must be server:\/export/);
    assert.match(bad.err, /--options: empty option/);
    assert.equal(rows().length, before);
  });

  test('iscsi discover with discovery CHAP: a secret on the command line, no secret without a terminal, a short secret and a bad portal are refused naming the option; iscsiadm never runs', async () => {
    const log = join(dir, 'discover.log');
    const env = { HOSTDECK_LOG: log };
    const argv = await hostdeck(['storage', 'iscsi', 'discover', '--portal', '192.0.2.20', '--chap-user', 'u', '--chap-secret', SECRET], { env });
    assert.equal(argv.code, 2);
    assert.match(argv.err, /--chap-secret: secrets are not taken on the command line/);
    const none = await hostdeck(['storage', 'iscsi', 'discover', '--portal', '192.0.2.20', '--chap-user', 'u'], { env });
    assert.equal(none.code, 2);
    assert.match(none.err, /--chap-secret-file: a discovery CHAP secret is needed; give it with --chap-secret-file FILE or --chap-secret-stdin \(no terminal to ask on\)/);
    const noUser = await hostdeck(['storage', 'iscsi', 'discover', '--portal', '192.0.2.20', '--chap-secret-stdin'], { env, input: `${SECRET}\n` });
    assert.equal(noUser.code, 2);
    assert.match(noUser.err, /--chap-user: is required with a CHAP secret/);
    const bad = await hostdeck(['storage', 'iscsi', 'discover', '--portal', '192.0.2.20:99999', '--chap-user', 'u', '--chap-secret-stdin'], { env, input: 'short\n' });
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--portal: /);
    assert.match(bad.err, /--chap-secret-stdin: at least 12 characters/); // named by the option the secret came in through
    let text = '';
    try { text = readFileSync(log, 'utf8'); } catch { /* nothing was logged: nothing ran */ }
    assert.doesNotMatch(text, /iscsiadm/);
    assert.ok(![argv, none, noUser, bad].some((r) => (r.out + r.err).includes(SECRET)), 'the secret was echoed');
  });

  test('storage reconnect connects every persistent connection and reports each; one that fails makes the exit code 1', async () => {
    const ok = join(dir, 'reconnect-ok');
    mkdirSync(ok);
    const gone = join(dir, 'reconnect-gone');
    const a = await hostdeck(['storage', 'connection', 'add', 'localfs', '--path', ok, '--name', 'rc-ok'], { db: 'reconnect.db' });
    const b = await hostdeck(['storage', 'connection', 'add', 'localfs', '--path', gone, '--name', 'rc-gone'], { db: 'reconnect.db' });
    const c = await hostdeck(['storage', 'connection', 'add', 'localfs', '--path', ok.replace('-ok', '-manual'), '--name', 'rc-manual', '--no-persistent'], { db: 'reconnect.db' });
    assert.deepEqual([a.code, b.code, c.code], [0, 0, 0], a.err + b.err + c.err);
    // Its own DB: only local directories, so nothing here runs iscsiadm or mount on this machine.
    const r = await hostdeck(['storage', 'reconnect'], { db: 'reconnect.db' });
    assert.equal(r.code, 1);
    assert.match(r.out, /^ok +local rc-ok \(.*reconnect-ok\) connected$/m);
    assert.match(r.err, /^FAILED local rc-gone \(.*reconnect-gone\): .*reconnect-gone does not exist; create it first/m);
    assert.doesNotMatch(r.out + r.err, /rc-manual/);
    // The failure stays on the connection, with when it happened.
    const show = await hostdeck(['storage', 'connection', 'show', 'rc-gone'], { db: 'reconnect.db' });
    assert.match(show.out, /^last error +\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\S* \S*reconnect-gone does not exist; create it first/m);
  });

  test('FC (recorded sysfs, no HBA here): storage fc list shows the HBAs and their LUNs', async () => {
    const r = await hostdeck(['storage', 'fc', 'list', '--luns', '--json'], { env: { HOSTDECK_SYSFS_ROOT: join(root, 'test/fixtures/storage/fc-sysfs/sys') } });
    assert.equal(r.code, 0, r.err);
    const o = JSON.parse(r.out) as { hosts: { host: string; wwpn: string; portState: string }[]; luns: { wwid: string; devicePath: string }[] };
    assert.deepEqual(o.hosts.map((h) => [h.host, h.wwpn, h.portState]), [['host3', '21:00:00:24:ff:7e:cd:10', 'Online'], ['host4', '21:00:00:24:ff:7e:cd:11', 'Online'], ['host5', '10:00:00:90:fa:8e:7a:01', 'Linkdown']]);
    assert.deepEqual(o.luns.map((l) => l.devicePath), ['/dev/disk/by-id/scsi-360002ac0000000000000001700019b8f', '/dev/disk/by-id/scsi-3624a93701c0d5ee1d3ae4a3e00011a2b']);
  });
});
