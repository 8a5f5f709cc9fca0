import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import stringWidthFull from 'string-width';
import stringWidth, { ONE_COLUMN } from '../../src/ui/string-width.ts';

describe('string width (the bundle measures text with it in place of string-width)', () => {
  it('gives every character of its one-column set the width string-width gives it', () => {
    let checked = 0;
    for (let cp = 0x20; cp <= 0x2fff; cp++) {
      const ch = String.fromCodePoint(cp);
      if (!ONE_COLUMN.test(ch)) continue;
      assert.equal(stringWidthFull(ch), 1, `U+${cp.toString(16).toUpperCase()} ${ch}`);
      assert.equal(stringWidth(ch), 1);
      checked++;
    }
    assert.ok(checked > 600, `only ${checked} characters in the fast set`);
  });

  it('measures console text the same as string-width, with and without colours', () => {
    const samples = [
      '', 'Every change made through hostdeck, live, with filters.', 'hostdeck │ vm (192.0.2.2) │ unconfigured', '╭──────╮', '█████░░░░░  42% 1.2 GiB', '⣀⣤⣶⣿ cpu', 'a·b…c',
      '\u001B[1mbold\u001B[22m ╰─╯', '\u001B[38;5;2m█\u001B[39m░', 'naïve café', '漢字 wide', 'emoji 🖥️ here', 'e\u0301 combining', 'soft\u00ADhyphen', 'zero\u200Bwidth',
      '\u001B[46m\u001B[30me Events\u001B[39m\u001B[49m', '\u001B[90m│\u001B[39m', 'c Storage connectio…', '\u001B[90mEvery\u001B[39m', '\u001B[1m漢\u001B[22m', '\u009B31mred\u009B39m', '\u001B[33m🖥️\u001B[39m',
    ];
    for (const s of samples) {
      assert.equal(stringWidth(s), stringWidthFull(s), JSON.stringify(s));
      assert.equal(stringWidth(s, { ambiguousIsNarrow: false }), stringWidthFull(s, { ambiguousIsNarrow: false }), JSON.stringify(s));
      assert.equal(stringWidth(s, { countAnsiEscapeCodes: true }), stringWidthFull(s, { countAnsiEscapeCodes: true }), JSON.stringify(s));
    }
  });
});
