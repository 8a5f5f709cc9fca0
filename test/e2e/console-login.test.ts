// `hostdeck --user NAME` on a real pseudo-terminal: the password is asked on
// the terminal (not echoed) before the console takes the screen over; the
// right one opens the console as that identity (its login an event), a
// wrong one ends with the refusal and exit status 1, no console drawn.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli.tsx';
import { openDatabase } from '../../src/manager/db.ts';
import { BIN, ROOT, Terminal } from '../lib/tty.ts';

const PASSWORD = 'Harbour-light-64';

describe('the console opened as another identity', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hostdeck-login-'));
  const db = join(dir, 'state.db');
  before(async () => {
    if (!existsSync(BIN)) assert.equal(spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { stdio: 'inherit' }).status, 0, 'build failed');
    const file = join(dir, 'pw');
    writeFileSync(file, `${PASSWORD}\n`);
    chmodSync(file, 0o600);
    const quiet = { stdout: () => undefined, stderr: () => undefined };
    assert.equal(await main(['user', 'add', 'ops', '--password-file', file, '--db', db, '-c', 'test:///default'], quiet), 0);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const start = () => Terminal.start({ columns: 100, rows: 30, args: ['--user', 'ops', '-c', 'test:///default'], env: { HOSTDECK_DB: db } });

  it('asks the password without echoing it, then opens the console; the login is an event', async () => {
    const term = start();
    try {
      await term.waitFor('The password of ops (not shown):', 15_000);
      term.type(PASSWORD);
      assert.doesNotMatch(term.screen(), new RegExp(PASSWORD), 'the password is not echoed');
      term.press('Enter');
      await term.waitFor(/host\s+\S+/, 20_000);
    } finally {
      term.close();
    }
    const d = openDatabase(db);
    try {
      assert.equal(d.prepare("SELECT count(*) FROM events WHERE message = 'Logged in as ops@internal' AND channel = 'tui'").pluck().get(), 1);
    } finally {
      d.close();
    }
  });

  it('a wrong password ends with the refusal and exit status 1, no console drawn', async () => {
    const term = start();
    try {
      await term.waitFor('The password of ops (not shown):', 15_000);
      term.type('not-the-password').press('Enter');
      const s = await term.waitFor(/login as ops@internal refused: wrong user name or password/, 15_000);
      assert.doesNotMatch(s, /Menu|host\s+\S+/);
      assert.equal(await term.waitForExit(), 1);
    } finally {
      term.close();
    }
  });
});
