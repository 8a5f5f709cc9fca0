// A table cell is exactly its column's width on the terminal, on one line,
// whatever the host put in the value.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fitCell, oneLine } from '../../src/ui/cell.ts';
import stringWidth from '../../src/ui/string-width.ts';

describe('table cells', () => {
  it('newlines and tabs become spaces, other control characters ?', () => {
    assert.equal(oneLine('a\nb\tc\r\x1b[31m\x7f\x9b'), 'a b c ?[31m??');
  });

  it('pads and cuts ASCII to the width, on either side', () => {
    assert.equal(fitCell('abc', 5), 'abc  ');
    assert.equal(fitCell('abc', 5, 'right'), '  abc');
    assert.equal(fitCell('abcdefgh', 5), 'abcd…');
    assert.equal(fitCell('/var/lib/libvirt/images', 10, 'left', 'end'), '…rt/images');
  });

  it('counts a wide character as two columns and never splits one', () => {
    for (let w = 1; w <= 12; w++) {
      for (const keep of ['start', 'end'] as const) {
        const cell = fitCell('报表/生成报表.py', w, 'left', keep);
        assert.equal(stringWidth(cell), w, `${w} ${keep}: ${cell}`);
      }
    }
    assert.equal(fitCell('报表/生成报表.py', 6), '报表/…');
    assert.equal(fitCell('报表/生成报表.py', 7), '报表/… ');
    assert.equal(fitCell('报表/生成报表.py', 8, 'left', 'end'), '…报表.py');
    assert.equal(fitCell('报表', 6, 'right'), '  报表');
  });
});
