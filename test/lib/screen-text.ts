// The text a block of the screen shows, read as the operator reads it: the
// columns [from, to) of every line, joined, with no spacing at all (a long
// word wrapped mid-word, a number say, reads back whole).
export function columnText(frame: string, from = 0, to = Infinity): string {
  return frame.split('\n').map((l) => [...l].slice(from, to).join('')).join('').replace(/\s+/g, '');
}

/** Whether the block shows `text` whole, wrapped or not. */
export function showsWhole(frame: string, text: string, from = 0, to = Infinity): boolean {
  return columnText(frame, from, to).includes(text.replace(/\s+/g, ''));
}
