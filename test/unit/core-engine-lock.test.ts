// The engine lock the key bar asks for once per action on every frame is read
// from a cache, yet it follows every registration change at once: one made in
// this process (register, unregister), one committed by another connection to
// the state DB (another process: a CLI run, another console), and one rolled back.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { afterEach, describe, test } from 'node:test';
import { createCore, type Core } from '../../src/core/index.ts';
import { ForbiddenError } from '../../src/domain/errors.ts';
import { setSetting } from '../../src/manager/db.ts';
import { REGISTRATION_KEY, writeRegistration, type StoredRegistration } from '../../src/host/engine/state.ts';
import { testServices } from '../lib/services.ts';

const REG = { engineHost: 'engine.example.com', enginePort: 443 } as StoredRegistration;
const LOCKED = /managed by the oVirt engine engine\.example\.com/;

describe('the engine lock follows the registration', () => {
  let s: ReturnType<typeof testServices> | undefined;
  afterEach(async () => { await s?.cleanup(); s = undefined; });

  const core = (): Core => {
    s = testServices({ channel: 'cli' });
    return createCore(s, { user: 'tester', channel: 'tui' });
  };

  test('a registration written in this process locks the next question and action; its removal frees them', async () => {
    const c = core();
    assert.equal(c.whyNot('vm.start'), undefined);
    assert.equal(c.whyNot('vm.start'), undefined);
    writeRegistration(s!.db, REG);
    assert.match(c.whyNot('vm.start') ?? '', LOCKED);
    await assert.rejects(c.vms.start('test'), (e: unknown) => e instanceof ForbiddenError && LOCKED.test(e.message));
    writeRegistration(s!.db, null);
    assert.equal(c.whyNot('vm.start'), undefined);
    assert.equal(c.whyNot('snapshot.create'), undefined);
  });

  test('a registration committed by another connection to the state DB locks at once', () => {
    const c = core();
    assert.equal(c.whyNot('vm.delete'), undefined);
    const other = new Database(s!.config.dbPath);
    try {
      setSetting(other, REGISTRATION_KEY, JSON.stringify(REG));
      assert.match(c.whyNot('vm.delete') ?? '', LOCKED);
      setSetting(other, REGISTRATION_KEY, null);
      assert.equal(c.whyNot('vm.delete'), undefined);
    } finally {
      other.close();
    }
  });

  test('an unregistration rolled back leaves the lock in place', () => {
    const c = core();
    writeRegistration(s!.db, REG);
    assert.match(c.whyNot('vm.start') ?? '', LOCKED);
    assert.throws(() => s!.db.transaction(() => {
      writeRegistration(s!.db, null);
      assert.equal(c.whyNot('vm.start'), undefined);
      throw new Error('rolled back');
    })(), /rolled back/);
    assert.match(c.whyNot('vm.start') ?? '', LOCKED);
  });
});
