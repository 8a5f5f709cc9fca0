// k9s-style row filter: a substring, or a /regex/ when it is a valid regular
// expression with special characters; a leading '!' inverts the match.

export interface RowFilter {
  test: (text: string) => boolean;
  /** Set when the expression is not a valid regex; the filter then matches as plain text. */
  warning?: string;
}

export function makeFilter(expr: string): RowFilter {
  let e = expr;
  let invert = false;
  if (e.startsWith('!')) { invert = true; e = e.slice(1); }
  if (!e) return { test: () => true };
  let match: (s: string) => boolean;
  let warning: string | undefined;
  if (/[\\^$.*+?()[\]{}|]/.test(e)) {
    try {
      const re = new RegExp(e, 'i');
      match = (s) => re.test(s);
    } catch (err) {
      warning = `not a valid regular expression (${(err as Error).message}); matching as text`;
      const low = e.toLowerCase();
      match = (s) => s.toLowerCase().includes(low);
    }
  } else {
    const low = e.toLowerCase();
    match = (s) => s.toLowerCase().includes(low);
  }
  return { test: invert ? (s) => !match(s) : match, warning };
}
