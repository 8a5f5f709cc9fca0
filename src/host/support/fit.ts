// The size limit of a support bundle: when the parts do not fit, the largest
// are cut to a common cap (the smaller ones stay whole), each keeping its
// tail, where the newest lines of a log are.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fromLineStart } from './collect.ts';
import type { IndexEntry } from './parts.ts';

/**
 * The largest size every part may keep so that together they take at most
 * `budget` bytes, parts smaller than it kept whole; undefined when all fit.
 */
export function capFor(sizes: readonly number[], budget: number): number | undefined {
  const sorted = [...sizes].sort((a, b) => a - b);
  let left = Math.max(0, budget);
  for (let i = 0; i < sorted.length; i++) {
    const rest = sorted.length - i;
    if (sorted[i]! * rest > left) return Math.floor(left / rest);
    left -= sorted[i]!;
  }
  return undefined;
}

/** Cut every written part above `cap` bytes to its tail; the entries say so. */
export async function trimToCap(root: string, entries: IndexEntry[], cap: number): Promise<void> {
  for (const e of entries) {
    if (e.bytes <= cap) continue;
    const file = join(root, e.path);
    const buf = await readFile(file);
    const kept = cap > 0 ? fromLineStart(buf.subarray(Math.max(0, buf.length - cap))) : '';
    await writeFile(file, kept, { mode: 0o600 });
    e.trimmed = { originalBytes: e.trimmed?.originalBytes ?? e.bytes };
    e.bytes = Buffer.byteLength(kept);
  }
}
