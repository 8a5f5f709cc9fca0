// The console as it runs on a serial line (ttyS0, TERM=vt100, LANG=C) at
// 80x24, in a real pseudo-terminal (tmux): every screen the palette opens
// draws ASCII only (boxes, charts, arrows and the ellipsis fall back) and
// no colour beyond the 16 basic ones.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SCREENS } from '../../screens/index.ts';
import { BIN, ROOT, Terminal } from '../lib/tty.ts';

// Built only when missing: a build empties dist/ first, under the other e2e files running beside this one.
before(() => {
  if (existsSync(BIN)) return;
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { stdio: 'inherit' });
  assert.equal(r.status, 0, 'build failed');
});

/** Characters outside printable ASCII on a screen, with their line. */
function nonAscii(screen: string): string[] {
  return screen.split('\n').filter((l) => /[^\n -~]/.test(l));
}

/** 256-colour and true-colour SGR parameters (38;5 / 48;5 / 38;2 / 48;2). */
const WIDE_COLOUR = /\x1b\[[0-9;]*(?:38|48);[25];/; // eslint-disable-line no-control-regex

describe('the console on a serial terminal: TERM=vt100, LANG=C, 80x24', () => {
  let term: Terminal;
  before(async () => {
    term = Terminal.start({ columns: 80, rows: 24, env: { TERM: 'vt100', LANG: 'C', LC_ALL: '', LC_CTYPE: '' }, args: ['--connect', 'test:///default'] });
    await term.ready();
  });
  after(() => term.close());

  const screens = SCREENS.filter((s) => s.palette !== false && !s.object && s.id !== 'dashboard');

  it('the dashboard draws ASCII only in 16 colours', async () => {
    const s = await term.waitFor(/host\s+\S+/);
    assert.deepEqual(nonAscii(s), []);
    assert.doesNotMatch(term.screenWithAttributes(), WIDE_COLOUR);
  });

  for (const def of screens) {
    it(`${def.title} (:${def.id}) draws ASCII only in 16 colours`, async () => {
      term.press(':');
      await term.waitFor('Type to filter');
      term.type(def.id);
      term.press('Enter');
      const s = await term.waitFor(`Dashboard > ${def.title}`, 20_000);
      assert.deepEqual(nonAscii(s), [], `non-ASCII on ${def.title}`);
      // Let what the screen reads arrive (charts, lists), then look again.
      const later = await term.waitFor((x) => !/Reading|Loading/.test(x), 20_000).catch(() => term.screen());
      assert.deepEqual(nonAscii(later), [], `non-ASCII on ${def.title}`);
      assert.doesNotMatch(term.screenWithAttributes(), WIDE_COLOUR);
      term.press('Escape');
      await term.waitFor((x) => !x.includes(`Dashboard > ${def.title}`));
      // A screen that asks before it is left (a form) is left without saving.
      if (/Discard|Leave/.test(term.screen())) { term.press('y'); await term.waitFor((x) => !x.includes(`> ${def.title}`)); }
    });
  }
});
