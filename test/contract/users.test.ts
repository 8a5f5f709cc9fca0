// The internal domain's users through the core, on a real SQLite state DB:
// admin@internal exists from the first start with no password (never a
// default one), passwords follow their rules and are stored as scrypt
// hashes only, a login checks the password in constant time, five failures
// in a row lock the account (each failure and the lock are events), an
// administrator unlocks it, and admin@internal cannot be removed.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createCore } from '../../src/core/index.ts';
import { categoryOf } from '../../src/domain/errors.ts';
import { testServices } from '../lib/services.ts';

const GOOD = 'correct-Horse-42';

describe('internal users', () => {
  const s = testServices({ channel: 'cli' });
  const core = createCore(s, { user: 'root', channel: 'cli' });
  after(() => s.cleanup());
  const events = (id: string) => s.events.list({}).filter((e) => e.objectType === 'user' && e.objectId === id).map((e) => `${e.result} ${e.message}`);

  it('admin@internal exists from the first start without a password: its login is refused saying how to set one', async () => {
    const [admin] = await core.users.list();
    assert.deepEqual([admin!.identity, admin!.hasPassword], ['admin@internal', false]);
    await assert.rejects(core.users.login('admin@internal', ''), /login as admin@internal refused: it has no password yet \(as root: hostdeck user password admin@internal\)/);
  });

  it('a new password must follow the rules, named; nothing is written when it does not', async () => {
    for (const [pw, rule] of [['short-1', /at least 12 characters \(it has 7\)/], ['aaaaaaaaaaaaaaaa', /mix at least two kinds/], ['my-admin-password', /must not contain the user name/], ['line\nbreak-123456', /control characters/]] as const) {
      await assert.rejects(core.users.setPassword('admin@internal', pw), (e: Error) => { assert.equal(categoryOf(e), 'invalid'); assert.match(e.message, rule); return true; });
    }
    assert.equal((await core.users.get('admin')).hasPassword, false);
  });

  it('set by root, the password logs admin in; the database holds a salted scrypt hash, events never the password', async () => {
    await core.users.setPassword('admin@internal', GOOD);
    assert.equal(await core.users.login('admin', GOOD), 'admin@internal');
    const hash = s.db.prepare("SELECT password_hash FROM users WHERE name = 'admin'").pluck().get() as string;
    assert.match(hash, /^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    assert.ok(!JSON.stringify(s.events.list({})).includes(GOOD), 'no event carries the password');
    assert.deepEqual(events('admin@internal').slice(0, 2), ['success Logged in as admin@internal', 'success Reset the password of admin@internal']);
  });

  it('five wrong passwords in a row lock the account, each failure an event; locked, even the right one is refused; unlocked, it logs in', async () => {
    await core.users.add('bob', 'Tulip-garden-71');
    await assert.rejects(core.users.add('bob@internal', 'Tulip-garden-71'), /bob@internal exists already/);
    for (let i = 1; i <= 4; i++) await assert.rejects(core.users.login('bob', `wrong-${i}`), /login as bob@internal refused: wrong user name or password$/);
    await assert.rejects(core.users.login('bob', 'wrong-5'), /5 failures in a row lock the account until \d{4}-/);
    await assert.rejects(core.users.login('bob', 'Tulip-garden-71'), /the account is locked until .* after 5 failed logins in a row \(hostdeck user unlock bob@internal\)/);
    assert.equal(events('bob@internal').filter((e) => e.startsWith('failure Log in as bob@internal refused')).length, 6);
    assert.ok((await core.users.get('bob')).lockedUntil);
    await core.users.unlock('bob');
    assert.equal(await core.users.login('bob', 'Tulip-garden-71'), 'bob@internal');
    assert.equal((await core.users.get('bob')).failedLogins, 0);
  });

  it('an unknown user gets the same answer as a wrong password; a change needs the current password', async () => {
    await assert.rejects(core.users.login('nobody', 'whatever-123'), /login as nobody@internal refused: wrong user name or password$/);
    await assert.rejects(core.users.login('eve@corp.example', 'whatever-123'), /no directory domain corp\.example is configured/);
    await assert.rejects(core.users.setPassword('bob', 'Tulip-garden-72', 'not-it'), /current password: it is not bob@internal's password/);
    await core.users.setPassword('bob', 'Tulip-garden-72', 'Tulip-garden-71');
    assert.equal(await core.users.login('bob', 'Tulip-garden-72'), 'bob@internal');
  });

  it('admin@internal cannot be removed; another user can; names break rules by name', async () => {
    await assert.rejects(core.users.remove('admin@internal'), /admin@internal cannot be removed/);
    await core.permissions.add({ user: 'bob@internal', role: 'UserRole', object: 'system' });
    await core.users.remove('bob');
    assert.deepEqual((await core.permissions.list({ user: 'bob@internal' })).map((p) => p.role), [], 'its permissions went with it');
    assert.deepEqual((await core.users.list()).map((u) => u.identity), ['admin@internal']);
    await assert.rejects(core.users.add('-rf', 'Whatever-123456'), /user: a user name is 1 to 64 letters/);
    await assert.rejects(core.users.add('x@bad domain', 'Whatever-123456'), /user: the domain after @ is letters/);
  });

  it('read-only mode refuses changes but not a login', async () => {
    const ro = testServices({ channel: 'cli', readOnly: true });
    try {
      const c = createCore(ro, { user: 'root', channel: 'cli' });
      await assert.rejects(c.users.add('carol', 'Maple-leaves-33'), /read-only mode/);
      await assert.rejects(c.users.login('admin', 'x'), /no password yet/);
    } finally {
      await ro.cleanup();
    }
  });
});
