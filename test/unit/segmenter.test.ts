import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GraphemeSegmenter, ONE_GRAPHEME_PER_CODE_UNIT } from '../../src/ui/segmenter.ts';

const intl = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const ours = new GraphemeSegmenter(undefined, { granularity: 'grapheme' });
const segs = (s: Intl.Segments) => [...s].map((x) => ({ segment: x.segment, index: x.index }));

describe('grapheme segmenter (the bundle segments text with it in place of Intl.Segmenter)', () => {
  it('splits every code unit of its fast set exactly as Intl.Segmenter does, beside letters, escapes and itself', () => {
    let checked = 0;
    for (let cp = 0; cp <= 0x2fff; cp++) {
      const ch = String.fromCodePoint(cp);
      if (!ONE_GRAPHEME_PER_CODE_UNIT.test(ch)) continue;
      const s = `a${ch}${ch}\u001B[1m${ch}b${ch}`;
      assert.ok(ONE_GRAPHEME_PER_CODE_UNIT.test(s));
      assert.deepEqual(segs(ours.segment(s)), segs(intl.segment(s)), `U+${cp.toString(16).toUpperCase()}`);
      checked++;
    }
    assert.ok(checked > 3000, `only ${checked} code points in the fast set`);
  });

  it('leaves what joins or extends a grapheme to Intl: CR LF, combining marks, ZWJ emoji, flags, Hangul, variation selectors', () => {
    const samples = ['line\r\nnext', 'e\u0301 combining', '👩\u200D💻 dev', '🇩🇪 flag', '한국어', '❤\uFE0F heart', '漢字 wide', 'zero\u200Bwidth', 'mixed ╭─╮ é\u0301'];
    for (const s of samples) {
      assert.ok(!ONE_GRAPHEME_PER_CODE_UNIT.test(s), JSON.stringify(s));
      assert.deepEqual(segs(ours.segment(s)), segs(intl.segment(s)), JSON.stringify(s));
    }
    assert.equal([...ours.segment('line\r\nnext')].length, 9, 'CR LF is one grapheme');
  });

  it('answers containing(), String() of its input and resolvedOptions like Intl.Segmenter', () => {
    const s = 'hostdeck │ vm';
    for (const i of [0, 3, 9, s.length - 1, s.length, -1]) {
      const a = ours.segment(s).containing(i);
      const b = intl.segment(s).containing(i);
      assert.deepEqual(a && { segment: a.segment, index: a.index, input: a.input }, b && { segment: b.segment, index: b.index, input: b.input }, `containing(${i})`);
    }
    assert.deepEqual(segs(ours.segment(42 as unknown as string)), segs(intl.segment(42 as unknown as string)));
    assert.equal(ours.resolvedOptions().granularity, 'grapheme');
  });

  it('hands word segmentation to Intl whole', () => {
    const words = new GraphemeSegmenter('en', { granularity: 'word' });
    const text = 'Every change made through hostdeck.';
    assert.deepEqual([...words.segment(text)].map((x) => x.segment), [...new Intl.Segmenter('en', { granularity: 'word' }).segment(text)].map((x) => x.segment));
  });
});
