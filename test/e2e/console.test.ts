// The built binary in a real pseudo-terminal (tmux): keys in, screen text out.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, ROOT, Terminal } from '../lib/tty.ts';

before(() => {
  if (!existsSync(BIN)) {
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { stdio: 'inherit' });
    assert.equal(r.status, 0, 'build failed');
  }
});

describe('the console in a terminal', () => {
  let term: Terminal;
  before(() => { term = Terminal.start({ columns: 100, rows: 30 }); });
  after(() => term.close());

  it("shows this host's hostname on the dashboard", async () => {
    await term.ready();
    const screen = await term.waitFor(/host\s+\S+/);
    assert.match(screen.split('\n')[0]!, new RegExp(`hostdeck │ ${hostname()}`));
    assert.match(screen, new RegExp(`host\\s+${hostname()}`));
    assert.match(screen, /memory\s+.*\d+%/);
    assert.match(screen, /libvirt\s+/);
  });

  it('? opens help with the bindings of the screen and the global keys', async () => {
    term.press('?');
    const screen = await term.waitFor('Help: Dashboard');
    assert.match(screen, /r\s+Refresh/);
    assert.match(screen, /e\s+Events/);
    assert.match(screen, /:\s+Command palette/);
    term.press('Escape');
    await term.waitFor((s) => !s.includes('Help: Dashboard'));
  });

  it('the palette jumps to Events, and Esc comes back', async () => {
    term.press(':');
    await term.waitFor('Type to filter');
    term.type('events');
    await term.waitFor(/ Events\s+Every change/);
    term.press('Enter');
    const screen = await term.waitFor('Dashboard › Events');
    assert.match(screen, /severity ≥ info/);
    term.press('Escape');
    await term.waitFor((s) => s.split('\n')[1]!.trim() === 'Dashboard');
  });

  it('shrinking below 80x24 shows the size needed; growing back restores the screen', async () => {
    term.resize(70, 20);
    await term.waitFor('hostdeck needs at least 80x24; this terminal is 70x20');
    term.resize(100, 30);
    const screen = await term.waitFor(/memory\s+.*\d+%/);
    assert.doesNotMatch(screen, /needs at least/);
  });

  it('q on the home screen quits with status 0 and leaves the alternate screen', async () => {
    term.press('q');
    assert.equal(await term.waitForExit(), 0);
    const screen = term.screen();
    assert.doesNotMatch(screen, /Dashboard/);
  });
});

describe('events written by the CLI appear live in the console', () => {
  it('an event recorded by another process shows up without a key press', async () => {
    const term = Terminal.start();
    try {
      await term.ready();
      term.press(':');
      term.type('events');
      await term.waitFor('1 match.');
      term.press('Enter');
      await term.waitFor('No events yet');
      // A second process writes into the same state DB.
      const script = `import { openDatabase } from './src/manager/db.ts'; import { EventLog } from './src/manager/events.ts';
        const db = openDatabase(process.argv[1]); new EventLog(db, { user: 'ops', channel: 'cli' }).record({ source: 'e2e', objectType: 'vm', objectId: 'web1', message: 'started by the e2e test', result: 'success' });`;
      const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, join(term.stateDir, 'state.db')], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const screen = await term.waitFor('started by the e2e');
      assert.match(screen, /vm:web1/);
      assert.match(screen, /ops\/cli/);
    } finally {
      term.close();
    }
  });
});

describe('outside a terminal', () => {
  it('exits non-zero and says how to use the CLI instead', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hostdeck-e2e-'));
    try {
      const r = spawnSync(process.execPath, [BIN], { encoding: 'utf8', input: '', env: { ...process.env, HOSTDECK_DB: join(dir, 'db') } });
      assert.equal(r.status, 2);
      assert.match(r.stderr, /needs a terminal/);
      assert.match(r.stderr, /hostdeck --help/);
      assert.equal(r.stdout, '');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a crash', () => {
  it('restores the terminal and names the log file that holds the error', async () => {
    const term = Terminal.start({ env: { HOSTDECK_CRASH_TEST: '1' } });
    try {
      assert.equal(await term.waitForExit(), 70);
      const screen = term.history();
      assert.match(screen, /hostdeck crashed: crash requested by HOSTDECK_CRASH_TEST/);
      assert.match(screen, new RegExp(`The error and its stack are in ${join(term.stateDir, 'hostdeck.log').replace(/[.]/g, '\\.')}`));
      assert.doesNotMatch(screen, /│ Menu/);
      assert.match(term.log(), /crash: Error: crash requested by HOSTDECK_CRASH_TEST\n\s+at /);
    } finally {
      term.close();
    }
  });
});
