// The serial console's ASCII fallback: when it applies (TERM, locale,
// HOSTDECK_ASCII) and that every character keeps its width.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { asciiOnly, toAscii } from '../../src/ui/ascii-terminal.ts';
import stringWidth from '../../src/ui/string-width.ts';

describe('ASCII fallback', () => {
  it('applies to a locale without UTF-8, or to a VT100-family/Linux console with no locale', () => {
    assert.equal(asciiOnly({ TERM: 'vt100', LANG: 'C' }), true);
    assert.equal(asciiOnly({ TERM: 'xterm-256color', LANG: 'en_US.ISO-8859-1' }), true);
    assert.equal(asciiOnly({ TERM: 'vt220' }), true);
    assert.equal(asciiOnly({ TERM: 'linux' }), true);
    assert.equal(asciiOnly({ TERM: 'vt220', LANG: 'en_US.UTF-8' }), false);
    assert.equal(asciiOnly({ TERM: 'linux', LC_ALL: 'C.utf8', LANG: 'C' }), false);
    assert.equal(asciiOnly({ TERM: 'xterm-256color' }), false);
    assert.equal(asciiOnly({ TERM: 'xterm-256color', LANG: 'C.UTF-8', HOSTDECK_ASCII: '1' }), true);
    assert.equal(asciiOnly({ TERM: 'vt100', LANG: 'C', HOSTDECK_ASCII: '0' }), false);
  });

  it('draws boxes, arrows, the ellipsis, bars and braille charts in ASCII of the same width', () => {
    const samples = ['╭─ Panel ─╮', '│ Dashboard › Events │', '╚══╝', 'a…', '← → ↑ ↓', '▁▂▃▄▅▆▇█', '⣿⣀⠁⠀', 'café', '日本', '✔ ✖ ⚠ •'];
    for (const s of samples) {
      const a = toAscii(s);
      assert.match(a, /^[ -~]*$/, `${s} -> ${a}`);
      assert.equal(stringWidth(a), stringWidth(s), s);
    }
    assert.equal(toAscii('╭─╮│›…'), '+-+|>~');
    assert.equal(toAscii('⣿⣀⠁⠀'), '#.. ');
    assert.equal(toAscii('café'), 'cafe');
    assert.equal(toAscii('\x1b[31mred\x1b[0m'), '\x1b[31mred\x1b[0m');
  });
});
