// A shell from the console on a real pseudo-terminal (tmux): the palette's
// "Shell" entry hands the terminal to $SHELL (as the VM serial console does),
// a command runs in it, `exit` brings back the very screen it was opened from,
// and the shell is an event. Read-only mode does not offer it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { BIN, ROOT, Terminal } from '../lib/tty.ts';

// Built only when missing: a build empties dist/ first, under the other e2e files running beside this one.
before(() => {
  if (existsSync(BIN)) return;
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { stdio: 'inherit' });
  assert.equal(r.status, 0, 'build failed');
});

async function palette(term: Terminal, query: string, title: RegExp): Promise<string> {
  term.press(':');
  await term.waitFor('Type to filter');
  term.type(query);
  return term.waitFor(title);
}

describe('a shell from the console', () => {
  let term: Terminal | undefined;
  after(() => term?.close());

  it('opens from the palette, runs a command, and exit comes back to the same screen', async () => {
    term = Terminal.start({ columns: 100, rows: 30, env: { SHELL: '/bin/sh' } });
    await term.ready();
    await palette(term, 'events', / Events\s+Every change/);
    term.press('Enter');
    await term.waitFor('Dashboard › Events');
    await palette(term, 'shell', /Shell on this host/);
    term.press('Enter');
    await term.waitFor('A shell on this host; exit (or Ctrl-D) comes back to hostdeck.');
    term.type('echo hd-shell-$((6*7))');
    term.press('Enter');
    await term.waitFor(/^hd-shell-42$/m);
    term.type('exit');
    term.press('Enter');
    const back = await term.waitFor('Dashboard › Events');
    assert.doesNotMatch(back, /hd-shell-42/);
    const db = new Database(join(term.stateDir, 'state.db'), { readonly: true });
    try {
      const msgs = (db.prepare("SELECT message || ' ' || coalesce(result, '') AS m FROM events ORDER BY id").pluck().all() as string[]);
      assert.ok(msgs.some((m) => /^Open a shell \(\/.*\) success$/.test(m)), msgs.join('\n'));
    } finally { db.close(); }
  });

  it('read-only mode does not offer it', async () => {
    term?.close();
    term = Terminal.start({ columns: 100, rows: 30, args: ['--read-only'] });
    await term.ready();
    term.press(':');
    await term.waitFor('Type to filter');
    term.type('shell');
    const s = await term.waitFor((x) => x.includes('shell'));
    assert.doesNotMatch(s, /Shell on this host/);
  });
});
