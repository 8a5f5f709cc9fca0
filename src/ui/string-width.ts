// Terminal width of a string, as the `string-width` package computes it, with
// a fast path for the text a console frame is made of: ASCII, Latin-1, box
// drawing, block elements (meters), braille (charts) and a few punctuation
// marks, each exactly one column wide. Everything else (emoji, CJK, combining
// marks, ambiguous-as-wide) goes to string-width itself. The bundle
// (scripts/build.mjs) hands this module to ink and its helpers in place of
// string-width: string-width segments every grapheme and runs Unicode
// property regexes on it, which made width measurement the largest part of
// drawing the first frame. test/unit/string-width.test.ts checks every
// character of the fast set against string-width.
import stripAnsi from 'strip-ansi';
import stringWidthFull from 'string-width';

export interface StringWidthOptions {
  ambiguousIsNarrow?: boolean;
  countAnsiEscapeCodes?: boolean;
}

/** Characters one column wide whatever the context (no emoji, no combining or invisible marks). */
export const ONE_COLUMN = /^[\u0020-\u007E\u00A1-\u00AC\u00AE-\u00FF\u2013\u2014\u2018-\u201F\u2022\u2026\u2190-\u2193\u2500-\u259F\u2800-\u28FF]*$/;

/** Printable ASCII: one column each whatever the options (no escape to count, nothing ambiguous). */
const PRINTABLE_ASCII = /^[\u0020-\u007E]*$/;

export default function stringWidth(input: string, options?: StringWidthOptions): number {
  if (typeof input === 'string' && PRINTABLE_ASCII.test(input)) return input.length;
  if (typeof input === 'string' && options?.ambiguousIsNarrow !== false) {
    if (ONE_COLUMN.test(input)) return input.length;
    if (!options?.countAnsiEscapeCodes) {
      if (input.includes('\u001B') || input.includes('\u009B')) {
        const plain = stripAnsi(input);
        if (ONE_COLUMN.test(plain)) return plain.length;
      }
    } else if (input.includes('\u001B')) {
      // Escape codes counted (wrap-ansi measures its words so): ESC itself is
      // zero columns, the rest of each code (`[1;36m`) one column a character.
      const rest = input.replaceAll('\u001B', '');
      if (ONE_COLUMN.test(rest)) return rest.length;
    }
  }
  return stringWidthFull(input, options);
}
