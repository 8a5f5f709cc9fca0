// Text hostdeck shows that may hold a value someone typed or a program
// printed: characters that would drive the terminal (escape sequences, a
// carriage return, a newline that forges a line) or reorder what is shown
// (bidirectional overrides, zero-width characters) are shown escaped instead.

/**
 * C0 controls, DEL, C1 controls, the Unicode line/paragraph separators,
 * bidirectional embeddings/overrides/isolates, zero-width characters and the
 * byte order mark.
 */
// eslint-disable-next-line no-control-regex -- control characters are what this finds
export const UNPRINTABLE = /[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;
const UNPRINTABLE_ALL = new RegExp(UNPRINTABLE.source, 'g');

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeChar(c: string): string {
  const named = NAMED[c];
  if (named) return named;
  const code = c.charCodeAt(0);
  // C0 as \xHH, the way terminals and shells show it; the rest as \uXXXX,
  // which keeps JSON output valid JSON after escaping (JSON has no \x).
  return code < 0x20 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One line safe to print: every unprintable character (newline included) as an escape, e.g. "\x1b[2J", "\n". */
export function printable(s: string): string {
  return s.replace(UNPRINTABLE_ALL, escapeChar);
}

/** Whether a string holds a character printable() would escape. */
export function hasUnprintable(s: string): boolean {
  return UNPRINTABLE.test(s);
}

// eslint-disable-next-line no-control-regex -- control characters are what this finds
const CONTROL = /[\x00-\x1f\x7f-\x9f]/;

/**
 * The rule for free text hostdeck passes on (descriptions, a kernel command
 * line): no control character at all (C0 with tab and newline, DEL, C1), so
 * it stays one line wherever it is shown and libvirt never sees one.
 */
export function controlCharProblem(s: string): string | undefined {
  const m = CONTROL.exec(s);
  return m ? `must not contain control characters (tab, newline, escape ...; got ${printable(m[0])} at character ${m.index + 1})` : undefined;
}
