// `hostdeck user ...` and the global --user on a state DB of the test's own:
// passwords come from files of mode 600 or standard input, never the command
// line; admin@internal's first password is set by root; --user logs in
// (its events name the identity), a wrong password or a locked account is
// refused; bad input exits 2 naming the argument or option and its rule.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchCli, type CliRun } from '../lib/cli-main.ts';

const cli = scratchCli('hostdeck-user-cli-');
const { hostdeck } = cli;
const ROOT = new URL('../..', import.meta.url).pathname;

/** A file holding `text` as its first line, mode 600 unless `mode` says otherwise. */
const secret = (name: string, text: string, mode = 0o600) => {
  const p = join(cli.dir, name);
  writeFileSync(p, `${text}\n`);
  chmodSync(p, mode);
  return p;
};
/** hostdeck as a program with `input` on its standard input. */
const withStdin = (input: string, ...argv: string[]): Promise<CliRun> => new Promise((resolve) => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.tsx', ...argv, '--db', cli.dbPath(), '-c', 'test:///default'], { cwd: ROOT, env: { ...process.env, HOSTDECK_LOG: join(cli.dir, 'hostdeck.log') } });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => { out += c; });
  child.stderr.setEncoding('utf8').on('data', (c: string) => { err += c; });
  child.stdin.end(input);
  child.on('close', (code) => resolve({ code: code ?? 1, out, err }));
});

describe('hostdeck user and --user', () => {
  it('admin@internal is listed without a password; root sets it from a file of mode 600, not one others can read', async () => {
    const list = await hostdeck('user', 'list', '--json');
    assert.equal(list.code, 0, list.err);
    assert.deepEqual((JSON.parse(list.out) as { identity: string; hasPassword: boolean }[]).map((u) => [u.identity, u.hasPassword]), [['admin@internal', false]]);
    const open = await hostdeck('user', 'password', 'admin', '--password-file', secret('open', 'Lantern-river-19', 0o644));
    assert.equal(open.code, 2);
    assert.match(open.err, /--password-file: .*open can be read by other users \(mode 644\); chmod 600 it first/);
    const weak = await hostdeck('user', 'password', 'admin', '--password-file', secret('weak', 'short'));
    assert.equal(weak.code, 2);
    assert.match(weak.err, /hostdeck: password: must have at least 12 characters \(it has 5\)/);
    const ok = await hostdeck('user', 'password', 'admin', '--password-file', secret('admin', 'Lantern-river-19'));
    assert.equal(ok.code, 0, ok.err);
    assert.match(ok.out, /Password of admin@internal set\./);
  });

  /** The login events of an identity, oldest first. */
  const logins = async (identity: string) => (JSON.parse((await hostdeck('events', 'list', '--json')).out) as { message: string }[])
    .filter((e) => e.message === `Logged in as ${identity}`).length;

  it('--user logs in before the command runs, and the command\'s events name that identity', async () => {
    const added = await hostdeck('user', 'add', 'ops', '--password-file', secret('ops', 'Copper-kettle-58'));
    assert.equal(added.code, 0, added.err);
    const asAdmin = await hostdeck('--user', 'admin@internal', '--user-password-file', secret('admin-login', 'Lantern-river-19'), 'dc', 'create', '--name', 'made-by-admin');
    assert.equal(asAdmin.code, 0, asAdmin.err);
    const events = JSON.parse((await hostdeck('events', 'list', '--json')).out) as { user: string; message: string }[];
    assert.equal(events.find((e) => /made-by-admin/.test(e.message))?.user, 'admin@internal');
    assert.equal(await logins('admin@internal'), 1);
  });

  it('a password on standard input logs in; a wrong one is refused (exit 1) and nothing runs', async () => {
    const ok = await withStdin('Lantern-river-19\n', '--user', 'admin', '--user-password-stdin', 'user', 'show', 'admin');
    assert.equal(ok.code, 0, ok.err);
    assert.match(ok.out, /last login +\d{4}-/);
    const bad = await withStdin('not-the-password\n', '--user', 'ops', '--user-password-stdin', 'dc', 'create', '--name', 'never');
    assert.equal(bad.code, 1);
    assert.match(bad.err, /hostdeck: login as ops@internal refused: wrong user name or password/);
    assert.doesNotMatch((await hostdeck('dc', 'list')).out, /never/);
  });

  it('without a terminal or a password source, --user says where the password can come from; bad names and misplaced options exit 2', async () => {
    const none = await withStdin('', '--user', 'ops', 'dc', 'list');
    assert.equal(none.code, 2);
    assert.match(none.err, /--user-password-file: the password of ops is needed; give it with --user-password-file FILE or --user-password-stdin \(no terminal to ask on\)/);
    const stray = await hostdeck('--user-password-file', secret('stray', 'x'), 'dc', 'list');
    assert.equal(stray.code, 2);
    assert.match(stray.err, /--user-password-file: only goes with --user NAME@DOMAIN/);
    const name = await hostdeck('user', 'add', '-rf', '--password-file', secret('p', 'Copper-kettle-58'));
    assert.equal(name.code, 2);
    assert.match(name.err, /USER: a user name is 1 to 64 letters/);
    const gone = await hostdeck('user', 'remove', 'nobody');
    assert.equal(gone.code, 2);
    assert.match(gone.err, /user: no user nobody@internal/);
    const admin = await hostdeck('user', 'remove', 'admin@internal');
    assert.equal(admin.code, 1);
    assert.match(admin.err, /admin@internal cannot be removed/);
  });

  it('five failures lock the account; root unlocks it', async () => {
    const wrong = secret('wrong', 'Wrong-guess-000');
    for (let i = 0; i < 5; i++) assert.equal((await hostdeck('--user', 'ops', '--user-password-file', wrong, 'dc', 'list')).code, 1);
    const locked = await hostdeck('--user', 'ops', '--user-password-file', secret('ops-login', 'Copper-kettle-58'), 'dc', 'list');
    assert.match(locked.err, /the account is locked until .* \(hostdeck user unlock ops@internal\)/);
    assert.equal((await hostdeck('user', 'unlock', 'ops')).code, 0);
    // Unlocked, the right password logs ops in (what ops may then do is its permissions' business).
    const before = await logins('ops@internal');
    const again = await hostdeck('--user', 'ops', '--user-password-file', secret('ops-login', 'Copper-kettle-58'), 'dc', 'list');
    assert.doesNotMatch(again.err, /refused/);
    assert.equal(await logins('ops@internal'), before + 1);
  });
});
