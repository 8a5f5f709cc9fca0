// Fuzzy matching for the `:` palette: every query character must appear in
// order; contiguous runs, word starts and exact alias hits score higher.

export interface FuzzyItem { id: string; title: string; aliases?: readonly string[] }

export function fuzzyScore(query: string, text: string): number {
  const q = query.toLowerCase().trim();
  const t = text.toLowerCase();
  if (!q) return 1;
  if (t === q) return 1000;
  if (t.startsWith(q)) return 500 - t.length;
  let score = 0;
  let ti = 0;
  let prev = -2;
  for (const ch of q) {
    const found = t.indexOf(ch, ti);
    if (found < 0) return 0;
    score += found === prev + 1 ? 10 : 1;
    if (found === 0 || /[\s\-_/:.]/.test(t[found - 1] ?? '')) score += 8;
    prev = found;
    ti = found + 1;
  }
  return score;
}

/** Items matching the query, best first; ties keep the input order. */
export function fuzzyFilter<T extends FuzzyItem>(query: string, items: readonly T[]): T[] {
  return items
    .map((item, i) => ({ item, i, s: Math.max(fuzzyScore(query, item.title), fuzzyScore(query, item.id), ...(item.aliases ?? []).map((a) => fuzzyScore(query, a) + (a.toLowerCase() === query.toLowerCase().trim() ? 600 : 0))) }))
    .filter((x) => x.s > 0)
    .sort((a, b) => b.s - a.s || a.i - b.i)
    .map((x) => x.item);
}
