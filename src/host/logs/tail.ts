// A log file that may be gigabytes long, read without loading it: its last
// lines read backwards in blocks (and the page before any line), a page
// forward from a line, the first line at or after a time found by bisection,
// a search streamed through it in blocks, and new lines as it grows.
import { open, stat, type FileHandle } from 'node:fs/promises';

/** One line of a file and the byte offset where it starts (the handle to page or jump from). */
export interface FileLine { offset: number; text: string }
export type LineFilter = (text: string) => boolean;

export interface FilePage {
  lines: FileLine[];
  /** Offset of the first line read: the page before this one ends here. */
  start: number;
  /** Offset after the last line read: the page after (or follow) starts here. */
  end: number;
  /** Nothing before `start` (down to the floor) is left to read. */
  atStart: boolean;
  /** The file's size when it was read. */
  size: number;
}

const BLOCK = 64 * 1024;
const SEARCH_BLOCK = 1024 * 1024;
/** A line longer than this (a binary file read as a log) is shown cut, so memory stays bounded. */
const MAX_LINE = 16 * 1024;
const NL = 0x0a;

const text = (b: Buffer) => (b.length > MAX_LINE ? `${b.subarray(0, MAX_LINE).toString('utf8')}…` : b.toString('utf8')).replace(/\r$/, '');

async function withFile<T>(path: string, fn: (fh: FileHandle, size: number) => Promise<T>): Promise<T> {
  const fh = await open(path, 'r');
  try {
    return await fn(fh, (await fh.stat()).size);
  } finally {
    await fh.close();
  }
}

async function readAt(fh: FileHandle, from: number, length: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(length);
  const { bytesRead } = await fh.read(buf, 0, length, from);
  return buf.subarray(0, bytesRead);
}

/**
 * The last `lines` lines (passing `filter`) that end before `before` (a line
 * start; default the end of the file) and start at or after `floor` (a line
 * start; default 0), read backwards one block at a time.
 */
export async function readBefore(path: string, opts: { lines: number; before?: number; floor?: number; filter?: LineFilter }): Promise<FilePage> {
  return withFile(path, async (fh, size) => {
    const floor = Math.min(opts.floor ?? 0, size);
    const end = Math.max(floor, Math.min(opts.before ?? size, size));
    const found: FileLine[] = [];
    let pos = end;
    let carry: Buffer = Buffer.alloc(0);
    let start = end;
    const take = (offset: number, b: Buffer) => {
      start = offset;
      const t = text(b);
      if (!opts.filter || opts.filter(t)) found.push({ offset, text: t });
      return found.length >= opts.lines;
    };
    let full = false;
    while (!full && pos > floor) {
      const from = Math.max(floor, pos - BLOCK);
      const data = carry.length ? Buffer.concat([await readAt(fh, from, pos - from), carry]) : await readAt(fh, from, pos - from);
      let lineEnd = data.length;
      // The text after the file's last newline is a line being written: shown; a page before a line start has none.
      if (pos === end && data[data.length - 1] === NL) lineEnd = data.length - 1;
      let nl = data.lastIndexOf(NL, lineEnd - 1);
      while (nl >= 0 && !full) {
        full = take(from + nl + 1, data.subarray(nl + 1, lineEnd));
        lineEnd = nl;
        nl = lineEnd > 0 ? data.lastIndexOf(NL, lineEnd - 1) : -1;
      }
      carry = data.subarray(0, lineEnd);
      pos = from;
      // A "line" of megabytes without a newline: taken as it is rather than held whole.
      if (!full && carry.length > 64 * MAX_LINE) { full = take(from, carry); carry = Buffer.alloc(0); }
    }
    if (!full && pos <= floor && (carry.length || (end > floor && start > floor))) take(floor, carry);
    found.reverse();
    return { lines: found, start, end, atStart: start <= floor, size };
  });
}

/** Up to `lines` lines (passing `filter`) from `from` (a line start) forward; `wholeLines` leaves out a last line without its newline. */
export async function readFrom(path: string, opts: { lines: number; from: number; filter?: LineFilter; wholeLines?: boolean }): Promise<FilePage> {
  return withFile(path, async (fh, size) => {
    const found: FileLine[] = [];
    let pos = Math.min(opts.from, size);
    let carry: Buffer = Buffer.alloc(0);
    let carryAt = pos;
    while (found.length < opts.lines && pos < size) {
      const chunk = await readAt(fh, pos, Math.min(BLOCK, size - pos));
      if (!chunk.length) break;
      const data = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      pos += chunk.length;
      let lineStart = 0;
      let nl = data.indexOf(NL);
      while (nl >= 0 && found.length < opts.lines) {
        const t = text(data.subarray(lineStart, nl));
        if (!opts.filter || opts.filter(t)) found.push({ offset: carryAt + lineStart, text: t });
        lineStart = nl + 1;
        nl = data.indexOf(NL, lineStart);
      }
      carryAt += lineStart;
      carry = data.subarray(lineStart);
      if (found.length >= opts.lines) { carry = Buffer.alloc(0); break; }
    }
    // The last line without its newline (being written) is shown too.
    if (carry.length && found.length < opts.lines && !opts.wholeLines) {
      const t = text(carry);
      if (!opts.filter || opts.filter(t)) found.push({ offset: carryAt, text: t });
      carryAt += carry.length;
    }
    return { lines: found, start: Math.min(opts.from, size), end: carryAt, atStart: opts.from === 0, size };
  });
}

/** The start of the first line that begins at or after `pos`. */
async function lineStartFrom(fh: FileHandle, pos: number, size: number): Promise<number> {
  if (pos <= 0) return 0;
  for (let at = pos - 1; at < size; at += BLOCK) {
    const b = await readAt(fh, at, Math.min(BLOCK, size - at));
    const nl = b.indexOf(NL);
    if (nl >= 0) return at + nl + 1;
  }
  return size;
}

/**
 * The offset of the first line whose time (`timeOf`) is at or after `at`
 * (ms since the epoch), by bisection on the file's offsets: a few block reads
 * for any size. Lines without a time (a continued message) are stepped over.
 */
export async function offsetAtTime(path: string, at: number, timeOf: (line: string) => number | undefined): Promise<number> {
  return withFile(path, async (fh, size) => {
    const firstTimeFrom = async (offset: number): Promise<number | undefined> => {
      const b = await readAt(fh, offset, Math.min(BLOCK, size - offset));
      for (const l of b.toString('utf8').split('\n').slice(0, -1)) {
        const t = timeOf(l);
        if (t !== undefined) return t;
      }
      return undefined;
    };
    let lo = 0;
    let hi = size;
    while (hi - lo > BLOCK) {
      const s = await lineStartFrom(fh, Math.floor((lo + hi) / 2), size);
      if (s >= hi) break;
      const t = await firstTimeFrom(s);
      if (t !== undefined && t >= at) hi = s;
      else lo = s;
    }
    for (let pos = lo; pos < size;) {
      const page = await readFrom(path, { from: pos, lines: 256 });
      const hit = page.lines.find((l) => { const t = timeOf(l.text); return t !== undefined && t >= at; });
      if (hit) return hit.offset;
      if (page.end <= pos) break;
      pos = page.end;
    }
    return size;
  });
}

export interface SearchResult {
  /** The first `limit` matching lines, with their offsets. */
  matches: FileLine[];
  /** Every matching line (as grep -c counts). */
  count: number;
  /** Bytes read. */
  bytes: number;
}

/**
 * Every line matching `pattern` (and `filter`), streamed from `from` in 1 MiB
 * blocks: the count, and the first `limit` lines with their offsets.
 */
export async function searchFile(path: string, pattern: RegExp, opts: { from?: number; limit?: number; filter?: LineFilter; signal?: AbortSignal } = {}): Promise<SearchResult> {
  const re = new RegExp(pattern.source, `${pattern.flags.replace(/[gym]/g, '')}gm`);
  // A pattern with no special character and no flag is a plain string.
  const literal = !pattern.flags.replace(/[gy]/g, '') && /^[^\\^$.|?*+()[\]{}]+$/.test(pattern.source) ? Buffer.from(pattern.source) : undefined;
  const limit = opts.limit ?? 100;
  return withFile(path, async (fh, size) => {
    const matches: FileLine[] = [];
    let count = 0;
    let pos = opts.from ?? 0;
    let carry: Buffer = Buffer.alloc(0);
    let carryAt = pos;
    const buf = Buffer.allocUnsafe(SEARCH_BLOCK);
    while (pos < size || carry.length) {
      if (opts.signal?.aborted) break;
      const { bytesRead } = pos < size ? await fh.read(buf, 0, Math.min(SEARCH_BLOCK, size - pos), pos) : { bytesRead: 0 };
      pos += bytesRead;
      const data = carry.length ? Buffer.concat([carry, buf.subarray(0, bytesRead)]) : buf.subarray(0, bytesRead);
      const last = bytesRead ? data.lastIndexOf(NL) : data.length - 1;
      if (last < 0 && bytesRead) { carry = Buffer.from(data); continue; }
      const block = data.subarray(0, last + 1);
      if (literal) {
        // A plain string is looked for in the bytes: no block is decoded, only the lines it is in.
        for (let hit = block.indexOf(literal); hit >= 0;) {
          const lineStart = hit === 0 ? 0 : block.lastIndexOf(NL, hit - 1) + 1;
          let lineEnd = block.indexOf(NL, hit);
          if (lineEnd < 0) lineEnd = block.length;
          const line = text(block.subarray(lineStart, lineEnd));
          if (!opts.filter || opts.filter(line)) {
            count++;
            if (matches.length < limit) matches.push({ offset: carryAt + lineStart, text: line });
          }
          hit = lineEnd + 1 < block.length ? block.indexOf(literal, lineEnd + 1) : -1;
        }
        carryAt += block.length;
        carry = Buffer.from(data.subarray(last + 1));
        if (!bytesRead) break;
        continue;
      }
      const s = block.toString('utf8');
      // Offsets are bytes: where every character is one byte (ASCII) the string index is the offset.
      const ascii = s.length === block.length;
      let charAt = 0;
      let byteAt = 0;
      re.lastIndex = 0;
      for (let m = re.exec(s); m; m = re.exec(s)) {
        const lineStart = s.lastIndexOf('\n', m.index - 1) + 1;
        let lineEnd = s.indexOf('\n', m.index);
        if (lineEnd < 0) lineEnd = s.length;
        const line = s.slice(lineStart, lineEnd).replace(/\r$/, '');
        if (!opts.filter || opts.filter(line)) {
          count++;
          if (matches.length < limit) {
            if (!ascii) { byteAt += Buffer.byteLength(s.slice(charAt, lineStart)); charAt = lineStart; }
            matches.push({ offset: carryAt + (ascii ? lineStart : byteAt), text: line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}…` : line });
          }
        }
        if (lineEnd >= s.length) break;
        re.lastIndex = lineEnd + 1;
      }
      carryAt += block.length;
      carry = Buffer.from(data.subarray(last + 1));
      if (!bytesRead) break;
    }
    return { matches, count, bytes: pos - (opts.from ?? 0) };
  });
}

/**
 * New lines appended to the file from `from`, as it grows (a stat every
 * `intervalMs`); a file that shrank was rotated or truncated and is read from
 * its start. Returns the function that stops following.
 */
export function followFile(path: string, from: number, onLines: (lines: FileLine[]) => void, opts: { intervalMs?: number; filter?: LineFilter } = {}): () => void {
  let pos = from;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const tick = async () => {
    try {
      const size = (await stat(path)).size;
      if (size < pos) pos = 0;
      while (size > pos && !stopped) {
        // A last line without its newline is still being written: it is read when whole.
        const page = await readFrom(path, { from: pos, lines: 10_000, wholeLines: true });
        if (page.end <= pos) break;
        pos = page.end;
        const shown = opts.filter ? page.lines.filter((l) => opts.filter!(l.text)) : page.lines;
        if (shown.length && !stopped) onLines(shown);
      }
    } catch {
      // The file is gone for a moment (rotation): the next tick looks again.
    }
    if (!stopped) timer = setTimeout(() => void tick(), opts.intervalMs ?? 500);
  };
  timer = setTimeout(() => void tick(), opts.intervalMs ?? 500);
  return () => { stopped = true; clearTimeout(timer); };
}
