// A drop-in for Intl.Segmenter (grapheme granularity) that answers the text a
// console frame is made of without ICU: when every UTF-16 code unit of the
// input is a grapheme of its own (ASCII, Latin-1 and Latin extended, general
// punctuation, arrows, box drawing, block elements, braille, other symbols of
// U+2190-U+2BFF), each code unit is one segment. Anything else (combining
// marks, ZWJ, variation selectors, emoji, CJK, Hangul, CR LF) goes to the
// real Intl.Segmenter, built on first need.
//
// Why: the first Intl.Segmenter a process builds loads ICU's break rules,
// some 20 ms, and ink and its helpers (string-width, wrap-ansi, slice-ansi,
// cli-truncate, ansi-tokenize) each build one when their module loads. The
// bundle (scripts/build.mjs) puts this class in place of Intl.Segmenter for
// all bundled code, so the first frame needs none.
// test/unit/segmenter.test.ts checks every code point of the fast set against
// Intl.Segmenter.

/** Each code unit its own grapheme: no CR (CR LF is one), nothing that extends or joins. */
// eslint-disable-next-line no-control-regex -- control characters (ESC above all) are graphemes of their own
export const ONE_GRAPHEME_PER_CODE_UNIT = /^[\0-\x0C\x0E-\u02FF\u2010-\u2027\u2030-\u205E\u2190-\u2BFF]*$/;

// Read through Reflect: the bundle's define replaces the expression
// `Intl.Segmenter` with this module's class, which must still reach ICU's.
// A function, not a module-level constant: the module then has no side
// effect, and chunks that do not segment do not import it.
const intlSegmenter = (): typeof Intl.Segmenter => Reflect.get(Intl, 'Segmenter') as typeof Intl.Segmenter;

interface SegmentData { segment: string; index: number; input: string }

class CodeUnitSegments {
  readonly #input: string;
  constructor(input: string) { this.#input = input; }
  containing(index = 0): SegmentData | undefined {
    const i = Math.trunc(Number(index) || 0);
    if (i < 0 || i >= this.#input.length) return undefined;
    return { segment: this.#input[i]!, index: i, input: this.#input };
  }
  *[Symbol.iterator](): IterableIterator<SegmentData> {
    const s = this.#input;
    for (let i = 0; i < s.length; i++) yield { segment: s[i]!, index: i, input: s };
  }
}

export class GraphemeSegmenter {
  readonly #locales: string | string[] | undefined;
  readonly #options: Intl.SegmenterOptions | undefined;
  readonly #grapheme: boolean;
  #real: Intl.Segmenter | undefined;

  static supportedLocalesOf(locales: string | string[], options?: { localeMatcher?: 'lookup' | 'best fit' }): string[] {
    return intlSegmenter().supportedLocalesOf(locales, options);
  }

  constructor(locales?: string | string[], options?: Intl.SegmenterOptions) {
    this.#locales = locales;
    this.#options = options;
    this.#grapheme = (options?.granularity ?? 'grapheme') === 'grapheme';
    // Word and sentence segmentation have no fast path: built at once, as Intl would be.
    if (!this.#grapheme) this.#real = new (intlSegmenter())(locales, options);
  }

  #intl(): Intl.Segmenter {
    return (this.#real ??= new (intlSegmenter())(this.#locales, this.#options));
  }

  segment(input: string): Intl.Segments {
    const s = String(input);
    if (this.#grapheme && ONE_GRAPHEME_PER_CODE_UNIT.test(s)) return new CodeUnitSegments(s) as unknown as Intl.Segments;
    return this.#intl().segment(s);
  }

  resolvedOptions(): Intl.ResolvedSegmenterOptions {
    return this.#intl().resolvedOptions();
  }
}
