// A table cell's text in exactly its column's width. Cell values come from the
// host (process command lines, interface and mount names, VM names), so a cell
// may hold what a terminal line cannot: a newline or a tab (a `sh -c` script
// in a command line) would break the row in two, an escape would be
// interpreted, and a wide character (CJK, emoji) takes two columns where
// String.length counts one.
import stringWidth, { ONE_COLUMN } from './string-width.ts';

// eslint-disable-next-line no-control-regex -- the control characters are what this replaces
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/g;
const SPACING = /[\t\n\v\f\r]/;

/** The text on one line: white-space controls become a space, other controls `?` (as ps shows them). */
export function oneLine(s: string): string {
  return s.replace(CONTROL, (c) => (SPACING.test(c) ? ' ' : '?'));
}

/**
 * `s` in `width` terminal columns: cut with `…` when wider (at its end, or at
 * its start where the end tells more, as a mount point's does), padded on the
 * side `align` leaves open.
 */
export function fitCell(s: string, width: number, align: 'left' | 'right' = 'left', keep: 'start' | 'end' = 'start'): string {
  const text = oneLine(s);
  if (ONE_COLUMN.test(text)) {
    const room = Math.max(0, width - 1);
    const t = text.length <= width ? text : keep === 'start' ? `${text.slice(0, room)}…` : `…${text.slice(text.length - room)}`;
    return align === 'right' ? t.padStart(width) : t.padEnd(width);
  }
  let used = stringWidth(text);
  let out = text;
  if (used > width) {
    const chars = [...text];
    if (keep === 'end') chars.reverse();
    let kept = '';
    used = 0;
    for (const ch of chars) {
      const w = stringWidth(ch);
      if (used + w > width - 1) break;
      kept = keep === 'start' ? kept + ch : ch + kept;
      used += w;
    }
    out = keep === 'start' ? `${kept}…` : `…${kept}`;
    used += 1;
  }
  const pad = ' '.repeat(Math.max(0, width - used));
  return align === 'right' ? pad + out : out + pad;
}
