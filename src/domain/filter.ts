// k9s-style row filter: a substring, or a /regex/ when it has special
// characters; a leading '!' inverts the match. A row matches when any one of
// its fields does (so `^web.*1$` is anchored to a name, not to the fields
// joined); an expression that is not a valid regular expression is refused.

export interface RowFilter {
  /** Whether a row with these fields (or this one text) passes: any field matches (inverted: none does). */
  test: (fields: string | readonly string[]) => boolean;
  /** Set when the expression is not a valid regular expression: it filters nothing and should be refused. */
  error?: string;
}

export function makeFilter(expr: string): RowFilter {
  let e = expr;
  let invert = false;
  if (e.startsWith('!')) { invert = true; e = e.slice(1); }
  if (!e) return { test: () => true };
  let match: (s: string) => boolean;
  if (/[\\^$.*+?()[\]{}|]/.test(e)) {
    try {
      const re = new RegExp(e, 'i');
      match = (s) => re.test(s);
    } catch (err) {
      const why = (err as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '');
      return { test: () => true, error: `not a valid regular expression (${why.charAt(0).toLowerCase()}${why.slice(1)})` };
    }
  } else {
    const low = e.toLowerCase();
    match = (s) => s.toLowerCase().includes(low);
  }
  return {
    test: (fields) => {
      const any = typeof fields === 'string' ? match(fields) : fields.some(match);
      return invert ? !any : any;
    },
  };
}
